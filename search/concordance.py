"""Keyword in context: every occurrence of a query's matched words, with what surrounds it."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from whoosh import query as wq

CONTEXT_CHARS = 60
TEXTS = ("title", "body")
TWINS = ("_folded", "_latin")
"""The broadest twin, whose matches cover the exact and stemmed ones, and the
Greeklish twin where the language has one."""


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


def field_terms(parsed, reader, field: str) -> set[str]:
    """The indexed terms of ``field`` that the query stands for, prefix and fuzzy words expanded."""
    terms: set[str] = set()
    for leaf in parsed.leaves():
        if getattr(leaf, "fieldname", None) != field:
            continue
        if isinstance(leaf, wq.Phrase):
            terms.update(leaf.words)
        elif isinstance(leaf, wq.Term):
            terms.add(leaf.text)
        elif isinstance(leaf, wq.MultiTerm):
            terms.update(t.decode("utf-8") if isinstance(t, bytes) else t
                         for _, t in leaf.expanded_terms(reader))
    return terms


def query_terms(parsed, searcher, text: str) -> dict[str, set[str]]:
    """For each twin of ``text`` (title or body) searched here, the terms the query stands for."""
    fields = [text + twin for twin in TWINS if text + twin in searcher.schema]
    return {field: field_terms(parsed, searcher.reader(), field) for field in fields}


def matched_spans(schema, terms: dict[str, set[str]], text: str) -> list[tuple[int, int]]:
    """Character spans of ``text`` matched in any concordance field, in text order."""
    spans = set()
    for field, texts in terms.items():
        spans.update(occurrences(schema[field].analyzer, text, texts))
    return sorted(spans)


def occurrences(analyzer, text: str, terms: set[str]) -> list[tuple[int, int]]:
    """Character spans of ``text`` whose analysed token is one of ``terms``."""
    return [(t.startchar, t.endchar)
            for t in analyzer(text, chars=True, mode="index", removestops=False)
            if not t.stopped and t.text in terms]


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
