"""The interface's translations: complete, and compiled from their sources."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

WEBUI = Path(__file__).resolve().parent.parent / "webui"
LANGUAGES = ["el", "pl"]
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]


def _catalog(lang: str):
    with open(WEBUI / "translations" / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_interface_string_is_translated(lang):
    catalog = _catalog(lang)
    for _, _, message, _, _ in extract_from_dir(str(WEBUI), METHODS):
        msgid = message[0] if isinstance(message, tuple) else message
        entry = catalog.get(msgid)
        assert entry is not None and entry.string, f"{lang}: {msgid!r} is not translated"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalog_matches_its_source(lang):
    """The committed .mo must be `pybabel compile -d webui/translations` of the .po."""
    compiled = io.BytesIO()
    write_mo(compiled, _catalog(lang))
    mo = WEBUI / "translations" / lang / "LC_MESSAGES" / "messages.mo"
    assert mo.read_bytes() == compiled.getvalue()
