"""Hardening benchmark: the API while builds are killed and published, and in an export storm.

    python bench/hardening.py --corpus /tmp/deb-corpus --index /tmp/hardening-index
        --queries /tmp/debq.en.jsonl [...] [--duration 120] [--storm-seconds 60]
        [--storm-clients 8] [--workers 2] [--seed 0] [--code DIR] [--json hardening.json]

Builds ``--index`` from ``--corpus`` (a copy of it, which the run changes),
starts ``python -m webui`` on a free loopback port and runs two phases, each
under wrk (8 connections, every request the next real query):

1. kill-and-load, ``--duration`` seconds: builds one after the other, each a
   ``rebuild`` killed with SIGKILL at a random moment of its run (seeded), and
   every ``--publish-every``-th an ``update`` of one changed file, left to
   publish.  At the end the corpus is put back and rebuilt.
2. export storm, ``--storm-seconds`` twice: wrk alone, then wrk while
   ``--storm-clients`` clients ask for CSV exports of broad queries back to
   back.

It passes when wrk saw no non-2xx response and no socket error, the server
logged no traceback, every build left to finish published, no killed
build's folder outlived the next build, the compared queries answer the same
after the run as before, and every export was answered 200 or turned away
with 503 and Retry-After.  Needs wrk and psutil; only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_load import (ROOT, add_server_arguments, describe, machine, queries_for,  # noqa: E402
                       run_wrk, server, warm_up, write_paths)
from soak import answers  # noqa: E402

STORM_QUERIES = ["a*", "e~2/0", "con*", "de*", "pro*"]
"""Exports that match most of a corpus, each explained: the costliest a client can ask."""


def plain_words(query: str) -> str:
    """A title query without the characters of the query syntax (a lone ``(`` is a 400)."""
    return " ".join(re.sub(r'[()\[\]{}":^~*?\\]', " ", query).split()) or "a"


def build(command: str, corpus: Path, index: Path, log: Path, code: Path) -> subprocess.Popen:
    """``python -m indexer rebuild|update`` of ``code``, its output appended to ``log``."""
    with open(log, "a") as handle:
        return subprocess.Popen(
            [sys.executable, "-m", "indexer", command, "--corpus", str(corpus), "--index",
             str(index), "--no-langid"], cwd=code, stdout=handle, stderr=subprocess.STDOUT)


def kill_tree(process: subprocess.Popen) -> None:
    """SIGKILL a build and the processes it started (they also die with it on Linux)."""
    try:
        children = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    for child in children:
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(children, timeout=10)


def leftovers(index: Path) -> int:
    """Folders of builds that did not finish, or whose deletion did not."""
    return sum(1 for path in (index / "generations").iterdir()
               if path.name.endswith((".partial", ".old")))


def on_disk(index: Path) -> tuple[int, float]:
    """Build folders in ``generations/`` and the MB they take."""
    folders = list((index / "generations").iterdir())
    size = sum(f.stat().st_size for folder in folders for f in folder.rglob("*") if f.is_file())
    return len(folders), round(size / 2**20, 1)


def kill_and_publish(corpus: Path, index: Path, seconds: float, build_seconds: float,
                     publish_every: int, rng: random.Random, log: Path, code: Path) -> dict:
    """Builds for ``seconds``: most killed at a random moment, every n-th an update left to
    publish; counts what happened and what killed builds left behind."""
    counts: Counter = Counter({"folders_max": 0, "mb_max": 0.0})
    changed = sorted(corpus.glob("*.md"))[0]
    original = changed.read_text(encoding="utf-8")
    started = time.monotonic()
    number = 0
    while time.monotonic() - started < seconds:
        number += 1
        folders, size = on_disk(index)
        counts["folders_max"] = max(counts["folders_max"], folders)
        counts["mb_max"] = max(counts["mb_max"], size)
        if number % publish_every == 0:
            changed.write_text(original + f"\nChanged {number}.\n", encoding="utf-8")
            status = build("update", corpus, index, log, code).wait(timeout=1800)
            counts["published" if status == 0 else "failed"] += 1
            counts["leftovers_after_finished_build"] += leftovers(index)
            continue
        process = build("rebuild", corpus, index, log, code)
        time.sleep(rng.uniform(0.05, 1.0) * build_seconds)
        if process.poll() is None:
            kill_tree(process)
            counts["killed"] += 1
        else:
            counts["published" if process.returncode == 0 else "failed"] += 1
    changed.write_text(original, encoding="utf-8")
    return dict(counts)


def export_storm(base: str, clients: int, seconds: float) -> dict:
    """``clients`` threads asking for exports back to back; counts by answer."""
    counts: Counter = Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        queries = STORM_QUERIES[number % len(STORM_QUERIES):] + STORM_QUERIES
        turn = 0
        while time.monotonic() < deadline:
            query = queries[turn % len(queries)]
            turn += 1
            outcome = export(base, query)
            with lock:
                counts[outcome] += 1
            if outcome.startswith("503"):
                time.sleep(0.1)  # a storm: no waiting for Retry-After

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    return dict(counts)


def export(base: str, query: str) -> str:
    """One CSV export: '200', '503 retry-after' (turned away as meant), or what else came."""
    url = base + "/search.csv?" + urllib.parse.urlencode({"q": query})
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            response.read()
            return str(response.status)
    except urllib.error.HTTPError as error:
        with error:
            retry = error.headers.get("Retry-After", "")
            return f"{error.code} retry-after" if retry.isdigit() else str(error.code)
    except OSError as error:
        return f"error {type(error).__name__}"


def load(base: str, script: Path, paths: Path, seconds: int, report: dict, name: str):
    """wrk in a thread (8 connections); its summary lands in ``report[name]``."""
    thread = threading.Thread(target=lambda: report.update(
        {name: run_wrk(base, script, paths, 8, seconds)}))
    thread.start()
    return thread


def checks(report: dict, tracebacks: int) -> dict[str, bool]:
    kill, storm = report["kill_and_load"], report["storm"]
    wrk_runs = [report["wrk_kill_and_load"], report["wrk_alone"], report["wrk_storm"]]
    return {
        "no failed search": all(r["non2xx"] == 0 and r["socket_errors"] == 0
                                for r in wrk_runs) and tracebacks == 0,
        "every finished build published": kill.get("failed", 0) == 0 and kill["published"] > 0,
        "no killed build outlived the next build": kill.get(
            "leftovers_after_finished_build", 0) == 0 and report["leftovers_end"] == 0,
        "same results": not report["results_differing"],
        "exports 200 or 503 with Retry-After": set(storm) <= {"200", "503 retry-after"},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--index", type=Path, required=True,
                        help="built anew from the corpus (anything there is replaced)")
    parser.add_argument("--queries", type=Path, action="append")
    parser.add_argument("--duration", type=int, default=120)
    parser.add_argument("--publish-every", type=int, default=4)
    parser.add_argument("--storm-seconds", type=int, default=60)
    parser.add_argument("--storm-clients", type=int, default=8)
    parser.add_argument("--compare", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    add_server_arguments(parser, "--workers")
    parser.add_argument("--code", type=Path, default=ROOT,
                        help="the code to run (a snapshot of this repository, e.g. from "
                             "git archive; default: this tree)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hardening-") as folder:
        work = Path(folder)
        corpus = work / "corpus"
        shutil.copytree(args.corpus, corpus)
        shutil.rmtree(args.index, ignore_errors=True)
        started = time.monotonic()
        if build("rebuild", corpus, args.index, work / "build.log", args.code).wait(3600):
            raise SystemExit(f"the first rebuild failed: {(work / 'build.log').read_text()}")
        build_seconds = time.monotonic() - started
        queries = [plain_words(q) for q in queries_for(args.index, args.queries, 5000)]
        compared = queries[:: max(1, len(queries) // args.compare)][: args.compare]
        report = {"machine": machine(), "code": str(args.code), "index": describe(args.index),
                  "rebuild_s": round(build_seconds, 1), "duration_s": args.duration,
                  "storm_seconds": args.storm_seconds, "storm_clients": args.storm_clients,
                  "workers": args.server_workers, "seed": args.seed}
        print(f"machine: {report['machine']}\nindex: {report['index']}, rebuild "
              f"{report['rebuild_s']} s", flush=True)
        script, paths = write_paths(queries, work)
        log = work / "server.log"
        with server(args.index, workers=args.server_workers, threads=args.threads,
                    log=log, code=args.code) as (base, _):
            warm_up(base, queries)
            before = answers(base, compared)
            wrk = load(base, script, paths, args.duration, report, "wrk_kill_and_load")
            report["kill_and_load"] = kill_and_publish(
                corpus, args.index, args.duration, build_seconds, args.publish_every,
                random.Random(args.seed), work / "build.log", args.code)
            wrk.join()
            if build("rebuild", corpus, args.index, work / "build.log", args.code).wait(3600):
                raise SystemExit("the closing rebuild failed")
            report["leftovers_end"] = leftovers(args.index)
            report["generations_end"], report["mb_end"] = on_disk(args.index)
            after = answers(base, compared)
            print(f"kill-and-load: {report['kill_and_load']}", flush=True)
            load(base, script, paths, args.storm_seconds, report, "wrk_alone").join()
            wrk = load(base, script, paths, args.storm_seconds, report, "wrk_storm")
            report["storm"] = export_storm(base, args.storm_clients, args.storm_seconds)
            wrk.join()
        tracebacks = log.read_text(errors="replace").count("Traceback")
    report["results_differing"] = [q for q in compared if before[q] != after[q]]
    report["server_tracebacks"] = tracebacks
    report["checks"] = checks(report, tracebacks)
    summarise(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    return 0 if all(report["checks"].values()) else 1


def summarise(report: dict) -> None:
    """The counts, one line per phase, then the checks."""
    for name in ("wrk_kill_and_load", "wrk_alone", "wrk_storm"):
        run = report[name]
        print(f"{name}: {run['requests']} searches, {run['rps']} req/s, p50 {run['p50_ms']} "
              f"ms, p99 {run['p99_ms']} ms, max {run['max_ms']} ms, non-2xx {run['non2xx']}, "
              f"socket errors {run['socket_errors']}")
    print(f"builds: {report['kill_and_load']}; unfinished folders at the end "
          f"{report['leftovers_end']}, build folders {report['generations_end']} "
          f"({report['mb_end']} MB)")
    print(f"exports: {report['storm']}; server tracebacks {report['server_tracebacks']}; "
          f"results differing {len(report['results_differing'])}")
    for name, ok in report["checks"].items():
        print(f"  {'pass' if ok else 'FAIL'}: {name}")


if __name__ == "__main__":
    sys.exit(main())
