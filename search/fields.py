"""The twin fields: each text field indexed by several chains, named here once.

A text field (``title``, ``body``) is indexed side by side by several
analysis chains, each in a field of its own, its "twins": ``body_exact``,
``body``, ``body_folded`` and, in a language typed in Latin letters too,
``body_latin``.  The schema, the query parser, the highlighter, "why this
matched", suggestions and language weights all read the table below.

One twin has three names, each kept where it is seen: the code calls it
*romanised* (the chain and the table's ``ROMANISED``); the index calls its
fields ``*_latin`` (an index's field names are its format, so they stay);
"why this matched" calls a match in it ``greeklish`` (the word the JSON and
the pages already show, Greek being the one language romanised).
"""

from __future__ import annotations

from dataclasses import dataclass

TEXT_FIELDS = ("title", "body")
"""The fields a query searches by default, each indexed by every twin; the
stemmed twin carries the field's own name and stores its text."""
WORD_TABLE = "body_offsets"
"""The column keeping where each word of the body starts and ends (``search.schema.Offsets``)."""


@dataclass(frozen=True)
class Twin:
    """One way of indexing a text field.

    ``suffix`` makes its field's name (``body`` + ``_exact``); ``chain``
    names its analysis (``search.analysis.read_word``); ``shown_as`` is what
    "why this matched" calls a match in it.  ``expands``: prefix, wildcard
    and fuzzy words search it (a stem or a romanisation key is no word to
    complete or misspell).  ``romanised``: only a language whose record
    names a romanisation has it, and a query word may stand for several of
    its terms at one position.
    """

    suffix: str
    chain: str
    shown_as: str
    expands: bool = False
    romanised: bool = False
    boost: float = 1.0
    """Twins weigh the same, which already ranks exact over stemmed over folded:
    a word counts its best twin and a tenth of the others (``search.scores``),
    and a word as written matches all three.  Graded boosts (3, 2, 1) measured
    no better (docs/ranking.md)."""

    def field(self, name: str) -> str:
        """This twin's field of the text field ``name``."""
        return name + self.suffix

    def fields(self) -> tuple[str, ...]:
        """This twin's field of every text field."""
        return tuple(self.field(name) for name in TEXT_FIELDS)


EXACT = Twin("_exact", "exact", "exact", expands=True)
STEMMED = Twin("", "stemmed", "stemmed")
FOLDED = Twin("_folded", "folded", "folded", expands=True)
ROMANISED = Twin("_latin", "romanised", "greeklish", romanised=True)

TWINS = (EXACT, STEMMED, FOLDED, ROMANISED)
"""In the order "why this matched" tries them: the first twin holding a word names its form."""


def twins_of(schema) -> list[Twin]:
    """The twins an index has (the romanised one only in a romanised language's)."""
    return [twin for twin in TWINS if all(field in schema for field in twin.fields())]


def text_field(name: str) -> str | None:
    """The text field whose twin ``name`` is (``body_exact`` -> ``body``); None for others."""
    return next((text for text in TEXT_FIELDS
                 if any(name == twin.field(text) for twin in TWINS)), None)


def copies(name: str, names) -> list[str]:
    """The fields among ``names`` that the text of ``name`` fills: its twins, the body's word table."""
    wanted = [twin.field(name) for twin in TWINS] + ([WORD_TABLE] if name == "body" else [])
    return [field for field in wanted if field in names]
