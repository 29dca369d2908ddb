"""From the languages' matches to statements: grouping, order, timeline and the results shown."""

from __future__ import annotations

import time
from collections import defaultdict
from functools import partial
from typing import NamedTuple

from whoosh.util.times import long_to_datetime

from .explain import explain
from .highlight import Marker, opening, snippet, title_html
from .languages import get_language
from .query import Query
from .ranking import Match, Run
from .results import Result, Version


class Statement(NamedTuple):
    """One statement a search found: the version that represents it, and what orders it.

    A named tuple, as :class:`~search.ranking.Match` is: one is made per statement found.
    """

    match: Match
    score: float
    """The fused score of its best version."""
    missing: int
    """The fewest query words any of its versions lacks."""
    date: int | None
    """The date of the version shown, else of another version that matched."""


def group(fused, prefer: str | None = None) -> list[Statement]:
    """Statements in fused order, each at the place of its best version.

    A statement is represented by its version in ``prefer`` (the reader's
    language) when that matched, else by its best version.
    """
    versions: dict[str, list] = {}
    for match, score in fused:  # best first, so statements come in order of their best
        versions.setdefault(match.key, []).append((match, score))
    statements = []
    for found in versions.values():
        best, score = found[0]
        if len(found) == 1:  # most statements match in one language: the short way
            statements.append(Statement(best, score, best.missing, best.date))
            continue
        shown = next((match for match, _ in found if match.lang == prefer), best)
        date = next((m.date for m in (shown, *(m for m, _ in found)) if m.date is not None),
                    None)
        statements.append(Statement(shown, score, min(m.missing for m, _ in found), date))
    return statements


def order(statements: list[Statement], sort: str) -> list[Statement]:
    """Relevance keeps the order of :func:`group`; by date, undated statements go last."""
    if sort == "relevance":
        return statements
    dated = [s for s in statements if s.date is not None]
    undated = [s for s in statements if s.date is None]
    dated.sort(key=lambda s: s.date, reverse=(sort == "newest"))
    return dated + undated


def matched_versions(runs: dict[str, Run]) -> dict[str, dict[str, Match]]:
    """For each statement key, its versions that matched: file -> match."""
    matched: dict[str, dict] = defaultdict(dict)
    for run in runs.values():
        for match in run.matches:
            matched[match.key][match.file] = match
    return matched


def timeline(runs: dict[str, Run]) -> dict[str, dict[str, int]]:
    """Dated statements matched per year and language (before any language filter)."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for code, run in runs.items():
        for match in run.matches:
            if match.date is not None:
                counts[str(long_to_datetime(match.date).year)][code] += 1
    return {year: dict(sorted(langs.items())) for year, langs in sorted(counts.items())}


class Results:
    """Builds the results shown, one language's marker and stored texts at a time."""

    def __init__(self, catalog: dict, runs: dict[str, Run], query: Query) -> None:
        self.catalog, self.runs, self.query = catalog, runs, query
        self._markers: dict[str, Marker] = {}

    def fields(self, match: Match) -> dict:
        """A matched version's stored fields (its text among them)."""
        return self.runs[match.lang].searcher.stored_fields(match.docnum)

    def marker(self, code: str) -> Marker:
        """The marker of one language's matches in this search."""
        if code not in self._markers:
            run = self.runs[code]
            self._markers[code] = Marker(run.searcher, run.executed, run.lists)
        return self._markers[code]

    def page(self, shown: list[Statement], matched: dict[str, dict[str, Match]],
             deadline: float) -> tuple[list[Result], bool]:
        """The results of a page, marked and explained while time lasts; whether it ran out."""
        if self.query.text and time.perf_counter() < deadline:
            self._prefetch(shown, matched)
        results, late = [], False
        for statement in shown:
            in_time = time.perf_counter() < deadline
            late |= not in_time
            results.append(self.result(statement, matched[statement.match.key], in_time))
        return results, late

    def _prefetch(self, shown: list[Statement], matched: dict[str, dict[str, Match]]) -> None:
        """Read what every version on a page holds of the query, one language at a time.

        Each of the query's terms is then looked up once per language of the
        page, not once per version shown.
        """
        docs: dict[str, list[int]] = defaultdict(list)
        for statement in shown:
            for match in (statement.match, *matched[statement.match.key].values()):
                docs[match.lang].append(match.docnum)
        for code, docnums in docs.items():
            self.marker(code).prefetch(docnums)

    def result(self, statement: Statement, matched: dict[str, Match], detailed: bool
               ) -> Result:
        """One statement as a result; marked and explained when ``detailed``.

        Out of time, a result is still listed, with its title, opening words
        and versions, but neither marked nor explained.
        """
        match = statement.match
        fields = self.fields(match)
        title, body = fields.get("title", ""), fields.get("body", "")
        marker = self.marker(match.lang) if detailed else None
        found_title = marker.title(match.docnum, title) if marker and title else []
        found_body = marker.body(match.docnum, body) if marker else []
        versions = [self._version(v, matched.get(v["file"]), detailed)
                    for v in self.catalog.get(match.key, [])]
        shown = next(v for v in versions if v.file == match.file)
        fewest = min((v for v in versions if v.matched),
                     key=lambda v: (len(v.missing), v is not shown))
        date = fields.get("date")
        return Result(
            key=match.key, lang=match.lang, title=title, missing=fewest.missing,
            title_html=title_html(title, found_title, body, found_body),
            snippet=snippet(body, found_body) if marker else opening(body),
            score=round(statement.score, 6), date=date.date().isoformat() if date else None,
            url=fields.get("url"), file=match.file, versions=versions, untitled=not title)

    def _version(self, version: dict, found: Match | None, detailed: bool) -> Version:
        """One version of a result's statement, with why it matched when it did."""
        why, missing = [], []
        if found is not None and self.query.text and detailed:
            run = self.runs[found.lang]
            why = explain(self.marker(found.lang), found.docnum, self.query.words,
                          run.executed, partial(self.fields, found))
            missing = [self.query.units[at] for at in run.lacking(found)]
        return Version(lang=version["lang"], language=get_language(version["lang"]).native_name,
                       title=version["title"], url=version["url"], file=version["file"],
                       matched=found is not None, why=why, missing=missing)


def understood(query: Query, codes: list[str]) -> dict:
    """How the query was read: its words, the languages shown and the dates."""
    return {
        "words": query.text,
        "languages": codes,
        "date_from": query.date_from.isoformat() if query.date_from else None,
        "date_to": query.date_to.isoformat() if query.date_to else None,
    }
