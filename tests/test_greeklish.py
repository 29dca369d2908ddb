"""Greeklish: Greek typed in Latin letters finds the Greek statements."""

from __future__ import annotations

import re

import pytest

from search.analysis import query_readings, tokens
from search.languages import get_language
from search.schema import schema_for

GREEK = schema_for(get_language("el"))


def matches(latin: str, greek: str) -> bool:
    """Whether the Latin word's readings meet the Greek word's key in the Greek index."""
    indexed = set(tokens(GREEK["body_latin"].analyzer, greek))
    readings = query_readings(GREEK["body_latin"].analyzer, latin)
    return bool(readings) and all(texts & indexed for texts in readings)


@pytest.mark.parametrize("latin, greek", [
    ("8ema", "θέμα"), ("thema", "θέμα"), ("themata", "θέματα"),
    ("dimokratia", "δημοκρατία"), ("dhmokratia", "δημοκρατίας"),
    ("xronia", "χρόνια"), ("hronia", "χρόνια"), ("chronia", "χρόνια"),
    ("eksoteriko", "εξωτερικό"), ("exoteriko", "εξωτερικό"), ("psomi", "ψωμί"),
    ("aftokinito", "αυτοκίνητο"), ("kentro", "κέντρο"), ("kedro", "κέντρο"),
    ("politikh", "πολιτική"), ("politikis", "πολιτικής"), ("ergatwn", "εργατών"),
    ("mpampas", "μπαμπάς"), ("babas", "μπαμπάς"), ("kommounistiko", "κομμουνιστικό"),
    ("Parisi", "Παρίσι"), ("sosialistikis", "Σοσιαλιστικής"),
])
def test_common_spellings_meet_the_greek_word(latin, greek):
    assert matches(latin, greek)


@pytest.mark.parametrize("latin, greek", [
    ("ergates", "έργα"),       # workers are not works
    ("parisi", "πάρει"),       # the ending is not the whole word
    ("democracy", "δημοκρατία"),  # an English word is not Greeklish
])
def test_different_words_stay_apart(latin, greek):
    assert not matches(latin, greek)


def test_greek_letters_and_stop_words_leave_the_latin_twin_alone():
    analyzer = GREEK["body_latin"].analyzer
    assert query_readings(analyzer, "φονικό") == []  # Greek words use the other twins
    assert query_readings(analyzer, "sto") == []      # στο is a stop word
    assert tokens(analyzer, "Charlie στο φονικό") == ["fon"]  # only Greek words are keyed


def test_a_greeklish_query_finds_the_greek_statement_with_marks(engine):
    page = engine.search("foniko sto parisi")
    assert [r.key for r in page.results] == ["after-charlie-hebdo"]
    result = page.results[0]
    assert result.lang == "el"
    assert re.search("<mark[^>]*>φονικό</mark> στο <mark[^>]*>Παρίσι</mark>", result.snippet)
    greek = next(v for v in result.versions if v.lang == "el")
    assert greek.why == [{"word": "foniko", "form": "greeklish"},
                         {"word": "parisi", "form": "greeklish"}]


def test_a_greeklish_phrase_keeps_its_word_order(engine):
    assert engine.search('"foniko sto parisi"').total == 1
    assert engine.search('"parisi foniko"').total == 0


def test_a_hyphenated_greeklish_word_is_found_by_any_of_its_keys(engine):
    """The Latin twin searches any key of a word that reads as several, in any order,
    and "why" says so: it is not a phrase there, as in the other twins."""
    page = engine.search("parisi-foniko")
    assert page.all_words == 1
    greek = next(v for v in page.results[0].versions if v.lang == "el")
    assert (greek.why, greek.missing) == ([{"word": "parisi-foniko", "form": "greeklish"}], [])


def test_greeklish_in_titles_ranks_and_marks_the_title(engine):
    result = engine.search("diakiriksi tasis").results[0]
    assert result.key == "after-charlie-hebdo"
    assert re.match("<mark[^>]*>Διακήρυξη</mark>", result.title_html)


def test_english_queries_do_not_drift_into_greek(engine):
    page = engine.search("pandemic")
    assert "el" not in page.languages


def test_a_greek_query_still_matches_as_greek(engine):
    greek = next(v for v in engine.search("φονικό").results[0].versions if v.lang == "el")
    assert greek.why == [{"word": "φονικό", "form": "exact"}]


def test_greeklish_occurrences_appear_in_the_concordance(engine):
    lines = engine.concordance("skotomoi")["lines"]
    assert [(line["match"], line["lang"]) for line in lines] == [("σκοτωμοί", "el")]


def test_greeklish_json_twin_and_why_label(fixture_index):
    from webui import create_app

    client = create_app({"TESTING": True, "INDEX_DIR": str(fixture_index)}).test_client()
    data = client.get("/search.json", query_string={"q": "skotomoi"}).get_json()
    assert [r["key"] for r in data["results"]] == ["after-charlie-hebdo"]
    html = client.get("/search", query_string={"q": "skotomoi"}).get_data(as_text=True)
    assert "Ελληνικά: skotomoi (in Latin letters)" in html
    assert re.search("<mark[^>]*>σκοτωμοί</mark>", html)


@pytest.mark.parametrize("latin", ["einai", "eimaste", "epeidh", "dhladh", "mexri"])
def test_long_function_words_in_latin_letters_are_greek_stop_words(latin):
    assert query_readings(GREEK["body_latin"].analyzer, latin) == []


def test_content_words_that_spell_a_long_stop_word_stay_searchable():
    """κύριος (a content word) and κυρίως (a stop word) are both ``kirios``."""
    assert matches("kirios", "κύριος")


def test_a_greeklish_query_with_a_long_stop_word_finds_the_greek_statement(tmp_path):
    from indexer.build import rebuild
    from indexer.validate import load_corpus
    from search.engine import Engine

    from .conftest import statement

    corpus = tmp_path / "statements"
    corpus.mkdir()
    (corpus / "demo.el.md").write_text(statement(
        "Δημοκρατία", "Η δημοκρατία είναι υπόθεση των εργατών, επειδή αυτοί παράγουν."))
    rebuild(load_corpus(corpus), tmp_path / "index", procs=1)
    engine = Engine(tmp_path / "index")
    for query in ("dimokratia einai", '"dimokratia einai"', "dhmokratia epeidh ergatwn",
                  "δημοκρατία είναι"):
        assert [r.key for r in engine.search(query).results] == ["demo"], query
