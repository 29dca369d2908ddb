"""Run a query on every language index and return statements: the stages in order.

Each stage lives in a module of its own (docs/architecture.md): the query is
read (``query``), run in each language (``ranking``), merged across
languages (``merge``), grouped into statements and shown (``statements``).
The :class:`Engine` keeps Whoosh searchers open between queries (one set per
thread, since Whoosh readers are not shared safely between threads) and
follows the ``current`` link (``generation.Served``), so a server picks up a
new index without a restart.
"""

from __future__ import annotations

import functools
import gc
import time
from dataclasses import replace
from pathlib import Path

from . import concordance as kwic
from . import merge, ranking, statement_page, statements
from .cache import PageCache
from .concordance import Concordance
from .errors import SearchError, StatementMissing
from .generation import Generation, Served
from .query import read_query
from .request import MAX_EXPORT, SearchRequest
from .results import ResultPage
from .searchers import Searchers
from .statement_page import StatementPage
from .suggest import suggest

TIME_LIMIT = 3.0
"""Seconds a search may spend collecting hits; past it, what was found is
returned and flagged ``partial`` (a pathological wildcard or fuzzy query
cannot hold a server thread)."""
EXPORT_TIME_LIMIT = TIME_LIMIT
"""Seconds an export (a CSV file of up to thousands of results) may take: a
search's.  Matching stops there as a search's does, and the results past it
are listed without marks or "why" (20 s let four exports hold a server)."""
FILE_CHECK_SECONDS = 1.0
"""Seconds between two checks that the served index files are as built (a
stat of each, about a millisecond at 20,000 documents)."""
SUGGEST_BELOW = 3
"""Offer a spelling suggestion when fewer statements than this hold every word."""
YOUNG_OBJECTS = 10_000
"""Objects the process may gain before Python's collector looks for cycles among the
youngest (its default is 700).  A search holds thousands of objects while it
runs (the lists it read, a match per document); at 700 they outlive several
collections, are taken for long-lived, and every fifteenth search or so sets
off a collection of the whole heap (the caches of every word read, 75 ms at
20,000 documents) that finds no garbage (the few cycles searches leave, some
550 objects in 400 searches, the young collections find).  At 10,000, 400
searches at 20,000 documents set off 3 such collections instead of 27
(``docs/benchmarks.md``)."""


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
            if self._served.generation is not None:
                self._served.generation.check()
            raise
    return reading


class Engine:
    """Searches the index at ``root`` across all its languages."""

    def __init__(self, root: Path | str) -> None:
        young, *older = gc.get_threshold()
        if young and young < YOUNG_OBJECTS:  # 0: the host switched the collector off
            gc.set_threshold(YOUNG_OBJECTS, *older)
        self.root = Path(root)
        self._served = Served(self.root)
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
        selected = query.indexes(generation.indexes, request.languages)
        shown_up_to = request.page * request.per_page
        reach = (merge.Reach(request.method, selected, shown_up_to)
                 if request.sort == "relevance" else None)
        runs = ranking.run_languages(generation, self._searchers, generation.indexes, query,
                                     request.tags, deadline, shown_up_to, reach)
        found = statements.order(
            statements.group(merge.fuse(runs, request.method, selected), request.prefer),
            request.sort)
        all_words = sum(1 for statement in found if not statement.missing)
        matched = statements.matched_versions(runs)
        results = statements.Results(generation.catalog, runs, query)
        shown, late = results.page(found[shown_up_to - request.per_page:shown_up_to], matched,
                                   deadline)
        searchers = {code: run.searcher for code, run in runs.items()}
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
            method=request.method, partial=late or any(run.partial for run in runs.values()),
            timeline=statements.timeline(runs))

    @_reads_index
    def concordance(self, text: str, *, languages=None, date_from=None, date_to=None,
                    sort: str = "relevance", limit: int = kwic.LIMIT) -> Concordance:
        """Every occurrence of the query's matched words in the matching versions (KWIC).

        Lines come in the search's relevance order (``search.concordance``);
        ``sort`` ``left`` or ``right`` orders them by their context instead.
        They are ``truncated`` when cut at ``limit``, or at the time limit.
        """
        kwic.check_sort(sort)
        query = read_query(text)
        query.narrow_dates(date_from, date_to)
        generation = self._current()
        deadline = time.perf_counter() + TIME_LIMIT
        runs = ranking.run_languages(generation, self._searchers,
                                     query.indexes(generation.indexes, languages), query, (),
                                     deadline, limit)
        return kwic.collect(generation.catalog, runs, query, sort, limit, deadline)

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
    def statement(self, key: str, query: str | None = None) -> StatementPage:
        """Every version of one statement with its stored text, by language.

        With ``query``, each version also lists ``marks``: the words of its
        text (as written) that the query matches, for highlighting.
        """
        return statement_page.read(self._current(), self._searchers, key, query, TIME_LIMIT)

    def _current(self) -> Generation:
        """The served generation, reopened when the ``current`` link has moved."""
        return self._served.current(every=FILE_CHECK_SECONDS)
