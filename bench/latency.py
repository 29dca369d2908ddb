"""Query latency through the library: warm engine, searchers open, top 10 with highlights.

    python bench/latency.py --index DIR [--repeat N] QUERY...

Prints p50/p95/p99 in milliseconds over all queries and repetitions.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from search.engine import Engine  # noqa: E402

DEFAULT_QUERIES = ["Charlie Hebdo", "zabojstw", "μετα", "pandemics", '"ruling class"',
                   "xenophob*", "Lukashneko~", "Trump -Bannon", "strikes protests",
                   "racism OR xenophobia"]


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, default=Path("index"))
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("queries", nargs="*", default=DEFAULT_QUERIES)
    args = parser.parse_args(argv)
    engine = Engine(args.index)
    for query in args.queries:  # warm up: open searchers, fill caches
        engine.search(query)
    timings = []
    for _ in range(args.repeat):
        for query in args.queries:
            started = time.perf_counter()
            engine.search(query)
            timings.append((time.perf_counter() - started) * 1000)
    print(f"{len(timings)} searches: p50 {percentile(timings, 50):.2f} ms, "
          f"p95 {percentile(timings, 95):.2f} ms, p99 {percentile(timings, 99):.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
