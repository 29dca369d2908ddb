"""Searching the seed and fixture statements through the library."""

from __future__ import annotations

import datetime as dt
import re
import time
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import query as wq

from indexer.build import rebuild
from indexer.validate import load_corpus
from search.engine import Engine
from search.errors import IndexMissing, QueryError

from .conftest import SEED_CORPUS, statement

CHARLIE = "after-charlie-hebdo"


def seed_copy(tmp_path):
    """A copy of the seed corpus to change, and its index, built."""
    corpus = tmp_path / "statements"
    shutil.copytree(SEED_CORPUS, corpus)
    root = tmp_path / "index"
    rebuild(load_corpus(corpus), root, procs=1)
    return corpus, root


def keys(page):
    return [result.key for result in page.results]


def test_translations_are_one_result_with_every_version(engine):
    page = engine.search("Charlie Hebdo")
    assert keys(page) == [CHARLIE]
    assert page.total == 1
    assert page.languages == {"el": 1, "en": 1, "pl": 1}
    versions = page.results[0].versions
    assert [(v.lang, v.language, v.matched) for v in versions] == [
        ("el", "Ελληνικά", True), ("en", "English", True), ("pl", "Polski", True)]


def test_versions_that_did_not_match_are_listed_unmatched(engine):
    page = engine.search("koszernym")
    result = page.results[0]
    assert (result.key, result.lang) == (CHARLIE, "pl")
    assert {v.lang: v.matched for v in result.versions} == {"el": False, "en": False, "pl": True}


@pytest.mark.parametrize("query", ["φονικό", "φονικο", "ΦΟΝΙΚΟ", "Φονικό"])
def test_greek_with_and_without_accents_marks_the_original_word(engine, query):
    page = engine.search(query)
    assert [(r.key, r.lang) for r in page.results] == [(CHARLIE, "el")]
    assert ">φονικό</mark>" in page.results[0].snippet


@pytest.mark.parametrize("query", ["μετα", "ΜΕΤΑ", "μετά"])
def test_latin_m_in_the_greek_title_is_found_and_marked(engine, query):
    result = engine.search(query).results[0]
    assert result.lang == "el"
    assert ">Mετά</mark>" in result.title_html


@pytest.mark.parametrize("query", ["zabojstw", "zabójstw", "ZABOJSTWO"])
def test_polish_with_and_without_accents(engine, query):
    result = engine.search(query).results[0]
    assert (result.key, result.lang) == (CHARLIE, "pl")
    assert ">zabójstwo</mark>" in result.snippet
    assert ">zabójstw</mark>" in result.title_html


def test_stemming_and_exact_matches_rank_first(engine):
    page = engine.search("organise")
    assert keys(page)[0] == "strike-wave"
    assert set(keys(page)) == {"strike-wave", "organisations", "against-xenophobia"}


def test_phrase_versus_words(engine):
    assert keys(engine.search('"ruling class"')) == ["stand-up-to-trump"]
    assert keys(engine.search('"class ruling"')) == []
    # Plain words are a best match: the statement holding both comes first.
    page = engine.search("class ruling")
    assert keys(page)[0] == "stand-up-to-trump" and page.results[0].missing == []
    assert page.all_words == 1


@pytest.mark.parametrize("query", ["Trump NOT Bannon", "Trump -Bannon"])
def test_not_excludes(engine, query):
    assert keys(engine.search(query)) == ["racist-drive-in-europe"]


def test_or_and_parentheses(engine):
    found = set(keys(engine.search("(Lukashenko OR Morocco) AND protests")))
    assert found == {"belarus-struggle-against-lukashenko"}
    assert set(keys(engine.search("Lukashenko OR Morocco"))) == {
        "belarus-struggle-against-lukashenko", "rif-and-morocco"}


@pytest.mark.parametrize("query", ["\x80~", "é~", "x~2", "~", "*~"])
def test_fuzzy_on_a_one_letter_word_runs(engine, query):
    engine.search(query)


def test_prefix_and_fuzzy(engine):
    assert keys(engine.search("xenophob*")) == ["against-xenophobia"]
    assert keys(engine.search("Lukashneko~2")) == ["belarus-struggle-against-lukashenko"]
    # The first letter is kept unless ~N/0 frees it.
    assert keys(engine.search("ukashenko~")) == []
    assert keys(engine.search("ukashenko~1/0")) == ["belarus-struggle-against-lukashenko"]


def test_field_queries(engine):
    assert set(keys(engine.search("title:strike"))) == {"strike-wave", "general-strike"}
    assert keys(engine.search("title:Lukashenko protests")) == [
        "belarus-struggle-against-lukashenko"]
    assert keys(engine.search("tag:europe")) == ["general-strike"]


def test_language_filter_in_the_query_and_as_an_option(engine):
    page = engine.search("Charlie Hebdo lang:pl")
    assert [(r.key, r.lang) for r in page.results] == [(CHARLIE, "pl")]
    assert page.understood["languages"] == ["pl"]
    # Counts per language are facets: they do not shrink when a filter is on.
    assert page.languages == {"el": 1, "en": 1, "pl": 1}
    assert engine.search("Charlie Hebdo", languages=["en"]).results[0].lang == "en"
    assert engine.search("Charlie Hebdo -lang:el").understood["languages"] == ["en", "pl"]
    assert engine.search("zabojstw lang:en").total == 0


@pytest.mark.parametrize("query, expected", [
    ("strike date:2016", ["general-strike"]),
    ("strike date:2016..2019", ["general-strike", "strike-wave"]),
    ("strike date:>2016-05", ["belarus-struggle-against-lukashenko", "strike-wave"]),
    ("strike date:<2019", ["general-strike"]),
    ("date:2012", ["organisations"]),
])
def test_date_filters(engine, query, expected):
    assert sorted(keys(engine.search(query))) == expected


def test_date_options_and_sorting(engine):
    by_date = ["belarus-struggle-against-lukashenko", "against-xenophobia", "strike-wave",
               "general-strike", "organisations"]
    assert keys(engine.search("strike OR organisations", sort="newest")) == by_date
    assert keys(engine.search("strike OR organisations", sort="oldest")) == by_date[::-1]
    ranged = engine.search("strike", date_from=dt.date(2017, 1, 1))
    assert sorted(keys(ranged)) == ["belarus-struggle-against-lukashenko", "strike-wave"]


def test_an_undated_statement_sorts_last_in_either_order(tmp_path):
    # Every bundled statement now has a dated version, so the undated one is made here.
    corpus = tmp_path / "statements"
    corpus.mkdir()
    (corpus / "early.en.md").write_text(statement("Early", "A strike.", date="2014-01-01"))
    (corpus / "late.en.md").write_text(statement("Late", "Another strike.", date="2020-01-01"))
    (corpus / "undated.en.md").write_text(statement("Undated", "A strike, undated."))
    root = tmp_path / "index"
    rebuild(load_corpus(corpus), root, procs=1)
    engine = Engine(root)
    assert keys(engine.search("strike", sort="newest")) == ["late", "early", "undated"]
    assert keys(engine.search("strike", sort="oldest")) == ["early", "late", "undated"]


def test_pages_count_statements_not_files(engine):
    everything = engine.search("Charlie OR strike OR Trump")
    assert everything.total == len(set(keys(everything))) == 6
    seen = []
    for number in range(1, 4):
        page = engine.search("Charlie OR strike OR Trump", page=number, per_page=2)
        assert page.total == 6 and page.pages == 3
        seen += keys(page)
    assert sorted(seen) == sorted(keys(everything))


def test_corpus_markup_is_escaped_and_only_marks_pass(engine):
    result = engine.search("solidarity hostile").results[0]
    assert result.key == "hostile"
    for html in (result.snippet, result.title_html):
        assert "<script" not in html and "<img" not in html
        assert html.replace("</mark>", "").count("<") == html.count("<mark ")
    assert "&lt;img src=x onerror=alert(1)&gt;" in result.snippet
    assert "&lt;script&gt;alert('title')&lt;/script&gt;" in result.title_html


def test_untitled_statement_gets_a_label_from_its_first_words(engine):
    result = engine.search("refugee").results[0]
    assert result.key == "europe-refugee-crisis" and result.title == ""
    assert result.untitled
    # its first words, without its first paragraph's number, which would read as a rank
    assert result.title_html.startswith("Europe is facing what has been called")


def test_did_you_mean(engine):
    page = engine.search("racsim")
    assert page.total == 0 and page.suggestion == "racism"
    assert engine.search("racism").suggestion is None


@pytest.mark.parametrize("query, message", [
    ("(Trump", "'(' never closed"),
    ('"Charlie Hebdo', "quotation mark at position 1 is never closed"),
    ("Trump)", "')' at position 6 closes no '('"),
    ("x lang:xx", "unknown language code 'xx'"),
    ("x date:2015-13", "'2015-13' is not a date (at position 3)"),
    ("   ", "the query is empty"),
    ("a" * 2000, "the limit is 1000"),
])
def test_malformed_queries_say_what_and_where(engine, query, message):
    with pytest.raises(QueryError, match=message.replace("(", r"\(").replace(")", r"\)")):
        engine.search(query)


@pytest.mark.parametrize("option", [{"page": 0}, {"per_page": 1000}, {"sort": "random"},
                                    {"method": "magic"}])
def test_bad_options_are_query_errors(engine, option):
    with pytest.raises(QueryError):
        engine.search("Trump", **option)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
def test_any_string_gives_results_or_a_query_error(engine, text):
    try:
        page = engine.search(text)
    except QueryError:
        return
    assert page.total == len({r.key for r in page.results}) or page.total > 10


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(['"', "(", ")", "AND", "OR", "NOT", "-", "+", "*", "~",
                                 "title:", "tag:", "lang:el", "date:2015", "Trump", "μετα",
                                 "zabójstw", ":", "^2", "[", "]", "to", "{", "}", "'"]),
                max_size=8).map(" ".join))
def test_operator_soup_gives_results_or_a_query_error(engine, text):
    try:
        engine.search(text)
    except QueryError:
        pass


def test_a_rebuilt_index_is_picked_up_without_a_new_engine(tmp_path):
    corpus, root = seed_copy(tmp_path)
    engine = Engine(root)
    assert engine.search("Hoceima").total == 1
    assert engine.search("Zapatista").total == 0
    (corpus / "new.en.md").write_text(statement("Zapatista", "The Zapatista uprising."))
    rebuild(load_corpus(corpus), root, procs=1)
    assert keys(engine.search("Zapatista")) == ["new"]


def test_missing_index_says_how_to_build_it(tmp_path):
    with pytest.raises(IndexMissing, match="python -m indexer rebuild"):
        Engine(tmp_path).search("x")


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("damage", ["catalog", "segment", "toc", "format"])
def test_a_damaged_index_says_how_to_rebuild(tmp_path, damage):
    from search.errors import IndexDamaged
    from search.store import INDEX_FORMAT, current_generation

    _, root = seed_copy(tmp_path)
    generation = current_generation(root)
    if damage == "catalog":
        (generation / "catalog.json").write_text("{not json")
    elif damage == "format":
        manifest = generation / "manifest.json"
        manifest.write_text(manifest.read_text().replace(f'"format": {INDEX_FORMAT}',
                                                          '"format": 1'))
    else:
        pattern = "*.trm" if damage == "segment" else "*.toc"
        for path in (generation / "en").glob(pattern):
            path.write_bytes(b"\0garbage")
    with pytest.raises(IndexDamaged, match="cannot be read.*python -m indexer rebuild"):
        Engine(root).search("Trump")


def test_a_search_out_of_time_returns_what_it_found_flagged_partial(engine, monkeypatch):
    import search.engine

    monkeypatch.setattr(search.engine, "TIME_LIMIT", -1.0)  # out of time at once
    page = engine.search("Charlie OR strike")
    assert page.partial is True
    assert page.total == 0 and page.results == []
    monkeypatch.undo()
    assert engine.search("Charlie OR strike").partial is False


def test_segments_without_dates_do_not_confuse_sorting(tmp_path):
    """An update adds a segment; only it has dates (Whoosh's column reader trap)."""
    from indexer.build import update

    corpus = tmp_path / "statements"
    shutil.copytree(SEED_CORPUS, corpus)
    for path in corpus.glob("*.md"):  # the seed without its dates: no segment has any
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(line for line in lines if not line.startswith("date = ")),
                        encoding="utf-8")
    root = tmp_path / "index"
    rebuild(load_corpus(corpus), root, procs=1)
    (corpus / "dated.en.md").write_text(statement(
        "Racism and the crisis", "Racism grows with the crisis.", date="2021-02-03"))
    update(load_corpus(corpus), root, procs=1)
    engine = Engine(root)
    page = engine.search("racism OR racist OR Trump", sort="newest")
    assert page.results[0].key == "dated" and page.results[0].date == "2021-02-03"
    assert [r.date for r in page.results[1:]] == [None] * (len(page.results) - 1)
    assert engine.search("Lukashenko").total == 1


@pytest.mark.parametrize("query, lang, expected", [
    ("zabojstw Charlie", "pl", [("zabojstw", "folded"), ("Charlie", "exact")]),
    ("organise", "en", [("organise", "exact")]),
    ("xenophob*", "en", [("xenophob*", "prefix")]),
    # A wildcard is one pattern, not the words around its ? or *.
    ("xenoph?bia", "en", [("xenoph?bia", "wildcard")]),
    ("xen*bia", "en", [("xen*bia", "wildcard")]),
    ("Lukashneko~2", "en", [("Lukashneko~2", "fuzzy")]),
    # A field's name is not a word of the query; a fuzzy word's ~1/0 has none.
    ("title:Lukashenko", "en", [("Lukashenko", "exact")]),
    ("title:(Lukashenko OR Morocco)", "en", [("Lukashenko", "exact")]),
    ("title:ukashenko~1/0", "en", [("ukashenko~1/0", "fuzzy")]),
    # The Greek stemmer drops accents; an accent-less word is still "folded".
    ("παρισι φονικο", "el", [("παρισι", "folded"), ("φονικο", "folded")]),
    ("Παρίσι φονικού", "el", [("Παρίσι", "exact"), ("φονικού", "stemmed")]),
])
def test_each_matched_version_says_why(engine, query, lang, expected):
    result = engine.search(query).results[0]
    version = next(v for v in result.versions if v.lang == lang)
    assert [(w["word"], w["form"]) for w in version.why] == expected


def test_why_tells_a_stemmed_match_from_an_exact_one(engine):
    results = {r.key: r for r in engine.search("organise").results}
    (version,) = [v for v in results["organisations"].versions if v.matched]
    assert version.why == [{"word": "organise", "form": "stemmed"}]
    unmatched = [v for r in results.values() for v in r.versions if not v.matched]
    assert all(v.why == [] for v in unmatched)


def test_concordance_lists_every_occurrence_in_context(engine):
    found = engine.concordance("strikes OR zabojstw")
    lines = found["lines"]
    assert found["truncated"] is False
    found = {(line["key"], line["lang"], line["match"]) for line in lines}
    assert ("belarus-struggle-against-lukashenko", "en", "strikes") in found
    assert ("general-strike", "en", "strike") in found  # the stem matches the singular
    assert ("after-charlie-hebdo", "pl", "zabójstwo") in found  # as written, accents kept
    belarus = [l for l in lines if l["key"].startswith("belarus")]
    assert len(belarus) == 2
    assert belarus[0]["left"] == "A mass movement of " and belarus[0]["right"].startswith(" and")


def test_concordance_lists_occurrences_in_titles(engine):
    lines = engine.concordance("Lukashenko")["lines"]
    title = [l for l in lines if l["field"] == "title"]
    assert [(l["key"], l["left"], l["match"]) for l in title] == [
        ("belarus-struggle-against-lukashenko", "Belarus and the struggle against ", "Lukashenko")]
    assert any(l["field"] == "body" for l in lines)


def test_a_cut_concordance_says_so_and_keeps_every_language(engine):
    """At the limit, the best versions of each language are kept, not the first languages."""
    whole = engine.concordance("strike OR strajk")
    assert whole["truncated"] is False
    cut = engine.concordance("strike OR strajk", limit=3)
    assert cut["truncated"] is True and len(cut["lines"]) == 3
    assert {l["lang"] for l in cut["lines"]} == {"en", "pl"}


def test_concordance_sorts_by_the_neighbouring_words(engine):
    lines = engine.concordance("strike OR strikes OR strajk", sort="left")["lines"]
    nearest = [_words(l["left"])[-1:] for l in lines]
    assert nearest == sorted(nearest) and len(set(map(tuple, nearest))) > 2
    lines = engine.concordance("strike OR strikes OR strajk", sort="right")["lines"]
    following = [_words(l["right"])[:1] for l in lines]
    assert following == sorted(following) and len(set(map(tuple, following))) > 2
    with pytest.raises(QueryError):
        engine.concordance("strikes", sort="random")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


@pytest.mark.parametrize("make", [
    lambda field, word: wq.FuzzyTerm(field, word, maxdist=1, prefixlength=1),
    lambda field, word: wq.FuzzyTerm(field, word, maxdist=2, prefixlength=0),
    lambda field, word: wq.Prefix(field, word),
    lambda field, word: wq.Wildcard(field, word[:2] + "?" + word[3:] + "*"),
    lambda field, word: wq.Wildcard(field, "*" + word[1:]),
])
def test_in_memory_expansions_equal_whooshs_own(engine, make):
    """Prefix, wildcard and fuzzy words expand to exactly the terms Whoosh's own walk finds."""
    generation = engine._current()
    for code, index in generation.indexes.items():
        with index.reader() as reader:
            for field in ("body_exact", "title_folded"):
                for word in ("strik", "zabojstw", "pandemi", "μετ", "t"):
                    q = make(field, word)
                    whooshs = {t.decode() if isinstance(t, bytes) else t
                               for t in q._btexts(reader)}
                    found = generation.vocabularies[code].expand(q, reader, float("inf"))
                    assert set(found) == whooshs


def test_equally_good_passages_give_the_same_snippet_every_time(tmp_path):
    """The snippet shows the first two of equally good passages, on every search.

    Whoosh breaks ties between passages by the fragments' memory addresses,
    so the same search showed different snippets from one request to the next.
    """
    filler = " ".join(["ordinary words fill the space between the passages"] * 12)
    passages = [f"Passage {n} names the tribunal." for n in
                ("one", "two", "three", "four", "five", "six")]
    corpus = tmp_path / "statements"
    corpus.mkdir()
    (corpus / "tribunal.en.md").write_text(statement("On courts", f"\n\n{filler}\n\n".join(passages)))
    root = tmp_path / "index"
    rebuild(load_corpus(corpus), root, procs=1)
    snippets = {Engine(root).search("tribunal").results[0].snippet for _ in range(20)}
    assert len(snippets) == 1
    [shown] = snippets
    assert "Passage one" in shown and "Passage two" in shown
    assert "Passage three" not in shown


def test_a_search_is_marked_the_same_whatever_was_searched_before(engine):
    """Marks carry no numbering left over from earlier searches of the process."""
    first = engine.search("strike OR strajk").to_dict()
    for other in ("foniko sto parisi", "Charlie Hebdo", "racism OR xenophobia"):
        engine.search(other)
    again = engine.search("strike OR strajk").to_dict()
    first.pop("took_ms"), again.pop("took_ms")
    assert again == first
    assert '<mark class="match">' in first["results"][0]["snippet"]


def test_a_word_that_stands_for_too_many_terms_is_refused_saying_so(engine, monkeypatch):
    import search.vocabulary

    monkeypatch.setattr(search.vocabulary, "MAX_EXPANSIONS", 3)
    for query, message in (("s*", "s* stands for more than 3 different words; put more "
                                  "letters before the * or ?"),
                           ("s?r*", "s?r* stands for more than 3"),
                           ("mas~2/0", "mas~ stands for more than 3 different words; allow "
                                       "fewer edits"),
                           ("[a TO z]", "[a TO z] stands for more than 3 different words; "
                                        "narrow the range")):
        with pytest.raises(QueryError, match=re.escape(message)):
            engine.search(query)
    assert keys(engine.search("xenophob*")) == ["against-xenophobia"]


def test_an_expansion_out_of_time_gives_partial_results(engine, monkeypatch):
    import search.engine

    monkeypatch.setattr(search.engine, "TIME_LIMIT", -1.0)
    page = engine.search("s*")
    assert page.partial is True and page.total == 0


def test_a_star_alone_lists_every_statement(engine):
    everything = engine.search("lang:el,en,pl")
    page = engine.search("*")
    assert page.total == everything.total > 10
    assert engine.search("* lang:el").total == 1


def test_an_export_is_one_search_past_the_page_size(engine):
    from search.request import MAX_EXPORT, MAX_PER_PAGE

    everything = engine.search("*", per_page=MAX_PER_PAGE)
    exported = engine.export("*", limit=5)
    assert [r.key for r in exported.results] == [r.key for r in everything.results][:5]
    with pytest.raises(QueryError, match=f"per_page must be between 1 and {MAX_EXPORT}"):
        engine.export("*", limit=MAX_EXPORT + 1)


def test_a_concordance_out_of_time_says_it_is_cut(engine, monkeypatch):
    import search.engine

    monkeypatch.setattr(search.engine, "TIME_LIMIT", -1.0)
    found = engine.concordance("strike")
    assert found["truncated"] is True and found["lines"] == []


def test_results_past_the_time_limit_are_listed_unmarked(engine, monkeypatch):
    """Marking and explaining re-read texts: out of time, results come plain, flagged."""
    import search.engine
    import search.merge

    fuse = search.merge.fuse

    def slow_fuse(*args):  # ranking done, the time limit passes before the results
        time.sleep(0.3)
        return fuse(*args)

    monkeypatch.setattr(search.engine, "TIME_LIMIT", 0.2)
    monkeypatch.setattr(search.merge, "fuse", slow_fuse)
    page = engine.search("strike OR strikes")
    assert page.partial is True and page.total >= 2
    assert all("<mark" not in r.snippet + r.title_html for r in page.results)
    assert all(v.why == [] for r in page.results for v in r.versions)


@pytest.mark.parametrize("query, message", [
    ("strike~3", "a fuzzy word allows at most 2 edits (~2), got ~3"),
    (" ".join(["war"] * 65), "the query has 65 words; the limit is 64"),
])
def test_queries_too_costly_to_run_are_refused(engine, query, message):
    with pytest.raises(QueryError, match=re.escape(message)):
        engine.search(query)


def test_a_statement_page_holds_its_query_to_the_same_limits(engine, monkeypatch):
    import search.vocabulary

    monkeypatch.setattr(search.vocabulary, "MAX_EXPANSIONS", 3)
    with pytest.raises(QueryError, match="s\\* stands for more than 3"):
        engine.statement("general-strike", "s*")
    marks = engine.statement("general-strike", "strik*")
    assert any(version["marks"] for version in marks)


def test_the_readers_language_represents_a_statement_that_matched_in_it(engine):
    assert engine.search("Charlie Hebdo", prefer="en").results[0].lang == "en"
    assert engine.search("Charlie Hebdo", prefer="pl").results[0].lang == "pl"
    # Matched in no other version: the Polish one is shown whatever the preference.
    assert engine.search("koszernym", prefer="en").results[0].lang == "pl"


def test_a_statement_shown_in_an_undated_version_sorts_by_another_versions_date(engine):
    page = engine.search("Charlie OR Lukashenko", sort="oldest", prefer="el")
    assert [(r.key, r.lang, r.date) for r in page.results] == [
        (CHARLIE, "el", None), ("belarus-struggle-against-lukashenko", "en", "2020-08-31")]


def test_options_are_checked_once_whatever_builds_the_request(engine):
    from search.request import SearchRequest

    assert SearchRequest.from_mapping({"q": "strike", "lang": "en,pl", "page": "2"}) == \
        SearchRequest("strike", languages=("en", "pl"), page=2)
    for args, message in (({"q": "x", "page": "two"}, "page must be a whole number"),
                          ({"q": "x", "sort": "size"}, "sort must be one of"),
                          ({"q": "x", "lang": "xx"}, "xx"),
                          ({"q": "x", "from": "2019", "to": "2015"}, "ends before it starts")):
        with pytest.raises(QueryError, match=message):
            engine.search(SearchRequest.from_mapping(args))


def test_a_repeated_search_is_answered_from_the_cache_until_the_index_changes(tmp_path):
    corpus, root = seed_copy(tmp_path)
    engine = Engine(root)
    searched = []
    run = engine._search
    engine._search = lambda *args: searched.append(args) or run(*args)
    first = engine.search("Lukashenko")
    again = engine.search("Lukashenko")
    assert again.to_dict() | {"took_ms": 0} == first.to_dict() | {"took_ms": 0}
    assert len(searched) == 1  # the second answer came from the cache
    (corpus / "new.en.md").write_text(statement("Lukashenko again", "Lukashenko, again."))
    rebuild(load_corpus(corpus), root, procs=1)
    assert engine.search("Lukashenko").total == first.total + 1
    assert len(searched) == 2


def test_the_page_cache_keeps_the_most_recent_results_within_its_bound():
    from types import SimpleNamespace

    from search.cache import PageCache

    cache = PageCache(results=20)
    for n in range(10):
        cache.put(n, SimpleNamespace(results=[None] * 5))
    assert [n for n in range(10) if cache.get(n) is not None] == [6, 7, 8, 9]


def test_a_server_keeps_no_more_word_analysis_than_its_budget_and_answers_alike(seed_index):
    """Every memo of word analysis (readings, folded forms, lemmas, romanised
    keys) counts against the one budget a server is given, so its memory
    stops growing there; emptied again and again under a tiny budget, they
    still give every search the same answer."""
    from search import memo
    from webui import create_app

    queries = ["strike", "Lukashenko protests", "φονικό στο Παρίσι", "zabójstwa",
               "foniko sto parisi", "racism OR xenophobia", "war -Iraq", "Charlie Hebdo"]

    def answers(budget):
        app = create_app({"INDEX_DIR": str(seed_index), "TESTING": True,
                          "ANALYSIS_CACHE": budget})
        client = app.test_client()
        pages = [client.get("/search.json", query_string={"q": q}).get_json() | {"took_ms": 0}
                 for q in queries]
        return pages, sum(len(table) for table in memo._tables)

    default = memo.ENTRIES
    try:
        roomy, kept_roomy = answers(default)
        tight, kept_tight = answers(40)
    finally:
        memo.limit(default)
    assert kept_roomy > 5 * 40  # so the tight budget was emptied again and again
    assert kept_tight <= 40
    assert tight == roomy
    assert any(page["results"] for page in roomy)


def test_a_small_language_quoting_the_querys_words_does_not_outrank_their_own_language(tmp_path):
    """Three of five Greek pages quoting English words are weaker evidence than
    thirty English pages using them: the English page leads."""
    corpus = tmp_path / "statements"
    corpus.mkdir()
    for n in range(30):
        (corpus / f"tool-{n}.en.md").write_text(statement(
            f"Tool {n}", f"Tool {n} does its job. Report a bug to the maintainers."))
    (corpus / "bugs.en.md").write_text(statement(
        "Bug reports", "How to report a bug in bash: run bashbug."))
    for n in range(3):
        (corpus / f"selida-{n}.el.md").write_text(statement(
            f"Σελίδα {n}", "Αυτή η σελίδα εξηγεί το εργαλείο. report bug bash"))
    root = tmp_path / "index"
    rebuild(load_corpus(corpus), root, procs=1)
    assert keys(Engine(root).search("report bug bash"))[0] == "bugs"


def test_a_suggestion_corrects_the_words_searched_and_nothing_else(engine):
    """Field names, operators and excluded words are read by the search's parser, not guessed."""
    page = engine.search("title:Lukashneko AND protests -Bannnon")
    assert page.suggestion == "title:lukashenko AND protests -Bannnon"


def test_a_server_thread_and_the_engine_ending_at_once_close_each_searcher_once(seed_index):
    """A thread's end and the engine's end each close the searchers the thread kept;
    when they meet half-way, neither closes one twice (Whoosh raises then) nor
    leaves one open."""
    from search import searchers as pool

    engine = Engine(seed_index)
    assert engine.search("war").results
    groups = engine._searchers._groups
    kept = list(groups[0].values())
    assert len(kept) > 1
    first, closing = kept[0], kept[0].close
    arrived = []

    def close_as_the_engine_ends_meanwhile():
        if not arrived:
            arrived.append(True)
            pool._close_all(groups)
        closing()

    first.close = close_as_the_engine_ends_meanwhile
    pool._retire(groups, groups[0])
    assert arrived and all(searcher.ixreader.is_closed for searcher in kept)
    assert groups == []
