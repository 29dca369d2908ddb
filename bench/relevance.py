"""Relevance benchmark: known-item queries, MRR@10 and Recall@10 per query language.

Compares, side by side in one run on one corpus:

* this engine, with each merging method of ``search.merge``;
* plain Whoosh: one index, StandardAnalyzer (no stemming, no folding);
* SQLite FTS5 with ``unicode61 remove_diacritics 2``.

A query's target is a statement (a translation group): a system scores at
the rank of the first result that is a version of it.  Usage:

    python bench/relevance.py --corpus DIR --queries FILE [FILE...] [--index DIR]

Each queries file holds JSON lines ``{"lang", "query", "key"}`` (or
``"keys": [...]`` when several statements are right answers).
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from whoosh import index as whoosh_index  # noqa: E402
from whoosh.analysis import StandardAnalyzer  # noqa: E402
from whoosh.fields import ID, TEXT, Schema  # noqa: E402
from whoosh.qparser import MultifieldParser  # noqa: E402

from indexer.build import rebuild  # noqa: E402
from indexer.validate import load_corpus  # noqa: E402
from search.engine import Engine  # noqa: E402
from search.errors import IndexMissing, QueryError  # noqa: E402
from search.merge import METHODS  # noqa: E402

DEPTH = 10


def load_queries(paths: list[Path]) -> list[dict]:
    queries = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                record["keys"] = set(record.get("keys") or [record["key"]])
                # Known-item queries are words: punctuation from titles such as
                # "(GUI)" or "-verwalter" would read as query syntax.
                record["query"] = " ".join(re.findall(r"\w+", record["query"]))
                if record["query"]:
                    queries.append(record)
    return queries


class WhooshBaseline:
    """One unstemmed Whoosh index over every language, as a naive set-up would do."""

    def __init__(self, documents, folder: Path) -> None:
        schema = Schema(key=ID(stored=True), title=TEXT(analyzer=StandardAnalyzer()),
                        body=TEXT(analyzer=StandardAnalyzer()))
        ix = whoosh_index.create_in(str(folder), schema)
        with ix.writer(limitmb=256, procs=2, multisegment=True) as writer:
            for doc in documents:
                writer.add_document(key=doc.key, title=doc.title, body=doc.text)
        self.searcher = ix.searcher()
        self.parser = MultifieldParser(["title", "body"], schema)

    def keys(self, text: str) -> list[str]:
        hits = self.searcher.search(self.parser.parse(text), limit=50)
        return [hit["key"] for hit in hits]


class SqliteBaseline:
    """SQLite FTS5 with diacritics removed, words ANDed, ranked by bm25()."""

    def __init__(self, documents) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE docs USING fts5(key UNINDEXED, title, body, "
                        "tokenize = 'unicode61 remove_diacritics 2')")
        self.db.executemany("INSERT INTO docs VALUES (?, ?, ?)",
                            ((d.key, d.title, d.text) for d in documents))

    def keys(self, text: str) -> list[str]:
        words = re.findall(r"\w+", text)
        if not words:
            return []
        match = " ".join('"' + w.replace('"', '""') + '"' for w in words)
        rows = self.db.execute("SELECT key FROM docs WHERE docs MATCH ? "
                               "ORDER BY bm25(docs) LIMIT 50", (match,))
        return [row[0] for row in rows]


class EngineSystem:
    def __init__(self, engine: Engine, method: str) -> None:
        self.engine, self.method = engine, method

    def keys(self, text: str) -> list[str]:
        try:
            page = self.engine.search(text, per_page=DEPTH, method=self.method)
        except QueryError:
            return []
        return [result.key for result in page.results]


def rank_of(keys: list[str], targets: set[str]) -> int | None:
    """1-based rank of the first target among distinct statements, within DEPTH."""
    seen: list[str] = []
    for key in keys:
        if key not in seen:
            seen.append(key)
            if key in targets:
                return len(seen) if len(seen) <= DEPTH else None
        if len(seen) >= DEPTH:
            break
    return None


def evaluate(systems: dict, queries: list[dict]) -> dict:
    """{system: {lang: (MRR@10, Recall@10, n, median ms)}}."""
    table = {}
    for name, system in systems.items():
        per_lang = defaultdict(list)
        for q in queries:
            started = time.perf_counter()
            rank = rank_of(system.keys(q["query"]), q["keys"])
            per_lang[q["lang"]].append((rank, time.perf_counter() - started))
        table[name] = {
            lang: (sum(1 / r for r, _ in rows if r) / len(rows),
                   sum(1 for r, _ in rows if r) / len(rows), len(rows),
                   statistics.median(t for _, t in rows) * 1000)
            for lang, rows in sorted(per_lang.items())
        }
    return table


def markdown(table: dict) -> str:
    langs = sorted({lang for rows in table.values() for lang in rows})
    lines = ["| system | " + " | ".join(f"{l} MRR@10 | {l} R@10" for l in langs)
             + " | median ms |",
             "| --- |" + " ---: | ---: |" * len(langs) + " ---: |"]
    for name, rows in table.items():
        cells = []
        for lang in langs:
            mrr, recall, _, _ = rows.get(lang, (0, 0, 0, 0))
            cells += [f"{mrr:.3f}", f"{recall:.3f}"]
        ms = statistics.median(r[3] for r in rows.values())
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {ms:.1f} |")
    counts = ", ".join(f"{lang} {next(iter(table.values()))[lang][2]}" for lang in langs)
    return "\n".join(lines) + f"\n\nQueries per language: {counts}."


def _ablate(args) -> None:
    """Switch off one ranking ingredient, to measure what it is worth."""
    import search.engine
    import search.query

    if args.no_weights:
        search.engine.language_weights = lambda searchers, parsed: {c: 1.0 for c in searchers}
    if args.graded_boosts:
        search.query.TWIN_BOOSTS.update({"_exact": 3.0, "": 2.0, "_folded": 1.0})


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--queries", type=Path, nargs="+", required=True)
    parser.add_argument("--index", type=Path, help="reuse or build this engine index")
    parser.add_argument("--limit", type=int, help="use at most this many queries per file")
    parser.add_argument("--engine-only", action="store_true", help="skip the baselines")
    parser.add_argument("--no-weights", action="store_true",
                        help="ablation: every language list weighs the same")
    parser.add_argument("--graded-boosts", action="store_true",
                        help="variant: exact, stemmed and folded twins weigh 3, 2 and 1")
    args = parser.parse_args(argv)
    _ablate(args)
    documents = load_corpus(args.corpus)
    queries = load_queries(args.queries)
    if args.limit:
        by_lang = defaultdict(list)
        for q in queries:
            by_lang[q["lang"]].append(q)
        queries = [q for rows in by_lang.values() for q in rows[:args.limit]]
    work = Path(tempfile.mkdtemp(prefix="relevance-"))
    index = args.index or work / "index"
    engine = Engine(index)
    try:
        engine.search("x")
    except IndexMissing:  # none yet, damaged, or written by another version
        rebuild(documents, index)
    systems = {f"this engine ({m})": EngineSystem(engine, m) for m in METHODS}
    if not args.engine_only:
        systems["Whoosh StandardAnalyzer"] = WhooshBaseline(documents, work)
        systems["SQLite FTS5"] = SqliteBaseline(documents)
    print(f"{len(documents)} documents, {len(queries)} queries", file=sys.stderr)
    print(markdown(evaluate(systems, queries)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
