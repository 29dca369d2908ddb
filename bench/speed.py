"""The speed targets as ratios measured side by side: engine against plain Whoosh.

    # always measure a snapshot, never the tree being edited
    mkdir -p /tmp/bench/code-X && git archive HEAD | tar -x -C /tmp/bench/code-X
    git rev-parse --short HEAD > /tmp/bench/code-X/COMMIT

    python bench/speed.py search --corpus C --index I [--index I2] --whoosh-index W \\
        --code /tmp/bench/code-X [--code /tmp/bench/code-Y] \\
        [--queries F.jsonl ...] [--limit 200] [--rounds 1] [--floor all|stemmed ...] [--json FILE]
    python bench/speed.py rebuild --corpus C --work DIR --code /tmp/bench/code-X \\
        [--code /tmp/bench/code-Y] [--runs 3] [--idle-wait 60] [--json FILE]
    python bench/speed.py memory --index I --code /tmp/bench/code-X \\
        --queries F.jsonl ... [--count 5000] [--workers 2] [--json FILE]
    python bench/speed.py queries --corpus C --out DIR [--per-lang 500]

``search`` (targets 1 and 3): each ``--code`` tree's engine and plain
Whoosh each run in a warm worker process of their own (index open; the
``--warmup`` queries, taken off the end of the list, run first and are not
measured).  Every query is then answered by every side, the order rotating
from one query to the next, so that a shared machine's load falls on all
alike.  An engine answers ``Engine(index).search(q)`` (top 10, snippets,
highlighting, why-this-matched, suggestions) twice in a row: the first call
is timed for target 1 (with the engine's own ``took_ms``), the second is
the repeated search of target 3, which a result cache would answer.  Plain
Whoosh is ``bench/plain_whoosh.py serve``: one index (title and body,
``StandardAnalyzer``), the query's analysed words OR-ed, top 10, no
snippets.  Each of ``--rounds`` starts new workers, so that a first call is
never answered from a cache.  Prints p50/p95/p99 of every side and the
ratios engine/Whoosh (and after/before with two trees).  A missing
``--index`` is built with the first tree's ``python -m indexer rebuild``, a
missing ``--whoosh-index`` with ``bench/plain_whoosh.py build``; without
``--whoosh-index``, engines only.  ``--floor all`` adds Whoosh alone on the
engine's own index (``floor_worker``): what the design costs before the
engine's own work, so that a ratio to plain Whoosh can be split into the
design's part and the engine's; ``--floor stemmed`` the same over the
stemmed twin only (what fewer twins could save at most).  Queries: JSON Lines with a ``query``
field, or one a line; a folder stands for its ``*.jsonl`` files.  They are
mixed in a fixed order (``bench/http_load.py``'s ``load_queries``); default
the 22 of ``bench/peers.py``.

``rebuild`` (target 2): ``python -m indexer rebuild --corpus C --index I``
of each tree (reading and validation included, default options) and
``python bench/plain_whoosh.py build C I`` (reads the same files itself),
each a fresh subprocess into an empty folder, in rotating order, ``--runs``
times: wall time and CPU time (with children) of each (``bench/peers.py``'s
``run_measured``), ratio per run and median ratio.

``memory`` (target 4): ``python -m webui --index I`` of the tree, then
``--count`` distinct queries over HTTP (127.0.0.1 only, ``--connections``
at a time, bounded by ``--max-seconds``); the RSS of every worker process
and its anonymous part (``RssAnon``: without the index files that Whoosh
maps, which count in the RSS as they are read) are sampled every
``--sample-every`` requests.  Prints both per worker after ``--warm``
queries and at the end, and their growth per 1,000 distinct queries.

``queries``: generated queries for any corpus: each file's title with 3 to
8 words (operator characters removed), ``--per-lang`` per language in the
order of the SHA-1 of the file name, as ``<out>/queries.<lang>.jsonl``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from http_load import get_json, load_queries, search_path, server  # noqa: E402
from manpages_corpus import query_text  # noqa: E402
from peers import QUERIES, code_version, machine, run_measured, wait_idle  # noqa: E402
from peers import query_text as peer_query  # noqa: E402
from plain_whoosh import build as whoosh_build, read_file  # noqa: E402

PLAIN = HERE / "plain_whoosh.py"


# ------------------------------------------------------------------ engine

def engine_worker(code: Path, index: Path) -> None:
    """Answer JSON queries from stdin with the engine of ``code``, each twice in a row."""
    sys.path.insert(0, str(code))
    import search
    from search.engine import Engine

    if not Path(search.__file__).resolve().is_relative_to(code.resolve()):
        raise SystemExit(f"search imported from {search.__file__}, not {code}")
    engine = Engine(index)
    for line in sys.stdin:
        query = json.loads(line)
        times, pages = [], []
        for _ in range(2):
            started = time.perf_counter()
            page = engine.search(query)
            times.append((time.perf_counter() - started) * 1000)
            pages.append(page.to_dict())
        took = pages[0].pop("took_ms")
        pages[1].pop("took_ms")
        digests = [hashlib.sha1(json.dumps(p, sort_keys=True, default=str).encode()
                                ).hexdigest() for p in pages]
        print(json.dumps({"ms": times[0], "repeat_ms": times[1], "took_ms": took,
                          "partial": pages[0]["partial"], "total": pages[0]["total"],
                          "digest": digests[0], "repeat_same": digests[0] == digests[1]}),
              flush=True)


def floor_worker(code: Path, index: Path, twins: str) -> None:
    """Answer JSON queries from stdin with Whoosh alone on the engine's own index.

    Each language's index, its parser over every twin field (``twins`` =
    ``all``) or the stemmed one only (``stemmed``; title weighing 2, as the
    engine's), the query's words OR-ed, Whoosh's own top 10 per language, no
    merging, no snippets: the least a search costs on Whoosh with the
    engine's design (an index per language, twin fields), and what it would
    cost with one twin.  ``code`` is on the path because the indexes'
    schemas name its analyzers.
    """
    sys.path.insert(0, str(code))
    from search.fields import STEMMED, twins_of
    from whoosh import index as windex
    from whoosh.qparser import MultifieldParser, OrGroup

    languages = []
    for folder in sorted(p for p in (index / "current").iterdir() if p.is_dir()):
        ix = windex.open_dir(str(folder))
        searched = [STEMMED] if twins == "stemmed" else twins_of(ix.schema)
        fields = [name for twin in searched for name in twin.fields()]
        boosts = {name: 2.0 for name in fields if name.startswith("title")}
        languages.append((ix.searcher(), MultifieldParser(fields, ix.schema, fieldboosts=boosts,
                                                          group=OrGroup)))
    for line in sys.stdin:
        text = json.loads(line)
        started = time.perf_counter()
        hits = sum(len([hit["key"] for hit in searcher.search(parser.parse(text), limit=10)])
                   for searcher, parser in languages)
        ms = (time.perf_counter() - started) * 1000
        print(json.dumps({"ms": ms, "hits": hits}), flush=True)


# ------------------------------------------------------------------ search

class Side:
    """One worker process answering queries: an engine tree, or plain Whoosh."""

    def __init__(self, name: str, cmd: list[str]) -> None:
        self.name = name
        self.process = subprocess.Popen([sys.executable, *cmd],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True)

    def ask(self, query: str) -> dict:
        self.process.stdin.write(json.dumps(query) + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        if not answer:
            raise SystemExit(f"{self.name} worker ended (status {self.process.wait()})")
        return json.loads(answer)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def percentiles(values: list[float]) -> dict:
    """p50/p95/p99: the medians and tails the targets are stated in."""
    if len(values) < 2:
        return {"n": len(values), "p50": values[0], "p95": values[0], "p99": values[0]}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"n": len(values), "p50": cuts[49], "p95": cuts[94], "p99": cuts[98]}


def ensure_indexes(corpus: Path | None, indexes: list[Path], whoosh: Path | None,
                   codes: list[Path]) -> None:
    """Build whichever index is missing (needs ``--corpus``), each with its own tree."""
    missing = [p for p in (*indexes, whoosh) if p and not p.exists()]
    if missing and not corpus:
        raise SystemExit(f"{', '.join(map(str, missing))} missing: give --corpus to build")
    for index, code in zip(indexes, codes):
        if not index.exists():
            print(f"building {index} with {code}", flush=True)
            run_measured([sys.executable, "-m", "indexer", "rebuild", "--corpus", str(corpus),
                          "--index", str(index)], code)
    if whoosh and not whoosh.exists():
        print(f"building {whoosh} (plain Whoosh)", flush=True)
        whoosh_build(corpus, whoosh)


def engine_names(codes: list[Path]) -> list[str]:
    """``engine <commit>``, or ``before <commit>`` and ``after <commit>`` for two trees."""
    labels = ["before", "after"] if len(codes) == 2 else ["engine"]
    return [f"{label} {code_version(code)}" for label, code in zip(labels, codes)]


FLOOR = "whoosh on the engine's index"
PLAIN_SIDE = "plain whoosh"


def floor_name(twins: str) -> str:
    return f"{FLOOR} ({twins} twins)"


def start_sides(codes: list[Path], indexes: list[Path], whoosh: Path | None,
                floors: list[str] = ()) -> list[Side]:
    """New worker processes, so that no first call is answered from a cache."""
    sides = [Side(name, [str(Path(__file__).resolve()), "_engine", str(code), str(index)])
             for name, code, index in zip(engine_names(codes), codes, indexes)]
    for twins in floors:
        sides.append(Side(floor_name(twins), [str(Path(__file__).resolve()), "_floor",
                                              str(codes[-1]), str(indexes[-1]), twins]))
    if whoosh:
        sides.append(Side(PLAIN_SIDE, [str(PLAIN), "serve", str(whoosh)]))
    return sides


def run_round(sides: list[Side], queries: list[str], warmup: list[str], rows: list) -> None:
    """Warm every side up, then every query on every side in rotating order."""
    for query in warmup:
        for side in sides:
            side.ask(query)
    for number, query in enumerate(queries):
        shift = number % len(sides)
        answers = {}
        for side in sides[shift:] + sides[:shift]:
            answers[side.name] = side.ask(query)
        rows.append({"query": query, "answers": answers})


def summarise_search(rows: list[dict], names: list[str]) -> dict:
    """Percentiles per side, ratios to plain Whoosh and between two trees, checks."""
    out: dict = {"sides": {}}
    for name in names:
        answers = [r["answers"][name] for r in rows]
        side = {"first": percentiles([a["ms"] for a in answers])}
        if "repeat_ms" in answers[0]:
            side["repeat"] = percentiles([a["repeat_ms"] for a in answers])
            side["took_ms"] = percentiles([a["took_ms"] for a in answers])
            side["partial"] = sum(a["partial"] for a in answers)
            side["repeat_differs"] = sum(not a["repeat_same"] for a in answers)
        out["sides"][name] = side
    engines = [n for n in names if "repeat" in out["sides"][n]]
    plain = PLAIN_SIDE if PLAIN_SIDE in names else None
    ratios = {}
    for side in (n for n in names if n.startswith(FLOOR)):
        floor = out["sides"][side]["first"]
        for name in engines:
            ratios[f"{name} / {side}"] = {q: out["sides"][name]["first"][q] / floor[q]
                                          for q in ("p50", "p95", "p99")}
        if plain:
            ratios[f"{side} / whoosh"] = {q: floor[q] / out["sides"][plain]["first"][q]
                                          for q in ("p50", "p95", "p99")}
    for name in engines:
        mine = out["sides"][name]
        if plain:
            theirs = out["sides"][plain]["first"]
            ratios[f"{name} / whoosh"] = {q: mine["first"][q] / theirs[q]
                                         for q in ("p50", "p95", "p99")}
            out[f"{name} / whoosh, median per query"] = statistics.median(
                r["answers"][name]["ms"] / r["answers"][plain]["ms"] for r in rows)
        ratios[f"{name} repeat / first"] = {q: mine["repeat"][q] / mine["first"][q]
                                           for q in ("p50", "p95", "p99")}
    if len(engines) == 2:
        before, after = (out["sides"][n]["first"] for n in engines)
        ratios["after / before"] = {q: after[q] / before[q] for q in ("p50", "p95", "p99")}
        out["results_differ"] = [r["query"] for r in rows if r["answers"][engines[0]]["digest"]
                                 != r["answers"][engines[1]]["digest"]]
    out["ratios"] = ratios
    return out


def query_files(paths: list[Path]) -> list[Path]:
    """The files given, a folder standing for its ``*.jsonl`` files in name order."""
    return [f for p in paths for f in (sorted(p.glob("*.jsonl")) if p.is_dir() else [p])]


def search_command(args) -> dict:
    """Every query on every side, ``--rounds`` times with new workers; the summary."""
    codes = args.code
    if len(args.index) not in (1, len(codes)):
        raise SystemExit("give one --index for all trees, or one per --code")
    indexes = args.index * len(codes) if len(args.index) == 1 else args.index
    ensure_indexes(args.corpus, indexes, args.whoosh_index, codes)
    if args.queries:
        queries = load_queries(query_files(args.queries),
                               args.limit + args.warmup if args.limit else None)
    else:
        queries = [peer_query("engine", kind, words) for kind, words in QUERIES]
    warmup, queries = queries[len(queries) - args.warmup:], queries[:len(queries) - args.warmup]
    rows: list[dict] = []
    started = time.monotonic()
    for round_ in range(args.rounds):
        sides = start_sides(codes, indexes, args.whoosh_index, args.floor)
        try:
            run_round(sides, queries, warmup, rows)
        finally:
            for side in sides:
                side.close()
        print(f"round {round_ + 1}: {len(queries)} queries, "
              f"{time.monotonic() - started:.0f} s", flush=True)
    names = list(rows[0]["answers"])
    result = summarise_search(rows, names)
    result.update(kind="search", queries=len(queries), warmup=len(warmup), rounds=args.rounds,
                  seconds=round(time.monotonic() - started), rows=rows)
    return result


def cell(stats: dict | None) -> str:
    """``p50 / p95 / p99`` for a table (``–`` where the side has no such figure)."""
    return f"{stats['p50']:.1f} / {stats['p95']:.1f} / {stats['p99']:.1f}" if stats else "–"


def search_table(result: dict) -> str:
    """The summary as Markdown, to paste into a report."""
    lines = [f"{result['queries']} queries x {result['rounds']} round(s), "
             f"{result['warmup']} warm-up queries; ms (p50 / p95 / p99):\n",
             "| side | first call | repeated call | engine's took_ms | partial |",
             "| --- | ---: | ---: | ---: | ---: |"]
    for name, side in result["sides"].items():
        lines.append(f"| {name} | {cell(side['first'])} | {cell(side.get('repeat'))} | "
                     f"{cell(side.get('took_ms'))} | {side.get('partial', '–')} |")
    lines += ["", "| ratio | p50 | p95 | p99 |", "| --- | ---: | ---: | ---: |"]
    for name, r in result["ratios"].items():
        lines.append(f"| {name} | {r['p50']:.2f} | {r['p95']:.2f} | {r['p99']:.2f} |")
    for key in (k for k in result if k.endswith("median per query")):
        lines.append(f"\n{key}: {result[key]:.2f}")
    if "results_differ" in result:
        lines.append(f"\nqueries whose pages differ between the trees: "
                     f"{len(result['results_differ'])}")
    return "\n".join(lines)


# ----------------------------------------------------------------- rebuild

def rebuild_command(args) -> dict:
    """Each tree's indexer and the plain script, in turns; wall times and ratios."""
    codes = args.code
    sides = [(name, code, f"engine-{i}")
             for i, (name, code) in enumerate(zip(engine_names(codes), codes))]
    sides.append(("plain whoosh", None, "whoosh"))
    runs: list[dict] = []
    for round_ in range(args.runs):
        shift = round_ % len(sides)
        run = {}
        for name, code, folder in sides[shift:] + sides[:shift]:
            target = args.work / folder
            if target.exists():
                shutil.rmtree(target)
            waited = wait_idle(args.idle_wait) if args.idle_wait else 0
            cmd = ([sys.executable, "-m", "indexer", "rebuild", "--corpus",
                    str(args.corpus), "--index", str(target)] if code else
                   [sys.executable, str(PLAIN), "build", str(args.corpus), str(target)])
            measured = run_measured(cmd, code or codes[0])
            measured.pop("out")
            run[name] = {**measured, "waited_s": round(waited, 1)}
            print(f"  run {round_ + 1} {name}: {measured['wall_s']:.2f} s wall, "
                  f"{measured['cpu_s']:.2f} s CPU, {measured['tree_rss_mb']:.0f} MB tree RSS, "
                  f"load {measured['load']:.1f}", flush=True)
        runs.append(run)
    names = [name for name, _, _ in sides]
    summary = {n: {"wall_s": statistics.median(r[n]["wall_s"] for r in runs),
                   "cpu_s": statistics.median(r[n]["cpu_s"] for r in runs),
                   "tree_rss_mb": statistics.median(r[n]["tree_rss_mb"] for r in runs),
                   "wall_s_all": [round(r[n]["wall_s"], 2) for r in runs]} for n in names}
    pairs = [(f"{name} / whoosh", name, "plain whoosh") for name in names[:-1]]
    if len(codes) == 2:
        pairs.append(("after / before", names[1], names[0]))
    ratios = {}
    for label, mine, theirs in pairs:
        for measure in ("wall_s", "cpu_s"):
            per_run = [r[mine][measure] / r[theirs][measure] for r in runs]
            ratios[f"{label}, {measure[:-2]}"] = {"per_run": [round(x, 3) for x in per_run],
                                                  "median": statistics.median(per_run)}
    return {"kind": "rebuild", "files": len(list(args.corpus.glob("*.*.md"))),
            "runs": runs, "sides": summary, "ratios": ratios}


def rebuild_table(result: dict) -> str:
    """The summary as Markdown, to paste into a report."""
    lines = [f"{result['files']:,} files, {len(result['runs'])} run(s) per side:\n",
             "| side | wall s (median) | each run | CPU s | peak tree RSS MB |",
             "| --- | ---: | --- | ---: | ---: |"]
    for name, s in result["sides"].items():
        lines.append(f"| {name} | {s['wall_s']:.2f} | "
                     f"{', '.join(f'{x:.2f}' for x in s['wall_s_all'])} | "
                     f"{s['cpu_s']:.2f} | {s['tree_rss_mb']:.0f} |")
    lines += ["", "| ratio (wall time; CPU time, a shared machine's load aside) | per run | "
              "median |", "| --- | --- | ---: |"]
    for name, r in result["ratios"].items():
        lines.append(f"| {name} | {', '.join(f'{x:.2f}' for x in r['per_run'])} | "
                     f"{r['median']:.2f} |")
    return "\n".join(lines)


# ------------------------------------------------------------------ memory

def worker_memory(pid: int) -> dict[str, list[float]]:
    """RSS and its anonymous part (RssAnon: not the index files Whoosh maps) in MB of
    each worker process of the server (the server itself when it has one worker)."""
    import psutil

    process = psutil.Process(pid)
    workers = process.children() or [process]
    found: dict[str, list[float]] = {"rss_mb": [], "anon_mb": []}
    for worker in workers:
        status = Path(f"/proc/{worker.pid}/status").read_text()
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        found["rss_mb"].append(round(int(fields["VmRSS"].split()[0]) / 1024, 1))
        found["anon_mb"].append(round(int(fields["RssAnon"].split()[0]) / 1024, 1))
    return found


def memory_command(args) -> dict:
    """Distinct queries over HTTP to a served index; RSS per worker sampled over time."""
    code = args.code[0]
    queries = list(dict.fromkeys(load_queries(query_files(args.queries))))[:args.count]
    samples, errors, started = [], 0, time.monotonic()
    with server(args.index, workers=args.workers, threads=args.threads,
                code=code) as (base, process):
        samples.append({"requests": 0, **worker_memory(process.pid)})
        with ThreadPoolExecutor(args.connections) as pool:
            for begin in range(0, len(queries), args.sample_every):
                if time.monotonic() - started > args.max_seconds:
                    break
                chunk = queries[begin:begin + args.sample_every]
                statuses = pool.map(lambda q: get_json(base, search_path(q))[0], chunk)
                errors += sum(status != 200 for status in statuses)
                samples.append({"requests": begin + len(chunk), "t": round(
                    time.monotonic() - started), **worker_memory(process.pid)})
                print(f"  {samples[-1]['requests']:6d} queries, {samples[-1]['t']:4d} s: "
                      f"RSS per worker {samples[-1]['rss_mb']} MB, anonymous "
                      f"{samples[-1]['anon_mb']} MB", flush=True)
    warm = next((s for s in samples if s["requests"] >= args.warm), samples[-1])
    end = samples[-1]
    result = {"kind": "memory", "code": code_version(code), "index": str(args.index),
              "workers": args.workers, "threads": args.threads, "non_200": errors,
              "distinct_queries": end["requests"], "warm_queries": warm["requests"],
              "samples": samples}
    for kind in ("rss_mb", "anon_mb"):
        growth = [b - a for a, b in zip(warm[kind], end[kind])]
        result[kind] = {"started": samples[0][kind], "warm": warm[kind], "end": end[kind],
                        "growth": growth, "growth_per_1000": [
                            g * 1000 / max(end["requests"] - warm["requests"], 1)
                            for g in growth]}
    return result


def memory_table(result: dict) -> str:
    """The summary as Markdown, to paste into a report."""
    lines = [f"{result['distinct_queries']} distinct queries, {result['workers']} worker(s) "
             f"x {result['threads']} thread(s), non-200: {result['non_200']}; MB per worker:\n",
             f"| memory | started | after {result['warm_queries']} queries | end | growth "
             "since | per 1,000 queries |", "| --- | --- | --- | --- | --- | --- |"]
    for kind, label in (("rss_mb", "RSS"), ("anon_mb", "anonymous (RssAnon)")):
        m = result[kind]
        lines.append(f"| {label} | {m['started']} | {m['warm']} | {m['end']} | "
                     f"{[round(g, 1) for g in m['growth']]} | "
                     f"{[round(g, 2) for g in m['growth_per_1000']]} |")
    return "\n".join(lines)


# ----------------------------------------------------------------- queries

def queries_command(args) -> dict:
    """Titles of 3 to 8 words as queries, per language, in a fixed pseudo-random order."""
    files = sorted(args.corpus.glob("*.*.md"),
                   key=lambda p: hashlib.sha1(p.name.encode()).hexdigest())
    by_lang: dict[str, list[str]] = {}
    for path in files:
        lang = path.name.rsplit(".", 2)[-2]
        if len(by_lang.setdefault(lang, [])) >= args.per_lang:
            continue
        key, title, _ = read_file(path)
        query = query_text(title)
        if 3 <= len(query.split()) <= 8:
            by_lang[lang].append(json.dumps({"lang": lang, "query": query, "key": key},
                                            ensure_ascii=False))
    args.out.mkdir(parents=True, exist_ok=True)
    for lang, lines in sorted(by_lang.items()):
        if lines:
            (args.out / f"queries.{lang}.jsonl").write_text("\n".join(lines) + "\n",
                                                           encoding="utf-8")
    counts = {lang: len(lines) for lang, lines in by_lang.items() if lines}
    print(f"queries written to {args.out}: {counts}")
    return {"kind": "queries", "counts": counts}


# -------------------------------------------------------------------- main

def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    search = commands.add_parser("search", help="targets 1 and 3: query latency")
    search.add_argument("--index", type=Path, required=True, action="append",
                        help="the engine's index; once per --code when the trees' index "
                             "formats differ")
    search.add_argument("--whoosh-index", type=Path,
                        help="plain Whoosh index (none: engines only)")
    search.add_argument("--corpus", type=Path, help="to build a missing index")
    search.add_argument("--queries", type=Path, action="append")
    search.add_argument("--limit", type=int, default=200, help="queries measured (0: all)")
    search.add_argument("--warmup", type=int, default=10)
    search.add_argument("--rounds", type=int, default=1)
    search.add_argument("--floor", action="append", choices=("all", "stemmed"), default=[],
                        help="add Whoosh alone on the (last) engine's index: every twin field "
                             "(all) or the stemmed one (stemmed), words OR-ed, top 10 per "
                             "language; may be given twice")
    rebuild = commands.add_parser("rebuild", help="target 2: rebuild wall time")
    rebuild.add_argument("--corpus", type=Path, required=True)
    rebuild.add_argument("--work", type=Path, required=True, help="folder for the indexes")
    rebuild.add_argument("--runs", type=int, default=3)
    rebuild.add_argument("--idle-wait", type=float, default=0, metavar="S",
                         help="before each run, wait up to S s for idle cores")
    memory = commands.add_parser("memory", help="target 4: server RSS over distinct queries")
    memory.add_argument("--index", type=Path, required=True)
    memory.add_argument("--queries", type=Path, action="append", required=True)
    memory.add_argument("--count", type=int, default=5000)
    memory.add_argument("--warm", type=int, default=500,
                        help="queries after which the RSS is the baseline of the growth")
    memory.add_argument("--sample-every", type=int, default=250)
    memory.add_argument("--connections", type=int, default=4)
    memory.add_argument("--workers", type=int, default=2)
    memory.add_argument("--threads", type=int, default=1)
    memory.add_argument("--max-seconds", type=float, default=1200)
    for sub in (search, rebuild, memory):
        sub.add_argument("--code", type=Path, action="append", required=True,
                         help="source tree snapshot of the engine (twice: before, after)")
        sub.add_argument("--json", type=Path)
    queries = commands.add_parser("queries", help="generated queries from titles")
    queries.add_argument("--corpus", type=Path, required=True)
    queries.add_argument("--out", type=Path, required=True)
    queries.add_argument("--per-lang", type=int, default=500)
    args = parser.parse_args(argv)
    if getattr(args, "code", None) and len(args.code) > 2:
        parser.error("at most two --code trees")
    for name, value in vars(args).items():  # absolute: commands run inside a --code tree
        if isinstance(value, Path):
            setattr(args, name, value.resolve())
        elif isinstance(value, list):
            setattr(args, name, [v.resolve() if isinstance(v, Path) else v for v in value])
    return args


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_engine"]:
        engine_worker(Path(argv[1]), Path(argv[2]))
        return 0
    if argv[:1] == ["_floor"]:
        floor_worker(Path(argv[1]), Path(argv[2]), argv[3])
        return 0
    args = parse_args(argv)
    command = {"search": search_command, "rebuild": rebuild_command,
               "memory": memory_command, "queries": queries_command}[args.command]
    result = command(args)
    if args.command == "queries":
        return 0
    result.update(command_line=" ".join(["python", "bench/speed.py", *argv]),
                  machine=machine(), codes={code_version(c): str(c) for c in args.code})
    table = {"search": search_table, "rebuild": rebuild_table,
             "memory": memory_table}[args.command](result)
    print(table)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
