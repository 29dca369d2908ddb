"""Keyword in context: every occurrence of a query's matched words, with what surrounds it."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

CONTEXT_CHARS = 60


@dataclass
class Line:
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
