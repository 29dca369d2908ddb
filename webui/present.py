"""How a statement's text is shown: its writing direction; a mended query."""

from __future__ import annotations

from functools import cache

from search import QueryError, UnknownLanguage, get_language
from search.query import read_query


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
