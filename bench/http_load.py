"""HTTP load on the JSON API: requests/s and p50/p99 latency of ``/search.json`` with wrk.

    python bench/http_load.py --index index [--index /tmp/http-lo-index ...]
        [--queries /tmp/queries.en.jsonl ...] [--limit 5000] [--connections 1,8,32]
        [--duration 30] [--workers] [--json results.json]

For each index it starts ``python -m webui`` on a free loopback port (as
deployed: ``--server-workers`` processes, one per core, of ``--threads``
threads, 1), warms it up, then runs ``wrk`` for ``--duration`` seconds at each number of connections, every request a different real query
taken in turn from the query files (JSON Lines with a ``query`` field, or one
query a line; the seed index, too small for them, gets built-in queries). It records requests/s, latency percentiles, non-2xx responses
and socket errors (all must be zero) and the server's RSS before and after.
With ``--workers`` it also compares one and two worker processes at 8
connections (``python -m webui --workers 1`` / ``--workers 2``, ``--threads``
threads each), over the last index given.

Only 127.0.0.1 is ever contacted; every run is bounded by ``--duration`` and
every wait by a timeout. Needs ``wrk`` (``apt-get install wrk``) and psutil.
The target: 100 requests/s at 8 connections with a
p99 under 300 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
TARGET_RPS = 100
TARGET_P99_MS = 300
TARGET_CONNECTIONS = 8
SEED_QUERIES = ["Charlie Hebdo", "zabojstw", "μετα", "pandemics", '"ruling class"',
                "xenophob*", "Lukashneko~", "Trump -Bannon", "strikes protests",
                "racism OR xenophobia", "Hoceima", "general strike", "Belarus",
                "φονικό", "koronawirus", "lang:pl Charlie", "date:2015..2020 strike",
                "Morocco OR Rif", "title:pandemic", "zabójstwo"]
"""Queries that find something in the seed corpus (the default for the seed index)."""
SMALL_INDEX = 100
"""An index of at most this many files gets SEED_QUERIES: real queries would all miss."""

LUA = r"""
-- Each request is the next URL path of the list (one per line), each thread
-- starting at another place; non-2xx responses are counted; done() prints JSON.
local threads = {}
local count = 0
function setup(thread)
  count = count + 1
  thread:set("id", count)
  table.insert(threads, thread)
end
function init(args)
  paths = {}
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  i = ((id or 1) * 7919) % #paths
  non2xx = 0
end
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + (thread:get("non2xx") or 0) end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, "non2xx": %d, ' ..
    '"status_errors": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "timeouts": %d, "p50_us": %d, "p90_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, bad, e.status, e.connect,
    e.read, e.write, e.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean))
end
"""


def free_port() -> int:
    """A port free on 127.0.0.1 now (the server binds it a moment later)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def load_queries(paths: list[Path], limit: int | None = None) -> list[str]:
    """Queries from JSON Lines files (field ``query``) or plain files (one a line), shuffled."""
    queries = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line:
                continue
            query = json.loads(line)["query"] if line.startswith("{") else line
            if query.strip():
                queries.append(query)
    random.Random(0).shuffle(queries)  # languages mixed, the same order every run
    return queries[:limit] if limit else queries


def queries_for(index: Path, files: list[Path] | None, limit: int) -> list[str]:
    if not files or describe(index)["files"] <= SMALL_INDEX:
        return SEED_QUERIES
    return load_queries(files, limit)


def search_path(query: str) -> str:
    return "/search.json?" + urllib.parse.urlencode({"q": query})


def get_json(base: str, path: str, timeout: float = 30) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(base + path, timeout=timeout) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.load(error)


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (the worker processes), in MB."""
    process = psutil.Process(pid)
    total = process.memory_info().rss
    for child in process.children(recursive=True):
        try:
            total += child.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return round(total / 2**20, 1)


def wait_until_up(base: str, process: subprocess.Popen, timeout: float = 600) -> None:
    """Poll /openapi.json until the server answers (building an index can take a while)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(base + "/openapi.json", timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer within {timeout} s")


@contextmanager
def server(index: Path, workers: int = 1, threads: int = 1, log: Path | None = None,
           corpus: Path | None = None, code: Path = ROOT):
    """Run ``python -m webui`` of ``code`` (a snapshot, or this tree) on a free loopback
    port; yield (base URL, server process)."""
    port = free_port()
    env = {**os.environ, "SEARCH_INDEX_DIR": str(index)}
    command = [sys.executable, "-m", "webui", "--host", "127.0.0.1", "--port", str(port),
               "--index", str(index), "--threads", str(threads), "--workers", str(workers)]
    if corpus:
        command += ["--corpus", str(corpus)]
    handle = open(log, "a") if log else subprocess.DEVNULL
    process = subprocess.Popen(command, cwd=code, env=env, stdout=handle,
                               stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
        if log:
            handle.close()


def write_paths(queries: list[str], folder: Path) -> tuple[Path, Path]:
    """The Lua script and the file of URL paths it rotates through."""
    paths = folder / "paths.txt"
    paths.write_text("".join(search_path(q) + "\n" for q in queries), encoding="utf-8")
    script = folder / "rotate.lua"
    script.write_text(LUA)
    return script, paths


def run_wrk(base: str, script: Path, paths: Path, connections: int, duration: int,
            threads: int | None = None) -> dict:
    """One wrk run; its summary as a dict with req/s and latencies in ms."""
    threads = threads or min(connections, 2)
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s",
               "--timeout", "10s", "-s", str(script), base, "--", str(paths)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 120)
    line = next((l for l in done.stdout.splitlines() if l.startswith("WRKJSON ")), None)
    if done.returncode or line is None:
        raise SystemExit(f"wrk failed ({done.returncode}): {done.stdout}\n{done.stderr}")
    raw = json.loads(line.removeprefix("WRKJSON "))
    seconds = raw["duration_us"] / 1e6
    return {
        "connections": connections, "wrk_threads": threads, "seconds": round(seconds, 1),
        "requests": raw["requests"], "rps": round(raw["requests"] / seconds, 1),
        "p50_ms": raw["p50_us"] / 1000, "p90_ms": raw["p90_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000, "max_ms": raw["max_us"] / 1000,
        "mean_ms": round(raw["mean_us"] / 1000, 2), "non2xx": raw["non2xx"],
        "socket_errors": sum(raw[k] for k in ("connect_errors", "read_errors",
                                              "write_errors", "timeouts")),
        "timeouts": raw["timeouts"],
    }


def warm_up(base: str, queries: list[str], count: int = 50) -> None:
    """Open every searcher and fill caches: each query of the first ``count`` once."""
    for query in queries[:count]:
        status, body = get_json(base, search_path(query))
        if status != 200:
            raise SystemExit(f"warm-up: {query!r} answered {status}: {body}")


def describe(index: Path) -> dict:
    """Files, documents per language and size on disk of the served generation."""
    generation = (index / "current").resolve()
    manifest = json.loads((generation / "manifest.json").read_text())
    size = sum(p.stat().st_size for p in generation.rglob("*") if p.is_file())
    return {"path": str(index), "files": len(manifest["files"]),
            "languages": manifest["languages"], "mb_on_disk": round(size / 2**20, 1)}


def verdict(run: dict) -> str:
    """Whether a run at TARGET_CONNECTIONS meets the target, and by how much."""
    rps_ok, p99_ok = run["rps"] >= TARGET_RPS, run["p99_ms"] < TARGET_P99_MS
    return (f"{'met' if rps_ok and p99_ok else 'MISSED'}: {run['rps']:.0f} req/s "
            f"({run['rps'] / TARGET_RPS:.1f}x the {TARGET_RPS} target), p99 "
            f"{run['p99_ms']:.0f} ms ({'under' if p99_ok else 'over'} {TARGET_P99_MS} ms "
            f"by {abs(TARGET_P99_MS - run['p99_ms']):.0f} ms)")


def machine() -> dict:
    model = ""
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        model = next((l.split(":", 1)[1].strip() for l in out.splitlines()
                      if l.startswith("Model name")), "")
    except OSError:
        pass
    return {"cpu": model, "cores": os.cpu_count(),
            "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": sys.version.split()[0]}


def measure_index(index: Path, queries: list[str], connections: list[int], duration: int,
                  work: Path, log: Path, workers: int = 1, threads: int = 8) -> dict:
    script, paths = write_paths(queries, work)
    result = {"index": describe(index), "queries": len(queries), "runs": [],
              "server": f"python -m webui --workers {workers} --threads {threads}"}
    with server(index, workers=workers, threads=threads, log=log) as (base, process):
        result["rss_mb_started"] = rss_mb(process.pid)
        warm_up(base, queries)
        result["rss_mb_warm"] = rss_mb(process.pid)
        for count in connections:
            load = os.getloadavg()[0]
            run = run_wrk(base, script, paths, count, duration)
            run["loadavg_before"] = round(load, 2)
            run["rss_mb_after"] = rss_mb(process.pid)
            result["runs"].append(run)
            print(f"  {count:>3} connections: {run['rps']:8.1f} req/s, p50 {run['p50_ms']:7.1f}"
                  f" ms, p99 {run['p99_ms']:7.1f} ms, non-2xx {run['non2xx']}, socket "
                  f"errors {run['socket_errors']} ({run['timeouts']} timeouts), RSS {run['rss_mb_after']} MB "
                  f"(load {load:.1f})", flush=True)
        result["rss_mb_end"] = rss_mb(process.pid)
    at_target = next((r for r in result["runs"] if r["connections"] == TARGET_CONNECTIONS),
                     None)
    if at_target:
        result["target"] = verdict(at_target)
        print(f"  target at {TARGET_CONNECTIONS} connections: {result['target']}")
    return result


def measure_workers(index: Path, queries: list[str], duration: int, work: Path,
                    log: Path, threads: int = 1) -> list[dict]:
    """1 and 2 worker processes (``threads`` threads each) at 8 connections."""
    script, paths = write_paths(queries, work)
    rows = []
    for workers in (1, 2):
        with server(index, workers=workers, threads=threads, log=log) as (base, process):
            for _ in range(threads * workers):  # each worker thread opens its own searchers
                warm_up(base, queries)
            rss_before = rss_mb(process.pid)
            load = os.getloadavg()[0]
            run = run_wrk(base, script, paths, TARGET_CONNECTIONS, duration)
            run.update(server=f"python -m webui --workers {workers} --threads {threads}",
                       rss_mb_before=rss_before, rss_mb_after=rss_mb(process.pid),
                       loadavg_before=round(load, 2))
            rows.append(run)
            print(f"  --workers {workers}: {run['rps']:8.1f} req/s, p50 {run['p50_ms']:7.1f}"
                  f" ms, p99 {run['p99_ms']:7.1f} ms, non-2xx {run['non2xx']}, RSS "
                  f"{rss_before} -> {run['rss_mb_after']} MB (load {load:.1f})", flush=True)
    return rows


def add_server_arguments(parser: argparse.ArgumentParser, workers_flag: str) -> None:
    """The server's processes and threads, by default those of ``python -m webui``."""
    parser.add_argument(workers_flag, dest="server_workers", type=int,
                        default=os.cpu_count() or 1,
                        help="worker processes of the server (python -m webui --workers; "
                             "default: one per core, as the server)")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per worker process (default 1, as the server)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, action="append",
                        help="index to serve (repeat for several; default: index)")
    parser.add_argument("--queries", type=Path, action="append",
                        help="query files (repeat for several); an index of at most "
                             f"{SMALL_INDEX} files (the seed corpus) always gets the "
                             "built-in seed queries, as would every index without this")
    parser.add_argument("--limit", type=int, default=5000, help="queries used at most")
    parser.add_argument("--connections", default="1,8,32")
    parser.add_argument("--duration", type=int, default=30, help="seconds per run")
    parser.add_argument("--workers", action="store_true",
                        help="also compare 1 and 2 worker processes at 8 connections")
    add_server_arguments(parser, "--server-workers")
    parser.add_argument("--json", type=Path, help="write every figure here as JSON")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found: apt-get install -y wrk")
    indexes = args.index or [Path("index")]
    connections = [int(c) for c in args.connections.split(",")]
    report = {"machine": machine(), "duration_s": args.duration, "indexes": []}
    print(f"machine: {report['machine']}")
    with tempfile.TemporaryDirectory(prefix="http-load-") as folder:
        work, log = Path(folder), Path(folder) / "server.log"
        for index in indexes:
            queries = queries_for(index, args.queries, args.limit)
            print(f"{index}: {len(queries)} queries, {args.duration} s per run", flush=True)
            report["indexes"].append(
                measure_index(index, queries, connections, args.duration, work, log,
                              args.server_workers, args.threads))
        if args.workers:
            index = indexes[-1]
            queries = queries_for(index, args.queries, args.limit)
            print(f"{index}: 1 vs 2 worker processes at {TARGET_CONNECTIONS} connections")
            report["workers"] = {"index": str(index), "runs": measure_workers(
                index, queries, args.duration, work, log, args.threads)}
        errors = log.read_text(errors="replace") if log.exists() else ""
        report["server_log_tracebacks"] = errors.count("Traceback")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    bad = sum(r["non2xx"] + r["socket_errors"] for i in report["indexes"] for r in i["runs"])
    bad += sum(r["non2xx"] + r["socket_errors"] for r in report.get("workers", {}).get("runs", []))
    print(f"non-2xx responses and socket errors, all runs: {bad}; tracebacks in the server "
          f"log: {report['server_log_tracebacks']}")
    return 1 if bad or report["server_log_tracebacks"] else 0


if __name__ == "__main__":
    sys.exit(main())
