"""Keyword in context: every occurrence of a query's matched words, with what surrounds it."""

from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass, field

from . import merge
from .errors import QueryError
from .highlight import label
from .results import ByName
from .statements import Results

CONTEXT_CHARS = 60
LIMIT = 2000
"""Lines a concordance lists at most."""
SORTS = ("relevance", "left", "right")


@dataclass
class Line(ByName):
    """One occurrence, the text around it cut at word boundaries."""

    left: str
    match: str
    right: str
    key: str
    lang: str
    file: str
    title: str
    date: str | None
    field: str
    """Where the occurrence is: ``title`` or ``body``."""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Concordance(ByName):
    """The lines of a concordance, and whether they were cut (at the limit, or out of time)."""

    lines: list[Line]
    truncated: bool
    names: dict[tuple[str, str], str] = field(default_factory=dict)
    """Each listed version's name by (key, lang): its title, or an untitled one's first
    words, as results name it.  Not in the JSON, whose lines give the title as written."""

    def to_dict(self) -> dict:
        """The JSON shape documented in docs/json.md."""
        return {"lines": [line.to_dict() for line in self.lines], "truncated": self.truncated}


def check_sort(sort: str) -> None:
    """:raise QueryError: for an order a concordance does not know."""
    if sort not in SORTS:
        raise QueryError(f"sort must be {', '.join(SORTS[:-1])} or {SORTS[-1]}, got {sort!r}",
                         "sort-unknown", value=sort, allowed=", ".join(SORTS))


def collect(catalog: dict, runs: dict, query, sort: str, limit: int, deadline: float
            ) -> Concordance:
    """Every occurrence of the query's matched words in the versions the runs matched.

    Versions come in the search's relevance order, all languages fused (so a
    cut at ``limit`` lines keeps the best versions of every language, not the
    first languages); each gives its title's lines, then its body's.
    """
    truncated = any(run.partial for run in runs.values())
    results = Results(catalog, runs, query)
    lines: list[Line] = []
    names: dict[tuple[str, str], str] = {}
    for match, _ in merge.fuse(runs, merge.DEFAULT_METHOD):
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
        names[match.key, match.lang] = label(title, body)
    return Concordance(sort_lines(lines[:limit], sort), truncated or len(lines) > limit, names)


def lines_for(text: str, spans, **document) -> list[Line]:
    """A KWIC line per span: left context, the match as written, right context."""
    lines = []
    for start, end in spans:
        left = text[max(0, start - CONTEXT_CHARS):start]
        right = text[end:end + CONTEXT_CHARS]
        if start > CONTEXT_CHARS and " " in left:
            left = "…" + left.split(" ", 1)[1]
        if end + CONTEXT_CHARS < len(text) and " " in right:
            right = right.rsplit(" ", 1)[0] + "…"
        lines.append(Line(left=" ".join(left.split("\n")), match=text[start:end],
                          right=" ".join(right.split("\n")), **document))
    return lines


def sort_lines(lines: list[Line], by: str) -> list[Line]:
    """``left``: by the words before the match, nearest first; ``right``: by those after.

    Words only (punctuation and the ``…`` of a cut context do not count);
    the match breaks ties between equal contexts.
    """
    if by == "left":
        return sorted(lines, key=lambda l: (_words(l.left)[::-1], _words(l.match)))
    if by == "right":
        return sorted(lines, key=lambda l: (_words(l.right), _words(l.match)))
    return lines


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())
