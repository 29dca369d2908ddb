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


def test_error_pages_say_the_whole_message_in_the_interface_language(fixture_index):
    """The library's error is translated by its message id: no English half-sentence."""
    from webui import create_app

    client = create_app({"TESTING": True, "INDEX_DIR": str(fixture_index)}).test_client()
    page = client.get("/search?q=(strike&ui=el").get_data(as_text=True)
    assert "Αυτή η αναζήτηση δεν μπορεί να γίνει" in page
    assert "<p>Παρενθέσεις «(» που μένουν ανοιχτές: 1· προσθέστε «)».</p>" in page
    assert "never closed" not in page and 'lang="en"><' not in page
    quote = client.get('/search?q="unbalanced&ui=el').get_data(as_text=True)
    assert "Τα εισαγωγικά στη θέση 1 δεν κλείνουν πουθενά." in quote
    missing = client.get("/statement/nope?ui=pl").get_data(as_text=True)
    assert "Nie znaleziono" in missing
    assert 'Nie ma oświadczenia „<bdi translate="no">nope</bdi>”.' in missing
    date = client.get("/search?q=strike&to=2015-13&ui=pl").get_data(as_text=True)
    assert ('„<bdi translate="no">2015-13</bdi>” w polu „Do” nie jest datą: wpisz rok (2015), '
            'miesiąc (2015-06) lub dzień (2015-06-30).') in date
    assert "date:2015..2017" not in date.split('id="error-message"')[1]
    fresh = create_app({"TESTING": True, "INDEX_DIR": str(fixture_index)}).test_client()
    json = fresh.get("/search.json?q=(strike", headers={"Accept-Language": "el"}).get_json()
    assert json == {"ok": False, "error": "1 '(' never closed; add ')'",
                    "message_id": "paren-unclosed",
                    "message": "Παρενθέσεις «(» που μένουν ανοιχτές: 1· προσθέστε «)»."}


def test_every_library_message_id_has_a_translatable_sentence():
    """Each message id the library raises (search/*.py) is in webui's table."""
    import ast

    from webui.messages import MESSAGES

    raised = {f"{kind}-too-general" for kind in ("prefix", "fuzzy", "range")}  # an f-string
    for path in (WEBUI.parent / "search").glob("*.py"):
        for call in ast.walk(ast.parse(path.read_text())):
            if not isinstance(call, ast.Call):
                continue
            name = getattr(call.func, "id", None) or getattr(call.func, "attr", "")
            args = call.args[1:] if call.args and ast.unparse(call.args[0]) == "self" else call.args
            if name.endswith(("Error", "General", "__init__")) and len(args) > 1 \
                    and isinstance(args[1], ast.Constant):
                raised.add(args[1].value)        # the message id, after the English sentence
    assert len(raised) > 25 and raised <= set(MESSAGES), raised - set(MESSAGES)
