"""Truncation queries: a keyword set with its long words cut to a prefix (``strik*``).

    python bench/prefix_queries.py --queries DIR --out DIR [--longer-than 6] [--keep 5]

reads ``DIR/queries.<lang>.jsonl`` (``bench/relevance.py``'s known-item
queries, such as the LibreOffice help's index keywords) and writes the same
queries with every word of letters longer than ``--longer-than`` cut to its
first ``--keep`` letters and a ``*``, as a researcher truncates a word to
find all its forms; queries with no such word are left out.  Run them with
``bench/relevance.py --syntax``, which passes the ``*`` to the engine.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def truncated(query: str, longer_than: int, keep: int) -> str:
    """The query with each long word of letters cut to ``keep`` letters and ``*``."""
    return " ".join(word[:keep] + "*" if len(word) > longer_than and word.isalpha() else word
                    for word in query.split())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--queries", type=Path, required=True, help="folder of queries.*.jsonl")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--longer-than", type=int, default=6)
    parser.add_argument("--keep", type=int, default=5)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for path in sorted(args.queries.glob("queries.*.jsonl")):
        rows = []
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            query = truncated(record["query"], args.longer_than, args.keep)
            if query != " ".join(record["query"].split()):
                rows.append({**record, "query": query})
        (args.out / path.name).write_text(
            "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
        print(f"{path.name}: {len(rows)} queries")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
