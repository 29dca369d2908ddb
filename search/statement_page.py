"""A statement's page: every version with its whole text, the query's words to mark in it."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

from whoosh import query as wq
from whoosh.searching import TimeLimit

from . import highlight, ranking
from .errors import StatementMissing, VersionMissing
from .languages import get_language
from .query import read_query
from .results import ByName


@dataclass
class VersionText(ByName):
    """One version of a statement: its catalog record (fields in the catalog's order),
    its text, and the query's marks."""

    date: str | None
    file: str
    indexed: str
    """When its text, as it is now, was first indexed (ISO 8601, UTC)."""
    lang: str
    title: str
    url: str | None
    body: str
    """The text as plain text (Markdown removed), as searched and marked."""
    markdown: str
    language: str
    marks: list[str]
    """The words of its text, as written, that the query matches (for highlighting)."""

    @property
    def label(self) -> str:
        """What names it: its title, or its first words when untitled."""
        return highlight.label(self.title, self.body)


@dataclass
class StatementPage(ByName):
    """Every version of one statement, in the catalog's order (by language)."""

    key: str
    versions: list[VersionText]

    def __iter__(self):
        return iter(self.versions)

    def version(self, lang: str) -> VersionText:
        """The version in ``lang``.

        :raise VersionMissing: naming the languages it has.
        """
        for version in self.versions:
            if version.lang == lang:
                return version
        raise VersionMissing(self.key, lang, [v.lang for v in self.versions])

    def readers(self, lang: str) -> VersionText:
        """The version shown first to a reader of ``lang``: in that language, else the first."""
        return next((v for v in self.versions if v.lang == lang), self.versions[0])

    def to_dict(self) -> dict:
        """The JSON shape documented in docs/json.md."""
        return {"key": self.key, "versions": [asdict(v) for v in self.versions]}


def read(generation, searchers, key: str, text: str | None, time_limit: float
         ) -> StatementPage:
    """Every version of the statement ``key``; with a query ``text``, each one's marks.

    :param searchers: the thread's :class:`~search.searchers.Searchers`.
    :raise StatementMissing: when the served index has no such statement.
    """
    versions = generation.catalog.get(key)
    if not versions:
        raise StatementMissing(key)
    query = read_query(text) if text and text.strip() else None
    deadline = time.perf_counter() + time_limit
    shown = []
    for version in versions:
        searcher = searchers.get(generation, version["lang"])
        fields = searcher.document(file=version["file"])
        marks = _marks(generation, searcher, version, fields, query, deadline)
        shown.append(VersionText(**version, body=fields["body"], markdown=fields["markdown"],
                                 language=get_language(version["lang"]).native_name,
                                 marks=sorted(marks)))
    return StatementPage(key, shown)


def _marks(generation, searcher, version: dict, fields: dict, query, deadline: float
           ) -> set[str]:
    """The words of one version that the query matches (none once out of time)."""
    if query is None or not query.text:
        return set()
    try:
        executable = ranking.executable(
            generation, version["lang"], searcher.reader(),
            ranking.parse(generation, version["lang"], query), deadline)
    except TimeLimit:
        return set()
    if executable is wq.NullQuery:
        return set()
    whoosh_query = wq.And([executable, wq.Term("file", version["file"])])
    for hit in searcher.search(whoosh_query, limit=1):
        marker = highlight.Marker(searcher, executable)
        title, body = fields.get("title", ""), fields["body"]
        return ({title[a:b] for a, b in marker.title(hit.docnum, title)}
                | {body[a:b] for a, b in marker.body(hit.docnum, body)})
    return set()
