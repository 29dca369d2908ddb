"""Plain words as a best match: any word finds a statement, ranked by BM25F."""

from __future__ import annotations

import re

import pytest

from indexer.build import rebuild
from indexer.validate import load_corpus
from search.engine import Engine
from search.errors import TooGeneral
from search.merge import METHODS, Reach

from .conftest import statement


def keys(page):
    return [result.key for result in page.results]


def snippets(page) -> dict[str, str]:
    return {result.key: result.snippet for result in page.results}


def engine_of(folder, files: dict[str, str]) -> Engine:
    """An engine over the corpus ``files`` (file name -> text), built in ``folder``."""
    corpus = folder / "statements"
    corpus.mkdir()
    for name, text in files.items():
        (corpus / name).write_text(text, encoding="utf-8")
    rebuild(load_corpus(corpus), folder / "index", procs=1)
    return Engine(folder / "index")


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    """Statements built so that a word count and a BM25F score disagree: the score ranks."""
    return engine_of(tmp_path_factory.mktemp("best"), {
        # "strike" many times, in the title too: the best BM25 score for it.
        "strikes.en.md": statement("Strike, strike, strike",
                                   "Strike after strike; the strike spread. Strike!"),
        # Both words, each once, in a longer text.
        "both.en.md": statement("Notes", "A strike began on the docks, and a wave of "
                                "solidarity followed it across the country's ports."),
        "wave.en.md": statement("The wave", "A wave of protests."),
        "other.en.md": statement("Unrelated", "Nothing of the kind here."),
        "phrase.en.md": statement("General strike", "The general strike of 1926."),
        "inflected.pl.md": statement("Życie robotników",
                                     "O życiu i pracy robotników w fabrykach."),
    })


def test_a_word_the_statement_lacks_does_not_hide_it(engine):
    page = engine.search("wave zapatista")
    assert set(keys(page)) == {"both", "wave"}
    assert page.all_words == 0
    assert all(result.missing == ["zapatista"] for result in page.results)


def test_statements_holding_some_of_the_words_rank_by_their_score_and_say_what_they_lack(engine):
    """As Elasticsearch's ``match`` ranks: the short text titled "The wave" passes the
    longer one that mentions both words once each (docs/ranking.md says why)."""
    page = engine.search("strike wave")
    assert keys(page)[0] == "wave"
    assert set(keys(page)) == {"both", "strikes", "wave", "phrase"}
    assert page.total == 4 and page.all_words == 1
    missing = {result.key: result.missing for result in page.results}
    assert missing == {"both": [], "wave": ["strike"], "strikes": ["wave"], "phrase": ["wave"]}


def test_of_two_alike_texts_the_one_holding_more_of_the_words_ranks_first(tmp_path):
    files = {"both.en.md": statement("Notes", "A strike at the docks grew into a wave."),
             "one.en.md": statement("Notes", "A strike at the docks, then another strike.")}
    for n in range(6):
        files[f"other{n}.en.md"] = statement(f"Other {n}", f"Nothing about it here, {n}.")
    page = engine_of(tmp_path, files).search("strike wave")
    assert keys(page) == ["both", "one"]


@pytest.fixture(scope="module")
def usr_share(tmp_path_factory):
    return engine_of(tmp_path_factory.mktemp("usr"), {
        "dict.en.md": statement("Word lists", "The lists are kept in /usr/share/dict here."),
        "share.en.md": statement("Sharing", "Share the dict of usr files with others."),
        "other.en.md": statement("Other", "Nothing here."),
    })


def test_a_word_that_reads_as_several_is_found_only_where_they_stand_in_a_row(usr_share):
    """``/usr/share/dict`` is searched as the phrase "usr share dict": a text holding the
    three words apart lacks it, its "why" says so, as the count of all-word matches does,
    and its snippet marks none of them."""
    page = usr_share.search("/usr/share/dict files")
    found = {result.key: (result.missing, result.versions[0].why) for result in page.results}
    assert found == {"dict": (["files"], [{"word": "/usr/share/dict", "form": "exact"}]),
                     "share": (["/usr/share/dict"], [{"word": "files", "form": "exact"}])}
    assert page.all_words == 0
    assert snippets(page) == {
        "share": 'Share the dict of usr <mark class="match">files</mark> with others.',
        "dict": ('The lists are kept in /<mark class="match">usr</mark>/<mark class="match">'
                 'share</mark>/<mark class="match">dict</mark> here.')}


def test_a_phrase_marks_its_words_only_where_it_stands(usr_share):
    assert snippets(usr_share.search('("usr share" OR files)')) == {
        "share": 'Share the dict of usr <mark class="match">files</mark> with others.',
        "dict": ('The lists are kept in /<mark class="match">usr</mark>/<mark class="match">'
                 'share</mark>/dict here.')}


def test_a_greeklish_phrase_marks_its_words_only_where_it_stands(tmp_path):
    """Typed in Latin letters, a Greek phrase is each word's keys in a row: the title
    holds it, the body its words apart, so only the title's are marked."""
    result = engine_of(tmp_path, {
        "strike.el.md": statement("Γενική απεργία", "Η απεργία ήταν γενική στην Αθήνα."),
        "other.el.md": statement("Άλλο", "Τίποτα εδώ."),
    }).search('("geniki apergia" OR athina)').results[0]
    assert result.title_html == ('<mark class="match">Γενική</mark> '
                                 '<mark class="match">απεργία</mark>')
    assert result.snippet == 'Η απεργία ήταν γενική στην <mark class="match">Αθήνα</mark>.'


def test_a_word_typed_again_outside_parentheses_is_still_one_a_result_lacks(engine):
    page = engine.search("(wave zapatista) zapatista")
    assert page.all_words == 0
    assert all(result.missing == ["zapatista"] for result in page.results)


def test_a_word_typed_twice_is_explained_once(engine):
    page = engine.search("wave wave zapatista")
    assert set(keys(page)) == {"both", "wave"}
    assert all(result.missing == ["zapatista"] for result in page.results)
    why = {result.key: result.versions[0].why for result in page.results}
    assert why["wave"] == [{"word": "wave", "form": "exact"}]


def test_a_prefix_word_ranks_as_a_word_of_all_its_forms(tmp_path):
    """``strik*`` stands for strike, strikes and strikers, as a word stands for its
    forms: a short text saying "strike" four times passes one holding two of the forms
    once each, as it would for ``strike``; not the other way round, as when each form
    held counted one (docs/ranking.md, "Prefix, wildcard and fuzzy words")."""
    files = {"four.en.md": statement("Notes", "Strike, strike, strike, strike!"),
             "forms.en.md": statement("Notes", "Strikers joined the strikes.")}
    for n in range(4):
        files[f"other{n}.en.md"] = statement(f"Other {n}", f"Nothing about it here, {n}.")
    assert keys(engine_of(tmp_path, files).search("strik*")) == ["four", "forms"]


def test_a_prefix_word_weighs_the_languages_as_its_words_do(tmp_path):
    """``strajk*`` stands for Polish words: the Polish statements come before the English
    one that names the Strajk Kobiet in passing, as they do for ``strajk``
    (docs/ranking.md, "Across languages")."""
    files = {"kobiety.en.md": statement("Women's strike", "The Strajk Kobiet protests in Warsaw."),
             "strajki.pl.md": statement("Strajki", "Strajki robotników trwają; strajkujący "
                                        "żądają podwyżek."),
             "praca.pl.md": statement("Praca", "O strajku w fabryce."),
             "szkoly.pl.md": statement("Szkoły", "Nauczyciele strajkowali w szkołach.")}
    for n in range(4):
        files[f"other{n}.en.md"] = statement(f"Other {n}", f"Nothing about it here, {n}.")
    found = engine_of(tmp_path, files)
    assert keys(found.search("strajk"))[-1] == "kobiety"
    assert keys(found.search("strajk*")) == ["strajki", "praca", "szkoly", "kobiety"]


def test_a_broad_word_is_weighed_within_the_fields_and_letters_it_searches(tmp_path,
                                                                          monkeypatch):
    """Weighing the languages expands a broad word as the search does: ``title:str*``
    stands for the titles' words only, so the body's many do not refuse it; and a fuzzy
    word keeping more letters than its stem has is that stem (``striking~1/7``)."""
    import search.vocabulary

    found = engine_of(tmp_path, {
        "strike.en.md": statement("Strike", "Strikes, strikers, striking, strife, string."),
        "other.en.md": statement("Other", "Nothing here.")})
    monkeypatch.setattr(search.vocabulary, "MAX_EXPANSIONS", 3)
    with pytest.raises(TooGeneral, match=re.escape("str* stands for more than 3")):
        found.search("str*")
    assert keys(found.search("title:str*")) == ["strike"]
    assert keys(found.search("striking~1/7")) == ["strike"]


def test_one_word_ranks_by_score_as_before(engine):
    assert keys(engine.search("strike"))[0] == "strikes"


def test_the_summary_counts_statements_with_all_words_and_with_some(engine):
    page = engine.search("strike wave protests")
    assert page.total == 4
    assert page.all_words == 0
    assert keys(page)[0] == "wave"  # two of the three words
    assert page.results[0].missing == ["strike"]


def test_plus_requires_a_word(engine):
    page = engine.search("+wave strike")
    assert set(keys(page)) == {"both", "wave"}
    missing = {result.key: result.missing for result in page.results}
    assert missing == {"both": [], "wave": ["strike"]}


@pytest.mark.parametrize("query", ["strike -wave", "strike NOT wave"])
def test_minus_and_not_exclude(engine, query):
    assert set(keys(engine.search(query))) == {"strikes", "phrase"}


def test_and_requires_both_sides(engine):
    assert keys(engine.search("strike AND wave")) == ["both"]


def test_a_quoted_phrase_is_required(engine):
    page = engine.search('"general strike" wave')
    assert keys(page) == ["phrase"]
    assert page.results[0].missing == ["wave"]


def test_stop_words_are_never_missing(engine):
    page = engine.search("the wave of")
    assert keys(page)[0] in {"wave", "both"}
    assert all(result.missing == [] for result in page.results)
    assert page.all_words == page.total


def test_why_lists_the_words_a_version_lacks(engine):
    (result,) = [r for r in engine.search("wave zapatista strike").results if r.key == "both"]
    (version,) = [v for v in result.versions if v.matched]
    assert version.why == [{"word": "wave", "form": "exact"},
                           {"word": "strike", "form": "exact"}]
    assert version.missing == ["zapatista"]


def test_a_result_lacking_a_group_names_the_group_as_typed(engine):
    """A group counts as one word of the query (docs/ranking.md), so a result that
    lacks all of it says so, and the summary's count agrees with what results say."""
    page = engine.search("wave (strike OR docks)")
    missing = {result.key: result.missing for result in page.results}
    assert missing == {"both": [], "wave": ["(strike OR docks)"], "strikes": ["wave"],
                       "phrase": ["wave"]}
    assert page.all_words == 1
    page = engine.search("protests strike AND wave")
    assert {result.key: result.missing for result in page.results} == {"both": ["protests"]}


def test_a_statement_lacks_what_its_fullest_version_lacks(tmp_path):
    """Shown in the reader's language, a statement whose other version holds every word
    is counted as holding them all, and says it lacks nothing."""
    engine = engine_of(tmp_path, {
        "s.en.md": statement("Strike wave", "A strike and a wave."),
        "s.pl.md": statement("Strajk", "Strajk (ang. strike)."),
    })
    page = engine.search("strike wave", prefer="pl")
    (result,) = page.results
    assert result.lang == "pl" and page.all_words == 1
    assert result.missing == []
    assert {v.lang: v.missing for v in result.versions} == {"en": [], "pl": ["wave"]}


def test_a_prefix_and_a_fuzzy_word_of_the_same_letters_are_found_apart(tmp_path):
    """``print~`` finds "point" and ``print*`` does not: each is explained by its own
    expansions, not the other's."""
    engine = engine_of(tmp_path, {"a.en.md": statement("Notes", "A point of order.")})
    (result,) = engine.search("print* print~").results
    assert result.versions[0].why == [{"word": "print~", "form": "fuzzy"}]
    assert result.missing == ["print*"]


def test_a_fuzzy_word_keeping_all_its_letters_says_it_matched(engine):
    """``strike~1/6`` keeps all six letters, so it is searched as its one term; the
    pages holding it say so, as they say of any fuzzy word."""
    (result,) = [r for r in engine.search("strike~1/6 wave").results if r.key == "both"]
    assert result.versions[0].why == [{"word": "strike~1/6", "form": "fuzzy"},
                                      {"word": "wave", "form": "exact"}]
    assert result.missing == []


def test_a_query_of_only_stop_words_finds_nothing(engine):
    page = engine.search("the of and")
    assert page.total == 0


@pytest.mark.parametrize("lang, text, query", [
    # Snowball gives these two stems (τυρανν / τυραννι, ży / życ); their dictionary form one.
    ("el", "Η τυραννία του κεφαλαίου.", "τυραννίας"),
    ("el", "Ενάντια στις τυραννίες.", "τυραννία"),
    ("pl", "O życie robotników.", "życia"),
    ("pl", "W obronie życia.", "życie"),
    # The same in the other languages with a lemmatiser (Snowball: streikt / streik,
    # traval / travail, mur / mor, uomin / uom, люд / человек, mücadeles / mücadel,
    # women / woman, fiz / faz).
    ("de", "Die Arbeiter streikten.", "streiken"),
    ("fr", "Les travaux du congrès.", "travail"),
    ("es", "Murieron en la huelga.", "morir"),
    ("it", "Gli uomini in sciopero.", "uomo"),
    ("ru", "Люди вышли на улицы.", "человек"),
    ("tr", "İşçilerin mücadelesi.", "mücadele"),
    ("en", "Women of the strike.", "woman"),
    ("pt", "Eles fizeram greve.", "fazer"),
    # Written without marks, in the query or the text: the dictionary's marked spelling
    # gives the lemma (Snowball alone: αγνοειτα against αγνο, adresow against adres).
    ("el", "Τα αιτήματα αγνοούνται.", "αγνοειται"),
    ("pl", "Nowy adres.", "adresow"),
    ("pl", "Lista adresow.", "adres"),
])
def test_another_form_of_a_word_finds_its_dictionary_form(tmp_path, lang, text, query):
    engine = engine_of(tmp_path, {
        f"found.{lang}.md": statement("", text),
        f"other.{lang}.md": statement("", "Κάτι άλλο. Coś innego."),
    })
    page = engine.search(query)
    assert keys(page) == ["found"]
    assert page.results[0].missing == []


def test_a_statement_the_query_describes_ranks_above_one_holding_every_word_in_passing(tmp_path):
    filler = " ".join(f"item{n}" for n in range(120))
    files = {
        # Three of the four words, what the statement is about; "walkout" is the reader's word.
        "described.en.md": statement("The dockers' strike",
                                     "The dockers' strike closed the port. Dockers on strike "
                                     "held the port for a week; the strike spread to every port."),
        # All four words, once each, in a long text about something else.
        "passing.en.md": statement("Minutes", f"{filler} strike {filler} port {filler} dockers "
                                   f"{filler} walkout {filler}"),
    }
    for n in range(6):  # a collection, so that the words are not in every document
        files[f"other{n}.en.md"] = statement(f"Other {n}", f"Nothing about it here, {n}.")
    page = engine_of(tmp_path, files).search("dockers strike port walkout")
    assert keys(page) == ["described", "passing"]
    assert page.results[0].missing == ["walkout"]
    assert page.all_words == 1


def test_lacking_a_word_most_statements_hold_costs_less_than_lacking_a_rare_one(tmp_path):
    """Both lack one of three words: the one lacking the common word ranks first (a
    word weighs its idf)."""
    files = {
        # The two rare words, what the statement is about.
        "described.en.md": statement("Notes", "The zapatista uprising in Chiapas, 1994."),
        # The common word and one rare word.
        "common.en.md": statement("Notes", "Workers rose in an uprising at the port."),
    }
    for n in range(8):  # "workers" in most statements
        files[f"other{n}.en.md"] = statement(f"Other {n}", f"Workers of port {n}.")
    page = engine_of(tmp_path, files).search("workers zapatista uprising")
    assert keys(page)[:2] == ["described", "common"]
    assert page.results[0].missing == ["workers"]
    assert page.results[1].missing == ["zapatista"]


@pytest.mark.parametrize("query", ["strike wave", "strike wave protests", "wave zapatista strike",
                                   "+strike wave docks", "general strike solidarity ports",
                                   '"general strike" solidarity ports', "strike-wave docks"])
def test_pages_one_result_long_follow_the_order_of_one_page_of_all(engine, query):
    """Only what can reach the page asked for is scored; no page may differ for it."""
    whole = engine.search(query, per_page=10)
    one_by_one = [engine.search(query, page=n, per_page=1).results[0].key
                  for n in range(1, whole.total + 1)]
    assert one_by_one == keys(whole)


@pytest.mark.parametrize("query, texts", [
    ("(strike -wave) docks", {"plain": "A strike at the docks.",
                              "waves": "Strike wave at the docks."}),
    ("(strike AND wave) docks", {"plain": "A strike wave at the docks.",
                                 "waves": "Strike at the docks."}),
])
def test_a_group_scores_where_it_does_not_match_and_paging_still_agrees(tmp_path, query, texts):
    """A group's terms score in a document the group does not match: the pruning
    must bound that document by them too, or a page of one result differs."""
    files = {"plain.en.md": statement("Notes", texts["plain"] + " Other things happened "
                                      "that year, many of them." * 8),
             "waves.en.md": statement("Strike, strike, strike", texts["waves"])}
    for n in range(6):
        files[f"other{n}.en.md"] = statement(f"Other {n}", f"Nothing about it here, {n}.")
    engine = engine_of(tmp_path, files)
    whole = engine.search(query, per_page=10)
    assert keys(whole)[0] == "waves"
    assert keys(engine.search(query, per_page=1)) == ["waves"]


def test_a_german_verb_that_folds_to_a_stop_word_is_searched(tmp_path):
    """"ändern" (change) folds to "andern" (other), a Snowball stop word."""
    engine = engine_of(tmp_path, {
        "change.de.md": statement("", "Die Welt ändern, nicht deuten."),
        "other.de.md": statement("", "Die Welt deuten."),
    })
    assert keys(engine.search("ändern")) == ["change"]
    assert keys(engine.search("Welt ändern"))[0] == "change"


def test_a_word_weighs_the_same_whichever_of_its_forms_a_page_uses(tmp_path):
    """"strikes" is rarer than its stem: weighed by its own rarity, the one page
    that happens to say "Strikes" passed a page that says "strike" three times."""
    filler = " Nothing else of note happened in the town that week."
    files = {"typed.en.md": statement("", "Strikes." + filler),
             "forms.en.md": statement("", "Strike after strike: the strike spread." + filler)}
    for n in range(8):
        files[f"other{n}.en.md"] = statement("", f"A strike at factory {n}." + filler)
    engine = engine_of(tmp_path, files)
    assert keys(engine.search("strikes"))[:2] == ["forms", "typed"]


@pytest.mark.parametrize("query, first, found", [
    ("Αριστερά", "left", {"left"}),
    ("η ΔΕΞΙΑ", "right", {"right"}),
    ("αλήθεια για την κρίση", "truth", {"truth", "left", "right"}),
    ("Estados Unidos", "states", {"states", "united", "state"}),
    ("el Estado", "state", {"state", "states"}),
])
def test_nouns_that_a_stop_word_list_holds_are_searched(tmp_path, query, first, found):
    """Greek's list holds the Left, the Right and truth, Spanish's the State and
    the United States (as participles of estar): the archive's words."""
    engine = engine_of(tmp_path, {
        "left.el.md": statement("", "Η Αριστερά μπροστά στην κρίση."),
        "right.el.md": statement("", "Η δεξιά μπροστά στην κρίση."),
        "truth.el.md": statement("", "Η αλήθεια για την κρίση."),
        "states.es.md": statement("", "La guerra de los Estados Unidos."),
        "united.es.md": statement("", "Los trabajadores unidos."),
        "state.es.md": statement("", "El Estado contra los trabajadores."),
    })
    page = keys(engine.search(query))
    assert page[0] == first and set(page) == found


@pytest.mark.parametrize("method", sorted(METHODS))
def test_a_language_whose_matches_cannot_place_is_not_ranked_and_no_page_differs(
        tmp_path, monkeypatch, method):
    """A language is run unscored once the likelier languages fill the page with
    statements its best match could not pass, and, merged by shares, a match
    that could not pass them is not scored; every page is the same as when
    every match of every language is scored.  Merged by shares, a saturating
    French match and a boosted word test the bound read from the query alone:
    set too low, it left out a language that places."""
    # English and German hold "strike" alike (so weigh alike), the weakest match the
    # first file; French holds it less often (so weighs less).
    filler = "Other news of the week. " * 10
    files = {}
    for code, text in (("en", "The dock strike spread."), ("de", "Der Strike im Hafen.")):
        for n in range(3):
            files[f"{code}{n}.{code}.md"] = statement(f"{code} {n}", filler * (3 - n) + text)
    files["shared.en.md"] = statement("shared", filler + "A strike at the docks.")
    files["shared.de.md"] = statement("geteilt", "Ein Strike im Hafen.")  # one statement
    files["fr0.fr.md"] = statement("fr", "La grève des dockers, un strike.")
    files.update({f"fr{n}.fr.md": statement(f"fr {n}", "La grève des dockers.")
                  for n in range(1, 4)})
    # A French match that saturates: merged by shares, it places despite its weight.
    files["fr4.fr.md"] = statement("Strike", "Strike, strike, strike !")
    engine_of(tmp_path, files)
    queries = ["strike", "dock strike", "strike Hafen", "grève strike", "strike^3 dock"]

    def pages():
        engine = Engine(tmp_path / "index")  # a new engine: no page from a cache
        return [[(r.key, r.lang) for r in engine.search(q, page=p, per_page=k, method=method,
                                                         prefer=prefer).results]
                for q in queries for k in (1, 2, 5) for p in (1, 2, 3) for prefer in (None, "de")]

    placed = []
    may_place = Reach.may_place
    monkeypatch.setattr(Reach, "may_place",
                        lambda *args: placed.append(may_place(*args)) or placed[-1])
    ranked_as_needed = pages()
    assert False in placed  # some language was run unscored
    monkeypatch.setattr(Reach, "may_place", lambda *args: True)
    monkeypatch.setattr(Reach, "floor", lambda *args: 0.0)
    assert pages() == ranked_as_needed


def test_matches_of_two_languages_are_merged_by_how_well_they_match(tmp_path):
    """Both languages hold the names alike, so weigh alike; the French pages name them
    in passing in long texts.  Each match's score is compared as a share of what the
    query's words can score in its language (``share``): both English pages come
    first, where a merge by rank alone (``rrf``) puts a French page beside the best
    English one."""
    filler = "Des nouvelles de la semaine, sans rapport. " * 30
    engine = engine_of(tmp_path, {
        "a.en.md": statement("Freefont", "Freefont: OpenType Serif fonts."),
        "b.en.md": statement("Fonts", "Freefont has OpenType and Serif faces."),
        "c.fr.md": statement("Notes", filler + "Freefont, OpenType, Serif."),
        "d.fr.md": statement("Notes", filler + "Serif, OpenType ou Freefont."),
        **{f"other{n}.{code}.md": statement("", "Nothing here.") for n in range(2)
           for code in ("en", "fr")},
    })
    assert set(keys(engine.search("Freefont OpenType Serif", method="share"))[:2]) == {"a", "b"}
    assert set(keys(engine.search("Freefont OpenType Serif", method="rrf"))[:2]) != {"a", "b"}


def test_a_greek_query_typed_without_accents_weighs_greek_first(tmp_path):
    """Its Greek words, as written, are in no text: they count as the dictionary spells them."""
    files = {"macros.el.md": statement("", "Καταγραφή μακροεντολών στη Basic.")}
    for n in range(4):  # "Basic" is an English word here
        files[f"basic{n}.en.md"] = statement("", f"Basic programs, part {n}. Basic dialogs.")
        files[f"other{n}.el.md"] = statement("", f"Σημειώσεις για κάτι άλλο, {n}.")
    page = engine_of(tmp_path, files).search("Basic καταγραφη μακροεντολων")
    assert keys(page)[0] == "macros"
    assert page.results[0].missing == []


def test_a_french_query_typed_without_accents_weighs_french_first(tmp_path):
    """As written, "eclairages" and "degre" are in no French text ("éclairages",
    "degré"), while English pages say "directions": counted accents aside, the
    French words make the query French."""
    files = {"lighting.fr.md": statement("", "Éclairages 3D : directions et degrés de la lumière.")}
    for n in range(4):
        files[f"roads{n}.en.md"] = statement("", f"Directions to the venue, part {n}. Road directions.")
        files[f"other{n}.fr.md"] = statement("", f"Notes sur autre chose, {n}.")
    page = engine_of(tmp_path, files).search("eclairages directions degre")
    assert keys(page)[0] == "lighting"


def test_a_stop_word_written_in_capitals_is_a_name(tmp_path):
    """``WHO`` in capitals is the organisation, not the English stop word: the statement
    naming it comes first and the others lack it; typed in small letters it is
    the stop word, and every statement holds all the query's words."""
    engine = engine_of(tmp_path, {
        "named.en.md": statement("Patents", "The WHO asks to lift the patents on vaccines."),
        "asking.en.md": statement("Who pays", "Who pays for the vaccines? Vaccines for all."),
        "other.en.md": statement("Vaccines", "Vaccines, vaccines and patents."),
    })
    page = engine.search("WHO vaccines")
    assert keys(page)[0] == "named" and page.total == 3 and page.all_words == 1
    assert {r.key: r.missing for r in page.results}["asking"] == ["WHO"]
    named = page.results[0]
    assert {why["word"] for why in named.versions[0].why} == {"WHO", "vaccines"}
    assert "<mark class=\"match\">WHO</mark>" in named.snippet
    page = engine.search("who vaccines")
    assert page.total == 3 and page.all_words == 3


def test_a_line_in_capitals_keeps_its_stop_words(tmp_path):
    """A title or a heading set in capitals is read in small letters: its ``OF THE``
    are stop words, so a phrase typed in small letters, which skips them, finds
    it; a name in capitals elsewhere in the text (``WHO``) stays a name."""
    engine = engine_of(tmp_path, {
        "title.en.md": statement("STRIKE OF THE DOCKERS", "They stopped the port."),
        "heading.en.md": statement("Port news", "## STRIKE OF THE DOCKERS\n\nThe WHO said nothing."),
        "other.en.md": statement("Dockers", "The dockers of the port went on strike."),
    })
    assert sorted(keys(engine.search('"strike of the dockers"'))) == ["heading", "title"]
    assert keys(engine.search("WHO")) == ["heading"]


def test_a_query_typed_in_capitals_reads_as_in_small_letters(tmp_path):
    """``VACCINES FOR ALL`` asks what ``vaccines for all`` asks, not for the names
    ``FOR`` and ``ALL``, which no text holds."""
    engine = engine_of(tmp_path, {
        "all.en.md": statement("Vaccines for all", "Lift the patents on vaccines."),
        "some.en.md": statement("Patents", "Vaccines and patents, again."),
    })
    shouted, small = engine.search("VACCINES FOR ALL"), engine.search("vaccines for all")
    assert keys(shouted) == keys(small) and shouted.all_words == small.all_words == 2
    # Its operators keep their meaning.
    assert keys(engine.search("VACCINES ANDNOT LIFT")) == ["some"]
