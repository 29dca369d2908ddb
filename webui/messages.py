"""Errors in the reader's language: one table from a message id to a translatable sentence.

The library raises its errors with a message id and the values they name
(``SearchError.message_id``, ``.params``); here each id is a whole sentence
that a translator can reorder, so a page never says half a sentence in
English.  A value the reader typed is shown as typed, set apart from the
sentence (``translate="no"``, its direction isolated).
"""

from __future__ import annotations

import re

from flask_babel import gettext
from markupsafe import Markup, escape


def N_(message: str) -> str:
    """Mark a message for translation where it is defined; it is translated when shown."""
    return message


MESSAGES = {
    "query-empty": N_("The query is empty: type one or more words."),
    "query-too-long": N_("The query is %(length)s characters long; the limit is %(limit)s."),
    "query-nul": N_("The query holds a NUL character at position %(position)s."),
    "too-many-words": N_("The query has %(count)s words; the limit is %(limit)s."),
    "query-unreadable": N_("The query cannot be read (%(detail)s)."),
    "query-failed": N_("The query cannot be run (%(detail)s)."),
    "quote-unclosed": N_("The quotation mark at position %(position)s is never closed."),
    "paren-unopened": N_("The “)” at position %(position)s closes no “(”."),
    "paren-unclosed": N_("Brackets “(” left open: %(count)s; add “)”."),
    "fuzzy-edits": N_("A word with ~ allows at most %(limit)s changes; %(word)s asks for more."),
    "query-too-general": N_("The words with *, ? or ~ stand for %(total)s words of the index "
                            "together, more than %(limit)s: use fewer of them, or more "
                            "specific ones."),
    "prefix-too-general": N_("%(word)s stands for more than %(limit)s different words: put "
                             "more letters before the * or ?."),
    "fuzzy-too-general": N_("%(word)s stands for more than %(limit)s different words: allow "
                            "fewer changes (~1) or keep more first letters (~2/2)."),
    "range-too-general": N_("%(word)s stands for more than %(limit)s different words: "
                            "narrow the range."),
    "language-unknown": N_("There is no language with the code %(code)s%(where)s; a language "
                           "is named by its ISO 639 code, such as %(known)s."),
    "date-negated": N_("-date: cannot be used%(where)s; write date:..YYYY or date:YYYY.. "
                       "for an open range."),
    "date-out-of-range": N_("There is no date %(value)s%(where)s: dates run from 0001 to "
                            "9999."),
    "dates-backwards": N_("The dates %(start)s..%(end)s end before they start%(where)s: put "
                          "the earlier date first."),
    "date-invalid": N_("%(text)s is not a date%(where)s: write YYYY, YYYY-MM or YYYY-MM-DD, "
                       "for example date:2015..2017 or date:>2018-06."),
    "field-date-invalid": N_("%(text)s in “%(field)s” is not a date: write a year (2015), a "
                             "month (2015-06) or a day (2015-06-30)."),
    "field-dates-backwards": N_("“From” (%(start)s) is after “To” (%(end)s): put the earlier "
                                "date in “From”."),
    "page-range": N_("There is no page %(value)s: pages run from 1 to %(limit)s."),
    "per-page-range": N_("Results per page must be from 1 to %(limit)s, not %(value)s."),
    "sort-unknown": N_("There is no order %(value)s; the orders are %(allowed)s."),
    "method-unknown": N_("There is no merging method %(value)s; the methods are "
                         "%(allowed)s."),
    "not-a-number": N_("%(name)s must be a whole number, not %(value)s."),
    "statement-missing": N_("There is no statement %(key)s."),
    "version-missing": N_("The statement %(key)s has no version in %(lang)s; it has "
                          "%(available)s."),
    "index-missing": N_("There is no search index yet: the site's administrator builds it "
                        "with %(command)s."),
    "index-damaged": N_("The search index cannot be read: the site's administrator rebuilds "
                        "it with %(command)s."),
    "request-too-long": N_("The address is %(length)s bytes long; the limit is %(limit)s."),
    "http-404": N_("There is no page at this address."),
    "http-405": N_("This address cannot be used with the %(method)s method."),
    "http-413": N_("The request is too large."),
    "http-503": N_("The server is running as many exports as it can at once: try again in "
                   "%(retry)s seconds."),
    "http-error": N_("The request failed (HTTP %(status)s)."),
    "bad-host": N_("The address names no valid host."),
    "internal": N_("Something went wrong on the server; its log has the details."),
}

FIELDS = {"from": N_("From"), "to": N_("To")}
"""The search form's fields that an error can name, by their parameter."""

QUOTED = {"text", "value", "word", "code", "key", "lang", "name"}
"""Parameters that repeat what the reader typed: shown in quotation marks, as typed."""

COMMAND = "python -m indexer rebuild"
"""What builds the index, named by the messages that say it is missing or damaged."""

POSITION = re.compile(r"at position (\d+)")


def say(message_id: str, params: dict) -> Markup | None:
    """The whole message in the interface language, as HTML; ``None`` for an unknown id."""
    template = MESSAGES.get(message_id)
    if template is None:
        return None
    return Markup(escape(gettext(template))) % {
        name: _value(name, value)
        for name, value in {"command": COMMAND, "where": "", **params}.items()}


def say_text(message_id: str, params: dict) -> str | None:
    """The same message as plain text, for the JSON API."""
    html = say(message_id, params)
    return None if html is None else html.striptags()


def _value(name: str, value) -> Markup:
    if name == "where":
        return _where(value)
    if name == "field":
        return escape(gettext(FIELDS[value]))
    if isinstance(value, int):
        return escape(value)
    shown = Markup('<bdi translate="no">%s</bdi>') % value
    return Markup(gettext("“%(value)s”")) % {"value": shown} if name in QUOTED else shown


def _where(where: str) -> Markup:
    """Where in the query a problem is (``at position 3``), in the interface language."""
    found = POSITION.fullmatch(where or "")
    if not found:
        return Markup("")
    return escape(" (" + gettext("at position %(position)s", position=found[1]) + ")")
