"""A plain Whoosh query over a built index, for tests of what the indexer wrote."""

from __future__ import annotations

from pathlib import Path

from whoosh.qparser import MultifieldParser

from search.store import current_generation, language_codes, open_language


def find(root: Path, text: str) -> set[str]:
    """Files whose title or body (any twin field) match ``text`` in any language."""
    generation = current_generation(root)
    files: set[str] = set()
    for code in language_codes(generation):
        ix = open_language(generation, code)
        fields = [name for name in ix.schema.names()
                  if name.startswith(("title", "body")) and ix.schema[name].indexed]
        query = MultifieldParser(fields, ix.schema).parse(text)
        with ix.searcher() as searcher:
            files |= {hit["file"] for hit in searcher.search(query, limit=None)}
    return files


def stored_documents(root: Path) -> dict[str, dict]:
    """Every stored document of the served index, by file name."""
    generation = current_generation(root)
    documents = {}
    for code in language_codes(generation):
        with open_language(generation, code).searcher() as searcher:
            for fields in searcher.all_stored_fields():
                documents[fields["file"]] = fields
    return documents
