"""Run a query on every language index and return statements.

The :class:`Engine` keeps Whoosh searchers open between queries (one set per
thread, since Whoosh readers are not shared safely between threads) and
notices a rebuild by the ``current`` link changing, so a server picks up a
new index without a restart.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import threading
import time
import weakref
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

from whoosh import query as wq
from whoosh.collectors import FilterCollector, WrappingCollector
from whoosh.searching import TimeLimit
from whoosh.util.times import long_to_datetime

from .cache import PageCache
from .concordance import Line, lines_for, sort_lines
from .errors import IndexMissing, QueryError, SearchError, StatementMissing
from .explain import explain
from .highlight import Marker, opening, snippet, title_html
from .languages import get_language
from .merge import DEFAULT_METHOD, METHODS
from .generation import Generation
from .bestmatch import relevance, units, words_matched
from .query import Query, check_expansions, expand, prune, read_query
from .request import MAX_EXPORT, SearchRequest
from .results import Result, ResultPage, Version
from .store import CURRENT, MANIFEST
from .suggest import suggest

EXACT_FIELDS = ("title_exact", "body_exact")
WEIGHT_FLOOR = 0.1
"""Keeps a language whose texts contain none of the query's words in play, barely."""
PRIOR_DOCUMENTS = 100
"""Documents added to each language's count when weighing it (see :func:`language_weights`)."""
TIME_LIMIT = 3.0
"""Seconds a search may spend collecting hits; past it, what was found is
returned and flagged ``partial`` (a pathological wildcard or fuzzy query
cannot hold a server thread)."""
EXPORT_TIME_LIMIT = TIME_LIMIT
"""Seconds an export (a CSV file of up to thousands of results) may take: a
search's.  Matching stops there as a search's does, and the results past it
are listed without marks or "why" (20 s let four exports hold a server)."""
CONCORDANCE_LIMIT = 2000
FILE_CHECK_SECONDS = 1.0
"""Seconds between two checks that the served index files are as built (a
stat of each, about a millisecond at 20,000 documents)."""
SUGGEST_BELOW = 3
"""Offer a spelling suggestion when fewer statements than this are found."""


UNDATED = 2 ** 63
"""Whoosh fills a date column with 2**64 - 1 where a document has no date."""


@dataclass(frozen=True)
class _Match:
    """One matching document, with what grouping and sorting need read from columns.

    Reading ``key``, ``file`` and ``date`` from Whoosh's columns instead of
    the stored fields keeps a search from decompressing the text of every
    hit; only the results on the page shown load their text.
    """

    hit: object
    lang: str
    key: str
    file: str
    date: int | None
    missing: int = 0
    """Query words this version lacks (``search.bestmatch``): 0 when it holds them all."""


def _reads_index(method):
    """Report a failure to read the index as :class:`IndexDamaged` when its files are damaged.

    A file damaged under a running server makes Whoosh fail in any of a
    dozen ways, deep in a search; the manifest's file sizes tell that from a
    fault of the code, which stays an error of its own (a 500, logged).
    """
    @functools.wraps(method)
    def reading(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except SearchError:
            raise
        except Exception:
            if self._generation is not None:
                self._generation.check()
            raise
    return reading


class Engine:
    """Searches the index at ``root`` across all its languages."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self._generation: Generation | None = None
        self._lock = threading.Lock()
        self._local = threading.local()
        self._thread_searchers: list[dict] = []
        """Every thread's searchers by language, closed with the engine."""
        self._pages = PageCache()
        weakref.finalize(self, _close_all, self._thread_searchers)

    @_reads_index
    def search(self, request: SearchRequest | str, **options) -> ResultPage:
        """Search and return one page of statements, best first.

        :param request: a :class:`SearchRequest`, or a query's text with its
            options as keywords (``SearchRequest``'s fields).
        :raise QueryError: for a query or option that cannot be used; the
            message says what is wrong.
        :raise IndexMissing: when no index has been built.
        """
        started = time.perf_counter()
        if isinstance(request, str):
            request = SearchRequest(request, **options)
        generation = self._current()
        key = (generation.target, request)
        page = self._pages.get(key)
        if page is not None:  # the same search of the same build
            return replace(page, took_ms=round((time.perf_counter() - started) * 1000, 2))
        page = self._search(request, TIME_LIMIT)
        if not page.partial:
            self._pages.put(key, page)
        return page

    @_reads_index
    def export(self, request: SearchRequest | str, *, limit: int, **options) -> ResultPage:
        """The first ``limit`` statements of a search (at most ``MAX_EXPORT``) in one page.

        For a file of all results: one search, where paging through them
        would run it again for every page.  It may take ``EXPORT_TIME_LIMIT``;
        past it, results have no marks and no ``why`` (see :func:`_result`).
        """
        if isinstance(request, str):
            request = SearchRequest(request, **options)
        return self._search(request.with_(page=1, per_page=limit, most=MAX_EXPORT),
                            EXPORT_TIME_LIMIT)

    def _search(self, request: SearchRequest, time_limit: float) -> ResultPage:
        started = time.perf_counter()
        query = read_query(request.q)
        query.narrow_dates(request.date_from, request.date_to)
        generation = self._current()
        selected = _languages(generation, query, request.languages)
        deadline = started + time_limit
        searchers, parsed, ranked, partial = self._rank(generation, generation.indexes, query,
                                                        request.tags, deadline)
        weights = language_weights(searchers, parsed)
        matched = _matched_versions(ranked)
        timeline = _timeline(ranked)
        fused = METHODS[request.method]({code: ranked[code] for code in selected}, weights)
        statements = _sort(_group(fused, request.prefer), request.sort)
        all_words = sum(1 for statement in statements if not statement.missing)
        first = (request.page - 1) * request.per_page
        shown = statements[first:first + request.per_page]
        results, markers = [], {}
        for statement in shown:
            match, score = statement.match, statement.score
            in_time = time.perf_counter() < deadline
            partial |= not in_time
            hit = match.hit
            if hit.searcher not in markers:
                markers[hit.searcher] = Marker(hit.searcher, hit.results.q)
            results.append(_result(generation, hit, matched[match.key], score, query,
                                   markers[hit.searcher] if in_time else None))
        return ResultPage(
            query=request.q, total=len(statements), page=request.page,
            per_page=request.per_page, sort=request.sort,
            all_words=all_words,
            languages={code: len(hits) for code, hits in sorted(ranked.items()) if hits},
            suggestion=(suggest(searchers, query.text, deadline)
                        if all_words < SUGGEST_BELOW and query.text else None),
            results=results,
            understood=_understood(query, selected),
            took_ms=round((time.perf_counter() - started) * 1000, 2),
            method=request.method,
            partial=partial,
            timeline=timeline,
        )

    @_reads_index
    def concordance(self, text: str, *, languages=None, date_from=None, date_to=None,
                    sort: str = "relevance", limit: int = CONCORDANCE_LIMIT) -> dict:
        """Every occurrence of the query's matched words in the matching versions (KWIC).

        Versions come in the search's relevance order, all languages fused
        (so a cut at ``limit`` lines keeps the best versions of every
        language, not the first languages); each gives its title's lines,
        then its body's.  ``sort`` ``left`` or ``right`` orders the lines by
        their context instead.  Returns ``lines`` and whether they were
        ``truncated``: cut at ``limit``, or at the time limit.
        """
        if sort not in ("relevance", "left", "right"):
            raise QueryError(f"sort must be relevance, left or right, got {sort!r}",
                             "sort-unknown", value=sort, allowed="relevance, left, right")
        query = read_query(text)
        query.narrow_dates(date_from, date_to)
        generation = self._current()
        deadline = time.perf_counter() + TIME_LIMIT
        searchers, parsed, ranked, truncated = self._rank(
            generation, _languages(generation, query, languages), query, (), deadline)
        fused = METHODS[DEFAULT_METHOD](ranked, language_weights(searchers, parsed))
        markers: dict = {}
        lines: list[Line] = []
        for match, _ in fused:
            if len(lines) > limit or time.perf_counter() > deadline:
                truncated = True
                break
            fields = match.hit.fields()
            code = fields["lang"]
            if code not in markers:  # the query as run: prefix and fuzzy words expanded
                markers[code] = Marker(match.hit.searcher, match.hit.results.q)
            marker, docnum = markers[code], match.hit.docnum
            date = fields.get("date")
            title, body = fields.get("title", ""), fields.get("body", "")
            for name, written, found in (("title", title, marker.title(docnum, title)),
                                         ("body", body, marker.body(docnum, body))):
                lines += lines_for(written, found, key=match.key, lang=code, file=match.file,
                                   title=title, field=name,
                                   date=date.date().isoformat() if date else None)
        return {"lines": [line.to_dict() for line in sort_lines(lines[:limit], sort)],
                "truncated": truncated or len(lines) > limit}

    @property
    def built(self) -> str:
        """When the served index was built (ISO 8601, UTC)."""
        return self._current().built

    @_reads_index
    def indexed(self, key: str, file: str) -> str:
        """When one version's text, as it is now, was first indexed (ISO 8601, UTC).

        :raise StatementMissing: when the served index has no such version.
        """
        for version in self._current().catalog.get(key, []):
            if version["file"] == file:
                return version["indexed"]
        raise StatementMissing(f"{key} ({file})")

    @_reads_index
    def statement(self, key: str, query: str | None = None) -> list[dict]:
        """Every version of one statement with its stored text, by language.

        With ``query``, each version also lists ``marks``: the words of its
        text (as written) that the query matches, for highlighting.
        """
        generation = self._current()
        versions = generation.catalog.get(key)
        if not versions:
            raise StatementMissing(key)
        parsed = read_query(query) if query and query.strip() else None
        deadline = time.perf_counter() + TIME_LIMIT
        documents = []
        for version in versions:
            searcher = self._searcher(generation, version["lang"])
            fields = searcher.document(file=version["file"])
            documents.append({**version, "body": fields["body"],
                              "markdown": fields["markdown"],
                              "language": get_language(version["lang"]).native_name,
                              "marks": sorted(self._marks(generation, searcher, version,
                                                          fields, parsed, deadline))})
        return documents

    def _marks(self, generation, searcher, version: dict, fields: dict, parsed,
               deadline: float) -> set[str]:
        """The words of one version that the query matches (none once out of time)."""
        if parsed is None or not parsed.text:
            return set()
        try:
            executable = _executable(generation, version["lang"], searcher.reader(),
                                     self._parse(generation, version["lang"], parsed), deadline)
        except TimeLimit:
            return set()
        if executable is wq.NullQuery:
            return set()
        whoosh_query = wq.And([executable, wq.Term("file", version["file"])])
        for hit in searcher.search(whoosh_query, limit=1):
            marker = Marker(searcher, executable)
            title, body = fields.get("title", ""), fields["body"]
            return ({title[a:b] for a, b in marker.title(hit.docnum, title)}
                    | {body[a:b] for a, b in marker.body(hit.docnum, body)})
        return set()

    def _current(self) -> Generation:
        """The served generation, reopened when the ``current`` link has moved."""
        try:
            target = os.readlink(self.root / CURRENT)
        except OSError:
            raise IndexMissing(str(self.root)) from None
        if not os.path.exists(self.root / CURRENT / MANIFEST):
            # Deleted under a running server: say so, rather than answer from
            # files that only the open searchers still hold.
            raise IndexMissing(str(self.root))
        generation = self._generation
        if generation is None or generation.target != target:
            with self._lock:
                if self._generation is None or self._generation.target != target:
                    self._generation = Generation.open(self.root, target)
                generation = self._generation
        generation.check(every=FILE_CHECK_SECONDS)
        return generation

    def _searcher(self, generation: Generation, code: str):
        """This thread's open searcher for one language of ``generation``.

        Its files stay open until it is closed: when this thread moves to a
        newer generation, when the thread ends, or when the engine goes.
        """
        local = self._local
        searchers = getattr(local, "searchers", None)
        if searchers is None:
            searchers, local.target = {}, None
            local.searchers = searchers
            self._thread_searchers.append(searchers)
            weakref.finalize(threading.current_thread(), _retire, self._thread_searchers,
                             searchers)
        if local.target != generation.target:
            _close(searchers)  # the generation before's
            local.target = generation.target
        if code not in searchers:
            searchers[code] = generation.indexes[code].searcher()
        return searchers[code]

    def _rank(self, generation: Generation, codes, query: Query, tags, deadline: float
              ) -> tuple[dict, dict, dict, bool]:
        """Each language's searcher, parsed query and matches (best first), and whether
        time ran out."""
        searchers = {code: self._searcher(generation, code) for code in codes}
        parsed, ranked, trees, partial = {}, {}, {}, False
        for code, searcher in searchers.items():
            parsed[code] = self._parse(generation, code, query, trees)
            if time.perf_counter() > deadline:  # the languages left are not searched
                ranked[code], partial = [], True
                continue
            ranked[code], cut = self._run(generation, code, searcher, parsed[code], query,
                                          tags, deadline)
            partial |= cut
        return searchers, parsed, ranked, partial

    @staticmethod
    def _parse(generation: Generation, code: str, query: Query, trees: dict | None = None):
        """The query as one language's Whoosh query (every word through its chain).

        Whoosh parses in two steps: the syntax tree, which depends only on the
        schema's field names, then each word through the field's analyzer.
        ``trees`` keeps the first step's trees for the other languages of one
        search (19 languages, 2 schemas).
        """
        if not query.text:
            return wq.Every()
        parser = generation.parsers[code]
        shape = tuple(parser.schema.names())
        trees = {} if trees is None else trees
        try:
            if shape not in trees:
                trees[shape] = parser.process(query.text)
            return trees[shape].query(parser).normalize()
        except QueryError:
            raise
        except Exception as error:  # Whoosh raises assorted errors on odd input
            raise QueryError(f"cannot read the query: {error}", "query-unreadable",
                             detail=str(error)) from None

    def _run(self, generation: Generation, code: str, searcher, parsed, query: Query, tags,
             deadline: float) -> tuple[list[tuple[_Match, float]], bool]:
        """One language's matches, best first, with their scores; and whether time ran out."""
        reader = searcher.reader()
        collector = _DeadlineCollector(searcher.collector(limit=None), deadline)
        where = _filter(query, tags)
        if where is not None:
            collector = FilterCollector(collector, where)
        expanded, partial = None, False
        try:
            expanded = _executable(generation, code, reader, parsed, deadline)
            if expanded is not wq.NullQuery:
                searcher.search_with_collector(expanded, collector)
        except TimeLimit:
            partial = True
        except QueryError:
            raise
        except Exception as error:  # a damaged index, or an odd query Whoosh cannot run
            generation.check()
            raise QueryError(f"cannot run the query: {error}", "query-failed",
                             detail=str(error)) from None
        if expanded is None or expanded is wq.NullQuery:  # out of time expanding, or nothing
            return [], partial
        results = collector.results()
        keys, files, dates = (generation.column(code, searcher, name)
                              for name in ("key", "file", "date"))
        matches = []
        words = units(parsed)
        for hit in results:
            date = dates[hit.docnum]
            score = hit.score if query.text else 1.0
            match = _Match(hit, code, keys[hit.docnum], files[hit.docnum],
                           date if date is not None and date < UNDATED else None,
                           words - words_matched(score))
            matches.append((match, relevance(score)))
        return matches, partial


def _executable(generation: Generation, code: str, reader, parsed, deadline: float):
    """A language's parsed query as it can run: broad words expanded (within bounds),
    terms the index lacks taken out; ``NullQuery`` when nothing can match.

    :raise TooGeneral: for broad words that stand for too many terms.
    :raise TimeLimit: when the deadline passes while expanding.
    """
    expanded = prune(expand(parsed, generation.vocabularies[code], reader, deadline), reader)
    check_expansions(expanded)
    return expanded


def _close(searchers: dict) -> None:
    """Close and forget searchers (Whoosh keeps each segment file open until then)."""
    for searcher in searchers.values():
        searcher.close()
    searchers.clear()


def _retire(groups: list, searchers: dict) -> None:
    """A thread ended: close its searchers and stop tracking them."""
    _close(searchers)
    groups[:] = [group for group in groups if group is not searchers]


def _close_all(groups: list) -> None:
    """The engine is gone: close every thread's searchers."""
    for searchers in list(groups):
        _close(searchers)


class _DeadlineCollector(WrappingCollector):
    """Raises :class:`TimeLimit` once ``time.perf_counter()`` passes a deadline.

    Whoosh's ``TimeLimitCollector`` starts a timer thread for every search,
    here one per language per query; a clock read every 256 documents does
    the same job without the threads.  Checking in ``collect`` also holds
    under a :class:`FilterCollector`, which calls it directly.
    """

    def __init__(self, child, deadline: float) -> None:
        super().__init__(child)
        self.deadline = deadline
        self._seen = 0

    def collect(self, sub_docnum):
        if not self._seen % 256 and time.perf_counter() > self.deadline:
            raise TimeLimit
        self._seen += 1
        return self.child.collect(sub_docnum)


def language_weights(searchers: dict, parsed: dict) -> dict[str, float]:
    """How likely the query is in each index's language, from 0 to 1.

    For each word of the query (as written, unstemmed), the share of each
    language's documents that contain it, relative to the language where it
    is most common; a language's weight is the mean over the words.  A
    German description may well contain "management", but far fewer German
    documents do than English ones.  Words that are a stop word in any of
    the languages say nothing about the language and are left out.  Each
    share counts :data:`PRIOR_DOCUMENTS` more documents, none holding the
    word: three of five Greek manual pages quoting "bug" are weaker evidence
    than 500 of 1,400 English ones.
    """
    words = {code: {text for field, text in query.iter_all_terms()
                    if field.endswith("_exact")} for code, query in parsed.items()}
    shared = set.intersection(*words.values()) if words else set()
    rates = {code: {word: max(searcher.doc_frequency(f, word) for f in EXACT_FIELDS)
                    / (searcher.doc_count() + PRIOR_DOCUMENTS) for word in shared}
             for code, searcher in searchers.items()}
    best = {word: max(rate[word] for rate in rates.values()) for word in shared}
    counted = [word for word in shared if best[word] > 0]
    if not counted:
        return {code: 1.0 for code in searchers}
    return {code: (sum(rates[code][w] / best[w] for w in counted) + WEIGHT_FLOOR)
            / (len(counted) + WEIGHT_FLOOR) for code in searchers}


def _languages(generation: Generation, query: Query, languages) -> list[str]:
    """The indexes to search: asked for, narrowed by lang: filters, minus -lang:."""
    codes = set(generation.indexes)
    if languages:
        codes &= set(languages)
    if query.languages:
        codes &= query.languages
    return sorted(codes - query.excluded)


def _filter(query: Query, tags):
    parts = []
    if query.date_from or query.date_to:
        start = dt.datetime.combine(query.date_from, dt.time()) if query.date_from else None
        end = (dt.datetime.combine(query.date_to, dt.time.max) if query.date_to else None)
        parts.append(wq.DateRange("date", start, end))
    parts.extend(wq.Term("tags", tag.lower()) for tag in tags)
    return wq.And(parts) if parts else None


@dataclass(frozen=True)
class _Statement:
    """One statement a search found: the version that represents it, and what orders it."""

    match: _Match
    score: float
    """The fused score of its best version."""
    missing: int
    """The fewest query words any of its versions lacks."""
    date: int | None
    """The date of the version shown, else of another version that matched."""


def _group(fused, prefer: str | None = None) -> list[_Statement]:
    """Statements, those lacking fewer query words first, then in fused order.

    A statement's best version is the best-fused of those lacking fewest
    words; it is represented by its version in ``prefer`` (the reader's
    language) when that matched, else by its best version.
    """
    versions: dict[str, list] = {}
    for match, score in fused:
        versions.setdefault(match.key, []).append((match, score))
    statements = []
    for found in versions.values():
        missing = min(match.missing for match, _ in found)
        best, score = next(pair for pair in found if pair[0].missing == missing)
        shown = next((match for match, _ in found if match.lang == prefer), best)
        date = next((m.date for m in (shown, *(m for m, _ in found)) if m.date is not None),
                    None)
        statements.append(_Statement(shown, score, missing, date))
    statements.sort(key=lambda statement: (statement.missing, -statement.score))
    return statements


def _matched_versions(ranked: dict) -> dict[str, dict]:
    """For each statement key, its versions that matched: file -> Whoosh hit."""
    matched: dict[str, dict] = defaultdict(dict)
    for matches in ranked.values():
        for match, _ in matches:
            matched[match.key][match.file] = match.hit
    return matched


def _timeline(ranked: dict) -> dict[str, dict[str, int]]:
    """Dated statements matched per year and language (before any language filter)."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for code, matches in ranked.items():
        for match, _ in matches:
            if match.date is not None:
                counts[str(long_to_datetime(match.date).year)][code] += 1
    return {year: dict(sorted(langs.items())) for year, langs in sorted(counts.items())}


def _sort(statements: list[_Statement], sort: str) -> list[_Statement]:
    """Relevance keeps the order of :func:`_group`; by date, undated statements go last."""
    if sort == "relevance":
        return statements
    dated = [s for s in statements if s.date is not None]
    undated = [s for s in statements if s.date is None]
    dated.sort(key=lambda s: s.date, reverse=(sort == "newest"))
    return dated + undated


def _result(generation: Generation, hit, matched: dict, score: float, query: Query,
            marker: Marker | None) -> Result:
    """One statement as a result, marked and explained by ``marker``.

    Out of time (no ``marker``), a result is still listed, with its title,
    opening words and versions, but neither marked nor explained.
    """
    title, body = hit.get("title", ""), hit.get("body", "")
    found_title = marker.title(hit.docnum, title) if marker and title else []
    found_body = marker.body(hit.docnum, body) if marker else []
    date = hit.get("date")
    versions = []
    for v in generation.catalog.get(hit["key"], []):
        found = matched.get(v["file"])
        why, missing = (explain(found.searcher, found.docnum, query.words, found.results.q,
                                found.fields())
                        if found and query.text and marker else ([], []))
        versions.append(Version(
            lang=v["lang"], language=get_language(v["lang"]).native_name,
            title=v["title"], url=v["url"], file=v["file"], matched=found is not None,
            why=why, missing=missing))
    shown = next(v for v in versions if v.file == hit["file"])
    return Result(
        key=hit["key"], lang=hit["lang"], title=title, missing=shown.missing,
        title_html=title_html(title, found_title, body, found_body),
        snippet=snippet(body, found_body) if marker else opening(body),
        score=round(score, 6), date=date.date().isoformat() if date else None,
        url=hit.get("url"), file=hit["file"], versions=versions, untitled=not title,
    )


def _understood(query: Query, codes: list[str]) -> dict:
    return {
        "words": query.text,
        "languages": codes,
        "date_from": query.date_from.isoformat() if query.date_from else None,
        "date_to": query.date_to.isoformat() if query.date_to else None,
    }
