"""Citations of one statement version: CSL-JSON (Zotero, Pandoc) and BibTeX."""

from __future__ import annotations

import re

from search.highlight import untitled_label
from search.languages import get_language

_BIBTEX_SPECIAL = re.compile(r"([\\{}%&$#_~^])")


def _title(version: dict) -> str:
    return version["title"] or untitled_label(version["body"])


def _cite_key(key: str, lang: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", f"{key}-{lang}")


def csl_json(key: str, version: dict, *, organisation: str, page_url: str) -> dict:
    """One CSL-JSON item; the statement's own URL when known, else this server's page."""
    item = {
        "id": _cite_key(key, version["lang"]),
        "type": "document",
        "title": _title(version),
        "author": [{"literal": organisation}],
        "publisher": organisation,
        "language": version["lang"],
        "URL": version.get("url") or page_url,
    }
    if version.get("date"):
        item["issued"] = {"date-parts": [[int(p) for p in version["date"].split("-")]]}
    return item


def bibtex(key: str, version: dict, *, organisation: str, page_url: str) -> str:
    """One ``@misc`` entry (biblatex-friendly: ``date`` and ``langid``)."""
    fields = [
        ("title", _escape(_title(version))),
        ("author", "{" + _escape(organisation) + "}"),
        ("organization", _escape(organisation)),
        ("langid", get_language(version["lang"]).name.lower()),
        ("url", version.get("url") or page_url),
    ]
    if version.get("date"):
        fields += [("date", version["date"]), ("year", version["date"][:4])]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{_cite_key(key, version['lang'])},\n{body}\n}}\n"


def _escape(text: str) -> str:
    return _BIBTEX_SPECIAL.sub(r"\\\1", text)
