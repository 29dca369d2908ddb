"""Token streams of the analysis chains, per language."""

from __future__ import annotations

import pytest

from search.analysis import exact_analyzer, fold, folded_analyzer, stemmed_analyzer, tokens
from search.languages import get_language


@pytest.mark.parametrize("code, make, text, expected", [
    # Numbers: a decimal stays one token, a range splits (searched as a phrase).
    ("en", exact_analyzer, "Some 13.9 million, 18-19 March", ["13.9", "million", "18", "19", "march"]),
    # Apostrophes and hyphens separate words; stop words (here "s") go.
    ("en", exact_analyzer, "Trump’s ruling-class", ["trump", "ruling", "class"]),
    ("en", stemmed_analyzer, "the pandemics", ["pandem"]),
    ("en", stemmed_analyzer, "Covid-19 H5N1", ["covid", "19", "h5n1"]),
    # Greek: case and accents.
    ("el", exact_analyzer, "ΦΟΝΙΚΌ φονικό", ["φονικό", "φονικό"]),
    # A word the lemmatiser knows also gives its dictionary form's stem (φονικός),
    # and so does one written without its accent, as the dictionary spells it (φονικό).
    ("el", folded_analyzer, "ΦΟΝΙΚΟ φονικό φονικο",
     ["φον", "φονικ", "φον", "φονικ", "φον", "φονικ"]),
    # A Latin capital M inside a Greek word becomes Greek.
    ("el", exact_analyzer, "Mετά", ["μετά"]),
    ("el", folded_analyzer, "Mετά ΜΕΤΑ μετα", ["μετ", "μετ", "μετ"]),
    # Final sigma folds to sigma; Greek stop words go in any spelling but capitals,
    # which make a name of them (UNO, WHO), unless the whole text is in capitals.
    ("el", folded_analyzer, "ΛΌΓΟΣ λογος", ["λογ", "λογ"]),
    ("el", exact_analyzer, "το Το ΤΟ", ["το"]),
    ("el", exact_analyzer, "ΤΟ ΚΚΕ", ["κκε"]),
    # Polish: folded twins meet whether or not accents are typed.
    ("pl", folded_analyzer, "Zabójstwa zabojstw", ["zabojstw", "zabojstw"]),
    # Typed without marks, a word the dictionary spells with them reads as it (potępienie).
    ("pl", folded_analyzer, "potępienie potepienie",
     ["potepien", "potepic", "potepien", "potepic"]),
    ("pl", stemmed_analyzer, "zabójstwa", ["zabójstw"]),
    # Letters with combining marks stay in one token (decomposed é).
    ("fr", exact_analyzer, "cafe\u0301 noir", ["café", "noir"]),
    ("ru", folded_analyzer, "Ёлка ёлка", ["елк", "елк"]),
])
def test_chain(code, make, text, expected):
    assert tokens(make(get_language(code)), text) == expected


def test_overlong_tokens_are_dropped():
    assert tokens(exact_analyzer(get_language("en")), "a" * 5000 + " word") == ["word"]


def test_highlighter_mode_keeps_original_offsets():
    """Filters change token text, never offsets, so highlights cover the original."""
    text = "Mετά το φονικό"
    chain = folded_analyzer(get_language("el"))
    spans = [(t.text, text[t.startchar:t.endchar])
             for t in chain(text, chars=True, removestops=False) if not t.stopped]
    assert spans == [("μετ", "Mετά"), ("φον", "φονικό"), ("φονικ", "φονικό")]


@pytest.mark.parametrize("word, kind, expected", [
    ("zabójstw", "latin", "zabojstw"),
    ("straße", "latin", "strasse"),
    ("σκοτωμοί", "greek", "σκοτωμοι"),
    ("λόγος", "greek", "λογοσ"),
    ("ϊ", "greek", "ι"),
])
def test_fold(word, kind, expected):
    assert fold(word, kind) == expected


@pytest.mark.parametrize("code", ["en", "el", "pl"])
def test_indexing_shortcut_gives_whoosh_own_postings(code):
    """AnalysedText.index: the terms, weights and positions of Whoosh's TEXT.index."""
    from whoosh.fields import TEXT

    from search.schema import AnalysedText, schema_for

    texts = ["The strike of the dockers, and the strike of 13.9 million",
             "Το φονικό και ΤΟ φονικο: thema 8ema sto Mετά",
             "Zabójstwa i zabojstw " + "a" * 150 + " koniec", "the and of", ""]
    schema = schema_for(get_language(code))
    fields = [schema[name] for name in schema.names()
              if isinstance(schema[name], AnalysedText)]
    assert len(fields) == (8 if code == "el" else 6)
    for field in fields:
        for text in texts:
            assert field.index(text) == list(TEXT.index(field, text))


def test_the_lemma_tries_go_to_a_temporary_folder_for_a_user_without_a_cache_folder(
        monkeypatch, tmp_path):
    """A service's account often has no writable home: the tries are then kept in
    the system's temporary folder, not rebuilt (14 s) by every process."""
    import tempfile

    from search import analysis

    monkeypatch.setattr(analysis, "user_cache_dir", lambda name: "/proc/no-cache-here")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    folder = analysis.trie_folder()
    assert folder is not None and folder.is_dir()
    assert folder.is_relative_to(tmp_path)
