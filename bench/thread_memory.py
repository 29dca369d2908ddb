"""Memory of one search process as threads open their own searchers.

    python bench/thread_memory.py --index /tmp/lo5 --queries /tmp/queries.en.jsonl [...] [--threads 4]

The engine keeps one set of Whoosh searchers per thread (Whoosh readers are
not shared between threads).  This opens them in 1, 2, ... ``--threads``
live threads, each running the same real queries, and prints the process's
RSS, PSS and USS (psutil) after each: what a server thread costs on that
index.
"""

from __future__ import annotations

import argparse
import gc
import sys
import threading
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_load import queries_for  # noqa: E402
from search.engine import Engine  # noqa: E402


def memory_mb() -> tuple[int, int, int]:
    """RSS, PSS and USS of this process, in MB."""
    info = psutil.Process().memory_full_info()
    return tuple(round(value / 2**20) for value in (info.rss, info.pss, info.uss))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--queries", type=Path, action="append")
    parser.add_argument("--limit", type=int, default=200, help="queries per thread")
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args(argv)
    engine = Engine(args.index)
    queries = queries_for(args.index, args.queries, args.limit)
    print(f"no searchers: RSS / PSS / USS {memory_mb()} MB")
    release, ready = threading.Event(), threading.Semaphore(0)

    def work() -> None:
        for query in queries:
            engine.search(query)
        ready.release()
        release.wait()  # stay alive, searchers open, like a server thread

    threads = []
    for count in range(1, args.threads + 1):
        thread = threading.Thread(target=work)
        thread.start()
        threads.append(thread)
        ready.acquire()
        gc.collect()
        print(f"{count} live thread(s): RSS / PSS / USS {memory_mb()} MB", flush=True)
    release.set()
    for thread in threads:
        thread.join()
    return 0


if __name__ == "__main__":
    sys.exit(main())
