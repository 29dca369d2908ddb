"""Citations of one statement version: CSL-JSON (Zotero, Pandoc) and BibTeX."""

from __future__ import annotations

import re
import urllib.parse

from search import VersionText, get_language

_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
    "%": r"\%", "&": r"\&", "$": r"\$", "#": r"\#", "_": r"\_",
    "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
"""LaTeX for each character that BibTeX or LaTeX would read as markup.  Braces
become commands, never ``\\{``: BibTeX counts every brace, escaped or not, so
one unbalanced brace would end the field and let the rest start a new entry."""
_URL_SAFE = "!#$&'()*+,-./:;=?@[]_~%"
"""Characters a URL keeps as they are in a citation; every other one is percent-encoded."""


def _cite_key(key: str, lang: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", f"{key}-{lang}")


def csl_json(key: str, version: VersionText, *, organisation: str, page_url: str) -> dict:
    """One CSL-JSON item; the statement's own URL when known, else this server's page."""
    item = {
        "id": _cite_key(key, version.lang),
        "type": "document",
        "title": version.label,
        "author": [{"literal": organisation}],
        "publisher": organisation,
        "language": version.lang,
        "URL": version.url or page_url,
    }
    if version.date:
        item["issued"] = {"date-parts": [[int(p) for p in version.date.split("-")]]}
    return item


def bibtex(key: str, version: VersionText, *, organisation: str, page_url: str) -> str:
    """One ``@misc`` entry (biblatex-friendly: ``date`` and ``langid``)."""
    fields = [
        ("title", _escape(version.label)),
        ("author", "{" + _escape(organisation) + "}"),
        ("organization", _escape(organisation)),
        ("langid", get_language(version.lang).name.lower()),
        ("url", _url(version.url or page_url)),
    ]
    if version.date:
        fields += [("date", _escape(version.date)), ("year", _escape(version.date[:4]))]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{_cite_key(key, version.lang)},\n{body}\n}}\n"


def _escape(text: str) -> str:
    """A field's text with every special character as LaTeX, on one line."""
    return "".join(_BIBTEX_SPECIAL.get(char, char) for char in " ".join(text.split()))


def _url(url: str) -> str:
    """A URL as a ``url`` field takes it verbatim: braces, backslashes, spaces and
    the like percent-encoded, which names the same address."""
    return urllib.parse.quote(url, safe=_URL_SAFE)
