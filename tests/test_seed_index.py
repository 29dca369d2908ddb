"""The bundled corpus, rebuilt and searched with plain Whoosh queries."""

from __future__ import annotations

import pytest

from search.store import CATALOG, current_generation, read_json

from .searching import find, stored_documents

GREEK = "after-charlie-hebdo.el.md"
POLISH = "after-charlie-hebdo.pl.md"


def test_the_three_charlie_hebdo_files_are_one_statement(seed_index):
    catalog = read_json(current_generation(seed_index), CATALOG)["statements"]
    versions = catalog["after-charlie-hebdo"]
    assert [v["lang"] for v in versions] == ["el", "en", "pl"]
    assert len(catalog) == 8


@pytest.mark.parametrize("query", ["μετα", "ΜΕΤΑ", "μετά", "Mετά", "φονικο", "ΦΟΝΙΚΌ"])
def test_greek_queries_find_the_greek_file(seed_index, query):
    assert find(seed_index, query) == {GREEK}


@pytest.mark.parametrize("query", ["zabojstw", "Zabójstwa", "ZABÓJSTW", "potepienie"])
def test_polish_queries_find_the_polish_file(seed_index, query):
    assert find(seed_index, query) == {POLISH}


def test_stemming_finds_other_forms(seed_index):
    assert find(seed_index, "pandemics") == {"coronavirus-pandemic.en.md"}


@pytest.mark.parametrize("query", ["the", "The", "και", "się"])
def test_a_stop_word_alone_finds_nothing(seed_index, query):
    assert find(seed_index, query) == set()


@pytest.mark.parametrize("query, expected", [
    ("13.9", {"europe-refugee-crisis.en.md"}),
    ("18-19", {"stand-up-to-trump.en.md"}),
    ("H5N1", {"coronavirus-pandemic.en.md"}),
    ('"Charlie Hebdo"', {GREEK, POLISH, "after-charlie-hebdo.en.md"}),
])
def test_numbers_and_phrases(seed_index, query, expected):
    assert find(seed_index, query) == expected


SITE = "https://internationalsocialists.org/announcements/"
DATES_AND_LINKS = {
    "after-charlie-hebdo.en.md": ("2015-01-22", None),
    "after-charlie-hebdo.pl.md": ("2015-01-22", None),
    "against-xenophobia.en.md": ("2019-09-12", None),
    "belarus-struggle-against-lukashenko.en.md": ("2020-08-31", None),
    "coronavirus-pandemic.en.md": ("2020-04-01", None),
    "racist-drive-in-europe.en.md": (
        "2018-07-13", SITE + "ist-statement-on-the-racist-drive-in-europe"),
    "rif-and-morocco.en.md": (
        "2017-06-15", SITE + "solidarity-with-the-movement-in-the-rif-and-morocco"),
    "stand-up-to-trump.en.md": (
        "2017-03-05",
        SITE + "stand-up-to-trump-use-18-19-march-to-build-worldwide-movement-against-racism"),
    # The site dates this statement's Danish and Polish versions 4 September 2015,
    # and the SWP published the English text as the IST's statement that day; no
    # page of the English post itself was found, so it has no link.
    "europe-refugee-crisis.en.md": ("2015-09-04", None),
    # The site's pages name no date for this version: none is invented.
    "after-charlie-hebdo.el.md": (None, None),
}


def test_untitled_statements_stay_untitled_and_dates_are_the_site_s(seed_index):
    documents = stored_documents(seed_index)
    assert documents["europe-refugee-crisis.en.md"]["title"] == ""
    assert documents["after-charlie-hebdo.en.md"]["title"] == ""
    stored = {name: (d["date"].date().isoformat() if "date" in d else None, d.get("url"))
              for name, d in documents.items()}
    assert stored == DATES_AND_LINKS


def test_stored_text_drops_the_listing_s_read_more(seed_index):
    documents = stored_documents(seed_index)
    assert len(documents) == 10
    assert not any("Read More" in d["body"] for d in documents.values())
    assert documents[GREEK]["body"].endswith("αποδοκιμασίας.")
    assert documents["coronavirus-pandemic.en.md"]["body"].startswith("1. The Covid-19")
