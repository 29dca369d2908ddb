"""Run a query on every language index and return statements.

The :class:`Engine` keeps Whoosh searchers open between queries (one set per
thread, since Whoosh readers are not shared safely between threads) and
notices a rebuild by the ``current`` link changing, so a server picks up a
new index without a restart.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from dataclasses import replace
from pathlib import Path

from whoosh import query as wq
from whoosh.searching import TimeLimit

from . import ranking, statements
from .cache import PageCache
from .concordance import Line, lines_for, sort_lines
from .errors import IndexMissing, QueryError, SearchError, StatementMissing
from .generation import Generation
from .highlight import Marker
from .languages import get_language
from .merge import DEFAULT_METHOD, METHODS
from .query import Query, read_query
from .request import MAX_EXPORT, SearchRequest
from .results import ResultPage
from .searchers import Searchers
from .store import CURRENT, MANIFEST
from .suggest import suggest

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
"""Offer a spelling suggestion when fewer statements than this hold every word."""


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
        self._searchers = Searchers()
        self._pages = PageCache()

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
        key = (self._current().target, request)
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
        past it, results have no marks and no ``why``.
        """
        if isinstance(request, str):
            request = SearchRequest(request, **options)
        return self._search(request.with_(page=1, per_page=limit, most=MAX_EXPORT),
                            EXPORT_TIME_LIMIT)

    def _search(self, request: SearchRequest, time_limit: float) -> ResultPage:
        started = time.perf_counter()
        deadline = started + time_limit
        query = read_query(request.q)
        query.narrow_dates(request.date_from, request.date_to)
        generation = self._current()
        selected = _languages(generation, query, request.languages)
        shown_up_to = request.page * request.per_page
        runs, parsed = self._rank(generation, generation.indexes, query, request.tags,
                                  deadline, shown_up_to)
        searchers = {code: run.searcher for code, run in runs.items()}
        fused = METHODS[request.method](
            {code: [(m, m.score) for m in runs[code].matches] for code in selected},
            ranking.language_weights(searchers, parsed))
        found = statements.order(statements.group(fused, request.prefer), request.sort)
        all_words = sum(1 for statement in found if not statement.missing)
        matched = statements.matched_versions(runs)
        results = statements.Results(generation.catalog, runs, query)
        partial = any(run.partial for run in runs.values())
        shown = []
        for statement in found[shown_up_to - request.per_page:shown_up_to]:
            in_time = time.perf_counter() < deadline
            partial |= not in_time
            shown.append(results.result(statement, matched[statement.match.key], in_time))
        return ResultPage(
            query=request.q, total=len(found), page=request.page,
            per_page=request.per_page, sort=request.sort, all_words=all_words,
            languages={code: len(run.matches) for code, run in sorted(runs.items())
                       if run.matches},
            suggestion=(suggest(searchers, query, deadline)
                        if all_words < SUGGEST_BELOW and query.text else None),
            results=shown,
            understood=statements.understood(query, selected),
            took_ms=round((time.perf_counter() - started) * 1000, 2),
            method=request.method, partial=partial, timeline=statements.timeline(runs))

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
        runs, parsed = self._rank(generation, _languages(generation, query, languages),
                                  query, (), deadline, limit)
        truncated = any(run.partial for run in runs.values())
        fused = METHODS[DEFAULT_METHOD](
            {code: [(m, m.score) for m in run.matches] for code, run in runs.items()},
            ranking.language_weights({c: r.searcher for c, r in runs.items()}, parsed))
        results = statements.Results(generation.catalog, runs, query)
        lines: list[Line] = []
        for match, _ in fused:
            if len(lines) > limit or time.perf_counter() > deadline:
                truncated = True
                break
            fields, marker = results.fields(match), results.marker(match.lang)
            date = fields.get("date")
            title, body = fields.get("title", ""), fields.get("body", "")
            for name, written, spans in (("title", title, marker.title(match.docnum, title)),
                                         ("body", body, marker.body(match.docnum, body))):
                lines += lines_for(written, spans, key=match.key, lang=match.lang,
                                   file=match.file, title=title, field=name,
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
            searcher = self._searchers.get(generation, version["lang"])
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
            executable = ranking.executable(
                generation, version["lang"], searcher.reader(),
                _parse(generation, version["lang"], parsed), deadline)
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

    def _rank(self, generation: Generation, codes, query: Query, tags, deadline: float,
              needed: int) -> tuple[dict, dict]:
        """Each language's run (its matches, best first) and parsed query.

        Languages left when the deadline passes are not searched (their run
        is ``partial``).
        """
        runs, parsed, trees = {}, {}, {}
        for code in codes:
            searcher = self._searchers.get(generation, code)
            parsed[code] = _parse(generation, code, query, trees)
            if time.perf_counter() > deadline:
                runs[code] = ranking.Run(code, searcher, partial=True)
                continue
            runs[code] = ranking.run(generation, code, searcher, parsed[code], query, tags,
                                     deadline, needed)
        return runs, parsed


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
    if shape not in trees:
        trees[shape] = parser.process(query.text)
    return trees[shape].query(parser).normalize()


def _languages(generation: Generation, query: Query, languages) -> list[str]:
    """The indexes to search: asked for, narrowed by lang: filters, minus -lang:."""
    codes = set(generation.indexes)
    if languages:
        codes &= set(languages)
    if query.languages:
        codes &= query.languages
    return sorted(codes - query.excluded)
