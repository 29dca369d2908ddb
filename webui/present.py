"""How a statement's text is shown: its writing direction, an untitled one's label, a mended query."""

from __future__ import annotations

import re
from functools import cache

from markupsafe import Markup

from search import get_language
from search.errors import QueryError, UnknownLanguage
from search.highlight import untitled_label
from search.query import read_query

LIST_NUMBER = re.compile(r"^\s*\(?\d{1,3}[.)\-–]\s+")
"""A paragraph's own number ("1. ", "2) ", "1- "), which beside a results list's number
read as a second one."""


@cache
def direction(code: str) -> str:
    """``rtl`` or ``ltr`` for a language code: how a text in it is written.

    The language record's direction; a code that names no language is left to
    the browser (``auto``).
    """
    try:
        return get_language(code).direction
    except UnknownLanguage:
        return "auto"


def untitled_html(title_html: str) -> Markup:
    """The library's label of an untitled statement (its first words, marked) without a leading
    paragraph number."""
    return Markup(LIST_NUMBER.sub("", str(title_html), count=1))


def label(title: str, body: str) -> str:
    """What names a statement: its title, or for an untitled one its first words, as in results."""
    return title or LIST_NUMBER.sub("", untitled_label(body), count=1)


def mended(query: str) -> str | None:
    """The query without the quotation mark or brackets that stop it, if that is all that does.

    Offered on the error page ("search for ... instead"), so that a stray
    quote is not a dead end.
    """
    chars = list(query)
    if query.count('"') % 2:
        del chars[query.rindex('"')]
    opened, stray, quoted = [], [], False
    for position, char in enumerate(chars):
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char == "(":
            opened.append(position)
        elif char == ")" and opened:
            opened.pop()
        elif char == ")":
            stray.append(position)
    for position in sorted(opened + stray, reverse=True):
        del chars[position]
    fixed = " ".join("".join(chars).split())
    if not fixed or fixed == " ".join(query.split()):
        return None
    try:
        read_query(fixed)
    except QueryError:
        return None
    return fixed
