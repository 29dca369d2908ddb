"""Plain Whoosh, the baseline of the speed targets: build an index of a corpus, or answer queries.

    python bench/plain_whoosh.py build CORPUS INDEX
    python bench/plain_whoosh.py serve INDEX      # JSON query a line in, JSON timing a line out

``build`` reads every ``<slug>.<lang>.md`` file itself (TOML front matter
between ``+++`` lines with ``tomllib``, the Markdown body as written) and
writes one Whoosh 2.7.4 index as ``bench/peers.py``'s ``whoosh`` system:
``file`` and ``key`` IDs, ``title`` and ``body`` TEXT with the default
``StandardAnalyzer``, all stored, one process, ``limitmb=256``.  ``serve``
answers each query with its analysed words OR-ed over title and body, top 10
with their stored keys, no snippets.  Standard library and Whoosh only, so
that its start-up is what plain Whoosh costs.
"""

from __future__ import annotations

import json
import sys
import time
import tomllib
from pathlib import Path

LIMIT_MB = 256


def read_file(path: Path) -> tuple[str, str, str]:
    """(key, title, body) of a corpus file: TOML between ``+++`` lines, then Markdown."""
    lines = path.read_text(encoding="utf-8-sig").split("\n")
    end = lines.index("+++", 1)
    meta = tomllib.loads("\n".join(lines[1:end]))
    slug = path.name.split(".", 1)[0]
    return meta.get("translation_key", slug), meta.get("title", ""), "\n".join(lines[end + 1:])


def build(corpus: Path, index: Path) -> None:
    """Write the plain index of every corpus file."""
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.index import create_in

    index.mkdir(parents=True)
    schema = Schema(file=ID(stored=True, unique=True), key=ID(stored=True),
                    title=TEXT(stored=True), body=TEXT(stored=True))
    writer = create_in(str(index), schema).writer(limitmb=LIMIT_MB)
    for path in sorted(corpus.glob("*.*.md")):
        key, title, body = read_file(path)
        writer.add_document(file=path.name, key=key, title=title, body=body)
    writer.commit()


def serve(index: Path) -> None:
    """Answer JSON queries from stdin, one line each, with the time each took."""
    from whoosh import index as windex
    from whoosh.query import Or, Term

    searcher = windex.open_dir(str(index)).searcher()
    analyzer = searcher.schema["body"].analyzer
    for line in sys.stdin:
        started = time.perf_counter()
        words = dict.fromkeys(token.text for token in analyzer(json.loads(line)))
        query = Or([Term(field, word) for word in words for field in ("title", "body")])
        keys = [hit["key"] for hit in searcher.search(query, limit=10)]
        ms = (time.perf_counter() - started) * 1000
        print(json.dumps({"ms": ms, "hits": len(keys)}), flush=True)


def main(argv: list[str]) -> int:
    if argv[:1] == ["build"] and len(argv) == 3:
        build(Path(argv[1]), Path(argv[2]))
    elif argv[:1] == ["serve"] and len(argv) == 2:
        serve(Path(argv[1]))
    else:
        raise SystemExit(__doc__.split("\n\n")[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
