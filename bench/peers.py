"""This engine against peers on one corpus folder, side by side in one run.

    python bench/peers.py --corpus DIR --work DIR [--repeat 3] [--query-repeat 20]
                          [--update] [--systems a,b,...] [--json FILE]

Systems (``--systems``, default all):

* ``engine-p2``, ``engine-p1``: ``python -m indexer rebuild --no-langid
  --procs 2`` (or ``1``): one Whoosh index per language, three twin fields
  per text field (four in Greek), searched through ``search.Engine``.
* ``base-p2``, ``base-p1``: the same with the code of ``--baseline DIR``
  (an earlier snapshot), indexing only: before and after side by side.
* ``whoosh``: plain Whoosh 2.7.4, one index, ``title`` and ``body`` with
  the default ``StandardAnalyzer``, ``file``/``key`` stored, one process,
  ``limitmb=256`` (as the engine's writer).
* ``fts5``: SQLite FTS5, one table, ``tokenize='unicode61 remove_diacritics 2'``.
* ``tantivy``, ``tantivy-1t``: tantivy-py, one index, default tokenizer,
  default writer heap; the writer's own thread count (``tantivy``) or one
  thread (``tantivy-1t``).

What is measured:

1. Indexing (``--repeat`` runs, medians): every system runs in a fresh
   subprocess.  *wall* is the whole subprocess (interpreter start-up,
   imports, reading the corpus, indexing, commit).  *index* excludes the
   start-up and the reading: for the engine it is the time the indexer's
   summary line reports (writing every language, catalog and manifest,
   publishing), for a peer the time from the documents in memory to the
   index committed on disk.  The peers read the corpus with the indexer's
   own reader (``indexer.validate.load_corpus``, one process), so all index
   the same plain text (Markdown already rendered).  docs/s and MB/s are
   over *index* time; MB are the corpus files' bytes.  Peak memory: the
   kernel's peak RSS of the largest single process (``wait4``) and the
   peak sum over the process tree, sampled every 0.1 s (the engine's
   ``--procs 2`` runs worker processes).  Index size: bytes of every file
   under the index folder.
2. ``--update``: the engine's ``python -m indexer update`` after changing the
   body of one file, in a copy of the corpus, and a full rebuild right
   after it, ``--repeat`` times.
3. Query latency, warm: every index opened once in this process, each
   query run once to warm up, then ``--query-repeat`` rounds; in each round
   every query runs on every system (systems in rotating order) so that
   noise hits all of them alike.  All languages, top 10, with highlights:
   the engine's ``Engine.search(q, per_page=10)``; Whoosh: MultifieldParser
   over title and body + ``hit.highlights`` for title and body; FTS5:
   ``MATCH`` + ``ORDER BY bm25`` + ``highlight()``/``snippet()``; tantivy:
   ``parse_query`` (conjunction) + ``search(q, 10)`` + ``SnippetGenerator``
   for title and body.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = Path(os.environ.get("PEERS_CODE", ROOT))
"""Where ``search`` and ``indexer`` come from: this repository, or ``--code DIR``
(e.g. ``git archive HEAD search indexer | tar -x -C DIR``, so that commits landing
during a long run do not change the code measured)."""
if "--code" in sys.argv[:-1]:
    CODE = Path(sys.argv[sys.argv.index("--code") + 1]).resolve()
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(CODE))

SYSTEMS = ["engine-p2", "engine-p1", "whoosh", "fts5", "tantivy", "tantivy-1t"]
BASELINES = ["base-p2", "base-p1"]
PEERS = {"whoosh", "fts5", "tantivy", "tantivy-1t"}
TITLE_BOOST = 2.0

# (type, words): real words of the corpus in several languages; each system
# writes them in its own query language (see ``query_text``).
QUERIES: list[tuple[str, tuple[str, ...]]] = [
    ("one", ("library",)), ("one", ("Bibliothek",)), ("one", ("fichier",)),
    ("one", ("pakiet",)), ("one", ("δεδομένων",)), ("one", ("libreria",)),
    ("multi", ("python", "library")), ("multi", ("grafische", "Oberfläche")),
    ("multi", ("interfaccia", "grafica")), ("multi", ("Επιλέξτε", "γραμμή")),
    ("phrase", ("shared", "library")), ("phrase", ("ligne", "de", "commande")),
    ("phrase", ("bibliothèque", "partagée")), ("phrase", ("grafisk", "brugerflade")),
    ("prefix", ("pyth",)), ("prefix", ("bibliot",)), ("prefix", ("konfigur",)),
    ("prefix", ("δεδομ",)),
    ("fuzzy", ("libary",)), ("fuzzy", ("Bibliotehk",)), ("fuzzy", ("fichir",)),
    ("fuzzy", ("pakeit",)),
]
TYPES = ["one", "multi", "phrase", "prefix", "fuzzy"]


# ------------------------------------------------------------------ helpers

def percentile(values: list[float], q: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()
               and not p.is_symlink())


def code_version(code: Path = CODE) -> str:
    """The commit of the code measured (``COMMIT`` file of a snapshot, or git)."""
    stamp = code / "COMMIT"
    if stamp.exists():
        return stamp.read_text().strip()
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=code, text=True,
                              capture_output=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "search", "indexer"],
                               cwd=code, text=True, capture_output=True).stdout.strip()
        return head + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def corpus_stats(corpus: Path) -> dict:
    files = [p for p in corpus.iterdir() if p.suffix == ".md"]
    langs: dict[str, int] = {}
    for p in files:
        lang = p.name.rsplit(".", 2)[-2]
        langs[lang] = langs.get(lang, 0) + 1
    return {"path": str(corpus), "files": len(files),
            "bytes": sum(p.stat().st_size for p in files),
            "languages": dict(sorted(langs.items(), key=lambda kv: -kv[1]))}


def machine() -> dict:
    model = ""
    try:
        model = next(line.split(":", 1)[1].strip()
                     for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    versions = {"python": platform.python_version(), "sqlite": sqlite3.sqlite_version}
    for name, module in (("whoosh", "whoosh"), ("tantivy", "tantivy"),
                         ("pystemmer", "Stemmer")):
        try:
            from importlib.metadata import version
            versions[name] = version({"whoosh": "Whoosh", "tantivy": "tantivy",
                                      "Stemmer": "PyStemmer"}[module])
        except Exception:  # noqa: BLE001 - a missing package is just not listed
            pass
    return {"cpu": model, "cores": os.cpu_count(), "memory_gib": round(memory / 2**30, 1),
            "system": f"{platform.system()} {platform.release()}", "versions": versions}


class TreeRss:
    """Sample the summed RSS of a process and all its descendants."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.pid, self.interval, self.peak = pid, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._page = os.sysconf("SC_PAGE_SIZE")

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, self._sample())

    def _sample(self) -> int:
        parents: dict[int, int] = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    with open(f"/proc/{entry.name}/stat") as handle:
                        stat = handle.read()
                    parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
                except (OSError, ValueError, IndexError):
                    pass
        tree, todo = set(), [self.pid]
        while todo:
            pid = todo.pop()
            tree.add(pid)
            todo.extend(child for child, parent in parents.items() if parent == pid)
        total = 0
        for pid in tree:
            try:
                with open(f"/proc/{pid}/statm") as handle:
                    total += int(handle.read().split()[1]) * self._page
            except (OSError, ValueError, IndexError):
                pass
        return total


def run_measured(cmd: list[str], code: Path = CODE) -> dict:
    """Run ``cmd`` with the packages of ``code``; return its output, wall and CPU time,
    peak memory and the machine's load average when it started."""
    load = os.getloadavg()[0]
    started = time.perf_counter()
    env = {**os.environ, "PEERS_CODE": str(code), "PYTHONPATH": os.pathsep.join(
        [str(code), str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep)
                                  if p])}
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               cwd=code, text=True, env=env)
    with TreeRss(process.pid) as tree:
        # Read the pipes in threads: a full pipe would block the child.
        output: dict[str, str] = {}
        readers = [threading.Thread(target=lambda n, s: output.__setitem__(n, s.read()),
                                    args=(name, stream))
                   for name, stream in (("out", process.stdout), ("err", process.stderr))]
        for reader in readers:
            reader.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        for reader in readers:
            reader.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed ({process.returncode}):\n"
                           f"{output.get('err', '')[-3000:]}")
    return {"wall_s": wall, "out": output.get("out", ""), "load": load,
            "cpu_s": usage.ru_utime + usage.ru_stime,  # with its waited-for children
            "max_rss_mb": usage.ru_maxrss / 1024,  # KiB on Linux
            "tree_rss_mb": tree.peak / 2**20}


def idle_cores(seconds: float = 1.0) -> float:
    """How many cores were idle over the next ``seconds`` (from /proc/stat)."""
    def sample():
        fields = [int(x) for x in open("/proc/stat").readline().split()[1:]]
        return fields[3] + fields[4], sum(fields)  # idle + iowait, all
    idle0, total0 = sample()
    time.sleep(seconds)
    idle1, total1 = sample()
    return (os.cpu_count() or 1) * (idle1 - idle0) / max(total1 - total0, 1)


def wait_idle(limit: float) -> float:
    """Wait up to ``limit`` seconds for three seconds in a row with all cores
    but a tenth idle (other jobs on a shared machine); return the seconds waited."""
    started, quiet = time.perf_counter(), 0
    need = (os.cpu_count() or 1) - 0.1
    while quiet < 3 and time.perf_counter() - started < limit:
        quiet = quiet + 1 if idle_cores() >= need else 0
    return time.perf_counter() - started


# ------------------------------------------------------------ peer indexing

def index_peer(system: str, corpus: Path, index: Path) -> dict:
    """Run in the child: read with the indexer's reader, then index one peer."""
    from indexer.validate import load_corpus

    started = time.perf_counter()
    documents = load_corpus(corpus, procs=1)
    read = time.perf_counter() - started
    started = time.perf_counter()
    index.mkdir(parents=True)
    if system == "whoosh":
        from whoosh.fields import ID, TEXT, Schema
        from whoosh.index import create_in
        schema = Schema(file=ID(stored=True, unique=True), key=ID(stored=True),
                        title=TEXT(stored=True), body=TEXT(stored=True))
        writer = create_in(str(index), schema).writer(limitmb=256)
        for doc in documents:
            writer.add_document(file=doc.file, key=doc.key, title=doc.title, body=doc.text)
        writer.commit()
    elif system == "fts5":
        connection = sqlite3.connect(index / "fts5.db")
        connection.execute("CREATE VIRTUAL TABLE docs USING fts5(file UNINDEXED, "
                           "key UNINDEXED, title, body, "
                           "tokenize = 'unicode61 remove_diacritics 2')")
        with connection:
            connection.executemany("INSERT INTO docs VALUES (?, ?, ?, ?)",
                                   ((d.file, d.key, d.title, d.text) for d in documents))
        connection.close()
    elif system in ("tantivy", "tantivy-1t"):
        import tantivy
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("file", stored=True, tokenizer_name="raw")
        builder.add_text_field("key", stored=True, tokenizer_name="raw")
        builder.add_text_field("title", stored=True)
        builder.add_text_field("body", stored=True)
        ix = tantivy.Index(builder.build(), path=str(index))
        writer = ix.writer(num_threads=1 if system == "tantivy-1t" else 0)
        for doc in documents:
            writer.add_document(tantivy.Document(file=doc.file, key=doc.key,
                                                 title=doc.title, body=doc.text))
        writer.commit()
        writer.wait_merging_threads()
    else:
        raise SystemExit(f"unknown peer {system}")
    return {"read_s": read, "index_s": time.perf_counter() - started,
            "docs": len(documents)}


def index_once(system: str, corpus: Path, index: Path, baseline: Path | None) -> dict:
    """One full build of ``system`` in a subprocess, measured."""
    if index.exists():
        shutil.rmtree(index)
    if system.startswith(("engine", "base")):
        procs = system[-1]
        code = baseline if system.startswith("base") else CODE
        run = run_measured([sys.executable, "-m", "indexer", "rebuild", "--corpus",
                            str(corpus), "--index", str(index), "--no-langid",
                            "--procs", procs], code)
        found = re.search(r"rebuild: (\d+) files.*; ([\d.]+) s -> ", run["out"])
        if not found:
            raise RuntimeError(f"no summary line in {run['out']!r}")
        run.update(docs=int(found[1]), index_s=float(found[2]))
    else:
        run = run_measured([sys.executable, str(Path(__file__).resolve()), "_index", system,
                            str(corpus), str(index)])
        run.update(json.loads(run["out"].strip().splitlines()[-1]))
    run.pop("out")
    run["index_bytes"] = folder_bytes(index)
    return run


def measure_indexing(corpus: Path, work: Path, systems: list[str], repeat: int,
                     corpus_bytes: int, baseline: Path | None = None,
                     idle_wait: float = 0) -> dict:
    runs: dict[str, list[dict]] = {s: [] for s in systems}
    for round_ in range(repeat):
        order = systems[round_ % len(systems):] + systems[:round_ % len(systems)]
        for system in order:
            waited = wait_idle(idle_wait) if idle_wait else 0
            run = index_once(system, corpus, work / f"ix-{system}", baseline)
            run["waited_s"] = waited
            runs[system].append(run)
            print(f"  index {system:11} round {round_ + 1}: index {run['index_s']:.2f} s, "
                  f"wall {run['wall_s']:.2f} s, CPU {run['cpu_s']:.2f} s, "
                  f"load {run['load']:.1f} (waited {waited:.0f} s for idle cores), "
                  f"max RSS {run['max_rss_mb']:.0f} MB, "
                  f"tree {run['tree_rss_mb']:.0f} MB, {run['index_bytes'] / 1e6:.1f} MB",
                  flush=True)
    summary = {}
    for system, items in runs.items():
        med = {k: statistics.median(r[k] for r in items)
               for k in ("index_s", "wall_s", "cpu_s", "max_rss_mb", "tree_rss_mb",
                         "index_bytes")}
        docs = items[0]["docs"]
        med.update(docs=docs, runs=len(items), docs_per_s=docs / med["index_s"],
                   mb_per_s=corpus_bytes / 1e6 / med["index_s"],
                   wall_docs_per_s=docs / med["wall_s"],
                   index_s_all=[round(r["index_s"], 3) for r in items],
                   wall_s_all=[round(r["wall_s"], 3) for r in items],
                   load_all=[round(r["load"], 1) for r in items])
        if "read_s" in items[0]:
            med["read_s"] = statistics.median(r["read_s"] for r in items)
        summary[system] = med
    return summary


# ------------------------------------------------------------------- update

def measure_update(corpus: Path, work: Path, repeat: int) -> dict:
    """``indexer update`` after one changed file vs a full rebuild, side by side."""
    copy, index = work / "update-corpus", work / "update-index"
    for path in (copy, index):
        if path.exists():
            shutil.rmtree(path)
    shutil.copytree(corpus, copy)
    target = sorted(p for p in copy.iterdir() if p.name.endswith(".en.md"))[0]
    base = [sys.executable, "-m", "indexer"]
    tail = ["--corpus", str(copy), "--index", str(index), "--no-langid", "--procs", "2"]
    run_measured(base + ["rebuild"] + tail)
    rows = []
    for round_ in range(repeat):
        text = target.read_text(encoding="utf-8")
        target.unlink()  # the copy may be a hard link: never write through it
        target.write_text(text.rstrip("\n") + f" Changed for the update benchmark "
                          f"({round_ + 1}).\n", encoding="utf-8")
        upd = run_measured(base + ["update"] + tail)
        found = re.search(r"; ([\d.]+) s; (\d+) added, (\d+) changed, (\d+) removed",
                          upd["out"])
        if not found or found[3] != "1":
            raise RuntimeError(f"unexpected update summary {upd['out']!r}")
        full = run_measured(base + ["rebuild"] + tail)
        full_s = float(re.search(r"; ([\d.]+) s -> ", full["out"])[1])
        rows.append({"update_s": float(found[1]), "update_wall_s": upd["wall_s"],
                     "rebuild_s": full_s, "rebuild_wall_s": full["wall_s"]})
        print(f"  update round {round_ + 1}: update {rows[-1]['update_s']:.2f} s "
              f"(wall {upd['wall_s']:.2f} s), rebuild {full_s:.2f} s "
              f"(wall {full['wall_s']:.2f} s)", flush=True)
    shutil.rmtree(copy)
    shutil.rmtree(index)
    out = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
    out["runs"] = len(rows)
    out["file"] = target.name
    return out


# ------------------------------------------------------------------ queries

def query_text(system: str, kind: str, words: tuple[str, ...]):
    """The query in ``system``'s own language (None: the system has no equivalent)."""
    if system.startswith("engine") or system == "whoosh":
        if kind == "phrase":
            return '"' + " ".join(words) + '"'
        if kind == "prefix":
            return words[0] + "*"
        if kind == "fuzzy":  # distance 1, first letter kept (the engine's default)
            return words[0] + ("~" if system.startswith("engine") else "~1/1")
        return " ".join(words)
    if system == "fts5":
        if kind == "phrase":
            return '"' + " ".join(words) + '"'
        if kind == "prefix":
            return f'"{words[0]}"*'
        if kind == "fuzzy":
            return None  # FTS5 has no fuzzy matching
        return " ".join(f'"{w}"' for w in words)
    if kind == "phrase":
        return '"' + " ".join(words) + '"'
    return " ".join(words)


class EngineSystem:
    def __init__(self, index: Path) -> None:
        from search.engine import Engine
        self.engine = Engine(index)
        self.partial = 0  # searches the engine's time limit cut short

    def search(self, text):
        page = self.engine.search(text, per_page=10)
        self.partial += bool(getattr(page, "partial", False))
        return page.total, [(r.key, r.title_html, r.snippet) for r in page.results]


class WhooshSystem:
    def __init__(self, index: Path) -> None:
        from whoosh import highlight, index as windex, qparser
        self.ix = windex.open_dir(str(index))
        self.searcher = self.ix.searcher()
        self.parser = qparser.MultifieldParser(["title", "body"], self.ix.schema,
                                               fieldboosts={"title": TITLE_BOOST})
        self.parser.add_plugin(qparser.FuzzyTermPlugin())
        self.fragmenter = highlight.ContextFragmenter(maxchars=300, surround=80)
        self.formatter = highlight.HtmlFormatter(tagname="mark", between=" … ")

    def search(self, text):
        results = self.searcher.search(self.parser.parse(text), limit=10)
        results.fragmenter, results.formatter = self.fragmenter, self.formatter
        shown = [(hit["key"], hit.highlights("title"), hit.highlights("body", top=2))
                 for hit in results]
        return results.scored_length(), shown


class Fts5System:
    SQL = ("SELECT key, highlight(docs, 2, '<mark>', '</mark>'), "
           "snippet(docs, 3, '<mark>', '</mark>', ' … ', 32) FROM docs "
           f"WHERE docs MATCH ? ORDER BY bm25(docs, 0, 0, {TITLE_BOOST}, 1.0) LIMIT 10")

    def __init__(self, index: Path) -> None:
        self.connection = sqlite3.connect(f"file:{index / 'fts5.db'}?mode=ro", uri=True,
                                          check_same_thread=False)

    def search(self, text):
        rows = self.connection.execute(self.SQL, (text,)).fetchall()
        return len(rows), rows


class TantivySystem:
    def __init__(self, index: Path) -> None:
        import tantivy
        self.tantivy = tantivy
        self.ix = tantivy.Index.open(str(index))
        self.ix.reload()
        self.schema = self.ix.schema
        self.searcher = self.ix.searcher()

    def query(self, kind, words):
        t = self.tantivy
        if kind == "prefix":  # a regex on the term dictionary of each field
            return t.Query.boolean_query([
                (t.Occur.Should, t.Query.boost_query(
                    t.Query.regex_query(self.schema, field, re.escape(words[0].lower()) + ".*"),
                    TITLE_BOOST if field == "title" else 1.0))
                for field in ("title", "body")])
        fuzzy = ({f: (False, 1, True) for f in ("title", "body")} if kind == "fuzzy"
                 else None)
        text = query_text("tantivy", kind, tuple(w.lower() for w in words)
                          if kind == "fuzzy" else words)
        return self.ix.parse_query(text, ["title", "body"],
                                   field_boosts={"title": TITLE_BOOST},
                                   fuzzy_fields=fuzzy, conjunction_by_default=True)

    def search(self, spec):
        kind, words = spec
        query = self.query(kind, words)
        result = self.searcher.search(query, 10)
        titles = self.tantivy.SnippetGenerator.create(self.searcher, query, self.schema,
                                                      "title")
        bodies = self.tantivy.SnippetGenerator.create(self.searcher, query, self.schema,
                                                      "body")
        bodies.set_max_num_chars(240)
        shown = []
        for _, address in result.hits:
            doc = self.searcher.doc(address)
            shown.append((doc["key"][0], titles.snippet_from_doc(doc).to_html(),
                          bodies.snippet_from_doc(doc).to_html()))
        return result.count, shown


def open_system(system: str, work: Path):
    index = work / f"ix-{system}"
    if system.startswith("engine"):
        return EngineSystem(index)
    return {"whoosh": WhooshSystem, "fts5": Fts5System, "tantivy": TantivySystem,
            "tantivy-1t": TantivySystem}[system](index)


def measure_queries(work: Path, systems: list[str], repeat: int) -> dict:
    opened = {s: open_system(s, work) for s in systems}
    plans = []  # (query index, system, argument)
    hits: dict[str, dict[str, int | None]] = {s: {} for s in systems}
    for number, (kind, words) in enumerate(QUERIES):
        for system in systems:
            text = query_text(system, kind, words)
            if text is None:
                hits[system][str(number)] = None
                continue
            arg = (kind, words) if system.startswith("tantivy") else text
            _, shown = opened[system].search(arg)  # warm-up run
            hits[system][str(number)] = len(shown)  # results on the page (0-10)
            plans.append((number, system, arg))
    timings: dict[str, dict[int, list[float]]] = {s: {} for s in systems}
    for round_ in range(repeat):
        for number in range(len(QUERIES)):
            todo = [p for p in plans if p[0] == number]
            shift = round_ % max(len(todo), 1)
            for _, system, arg in todo[shift:] + todo[:shift]:
                started = time.perf_counter()
                opened[system].search(arg)
                elapsed = (time.perf_counter() - started) * 1000
                timings[system].setdefault(number, []).append(elapsed)
    out = {}
    for system in systems:
        per_type = {}
        for kind in TYPES + ["all"]:
            values = [v for n, vals in timings[system].items()
                      if kind == "all" or QUERIES[n][0] == kind for v in vals]
            if values:
                per_type[kind] = {"n": len(values), "p50": percentile(values, 50),
                                  "p95": percentile(values, 95),
                                  "p99": percentile(values, 99),
                                  "mean": statistics.fmean(values)}
        per_type["per_query_p50"] = {str(n): statistics.median(v)
                                     for n, v in timings[system].items()}
        per_type["hits"] = hits[system]
        if hasattr(opened[system], "partial"):
            per_type["partial"] = opened[system].partial
        out[system] = per_type
    return out


# ------------------------------------------------------------------- output

def markdown_tables(result: dict) -> str:
    lines = []
    corpus = result["corpus"]
    lines.append(f"Corpus: {corpus['files']:,} files, {corpus['bytes'] / 1e6:.1f} MB, "
                 f"{len(corpus['languages'])} languages.\n")
    if result.get("indexing"):
        any_run = next(iter(result["indexing"].values()))
        lines.append(f"Indexing, median of {any_run['runs']} run(s):\n")
        lines.append("| system | index s | docs/s | MB/s | wall s | CPU s | peak RSS MB "
                     "(largest process / tree) | index MB |")
        lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for system, r in result["indexing"].items():
            lines.append(f"| {system} | {r['index_s']:.2f} | {r['docs_per_s']:,.0f} | "
                         f"{r['mb_per_s']:.2f} | {r['wall_s']:.2f} | "
                         f"{r.get('cpu_s', float('nan')):.2f} | "
                         f"{r['max_rss_mb']:.0f} / {r['tree_rss_mb']:.0f} | "
                         f"{r['index_bytes'] / 1e6:.1f} |")
        lines.append("")
    if result.get("update"):
        u = result["update"]
        lines.append(f"Update of 1 changed file, median of {u['runs']} run(s):\n")
        lines.append("| command | indexer s | wall s |")
        lines.append("| --- | ---: | ---: |")
        lines.append(f"| `indexer update` | {u['update_s']:.2f} | {u['update_wall_s']:.2f} |")
        lines.append(f"| `indexer rebuild` | {u['rebuild_s']:.2f} | "
                     f"{u['rebuild_wall_s']:.2f} |")
        lines.append(f"| ratio rebuild/update | {u['rebuild_s'] / u['update_s']:.1f}x | "
                     f"{u['rebuild_wall_s'] / u['update_wall_s']:.1f}x |")
        lines.append("")
    if result.get("latency"):
        lines.append(f"Query latency in ms, warm, top 10 with highlights, "
                     f"{result['query_repeat']} rounds (p50 / p95 / p99):\n")
        systems = list(result["latency"])
        lines.append("| type | " + " | ".join(systems) + " |")
        lines.append("| --- |" + " ---: |" * len(systems))
        for kind in TYPES + ["all"]:
            cells = []
            for system in systems:
                s = result["latency"][system].get(kind)
                cells.append(f"{s['p50']:.2f} / {s['p95']:.2f} / {s['p99']:.2f}"
                             if s else "n/a")
            lines.append(f"| {kind} | " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_index"]:
        _, system, corpus, index = argv
        print(json.dumps(index_peer(system, Path(corpus), Path(index))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--work", type=Path, required=True,
                        help="folder for the indexes (replaced)")
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--repeat", type=int, default=3, help="indexing runs")
    parser.add_argument("--query-repeat", type=int, default=20)
    parser.add_argument("--update", action="store_true",
                        help="also measure indexer update of one changed file")
    parser.add_argument("--no-index", action="store_true",
                        help="reuse the indexes in --work; measure queries only")
    parser.add_argument("--code", type=Path,
                        help="folder holding the search and indexer packages to measure "
                             "(default: this repository)")
    parser.add_argument("--baseline", type=Path,
                        help="folder holding earlier search and indexer packages, indexed "
                             "as systems base-p2 and base-p1 (indexing only)")
    parser.add_argument("--idle-wait", type=float, default=0, metavar="S",
                        help="before each indexing run, wait up to S seconds for every "
                             "core to be idle (a shared machine)")
    parser.add_argument("--query-systems",
                        help="systems whose query latency is measured (default: --systems)")
    parser.add_argument("--json", type=Path, help="write the results here (with "
                        "--no-index, the indexing and update results already in it are kept)")
    args = parser.parse_args(argv)
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    if args.baseline:
        args.baseline = args.baseline.resolve()
    unknown = set(systems) - set(SYSTEMS) - set(BASELINES if args.baseline else ())
    if unknown:
        parser.error(f"unknown systems {', '.join(sorted(unknown))}")
    args.work.mkdir(parents=True, exist_ok=True)
    result = {"command": " ".join([Path(sys.executable).name, "bench/peers.py", *argv]),
              "machine": machine(), "code": code_version(),
              "baseline": code_version(args.baseline) if args.baseline else None,
              "corpus": corpus_stats(args.corpus),
              "query_repeat": args.query_repeat,
              "queries": [{"type": k, "words": list(w)} for k, w in QUERIES]}
    print(f"corpus {args.corpus}: {result['corpus']['files']} files", flush=True)
    if not args.no_index:
        result["indexing"] = measure_indexing(args.corpus, args.work, systems, args.repeat,
                                              result["corpus"]["bytes"], args.baseline,
                                              args.idle_wait)
    if args.update:
        result["update"] = measure_update(args.corpus, args.work, args.repeat)
    if args.no_index and args.json and args.json.exists():
        earlier = json.loads(args.json.read_text())
        for name in ("indexing", "update"):
            if name in earlier:
                result[name] = earlier[name]
        result["indexing_command"] = earlier.get("indexing_command", earlier["command"])
        result["indexing_code"] = earlier.get("indexing_code", earlier.get("code"))
    else:
        result["indexing_command"], result["indexing_code"] = result["command"], result["code"]
    queried = ([s.strip() for s in args.query_systems.split(",") if s.strip()]
               if args.query_systems else [s for s in systems if s not in BASELINES])
    result["latency"] = measure_queries(args.work, queried, args.query_repeat)
    result["query_process_max_rss_mb"] = resource.getrusage(
        resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    print(markdown_tables(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
