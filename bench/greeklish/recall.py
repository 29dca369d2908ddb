"""Recall of the Greeklish scheme on real spellings (``spellings.tsv``).

A row counts as found when the Latin word, analysed as a query by the Greek
index's ``body_latin`` twin, meets the key that the same twin indexes for
the Greek word: exactly the test a search applies.  Rows whose Greek word is
a stop word are reported apart (no spelling finds those, by design).  With
``--misses`` the rows not found are listed, for docs/greeklish.md.

    python bench/greeklish/recall.py [--misses]
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from search.analysis import is_stopword, normalise, tokens, word_found  # noqa: E402
from search.languages import get_language  # noqa: E402
from search.schema import schema_for  # noqa: E402

HERE = Path(__file__).resolve().parent
GREEK = get_language("el")


def found(analyzer, latin: str, greek: str) -> bool:
    """Whether every position of the Latin word has a reading among the Greek word's keys."""
    indexed = set(tokens(analyzer, greek))
    return word_found(analyzer, latin, lambda term: term in indexed)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--spellings", type=Path, default=HERE / "spellings.tsv")
    parser.add_argument("--misses", action="store_true", help="list the rows not found")
    args = parser.parse_args(argv)
    analyzer = schema_for(GREEK)["body_latin"].analyzer
    with args.spellings.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    counts: Counter = Counter()
    misses = []
    for row in rows:
        if is_stopword(normalise(row["greek"]), GREEK):
            counts["stop"] += 1
            continue
        counts["content"] += 1
        counts[row["source"]] += 1
        if found(analyzer, row["greeklish"], row["greek"]):
            counts["found"] += 1
            counts["found " + row["source"]] += 1
        else:
            misses.append(row)
    print(f"rows: {len(rows)}; Greek stop words (never searchable): {counts['stop']}")
    print(f"recall on the other {counts['content']}: "
          f"{counts['found']}/{counts['content']} = {counts['found'] / counts['content']:.3f}")
    for source in sorted({row["source"] for row in rows}):
        if counts[source]:
            print(f"  {source}: {counts['found ' + source]}/{counts[source]} = "
                  f"{counts['found ' + source] / counts[source]:.3f}")
    if args.misses:
        for row in misses:
            print(f"{row['greeklish']}\t{row['greek']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
