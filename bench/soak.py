"""Soak test of the served JSON API: minutes of load with a rebuild in the middle.

    python bench/soak.py --index /tmp/http-lo-index --corpus /tmp/lo-corpus
        --queries /tmp/queries.en.jsonl [...] [--duration 300] [--connections 16]
        [--rebuild-at 100] [--warmup 30] [--rss-bound 50] [--workers 2] [--threads 4]
        [--json soak.json]

Starts ``python -m webui`` (waitress; ``--workers`` processes of ``--threads``
threads) on a free loopback port over ``--index``, records the results of ``--compare`` queries, then runs wrk for
``--duration`` seconds at ``--connections`` connections, each request the
next of the real queries. At ``--rebuild-at`` seconds it runs ``python -m
indexer rebuild`` of ``--corpus`` into the same index (a new generation,
published while the server answers). The server's memory is sampled every 5
seconds. It passes when:

- wrk saw no non-2xx response and no socket error or timeout, and the server
  logged no traceback;
- the rebuild succeeded, and the compared queries give the same statements
  (same keys, same order, same totals) after it as before;
- the RSS at the end is at most ``--rss-bound`` MB above the RSS at the end of
  the warm-up (``--warmup`` seconds into the run).

Only 127.0.0.1 is contacted; the run and every wait are bounded.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_load import (ROOT, add_server_arguments, describe, get_json, machine,  # noqa: E402
                       queries_for, rss_mb, search_path, server, warm_up, write_paths)


def answers(base: str, queries: list[str]) -> dict[str, dict]:
    """For each query, the total and the keys of the first page, as the API gives them."""
    found = {}
    for query in queries:
        status, body = get_json(base, search_path(query), timeout=120)
        found[query] = ({"total": body["total"], "keys": [r["key"] for r in body["results"]]}
                        if status == 200 else {"status": status, "error": body.get("error")})
    return found


def server_processes(pid: int) -> list:
    """The server and its worker processes (``python -m webui --workers``)."""
    try:
        process = psutil.Process(pid)
        return [process, *process.children(recursive=True)]
    except psutil.Error:
        return []


def memory(pid: int) -> dict:
    """RSS and the unique (USS) and proportional (PSS) memory of the server's processes, in MB."""
    totals = {"rss": 0, "uss": 0, "pss": 0}
    for process in server_processes(pid):
        try:
            info = process.memory_full_info()
        except psutil.Error:
            continue
        for name in totals:
            totals[name] += getattr(info, name)
    return {name: round(value / 2**20, 1) for name, value in totals.items()}


def deleted_maps(pid: int) -> int:
    """Mapped files of the server that were deleted (an old generation still held)."""
    try:
        return sum(1 for process in server_processes(pid)
                   for m in process.memory_maps() if "(deleted)" in m.path)
    except psutil.Error:
        return -1


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of the server's processes."""
    total = 0.0
    for process in server_processes(pid):
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return round(total, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, default=Path("/tmp/http-lo-index"))
    parser.add_argument("--corpus", type=Path, default=Path("/tmp/lo-corpus"),
                        help="the corpus the index was built from (rebuilt mid-run)")
    parser.add_argument("--queries", type=Path, action="append")
    parser.add_argument("--limit", type=int, default=5000)
    parser.add_argument("--duration", type=int, default=300)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rebuild-at", type=int, default=None,
                        help="seconds into the run (default: a third of it)")
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--rss-bound", type=float, default=50.0,
                        help="MB the RSS may grow from the end of the warm-up to the end")
    parser.add_argument("--compare", type=int, default=40,
                        help="queries whose results are compared before and after")
    add_server_arguments(parser, "--workers")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    rebuild_at = args.duration // 3 if args.rebuild_at is None else args.rebuild_at
    queries = queries_for(args.index, args.queries, args.limit)
    compared = queries[:: max(1, len(queries) // args.compare)][: args.compare]
    report = {"machine": machine(), "index": describe(args.index), "corpus": str(args.corpus),
              "queries": len(queries), "duration_s": args.duration,
              "connections": args.connections, "rebuild_at_s": rebuild_at,
              "rss_bound_mb": args.rss_bound, "samples": []}
    print(f"machine: {report['machine']}\nindex: {report['index']}", flush=True)
    with tempfile.TemporaryDirectory(prefix="soak-") as folder:
        work = Path(folder)
        log, rebuild_log = work / "server.log", work / "rebuild.log"
        script, paths = write_paths(queries, work)
        with server(args.index, workers=args.server_workers, threads=args.threads,
                    log=log) as (base, process):
            pid = process.pid
            report["memory_started"] = memory(pid)
            warm_up(base, queries, count=50)
            before = answers(base, compared)
            generation_before = str((args.index / "current").resolve())
            print(f"compared {len(compared)} queries; memory after warm-up requests: "
                  f"{memory(pid)}", flush=True)
            wrk = subprocess.Popen(
                ["wrk", "-t", "2", "-c", str(args.connections), "-d", f"{args.duration}s",
                 "--timeout", "10s", "-s", str(script), base, "--", str(paths)],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            output: dict[str, str] = {}
            reader = threading.Thread(target=lambda: output.update(
                zip(("out", "err"), wrk.communicate(timeout=args.duration + 120))))
            reader.start()
            started = time.monotonic()
            rebuild, rebuild_started, rebuild_seconds = None, None, None
            while reader.is_alive() and time.monotonic() - started < args.duration + 130:
                elapsed = time.monotonic() - started
                if rebuild is None and elapsed >= rebuild_at:
                    rebuild_started = elapsed
                    with open(rebuild_log, "w") as handle:
                        rebuild = subprocess.Popen(
                            [sys.executable, "-m", "indexer", "rebuild", "--corpus",
                             str(args.corpus), "--index", str(args.index), "--no-langid"],
                            cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT)
                    print(f"  {elapsed:5.0f} s: rebuild started", flush=True)
                if rebuild is not None and rebuild_seconds is None and rebuild.poll() is not None:
                    rebuild_seconds = round(elapsed - rebuild_started, 1)
                    print(f"  {elapsed:5.0f} s: rebuild ended with status {rebuild.returncode}"
                          f" after {rebuild_seconds} s", flush=True)
                sample = {"t": round(elapsed), **memory(pid), "fds": process_fds(pid),
                          "cpu_s": cpu_seconds(pid),
                          "load": round(os.getloadavg()[0], 2)}
                report["samples"].append(sample)
                print(f"  {sample['t']:5d} s: RSS {sample['rss']} MB, USS {sample['uss']} MB, "
                      f"fds {sample['fds']}, server CPU {sample['cpu_s']} s, "
                      f"load {sample['load']}", flush=True)
                reader.join(timeout=5)
            reader.join(timeout=130)
            if rebuild is None:
                raise SystemExit("the run ended before the rebuild was due")
            rebuild.wait(timeout=1800)  # bounded: a rebuild past the run is waited for
            if rebuild_seconds is None:
                rebuild_seconds = round(time.monotonic() - started - rebuild_started, 1)
            after = answers(base, compared)
            report["memory_end"] = memory(pid)
            report["deleted_maps_end"] = deleted_maps(pid)
            report["rss_end_mb"] = rss_mb(pid)
        line = next((l for l in output.get("out", "").splitlines()
                     if l.startswith("WRKJSON ")), None)
        if line is None:
            raise SystemExit(f"wrk failed: {output}")
        raw = json.loads(line.removeprefix("WRKJSON "))
        tracebacks = log.read_text(errors="replace").count("Traceback")
        rebuild_tail = rebuild_log.read_text(errors="replace").splitlines()[-1:]
    seconds = raw["duration_us"] / 1e6
    socket_errors = sum(raw[k] for k in ("connect_errors", "read_errors", "write_errors",
                                         "timeouts"))
    warm = next((s for s in report["samples"] if s["t"] >= args.warmup), report["samples"][0])
    growth = round(report["memory_end"]["rss"] - warm["rss"], 1)
    differing = [q for q in compared if before[q] != after[q]]
    report.update({
        "requests": raw["requests"], "rps": round(raw["requests"] / seconds, 1),
        "p50_ms": raw["p50_us"] / 1000, "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000, "non2xx": raw["non2xx"], "timeouts": raw["timeouts"],
        "socket_errors": socket_errors, "server_tracebacks": tracebacks,
        "rebuild": {"status": rebuild.returncode, "seconds": rebuild_seconds,
                    "started_at_s": round(rebuild_started),
                    "published": str((args.index / "current").resolve()) != generation_before,
                    "summary": rebuild_tail},
        "rss_warm_mb": warm["rss"], "rss_max_mb": max(s["rss"] for s in report["samples"]),
        "rss_growth_mb": growth, "compared_queries": len(compared),
        "results_differing": {q: {"before": before[q], "after": after[q]} for q in differing},
    })
    checks = {
        "no errors": raw["non2xx"] == 0 and socket_errors == 0 and tracebacks == 0,
        "rebuild published": rebuild.returncode == 0 and report["rebuild"]["published"],
        "same results": not differing,
        f"RSS growth <= {args.rss_bound} MB": growth <= args.rss_bound,
    }
    report["checks"] = checks
    print(f"{raw['requests']} requests in {seconds:.0f} s ({report['rps']} req/s), p50 "
          f"{report['p50_ms']} ms, p99 {report['p99_ms']} ms, max {report['max_ms']} ms; "
          f"non-2xx {raw['non2xx']}, socket errors {socket_errors} ({raw['timeouts']} timeouts "
          f"at 10 s), tracebacks {tracebacks}")
    print(f"rebuild: status {rebuild.returncode}, {rebuild_seconds} s, published "
          f"{report['rebuild']['published']}; results differing: {len(differing)} of "
          f"{len(compared)}")
    print(f"RSS: {warm['rss']} MB after warm-up, {report['rss_max_mb']} MB max, "
          f"{report['memory_end']['rss']} MB at the end (growth {growth} MB); "
          f"deleted files still mapped: {report['deleted_maps_end']}")
    for name, ok in checks.items():
        print(f"  {'pass' if ok else 'FAIL'}: {name}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    return 0 if all(checks.values()) else 1


def process_fds(pid: int) -> int:
    """Open file descriptors of the server's processes."""
    try:
        return sum(process.num_fds() for process in server_processes(pid))
    except psutil.Error:
        return -1


if __name__ == "__main__":
    sys.exit(main())
