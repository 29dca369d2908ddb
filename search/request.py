"""What a search asks for, checked once: the query and every option around it.

The web pages, the JSON API, the command line and the OpenAPI document all
build a :class:`SearchRequest` from a mapping of option names to text
(``from_mapping``), so an option is read and checked in one place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Mapping

from .errors import QueryError, UnknownLanguage
from .languages import get_language
from .merge import DEFAULT_METHOD, METHODS
from .query import period

SORTS = ("relevance", "newest", "oldest")
MAX_PAGE = 10_000
MAX_PER_PAGE = 100
MAX_EXPORT = 10_000
"""Statements one export (a CSV file of results) may list."""


@dataclass(frozen=True)
class SearchRequest:
    """One search: the query text and its options, valid by construction.

    ``prefer`` is the reader's language: a statement whose version in it
    matched is shown in that version.
    """

    q: str
    languages: tuple[str, ...] = ()
    page: int = 1
    per_page: int = 10
    sort: str = "relevance"
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    tags: tuple[str, ...] = ()
    method: str = DEFAULT_METHOD
    prefer: str | None = None
    most: int = field(default=MAX_PER_PAGE, repr=False, compare=False)
    """The largest ``per_page`` allowed: a page's, or an export's."""

    def __post_init__(self) -> None:
        if not 1 <= self.page <= MAX_PAGE:
            raise QueryError(f"page must be between 1 and {MAX_PAGE}, got {self.page}",
                             "page-range", value=self.page, limit=MAX_PAGE)
        if not 1 <= self.per_page <= self.most:
            raise QueryError(f"per_page must be between 1 and {self.most}, got {self.per_page}",
                             "per-page-range", value=self.per_page, limit=self.most)
        if self.sort not in SORTS:
            raise QueryError(f"sort must be one of {', '.join(SORTS)}, got {self.sort!r}",
                             "sort-unknown", value=self.sort, allowed=", ".join(SORTS))
        if self.method not in METHODS:
            raise QueryError(f"method must be one of {', '.join(METHODS)}, "
                             f"got {self.method!r}", "method-unknown", value=self.method,
                             allowed=", ".join(METHODS))
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise QueryError(
                f"the date range {self.date_from}..{self.date_to} ends before it starts "
                "(from and to); put the earlier date first", "field-dates-backwards",
                start=self.date_from.isoformat(), end=self.date_to.isoformat())
        try:
            codes = tuple(get_language(code).code for code in self.languages or ())
            prefer = get_language(self.prefer).code if self.prefer else None
        except UnknownLanguage as error:
            raise QueryError(str(error), error.message_id, **error.params) from None
        object.__setattr__(self, "languages", codes)
        object.__setattr__(self, "tags", tuple(self.tags or ()))
        object.__setattr__(self, "prefer", prefer)

    @classmethod
    def from_mapping(cls, args: Mapping, *, per_page: int = 10, most: int = MAX_PER_PAGE
                     ) -> "SearchRequest":
        """A request from option names to text (a URL's arguments, say).

        Names: ``q``, ``lang`` (repeated, or comma-separated), ``page``,
        ``per_page``, ``sort``, ``from``, ``to`` (``YYYY[-MM[-DD]]``), ``tag``
        (repeated), ``method``, ``prefer``.  ``per_page`` is the default page size.

        :raise QueryError: for a value that cannot be used, saying which.
        """
        start, end = _text(args, "from"), _text(args, "to")
        return cls(
            q=_text(args, "q"),
            languages=tuple(code for value in _all(args, "lang")
                            for code in value.split(",") if code.strip()),
            page=_number(args, "page", 1),
            per_page=_number(args, "per_page", per_page),
            sort=_text(args, "sort") or "relevance",
            date_from=_date(start, "from")[0] if start else None,
            date_to=_date(end, "to")[1] if end else None,
            tags=tuple(tag for tag in _all(args, "tag") if tag.strip()),
            method=_text(args, "method") or DEFAULT_METHOD,
            prefer=_text(args, "prefer") or None,
            most=most,
        )

    def with_(self, **changes) -> "SearchRequest":
        """This request with some options changed (checked again)."""
        return replace(self, **changes)


def _all(args: Mapping, name: str) -> list[str]:
    """Every value of ``name``: a multi-valued mapping's list, or the one value."""
    if hasattr(args, "getlist"):
        return [str(value) for value in args.getlist(name)]
    value = args.get(name)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]


def _text(args: Mapping, name: str) -> str:
    values = _all(args, name)
    return values[0].strip() if values else ""


def _number(args: Mapping, name: str, default: int) -> int:
    text = _text(args, name)
    if not text:
        return default
    try:
        return int(text)
    except ValueError:
        raise QueryError(f"{name} must be a whole number, got {text!r}", "not-a-number",
                         name=name, value=text) from None


def _date(text: str, name: str) -> tuple[dt.date, dt.date]:
    """The first and last day of the period a form's date field names."""
    try:
        return period(text)
    except QueryError:
        raise QueryError(f"{name}: {text!r} is not a date; write a year (2015), a month "
                         "(2015-06) or a day (2015-06-30)", "field-date-invalid",
                         field=name, text=text) from None
