"""Validate a whole corpus: every file, then what only the set of files shows."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from search import get_language

from .corpus import Document, corpus_files, read_document
from .errors import CorpusError, CorpusInvalid, IndexerError


def load_corpus(corpus: Path, on_file=None) -> list[Document]:
    """Read and validate every file of ``corpus``.

    :param on_file: called once per file read (drives a progress bar).
    :raise CorpusInvalid: listing every problem found, not just the first.
    """
    if not corpus.is_dir():
        raise IndexerError(f"corpus folder {corpus} does not exist; pass --corpus DIR "
                           "(the folder holding <slug>.<lang>.md files)")
    documents, errors = [], []
    for path in corpus_files(corpus):
        try:
            documents.append(read_document(path))
        except CorpusError as error:
            errors.append(error)
        if on_file:
            on_file()
    errors.extend(_duplicates(corpus, documents))
    if errors:
        raise CorpusInvalid(errors)
    return documents


def _duplicates(corpus: Path, documents: list[Document]) -> list[CorpusError]:
    """Two files for one statement in one language, by slug or by translation key."""
    errors, reported = [], set()
    for attribute, what in (("slug", "slug"), ("key", "translation key")):
        groups: dict[tuple[str, str], list[str]] = defaultdict(list)
        for doc in documents:
            groups[getattr(doc, attribute), doc.lang].append(doc.file)
        for (value, lang), files in sorted(groups.items()):
            if len(files) > 1 and frozenset(files) not in reported:
                reported.add(frozenset(files))
                language = get_language(lang).name
                for name in files:
                    others = ", ".join(f for f in files if f != name)
                    errors.append(CorpusError(
                        corpus / name,
                        f"duplicate {language} version of {what} {value!r}: {others} "
                        f"is one too; give one file another {what} or language"))
    return errors

