"""Library latency of two code trees side by side: ``bench/speed.py search`` without Whoosh.

    git archive A | tar -x -C /tmp/a; git archive B | tar -x -C /tmp/b
    python bench/compare.py --index DIR [--queries FILE] /tmp/a /tmp/b [--rounds N]

Kept for the commands already written down; it runs
``python bench/speed.py search --index DIR --code /tmp/a --code /tmp/b
--limit 0 [--queries FILE] [--rounds N]``: each tree's engine in a warm
worker process, every query answered by both in alternating order, p50/p95/p99
of each, the after/before ratios and the number of queries whose results
differ.  The queries default to the 22 of ``bench/peers.py``, ``--queries``
reads one a line (or JSON Lines).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import speed  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--queries", type=Path, help="one query per line")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    forwarded = ["search", "--index", str(args.index), "--code", str(args.before),
                 "--code", str(args.after), "--limit", "0", "--rounds", str(args.rounds)]
    if args.queries:
        forwarded += ["--queries", str(args.queries)]
    return speed.main(forwarded)


if __name__ == "__main__":
    sys.exit(main())
