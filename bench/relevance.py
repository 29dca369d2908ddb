"""Relevance benchmark: known-item queries, MRR@10 and Recall@10 per query language.

Compares, side by side in one run on one corpus and one query set:

* this engine (``search.engine.Engine(index).search(text, per_page=10)``),
  one row per merging method of ``search.merge``;
* plain Whoosh: one index, ``StandardAnalyzer`` (no stemming, no folding,
  English stop words), title and body, query words OR-ed (``OrGroup``);
* SQLite FTS5: ``unicode61 remove_diacritics 2``, title and body, query words
  OR-ed, ranked by ``bm25()``;
* tantivy (tantivy-py): one index, default tokenizer (split on
  non-alphanumerics, lower-cased, no stemming), title and body, query words
  OR-ed (``parse_query``'s default), top hits by its BM25;
* the "straightforward design", a reference for what a best-match engine
  gets with the obvious ingredients (see ``Reference``): one BM25 index over
  every language, each document's words stemmed with the Snowball stemmer of
  its language and stripped of accents, the query's words OR-ed, each one
  analysed with every corpus language's stemmer because the query's
  language is not known.

``--and`` makes the Whoosh, FTS5 and tantivy rows require every word
instead (the reference stays OR); ``--reference-without-stopwords`` adds
the reference with each language's stop words dropped, as an ablation;
``--without-marks`` types every query without its accents.
Under the table, the engine and each peer are compared query by query (see
``paired``): a Recall@10 lead of a few queries may be chance.

A query's target is a statement (a translation group): a system scores at
the rank of the first result that is a version of it, counting each
statement once.  A query's words are taken as ``\\w+`` runs (punctuation
from titles such as "(GUI)" would read as query syntax); the peers get
them lower-cased, so that a word such as "OR" or "NOT" is a word to them,
while the engine gets them as typed.

Measure a fixed version of the engine while the working tree changes: give
``--code DIR``, a snapshot whose ``search`` and ``indexer`` are imported
instead of this tree's (the index is then built by that code)::

    mkdir -p /tmp/bench/code-head
    git archive HEAD | tar -x -C /tmp/bench/code-head
    git rev-parse --short HEAD > /tmp/bench/code-head/COMMIT
    python bench/relevance.py --code /tmp/bench/code-head \\
        --corpus DIR --queries FILE [FILE...] [--index DIR] [--limit 300] [--json FILE]

Each queries file holds JSON lines ``{"lang", "query", "key"}`` (or
``"keys": [...]`` when several statements are right answers): see
``bench/libreoffice_corpus.py`` and ``bench/describe_queries.py``.  Prints
one Markdown table (MRR@10 and R@10 per query language, median ms per
query) and the number of queries that no system finds in its top 10;
``--json`` also writes every query's rank in every system.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = ROOT
"""Where ``search`` and ``indexer`` come from: this tree, or ``--code DIR``."""
if "--code" in sys.argv[:-1]:
    CODE = Path(sys.argv[sys.argv.index("--code") + 1]).resolve()
sys.path.insert(0, str(CODE))

import Stemmer  # noqa: E402
from unidecode import unidecode  # noqa: E402
import tantivy  # noqa: E402
from whoosh import index as whoosh_index  # noqa: E402
from whoosh.analysis import StandardAnalyzer  # noqa: E402
from whoosh.fields import ID, TEXT, Schema  # noqa: E402
from whoosh.qparser import AndGroup, MultifieldParser, OrGroup  # noqa: E402

from indexer.build import rebuild  # noqa: E402
from indexer.validate import load_corpus  # noqa: E402
from search.engine import Engine  # noqa: E402
from search.errors import IndexMissing, QueryError  # noqa: E402
from search.languages import stopwords  # noqa: E402
from search.merge import DEFAULT_METHOD, METHODS  # noqa: E402

DEPTH = 10
FETCH = 50  # hits a peer returns: several versions of one statement count once
SNOWBALL = {"ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish",
            "de": "german", "el": "greek", "en": "english", "es": "spanish",
            "et": "estonian", "eu": "basque", "fi": "finnish", "fr": "french",
            "hi": "hindi", "hu": "hungarian", "id": "indonesian", "it": "italian",
            "lt": "lithuanian", "nb": "norwegian", "nl": "dutch", "no": "norwegian",
            "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian",
            "sr": "serbian", "sv": "swedish", "tr": "turkish"}
"""Snowball (PyStemmer) algorithm per ISO 639-1 code; other languages are not stemmed."""


def load_queries(paths: list[Path], bare: bool = False, syntax: bool = False) -> list[dict]:
    """Every query line, its words only, with its set of right answers.

    ``bare``: as typed without accents and other marks (:func:`without_marks`).
    ``syntax``: as written, with the engine's operators (``strik*``).
    """
    queries = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                record["keys"] = set(record.get("keys") or [record["key"]])
                if not syntax:
                    record["query"] = " ".join(re.findall(r"\w+", record["query"]))
                if bare:
                    record["query"] = without_marks(record["query"])
                if record["query"]:
                    queries.append(record)
    return queries


def without_marks(text: str) -> str:
    """A text as a reader types it on a keyboard without accents: marks dropped
    (τυραννίας -> τυραννιας), and a Latin letter without a decomposition (ł, ø)
    as its ASCII twin; other scripts keep their letters."""
    stripped = "".join(c for c in unicodedata.normalize("NFD", text)
                       if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", "".join(
        unidecode(c) if not c.isascii() and unicodedata.name(c, "").startswith("LATIN")
        else c for c in stripped))


def peer_words(text: str) -> list[str]:
    """The query's words, lower-cased so that no peer reads one as an operator; a
    prefix word (``--syntax``) keeps its ``*``."""
    return re.findall(r"\w+\*?", text.lower())


class WhooshBaseline:
    """One unstemmed Whoosh index over every language, as a naive set-up would do."""

    def __init__(self, documents, folder: Path, conjunction: bool) -> None:
        schema = Schema(key=ID(stored=True), title=TEXT(analyzer=StandardAnalyzer()),
                        body=TEXT(analyzer=StandardAnalyzer()))
        ix = whoosh_index.create_in(str(folder), schema)
        with ix.writer(limitmb=256, procs=2, multisegment=True) as writer:
            for doc in documents:
                writer.add_document(key=doc.key, title=doc.title, body=doc.text)
        self.searcher = ix.searcher()
        self.parser = MultifieldParser(["title", "body"], schema,
                                       group=AndGroup if conjunction else OrGroup)

    def keys(self, text: str) -> list[str]:
        hits = self.searcher.search(self.parser.parse(" ".join(peer_words(text))),
                                    limit=FETCH)
        return [hit["key"] for hit in hits]


def fts5_match(words, conjunction: bool) -> str:
    """An FTS5 MATCH expression: each word a quoted string (``"tabel"*`` for a prefix
    word), OR-ed or AND-ed."""
    return (" " if conjunction else " OR ").join(
        '"' + w.rstrip("*").replace('"', '""') + '"' + "*" * w.endswith("*") for w in words)


class SqliteBaseline:
    """SQLite FTS5 with diacritics removed, ranked by bm25()."""

    def __init__(self, documents, conjunction: bool) -> None:
        self.conjunction = conjunction
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE docs USING fts5(key UNINDEXED, title, body, "
                        "tokenize = 'unicode61 remove_diacritics 2')")
        self.db.executemany("INSERT INTO docs VALUES (?, ?, ?)",
                            ((d.key, d.title, d.text) for d in documents))

    def keys(self, text: str) -> list[str]:
        words = peer_words(text)
        if not words:
            return []
        rows = self.db.execute("SELECT key FROM docs WHERE docs MATCH ? "
                               "ORDER BY bm25(docs) LIMIT ?",
                               (fts5_match(words, self.conjunction), FETCH))
        return [row[0] for row in rows]


class TantivyBaseline:
    """tantivy's default set-up: one in-memory index, default tokenizer, BM25."""

    def __init__(self, documents, conjunction: bool) -> None:
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("key", stored=True, tokenizer_name="raw")
        builder.add_text_field("title")
        builder.add_text_field("body")
        self.index = tantivy.Index(builder.build())
        writer = self.index.writer()
        for doc in documents:
            writer.add_document(tantivy.Document(key=doc.key, title=doc.title,
                                                 body=doc.text))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()
        self.conjunction = conjunction

    def keys(self, text: str) -> list[str]:
        query = self.index.parse_query(" ".join(peer_words(text)), ["title", "body"],
                                       conjunction_by_default=self.conjunction)
        return [self.searcher.doc(address)["key"][0]
                for _, address in self.searcher.search(query, FETCH).hits]


def fold(word: str) -> str:
    """A word without accents: NFKD, combining marks dropped (ł, ø, ß stay)."""
    return "".join(c for c in unicodedata.normalize("NFKD", word)
                   if not unicodedata.combining(c))


class Reference:
    """The straightforward best-match design, as a yardstick for this engine.

    Analysis: text NFC-normalised and lower-cased, split into runs of letters
    and digits (``[^\\W_]+``), each word stemmed by the Snowball stemmer
    (PyStemmer) of the document's language (``SNOWBALL``; unstemmed if it
    has none), then its accents folded (``fold``).  No stop words.  Index:
    one SQLite FTS5 table over every language, the analysed words of title
    and body as two columns (``tokenize='ascii'``, which keeps each analysed
    word whole), ranked by ``bm25()`` with both columns weighing 1.  Query:
    each word analysed with the stemmer of every language in the corpus (the
    user does not say which language they typed), every distinct variant of
    every word a quoted FTS5 string, all OR-ed.
    """

    def __init__(self, documents) -> None:
        langs = sorted({doc.lang for doc in documents})
        self.stemmers = {lang: Stemmer.Stemmer(SNOWBALL[lang]) if lang in SNOWBALL
                         else None for lang in langs}
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE docs USING fts5(key UNINDEXED, title, body, "
                        "tokenize = 'ascii')")
        self.db.executemany("INSERT INTO docs VALUES (?, ?, ?)", (
            (d.key, self.analyse(d.title, d.lang), self.analyse(d.text, d.lang))
            for d in documents))

    @staticmethod
    def words(text: str) -> list[str]:
        """Lower-cased runs of letters and digits, the same split for text and query."""
        return re.findall(r"[^\W_]+", unicodedata.normalize("NFC", text).lower())

    def stem(self, word: str, lang: str) -> str:
        """One word as a document of ``lang`` indexes it: stemmed, then folded."""
        stemmer = self.stemmers[lang]
        return fold(stemmer.stemWord(word) if stemmer else word)

    def kept(self, word: str, lang: str) -> bool:
        """Whether a word of ``lang`` is indexed and searched: every word is."""
        return True

    def analyse(self, text: str, lang: str) -> str:
        """A text as the space-separated words its index column holds."""
        return " ".join(self.stem(word, lang) for word in self.words(text)
                        if self.kept(word, lang))

    def variants(self, text: str) -> list[str]:
        """The query's words as each corpus language would index them; a prefix word
        (``--syntax``) folded, unstemmed, with its ``*``."""
        found = set()
        for word, star in re.findall(r"([^\W_]+)(\*?)",
                                     unicodedata.normalize("NFC", text).lower()):
            found |= ({fold(word) + star} if star else
                      {self.stem(word, lang) for lang in self.stemmers if self.kept(word, lang)})
        return sorted(found - {""})

    def keys(self, text: str) -> list[str]:
        variants = self.variants(text)
        if not variants:
            return []
        rows = self.db.execute("SELECT key FROM docs WHERE docs MATCH ? "
                               "ORDER BY bm25(docs) LIMIT ?",
                               (fts5_match(variants, False), FETCH))
        return [row[0] for row in rows]


class ReferenceWithoutStopwords(Reference):
    """The reference with each language's stop words dropped, as this engine drops them.

    An ablation, not a peer: in one index over every language, a French stop
    word such as "des" is rare enough to weigh, and tells French documents
    from the others.  A word is dropped from a document when it is a stop
    word of the document's language (``search.languages.stopwords``), and
    from a query's variants of a language when it is one of that language's.
    """

    def __init__(self, documents) -> None:
        self.stops = {lang: stopwords(lang) for lang in {doc.lang for doc in documents}}
        super().__init__(documents)

    def kept(self, word: str, lang: str) -> bool:
        return word not in self.stops[lang]


class EngineSystem:
    """This engine's search with one merging method, results as statement keys."""

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


def run(systems: dict, queries: list[dict]) -> dict:
    """{system: [(rank or None, seconds) per query]}, queries in order."""
    ranks = {}
    for name, system in systems.items():
        rows = []
        for q in queries:
            started = time.perf_counter()
            rank = rank_of(system.keys(q["query"]), q["keys"])
            rows.append((rank, time.perf_counter() - started))
        ranks[name] = rows
        print(f"  {name}: done", file=sys.stderr, flush=True)
    return ranks


def summarise(ranks: dict, queries: list[dict]) -> dict:
    """{system: {lang: {mrr, recall, n, median_ms}}}."""
    table = {}
    for name, rows in ranks.items():
        per_lang = defaultdict(list)
        for q, row in zip(queries, rows):
            per_lang[q["lang"]].append(row)
        table[name] = {
            lang: {"mrr": sum(1 / r for r, _ in got if r) / len(got),
                   "recall": sum(1 for r, _ in got if r) / len(got), "n": len(got),
                   "median_ms": statistics.median(t for _, t in got) * 1000}
            for lang, got in sorted(per_lang.items())}
    return table


def unfound(ranks: dict, queries: list[dict]) -> dict[str, int]:
    """Per language, the queries that no system finds within DEPTH."""
    missed = defaultdict(int)
    for i, q in enumerate(queries):
        missed[q["lang"]] += all(rows[i][0] is None for rows in ranks.values())
    return dict(sorted(missed.items()))


def sign_test(wins: int, losses: int) -> float:
    """Two-sided exact sign test: how likely a split this uneven is if neither side is better."""
    n, fewer = wins + losses, min(wins, losses)
    if n == 0:
        return 1.0
    return min(1.0, 2 * sum(math.comb(n, k) for k in range(fewer + 1)) / 2 ** n)


def paired(ranks: dict, queries: list[dict], engine: str) -> dict:
    """{peer: {lang: (queries only the engine finds within DEPTH, only the peer, p)}}.

    Recall@10 compares two counts; pairing them query by query says whether
    a difference of a few queries is more than chance (McNemar's exact test).
    """
    found = {name: [rank is not None for rank, _ in rows] for name, rows in ranks.items()}
    table = {}
    for peer in ranks:
        if peer.startswith("this engine"):
            continue
        split = defaultdict(lambda: [0, 0])
        for q, mine, theirs in zip(queries, found[engine], found[peer]):
            if mine != theirs:
                split[q["lang"]][0 if mine else 1] += 1
        table[peer] = {lang: (*split[lang], sign_test(*split[lang]))
                       for lang in sorted({q["lang"] for q in queries})}
    return table


def paired_markdown(table: dict, engine: str) -> str:
    """One row per peer: per language, queries only the engine finds / only the peer, p."""
    if not table:
        return ""
    langs = list(next(iter(table.values())))
    lines = [f"Paired, within the first {DEPTH}: queries only {engine} finds / only the "
             "peer finds (two-sided exact sign test p).", "",
             "| peer | " + " | ".join(langs) + " |", "| --- |" + " ---: |" * len(langs)]
    for peer, cells in table.items():
        lines.append(f"| {peer} | " + " | ".join(
            f"{mine}/{theirs} ({p:.2f})" for mine, theirs, p in cells.values()) + " |")
    return "\n".join(lines)


def markdown(table: dict, missed: dict[str, int]) -> str:
    """One table: a row per system, MRR@10 and R@10 per language, median ms."""
    langs = sorted({lang for rows in table.values() for lang in rows})
    lines = ["| system | " + " | ".join(f"{l} MRR@10 | {l} R@10" for l in langs)
             + " | median ms |",
             "| --- |" + " ---: | ---: |" * len(langs) + " ---: |"]
    for name, rows in table.items():
        cells = []
        for lang in langs:
            cells += [f"{rows[lang]['mrr']:.3f}", f"{rows[lang]['recall']:.3f}"]
        ms = statistics.median(r["median_ms"] for r in rows.values())
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {ms:.1f} |")
    first = next(iter(table.values()))
    counts = ", ".join(f"{lang} {first[lang]['n']}" for lang in langs)
    none = ", ".join(f"{lang} {n}" for lang, n in missed.items())
    return (("\n".join(lines)) + f"\n\nQueries per language: {counts}. "
            f"Found by no system within {DEPTH}: {none}.")


def code_version() -> str:
    """The commit of the engine measured: the snapshot's COMMIT file, or git."""
    stamp = CODE / "COMMIT"
    if stamp.exists():
        return stamp.read_text().strip()
    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=CODE, text=True,
                           capture_output=True)
    return found.stdout.strip() or "unknown"


def _ablate(args) -> None:
    """Switch off one ranking ingredient, to measure what it is worth."""
    import search.fields
    import search.ranking

    if args.no_weights:
        search.ranking.language_weights = lambda generation, searchers, parsed: {
            c: 1.0 for c in searchers}
    if args.graded_boosts:  # the table is frozen: an ablation alone may bend it
        for twin, boost in ((search.fields.EXACT, 3.0), (search.fields.STEMMED, 2.0)):
            object.__setattr__(twin, "boost", boost)


def sample(queries: list[dict], limit: int | None, skip: int = 0) -> list[dict]:
    """The first ``limit`` queries of each language after its first ``skip``, in file
    order: ``--skip 300`` leaves the queries that runs with ``--limit 300`` never asked."""
    by_lang = defaultdict(list)
    for q in queries:
        by_lang[q["lang"]].append(q)
    end = skip + limit if limit else None
    return [q for rows in by_lang.values() for q in rows[skip:end]]


def build_systems(args, documents, work: Path) -> dict:
    """The engine's rows, then the peers' (unless --engine-only)."""
    index = args.index or work / "index"
    engine = Engine(index)
    try:
        engine.search("x")
    except IndexMissing:  # none yet, damaged, or written by another version
        rebuild(documents, index)
    methods = [DEFAULT_METHOD] if args.default_only else METHODS
    systems = {f"this engine ({m})": EngineSystem(engine, m) for m in methods}
    if args.engine_only:
        return systems
    mode = "AND" if args.conjunction else "OR"
    peers = {
        f"Whoosh StandardAnalyzer, {mode}": lambda: WhooshBaseline(documents, work,
                                                                   args.conjunction),
        f"SQLite FTS5 unicode61, {mode}": lambda: SqliteBaseline(documents,
                                                                 args.conjunction),
        f"tantivy default, {mode}": lambda: TantivyBaseline(documents, args.conjunction),
        "reference: Snowball + folding, one BM25 index, OR": lambda: Reference(documents),
    }
    if args.reference_without_stopwords:
        peers["reference without stop words (ablation)"] = (
            lambda: ReferenceWithoutStopwords(documents))
    for name, make in peers.items():
        started = time.perf_counter()
        systems[name] = make()
        print(f"  {name}: indexed in {time.perf_counter() - started:.1f} s",
              file=sys.stderr, flush=True)
    return systems


def parse_args(argv=None) -> argparse.Namespace:
    """Command line (``--code`` is also read before the imports, see CODE)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--queries", type=Path, nargs="+", required=True)
    parser.add_argument("--index", type=Path, help="reuse or build this engine index")
    parser.add_argument("--code", type=Path,
                        help="import search and indexer from this source tree (a snapshot)")
    parser.add_argument("--limit", type=int, help="use at most this many queries per language")
    parser.add_argument("--skip", type=int, default=0,
                        help="leave out the first this many queries of each language")
    parser.add_argument("--engine-only", action="store_true", help="skip the peers")
    parser.add_argument("--default-only", action="store_true",
                        help=f"run the engine with its default merge ({DEFAULT_METHOD}) only")
    parser.add_argument("--and", dest="conjunction", action="store_true",
                        help="Whoosh, FTS5 and tantivy require every word (default: OR)")
    parser.add_argument("--without-marks", action="store_true",
                        help="queries as typed without accents (τυραννιας, zycia)")
    parser.add_argument("--syntax", action="store_true",
                        help="queries as written, with the engine's syntax (strik*); FTS5, "
                             "Whoosh and the reference search a prefix word as a prefix, "
                             "tantivy's parser as a word")
    parser.add_argument("--reference-without-stopwords", action="store_true",
                        help="ablation: also the reference with each language's stop words "
                             "dropped")
    parser.add_argument("--json", type=Path, help="also write the table and every rank here")
    parser.add_argument("--no-weights", action="store_true",
                        help="ablation: every language list weighs the same")
    parser.add_argument("--graded-boosts", action="store_true",
                        help="variant: exact, stemmed and folded twins weigh 3, 2 and 1")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    """Index, run every query on every system, print the table."""
    args = parse_args(argv)
    _ablate(args)
    documents = load_corpus(args.corpus)
    queries = sample(load_queries(args.queries, args.without_marks, args.syntax), args.limit,
                     args.skip)
    print(f"{len(documents)} documents, {len(queries)} queries, engine code "
          f"{code_version()} from {CODE}", file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory(prefix="relevance-") as work:
        systems = build_systems(args, documents, Path(work))
        ranks = run(systems, queries)
    table, missed = summarise(ranks, queries), unfound(ranks, queries)
    engine = f"this engine ({DEFAULT_METHOD})"
    pairs = paired(ranks, queries, engine)
    print(markdown(table, missed))
    print("\n" + paired_markdown(pairs, engine))
    if args.json:
        args.json.write_text(json.dumps({
            "corpus": str(args.corpus), "queries": [str(p) for p in args.queries],
            "code": code_version(), "documents": len(documents), "table": table,
            "found_by_none": missed,
            "paired": {peer: {lang: dict(zip(("engine_only", "peer_only", "p"), cell))
                              for lang, cell in cells.items()}
                       for peer, cells in pairs.items()},
            "ranks": [{"lang": q["lang"], "query": q["query"], "keys": sorted(q["keys"]),
                       "rank": {name: rows[i][0] for name, rows in ranks.items()}}
                      for i, q in enumerate(queries)]},
            ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
