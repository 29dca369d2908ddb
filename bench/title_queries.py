"""Known-item queries from titles: two random words (longer than 3 letters) of each title.

    python bench/title_queries.py --corpus DIR --out PREFIX [--per-lang 300] [--seed 1]

writes ``PREFIX.<lang>.jsonl`` with ``{"lang", "query", "key"}`` per line, for
``bench/relevance.py``.  Easier than real keyword queries (the words are in
the title), but available for any corpus.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.validate import load_corpus  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--out", required=True, help="file name prefix")
    parser.add_argument("--per-lang", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    by_lang = defaultdict(list)
    for doc in load_corpus(args.corpus):
        words = [w for w in doc.title.split() if len(w) > 3]
        if len(words) >= 2:
            query = " ".join(rng.sample(words, 2))
            by_lang[doc.lang].append({"lang": doc.lang, "query": query, "key": doc.key})
    for lang, rows in sorted(by_lang.items()):
        rng.shuffle(rows)
        path = Path(f"{args.out}.{lang}.jsonl")
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                for r in rows[:args.per_lang]), encoding="utf-8")
        print(f"{path}: {min(len(rows), args.per_lang)} queries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
