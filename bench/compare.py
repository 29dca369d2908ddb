"""Library latency of two code trees side by side: same index, same queries, alternated.

    git archive A | tar -x -C /tmp/a; git archive B | tar -x -C /tmp/b
    python bench/compare.py --index DIR [--queries FILE] /tmp/a /tmp/b [--rounds N]

The queries default to the 22 of ``bench/peers.py`` (one word, several words,
phrase, prefix, fuzzy, in several languages); ``--queries`` reads one per line.

Each tree runs in a warm worker process of its own (engine open, every query
run once first), and the two answer each query in turn, in alternating order,
so that a shared machine's load falls on both alike.  Prints p50/p95/p99 of
each, the ratio of the medians, and any query whose results differ.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

WORKER = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from search.engine import Engine
engine = Engine(sys.argv[2])
for line in sys.stdin:
    started = time.perf_counter()
    page = engine.search(json.loads(line)).to_dict()
    ms = (time.perf_counter() - started) * 1000
    page.pop("took_ms")
    print(json.dumps({"ms": ms, "page": json.dumps(page, sort_keys=True)}), flush=True)
"""


class Worker:
    """One code tree's engine in a process of its own."""

    def __init__(self, code: Path, index: Path) -> None:
        self.code = code
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER, str(code), str(index)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def search(self, query: str) -> dict:
        self.process.stdin.write(json.dumps(query) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def percentiles(values: list[float]) -> str:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return f"p50 {cuts[49]:.1f} ms, p95 {cuts[94]:.1f} ms, p99 {cuts[98]:.1f} ms"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--queries", type=Path, help="one query per line")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.queries:
        queries = [line.strip() for line in args.queries.read_text().splitlines()
                   if line.strip()]
    else:
        from peers import QUERIES, query_text

        queries = [query_text("engine", kind, words) for kind, words in QUERIES]
    workers = [Worker(args.before, args.index), Worker(args.after, args.index)]
    try:
        for query in queries:  # warm up, and check that both answer alike
            pages = [worker.search(query)["page"] for worker in workers]
            if pages[0] != pages[1]:
                print(f"different results: {query}")
        times: list[list[float]] = [[], []]
        started = time.monotonic()
        for round_ in range(args.rounds):
            order = (0, 1) if round_ % 2 else (1, 0)
            for query in queries:
                for i in order:
                    times[i].append(workers[i].search(query)["ms"])
    finally:
        for worker in workers:
            worker.close()
    for worker, values in zip(workers, times):
        print(f"{worker.code}: {percentiles(values)} over {len(values)} searches")
    ratio = statistics.median(times[1]) / statistics.median(times[0])
    print(f"after/before median ratio {ratio:.3f} ({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
