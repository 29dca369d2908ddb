"""The language registry: every record is usable, and languages are data."""

from __future__ import annotations

import pickle

import pytest
import Stemmer
from babel import Locale

from search.analysis import exact_analyzer, folded_analyzer, stemmed_analyzer, tokens
from search.errors import UnknownLanguage
from search.languages import LANGUAGES, RECORDS, get_language, stopwords
from search.schema import schema_for

REQUIRED = "en el pl de fr es it pt nl ru tr sv da fi hu ro cs".split()


def test_every_snowball_stemmer_has_a_record():
    """Porter and dutch_porter are older variants of english and dutch."""
    recorded = {lang.stemmer for lang in RECORDS}
    assert set(Stemmer.algorithms()) - recorded == {"porter", "dutch_porter"}


def test_codes_are_unique_and_cover_the_required_languages():
    codes = [lang.code for lang in RECORDS]
    assert len(codes) == len(set(codes))
    assert set(REQUIRED) <= set(codes)


@pytest.mark.parametrize("lang", RECORDS, ids=lambda lang: lang.code)
def test_record_is_complete(lang):
    assert len(lang.code) == 2 and lang.code.islower()
    assert lang.name and lang.native_name
    assert lang.stemmer in Stemmer.algorithms()
    assert not lang.stopwords or len(stopwords(lang.code)) >= 20
    assert lang.fold in {"latin", "greek", "marks", "serbian", "none"}


@pytest.mark.parametrize("lang", RECORDS, ids=lambda lang: lang.code)
def test_analyzers_and_schema_survive_pickling(lang):
    """Whoosh pickles the schema into the index; the chain must come back whole."""
    for make in (exact_analyzer, stemmed_analyzer, folded_analyzer):
        analyzer = make(lang)
        copy = pickle.loads(pickle.dumps(analyzer))
        assert tokens(copy, "Charlie Hebdo 2015") == tokens(analyzer, "Charlie Hebdo 2015")
    pickle.loads(pickle.dumps(schema_for(lang)))


def test_region_tags_resolve_to_the_base_language():
    assert get_language("pt_BR").code == "pt"
    assert get_language("EL").code == "el"


@pytest.mark.parametrize("code", ["xx", "english", "und", "e1"])
def test_a_code_that_names_no_language_is_an_error(code):
    with pytest.raises(UnknownLanguage, match=rf"unknown language code '{code}'"):
        get_language(code)


@pytest.mark.parametrize("code, name, native, direction", [
    ("ko", "Korean", "한국어", "ltr"),
    ("th", "Thai", "ไทย", "ltr"),
    ("he", "Hebrew", "עברית", "rtl"),
    ("iw", "Hebrew", "עברית", "rtl"),
    ("ur-PK", "Urdu", "اردو", "rtl"),
    ("uk", "Ukrainian", "Українська", "ltr"),
    ("zh_TW", "Chinese", "中文", "ltr"),
])
def test_any_language_gets_a_generic_record_from_cldr(code, name, native, direction):
    lang = get_language(code)
    assert (lang.name, lang.native_name, lang.direction) == (name, native, direction)
    assert lang.stemmer is None
    assert LANGUAGES[code] == lang and lang.code not in LANGUAGES


@pytest.mark.parametrize("lang", RECORDS, ids=lambda lang: lang.code)
def test_a_record_runs_in_the_direction_cldr_gives(lang):
    assert lang.direction == Locale.parse(lang.code).text_direction


def test_no_language_has_a_stop_list_that_silently_includes_english():
    """Whoosh's StopFilter(lang=...) adds English; ours must not."""
    assert "the" in stopwords("en")
    for code in ("el", "pl", "de"):
        assert "the" not in stopwords(code), code
    assert tokens(stemmed_analyzer(LANGUAGES["de"]), "the Arbeiter") == ["the", "arbeit"]


@pytest.mark.parametrize("lang", RECORDS, ids=lambda lang: lang.code)
def test_romanised_stop_words_are_stop_words_of_the_language(lang):
    """A query drops them in Latin letters only because the index dropped them in Greek."""
    from search.analysis import folded_stopwords, fold, normalise

    for word in lang.romanised_stops:
        assert fold(normalise(word), lang.fold) in folded_stopwords(lang.code), word
    assert not lang.romanised_stops or lang.romanise


def test_greek_stop_words_are_spelled_with_greek_letters():
    """stopwords-iso spells δ as the increment sign ∆ in 64 Greek words; mended on load."""
    greek = stopwords("el")
    assert {"επειδη", "εδω", "ηδη", "δηλαδη"} <= greek
    assert not [word for word in greek if "\u2206" in word]
    assert tokens(stemmed_analyzer(LANGUAGES["el"]), "Επειδή ήδη εδώ απεργία") == ["απεργ"]
