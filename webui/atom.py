"""An Atom feed of a search, newest first, for a researcher's feed reader."""

from __future__ import annotations

import datetime as dt
import re
from xml.etree import ElementTree as ET

from search.highlight import plain

ATOM = "http://www.w3.org/2005/Atom"


NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot hold, even escaped; a query or a statement may have them."""


def _add(parent, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}",
                            {name: NOT_XML.sub("", value) for name, value in attributes.items()})
    if text is not None:
        element.text = NOT_XML.sub("", text)
    return element


def _timestamp(date: str | None, fallback: str) -> str:
    """Atom needs a full timestamp: a statement's date at midnight UTC, or ``fallback``."""
    if not date:
        return fallback
    return dt.datetime.combine(dt.date.fromisoformat(date), dt.time(),
                               dt.timezone.utc).isoformat()


def feed(page, *, title: str, self_url: str, html_url: str, statement_url, indexed,
         built: str) -> bytes:
    """The feed of one result page.

    :param statement_url: a function of (key, lang) giving the statement page's URL.
    :param indexed: a function of a result giving when its text was first
        indexed as it is: the time of an undated entry, which therefore does
        not look new after every rebuild, only when its text changes.
    :param built: when the index was built: the feed's time when it is empty.
    """
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    _add(root, "title", title)
    _add(root, "id", self_url)
    _add(root, "link", rel="self", href=self_url, type="application/atom+xml")
    _add(root, "link", rel="alternate", href=html_url, type="text/html")
    entries = [(r, _timestamp(r.date, indexed(r))) for r in page.results]
    _add(root, "updated", max((when for _, when in entries), default=built))
    _add(_add(root, "author"), "name", "Statements search")
    for result, when in entries:
        url = statement_url(result.key, result.lang)
        entry = _add(root, "entry")
        entry.set("{http://www.w3.org/XML/1998/namespace}lang", result.lang)
        _add(entry, "title", plain(result.title_html))
        _add(entry, "id", url)
        _add(entry, "link", rel="alternate", href=url, hreflang=result.lang)
        _add(entry, "updated", when)
        _add(entry, "summary", plain(result.snippet))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
