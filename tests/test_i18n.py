"""The interface's translations: complete, and compiled from their sources."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
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
    """The committed .mo must hold the .po's translations (`pybabel compile -d webui/translations`).

    Compared message by message, not byte by byte: the header names the Babel version that
    compiled it, which changes with every Babel release and changes no translation.
    """
    with open(WEBUI / "translations" / lang / "LC_MESSAGES" / "messages.mo", "rb") as f:
        served = read_mo(f)
    assert _messages(served) == _messages(_catalog(lang))


def _messages(catalog) -> dict:
    """Every translated message (not the header), keyed by its id and context.

    Plural forms are tuples: the .po reader gives tuples, the .mo reader lists.
    """
    def plain(text):
        return tuple(text) if isinstance(text, (list, tuple)) else text

    return {(plain(m.id), m.context): plain(m.string) for m in catalog if m.id and m.string}


def test_error_pages_say_what_failed_in_the_interface_language(fixture_index):
    from webui import create_app

    client = create_app({"TESTING": True, "INDEX_DIR": str(fixture_index)}).test_client()
    page = client.get("/search?q=(strike&ui=el").get_data(as_text=True)
    assert "Αυτή η αναζήτηση δεν μπορεί να γίνει:" in page
    assert "<span lang=\"en\">1 &#39;(&#39; never closed; add &#39;)&#39;</span>" in page
    missing = client.get("/statement/nope?ui=pl").get_data(as_text=True)
    assert "Nie znaleziono:" in missing
