"""The web pages and their JSON twins, through Flask's test client."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webui import create_app


@pytest.fixture(scope="module")
def app(fixture_index):
    return create_app({"TESTING": True, "INDEX_DIR": str(fixture_index)})


@pytest.fixture
def client(app):
    return app.test_client()


def page_keys(html: str) -> list[str]:
    return re.findall(r'<h2 lang="\w+" dir="\w+"><a href="/statement/([^?"]+)\?', html)


@pytest.mark.parametrize("query", ["Charlie Hebdo", "strike OR Trump", "φονικο", "zabojstw"])
def test_html_and_json_list_the_same_statements_in_the_same_order(client, query):
    html = client.get("/search", query_string={"q": query})
    data = client.get("/search.json", query_string={"q": query}).get_json()
    assert html.status_code == 200 and data["ok"]
    assert page_keys(html.get_data(as_text=True)) == [r["key"] for r in data["results"]]
    assert data["results"]
    assert html.headers["Link"].startswith("</search.json?q=")


def test_filters_sort_dates_and_pages_reach_both_twins(client):
    args = {"q": "strike OR Trump OR Charlie", "lang": ["en", "pl"], "sort": "newest",
            "from": "2012", "to": "2019-12", "per_page": "1", "page": "2"}
    html = client.get("/search", query_string=args).get_data(as_text=True)
    data = client.get("/search.json", query_string=args).get_json()
    assert data["understood"]["languages"] == ["en", "pl"]
    assert (data["understood"]["date_from"], data["understood"]["date_to"]) == (
        "2012-01-01", "2019-12-31")
    assert data["page"] == 2 and data["total"] == 5 and data["sort"] == "newest"
    # strike-wave (2019-03-10) first, then the bundled racist-drive-in-europe (2018-07-13)
    assert page_keys(html) == [r["key"] for r in data["results"]] == ["racist-drive-in-europe"]
    assert ('value="en" form="search-form" data-auto-submit checked> <span lang="en">English'
            '</span> <span class="count">5</span>') in html
    assert ('value="pl" form="search-form" data-auto-submit checked> <span lang="pl">Polski'
            '</span> <span class="count">1</span>') in html
    assert 'rel="prev"' in html and "Page 2 of 5" in html


def test_front_page_is_the_search_form_with_syntax_help(client):
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'role="search"' in html and "<summary" in html and "date:2015..2017" in html


def test_results_carry_their_language_and_link_the_translations(client):
    html = client.get("/search", query_string={"q": "zabojstw"}).get_data(as_text=True)
    assert '<p class="snippet" lang="pl" dir="ltr">' in html
    assert 'lang="el" hreflang="el">Ελληνικά</a>' in html
    assert re.search(r'<mark class="match">zabójstw</mark>', html)
    assert 'name="lang" value="pl"' in html
    assert 'Polski</span> <span class="count">1</span>' in html


def test_empty_state_and_suggestion(client):
    html = client.get("/search", query_string={"q": "racsim"}).get_data(as_text=True)
    assert "0 statements found" in html
    assert "No statement matches this search" in html
    assert '<a href="/search?q=racism">racism</a>' in html


@pytest.mark.parametrize("url", ["/search?q=(bad", "/search.json?q=(bad",
                                 "/search.json?q=x&page=abc", "/search.json?q=x&sort=up",
                                 "/search.json?q=x&lang=xx", "/search.json",
                                 "/search.json?q=x&from=2015-13"])
def test_bad_queries_are_400_with_a_message(client, url):
    response = client.get(url)
    assert response.status_code == 400
    if url.startswith("/search.json"):
        body = response.get_json()
        assert body["ok"] is False and body["error"]
    else:
        text = response.get_data(as_text=True)
        assert "left open" in text and 'value="(bad"' in text


def test_limits_give_a_clear_400_or_413(client):
    long = client.get("/search.json", query_string={"q": "a" * 5000})
    assert long.status_code == 400 and "limit is" in long.get_json()["error"]
    assert client.get("/search.json?q=" + "b" * 1200).status_code == 400
    big = client.get("/search.json?q=x", data="x" * 20000)
    assert big.status_code == 413 and "the limit is 16384" in big.get_json()["error"]


def test_security_headers_and_no_inline_script(client):
    response = client.get("/search", query_string={"q": "Trump"})
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", response.get_data(as_text=True), re.S)
    assert scripts and all(' src="/' in tag and not body.strip() for tag, body in scripts)


def test_corpus_markup_is_inert_in_pages(client):
    html = client.get("/search", query_string={"q": "solidarity hostile"}).get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    page = client.get("/statement/hostile").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_statement_page_marks_the_query_and_has_a_json_twin(client):
    response = client.get("/statement/after-charlie-hebdo",
                          query_string={"lang": "pl", "q": "zabojstw"})
    html = response.get_data(as_text=True)
    assert '<article class="statement" lang="pl" dir="ltr">' in html
    assert "Zastrzelenie 7 stycznia" in html
    assert "<mark>zabójstwo</mark>" in html
    assert 'aria-current="page">Polski</a>' in html and 'hreflang="el">Ελληνικά</a>' in html
    assert response.headers["Link"].startswith("</statement/after-charlie-hebdo.json")
    data = client.get("/statement/after-charlie-hebdo.json?q=zabojstw").get_json()
    assert [v["lang"] for v in data["versions"]] == ["el", "en", "pl"]
    assert data["versions"][2]["marks"] == ["zabójstw", "zabójstwo"]
    assert client.get("/statement/nope.json").status_code == 404
    assert client.get("/statement/nope").status_code == 404


def test_csv_export_has_every_result_with_research_columns(client):
    response = client.get("/search.csv", query_string={"q": "strike OR Trump OR Charlie"})
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    data = client.get("/search.json", query_string={
        "q": "strike OR Trump OR Charlie", "per_page": 100}).get_json()
    assert [r["key"] for r in rows] == [r["key"] for r in data["results"]]
    charlie = next(r for r in rows if r["key"] == "after-charlie-hebdo")
    assert charlie["matched_languages"] == "el en pl"
    assert "<mark" not in charlie["snippet"] and "Charlie Hebdo" in charlie["snippet"]
    assert list(rows[0]) == ["key", "lang", "title", "date", "url", "score",
                             "matched_languages", "snippet", "why", "missing", "page"]
    assert charlie["why"] == ("el: Charlie (exact); en: Charlie (exact); "
                              "pl: Charlie (exact)")
    assert charlie["page"] == f"http://localhost/statement/after-charlie-hebdo?lang={charlie['lang']}"


def test_csv_export_names_what_each_statement_lacks(client):
    """As the page does: each word or group as typed, separated by commas."""
    query = {"q": "workplace (austerity OR cuts) strike"}
    rows = csv.DictReader(io.StringIO(client.get("/search.csv", query_string=query)
                                      .get_data(as_text=True)))
    missing = {row["key"]: row["missing"] for row in rows}
    assert missing["organisations"] == "(austerity OR cuts), strike"
    assert missing["general-strike"] == "workplace"
    html_page = client.get("/search", query_string=query).get_data(as_text=True)
    assert '<s translate="no">(austerity OR cuts)</s>, <s translate="no">strike</s>' in html_page


def test_csv_export_stops_at_the_configured_cap(fixture_index):
    client = create_app({"TESTING": True, "INDEX_DIR": str(fixture_index),
                         "CSV_LIMIT": 2}).test_client()
    body = client.get("/search.csv", query_string={"q": "strike OR Trump"}).get_data(as_text=True)
    assert len(body.strip().splitlines()) == 3


@pytest.mark.parametrize("header, expected", [
    ("el-GR,el;q=0.9", "Αναζήτηση"), ("pl", "Szukaj"), ("de", "Search"),
])
def test_interface_language_follows_accept_language(client, header, expected):
    html = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f">{expected}</button>" in html


def test_language_switcher_sticks(client):
    first = client.get("/?ui=pl", headers={"Accept-Language": "en"})
    assert '<html lang="pl" dir="ltr">' in first.get_data(as_text=True)
    later = client.get("/search?q=Trump", headers={"Accept-Language": "en"})
    assert '<html lang="pl" dir="ltr">' in later.get_data(as_text=True)


def test_missing_index_is_503(tmp_path):
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path)}).test_client()
    response = client.get("/search.json?q=x")
    assert response.status_code == 503
    assert "python -m indexer rebuild" in response.get_json()["error"]
    page = client.get("/search?q=x")
    assert page.status_code == 503 and "python -m indexer rebuild" in page.get_data(as_text=True)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=80), page=st.one_of(st.none(), st.text(max_size=6)),
       lang=st.one_of(st.none(), st.text(max_size=4)))
def test_the_json_endpoint_answers_200_or_400_whatever_the_input(app, q, page, lang):
    args = {"q": q, **({"page": page} if page is not None else {}),
            **({"lang": lang} if lang is not None else {})}
    response = app.test_client().get("/search.json", query_string=args)
    assert response.status_code in (200, 400), response.get_data(as_text=True)
    assert response.get_json()["ok"] is (response.status_code == 200)


@pytest.mark.parametrize("query_string", [
    "q=" + "x" * 10_000,
    "q=" + "+".join(["war"] * 400),
    "q=*", "q=*ism", "q=%3Facism",
    "q=" + "(" * 300 + "x" + ")" * 300,
    "q=a%00b",
    "q=%E0%A4%A",
    "q=%ZZ%",
    "q=Trump&page=99999999999999999999",
    "q=Trump&per_page=100000",
    "q=Trump&lang=xx",
])
def test_hostile_queries_never_fail_the_server(client, query_string):
    response = client.get("/search.json?" + query_string)
    assert response.status_code in (200, 400)
    assert response.get_json()["ok"] is (response.status_code == 200)


def test_statement_markdown_is_rendered_and_sanitised(client):
    html = client.get("/statement/links").get_data(as_text=True)
    assert "<em>solidarity</em>" in html
    assert 'href="https://example.org/archive"' in html
    assert "javascript:" not in html


def test_atom_feed_of_a_search_lists_statements_newest_first(client):
    from xml.etree import ElementTree as ET

    response = client.get("/search.atom", query_string={"q": "strike OR Charlie"})
    assert response.mimetype == "application/atom+xml"
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.fromstring(response.data)
    entries = feed.findall("a:entry", ns)
    titles = [e.find("a:title", ns).text for e in entries]
    assert titles[:3] == ["Belarus and the struggle against Lukashenko", "A new strike wave",
                          "General strike against austerity"]
    updated = [e.find("a:updated", ns).text for e in entries]
    assert updated[:3] == ["2020-08-31T00:00:00+00:00", "2019-03-10T00:00:00+00:00",
                           "2016-05-01T00:00:00+00:00"]
    first = entries[1].find("a:link", ns).get("href")
    assert first == "http://localhost/statement/strike-wave?lang=en"
    html = client.get("/search", query_string={"q": "strike"}).get_data(as_text=True)
    assert 'type="application/atom+xml" href="/search.atom?q=strike"' in html


def test_statement_citations(client):
    bib = client.get("/statement/general-strike.bib?lang=pl").get_data(as_text=True)
    assert bib.startswith("@misc{general-strike-pl,")
    assert "title = {Strajk generalny przeciwko polityce cięć}" in bib
    assert "author = {{International Socialist Tendency}}" in bib
    assert "date = {2016-05-01}" in bib and "langid = {polish}" in bib
    assert "url = {https://example.org/statements/general-strike}" not in bib  # pl has no url
    (item,) = client.get("/statement/general-strike.csl.json?lang=en").get_json()
    assert item["URL"] == "https://example.org/statements/general-strike"
    assert item["issued"] == {"date-parts": [[2016, 5, 1]]}
    assert item["author"] == [{"literal": "International Socialist Tendency"}]
    untitled = client.get("/statement/after-charlie-hebdo.csl.json?lang=en").get_json()[0]
    assert untitled["title"].startswith("The shootings in Paris")  # as the page names it
    assert client.get("/statement/general-strike.bib?lang=el").status_code == 404
    page = client.get("/statement/general-strike?lang=pl").get_data(as_text=True)
    assert "Cite this statement" in page and "@misc{general-strike-pl," in page


def test_versions_side_by_side_with_paragraphs_aligned_and_marked(client):
    html = client.get("/statement/after-charlie-hebdo", query_string={
        "lang": "el", "with": ["pl", "en"], "q": "Charlie"}).get_data(as_text=True)
    assert '<div class="parallel cols-3">' in html
    cells = re.findall(r'<div class="cell[^"]*" lang="(\w+)"[^>]*>(.*?)</div>', html, re.S)
    assert [lang for lang, _ in cells] == ["el", "pl", "en"]
    assert all("<mark>Charlie</mark>" in cell for _, cell in cells)
    assert 'style="' not in html  # the CSP forbids inline styles
    single = client.get("/statement/after-charlie-hebdo?lang=pl").get_data(as_text=True)
    assert 'href="/statement/after-charlie-hebdo?lang=pl&amp;with=el"' in single


def test_timeline_counts_per_year_and_links_each_year(client):
    query = "strike OR organisations OR hostile OR links"
    data = client.get("/search.json", query_string={"q": query}).get_json()
    # 2019: strike-wave and the bundled against-xenophobia; 2020: the bundled Belarus statement
    assert data["timeline"] == {"2012": {"en": 1}, "2013": {"en": 1}, "2014": {"en": 1},
                                "2016": {"en": 1}, "2019": {"en": 2}, "2020": {"en": 1}}
    html = client.get("/search", query_string={"q": query}).get_data(as_text=True)
    years = re.findall(r'<a href="/search\?[^"]*from=(\d{4})&amp;to=\1" aria-label="([^"]+)"',
                       html)
    assert [y for y, _ in years] == [str(y) for y in range(2012, 2021)]
    assert ("2016", "2016: en 1") in years and ("2015", "2015") in years
    narrowed = client.get("/search.json", query_string={
        "q": query, "from": "2016", "to": "2016"}).get_json()
    assert [r["key"] for r in narrowed["results"]] == ["general-strike"]
    assert "All years" not in html
    one_year = client.get("/search", query_string={"q": query, "from": "2016", "to": "2016"}
                          ).get_data(as_text=True)
    assert '<a href="/search?q=strike+OR+organisations+OR+hostile+OR+links">All years</a>' \
        in one_year


def test_results_say_why_they_matched(client):
    html = client.get("/search", query_string={"q": "zabojstw"}).get_data(as_text=True)
    assert '<summary title="Polski: zabojstw (without accents)">Why this result</summary>' in html
    greek = client.get("/search", query_string={"q": "zabojstw", "ui": "el"}).get_data(
        as_text=True)
    assert "Γιατί αυτό το αποτέλεσμα" in greek and "χωρίς τόνους" in greek


def test_concordance_page_json_and_csv(client):
    html = client.get("/concordance", query_string={"q": "strikes", "sort": "right"}).get_data(
        as_text=True)
    rows = re.findall(r'<tr lang="(\w+)" dir="ltr">\s*<td class="left">(.*?)</td><td class="match">'
                      r'<mark>(.*?)</mark></td>', html)
    data = client.get("/concordance.json", query_string={"q": "strikes", "sort": "right"}
                      ).get_json()
    assert [(r[0], r[2]) for r in rows] == [(l["lang"], l["match"]) for l in data["lines"]]
    assert len(rows) >= 3
    body = client.get("/concordance.csv", query_string={"q": "strikes"}).get_data(as_text=True)
    table = list(csv.DictReader(io.StringIO(body)))
    assert list(table[0]) == ["left", "match", "right", "key", "lang", "date", "title", "file",
                              "field"]
    assert len(table) == len(data["lines"])
    results = client.get("/search", query_string={"q": "strikes"}).get_data(as_text=True)
    assert 'href="/concordance?q=strikes">Concordance</a>' in results


def test_a_wrong_method_is_405_with_allow(client):
    response = client.post("/search.json?q=x")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert response.get_json()["ok"] is False


@pytest.mark.parametrize("path", ["/search.csv", "/concordance.csv"])
def test_csv_cells_that_a_spreadsheet_would_compute_stay_text(client, path):
    """A title or context starting with = (or + - @) is quoted, as OWASP advises."""
    body = client.get(path, query_string={"q": "spreadsheet"}).get_data(as_text=True)
    cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
    assert "'=HYPERLINK(\"https://example.org\",\"spreadsheet\")" in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "@"))]


@pytest.fixture(scope="module")
def translated(tmp_path_factory):
    """A statement in three languages with numbered points, a list, a reference link,
    and a translator's note in the Polish version only."""
    from indexer.build import rebuild
    from indexer.validate import load_corpus

    from .conftest import statement
    from .test_parallel import EL, EN, PL

    corpus = tmp_path_factory.mktemp("translated") / "statements"
    corpus.mkdir()
    extra = "\n\n5. A listed demand.\n\nRead [the appeal][appeal].\n\n[appeal]: https://example.org/a"
    for lang, points in (("en", EN), ("pl", PL), ("el", EL)):
        body = "\n\n".join(p.replace(". ", "\\. ", 1) for p in points) + extra
        (corpus / f"points.{lang}.md").write_text(statement(f"Points {lang}", body))
    root = corpus.parent / "index"
    rebuild(load_corpus(corpus), root, procs=1)
    return create_app({"TESTING": True, "INDEX_DIR": str(root)}).test_client()


def test_side_by_side_rows_pair_translations_despite_a_note_and_joined_points(translated):
    html = translated.get("/statement/points?lang=en&with=pl,el").get_data(as_text=True)
    cells = re.findall(r'<div class="cell[^"]*" lang="(\w+)"[^>]*>(.*?)</div>', html, re.S)
    assert [lang for lang, _ in cells[:3]] == ["en", "pl", "el"]
    rows = [cells[i:i + 3] for i in range(0, len(cells), 3)]
    points = [[re.findall(r"<p>(\d)\.", cell) for _, cell in row] for row in rows]
    assert points[:3] == [[["1"], ["1"], ["1"]], [["2", "3"], ["2", "3"], ["2"]],
                          [["4"], ["4"], ["4"]]]
    assert "Przypis tłumacza" in rows[0][1][1]
    assert all(cell.strip() for _, cell in cells)  # no empty row for the link definition
    assert '<ol start="5">' in html  # a list keeps its number, alone in its block
    assert 'href="https://example.org/a"' in html and "[appeal]" not in html


def test_side_by_side_offers_every_version_at_once(translated):
    html = translated.get("/statement/points?lang=en").get_data(as_text=True)
    assert 'href="/statement/points?lang=en&amp;with=el&amp;with=pl">3 versions at once' in html


@pytest.mark.parametrize("url, message", [
    ("/statement/points?lang=zz", "The statement “points” has no version in “zz”; it has el, en, pl."),
    ("/statement/points?lang=en&with=de", "has no version in “de”"),
    ("/statement/points.bib?lang=zz", "has no version in “zz”"),
])
def test_a_version_that_does_not_exist_is_a_404_saying_which_exist(translated, url, message):
    assert message in answer(translated, url, 404)


def answer(client, url: str, status: int) -> str:
    """The text of the page at ``url`` (its tags left out), which must answer ``status``."""
    response = client.get(url)
    assert response.status_code == status
    return html.unescape(re.sub(r"<[^>]+>", "", response.get_data(as_text=True)))


@pytest.mark.parametrize("url, message", [
    ("/search.json?q=strike+date:2020..2010", "the date range 2020-01-01..2010-12-31 ends before"),
    ("/search.json?q=strike&from=2019&to=2010", "ends before it starts (from and to)"),
    ("/search.atom?q=strike&page=abc", "“page” must be a whole number, not “abc”."),
    ("/search.atom?q=strike&sort=bogus", "There is no order “bogus”; the orders are relevance, "
                                         "newest, oldest."),
    ("/concordance.json?q=strike&from=2019&to=2010", "ends before it starts"),
])
def test_backwards_dates_and_bad_feed_options_are_400s(client, url, message):
    assert message in answer(client, url, 400)


def test_undated_feed_entries_keep_their_time_until_their_text_changes(tmp_path):
    from xml.etree import ElementTree as ET

    from indexer.build import rebuild
    from indexer.validate import load_corpus

    from .conftest import statement

    corpus, root = tmp_path / "statements", tmp_path / "index"
    corpus.mkdir()
    (corpus / "old.en.md").write_text(statement("Old", "An undated appeal for solidarity."))
    (corpus / "dated.en.md").write_text(statement("Dated", "Solidarity.", date="2015-01-01"))
    rebuild(load_corpus(corpus), root, procs=1)
    client = create_app({"TESTING": True, "INDEX_DIR": str(root)}).test_client()
    ns = {"a": "http://www.w3.org/2005/Atom"}

    def updated() -> dict:
        feed = ET.fromstring(client.get("/search.atom?q=solidarity").data)
        return {e.find("a:title", ns).text: e.find("a:updated", ns).text
                for e in feed.findall("a:entry", ns)}

    first = updated()
    assert first["Dated"] == "2015-01-01T00:00:00+00:00"
    import time
    time.sleep(1.1)  # a rebuild a second later
    rebuild(load_corpus(corpus), root, procs=1)
    assert updated() == first
    (corpus / "old.en.md").write_text(statement("Old", "An undated appeal for solidarity, amended."))
    time.sleep(1.1)
    rebuild(load_corpus(corpus), root, procs=1)
    again = updated()
    assert again["Old"] > first["Old"] and again["Dated"] == first["Dated"]


def test_feed_addresses_are_valid_uris(client):
    body = client.get("/search.atom", query_string={"q": 'strike <"x">'}).get_data(as_text=True)
    ids = re.findall(r"<id>(.*?)</id>", body)
    assert ids and all(not re.search(r'[<>"\s]', unescape_xml(i)) for i in ids)


def unescape_xml(text: str) -> str:
    return html.unescape(text)


def test_public_url_setting_makes_citation_and_feed_links(fixture_index):
    app = create_app({"TESTING": True, "INDEX_DIR": str(fixture_index),
                      "PUBLIC_URL": "https://search.example.org/"})
    client = app.test_client()
    forged = {"Host": "evil.example"}
    bib = client.get("/statement/general-strike.bib?lang=pl", headers=forged).get_data(
        as_text=True)
    assert "https://search.example.org/statement/general-strike?lang=pl" in bib
    feed = client.get("/search.atom?q=strike", headers=forged).get_data(as_text=True)
    assert "evil.example" not in feed and "evil.example" not in bib
    assert "<id>https://search.example.org/search.atom?q=strike</id>" in feed
    demo = client.get("/widget/demo", headers=forged).get_data(as_text=True)
    assert "https://search.example.org/widget.js" in demo and "evil.example" not in demo


def test_statement_page_marks_the_query_in_titles_too(client):
    page = client.get("/statement/general-strike?lang=pl&q=strajk").get_data(as_text=True)
    assert "<h1><mark>Strajk</mark> generalny przeciwko polityce cięć</h1>" in page
    hostile = client.get("/statement/hostile?q=Hostile").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; <mark>Hostile</mark>" in hostile


@pytest.mark.parametrize("url", [
    "/search.json?q=strike+date:>9999-12-31", "/search.json?q=strike+date:<0001",
    "/search?q=strike+date:<0001-01-01", "/concordance.json?q=strike+date:>9999",
    "/statement/general-strike.json?q=strike+date:>9999-12-31",
])
def test_dates_past_the_calendar_are_400s(client, url):
    assert "dates run from 0001 to 9999" in answer(client, url, 400)


@pytest.mark.parametrize("value", ["en-GB", "pt_BR", "EN"])
def test_regional_language_tags_work_on_the_page_as_in_the_json(client, value):
    page = client.get("/search", query_string={"q": "strike", "lang": value})
    assert page.status_code == 200
    assert client.get("/search.json", query_string={"q": "strike", "lang": value}
                      ).status_code == 200
    assert "There is no language with the code “xx-GB”" in answer(
        client, "/search?q=strike&lang=xx-GB", 400)


def test_the_feed_is_well_formed_whatever_the_query_holds(client):
    from xml.etree import ElementTree as ET

    response = client.get("/search.atom", query_string={"q": "strike\x01\x0b"})
    assert response.status_code == 200
    feed = ET.fromstring(response.data)
    assert feed.find("{http://www.w3.org/2005/Atom}title").text.startswith("strike")


def test_markdown_too_deep_to_render_is_shown_as_text():
    """A list nested hundreds of levels deep may pass the indexer yet not render."""
    from webui.views import render_markdown

    source = "".join("    " * depth + f"- item <{depth}>\n" for depth in range(1000))
    html = render_markdown(source)
    assert html.startswith("<pre>") and "- item &lt;999&gt;" in html


@pytest.mark.parametrize("args, headers, lang", [
    ({}, {"Accept-Language": "en"}, "en"),                  # the interface's language
    ({}, {"Accept-Language": "el"}, "el"),
    ({"lang": ["el", "pl"]}, {"Accept-Language": "pl"}, "pl"),
    ({"prefer": "pl"}, {"Accept-Language": "el"}, "pl"),     # said outright
])
def test_a_statement_is_represented_by_the_readers_version(app, args, headers, lang):
    client = app.test_client()
    data = client.get("/search.json", query_string={"q": '"Charlie Hebdo"', **args},
                      headers=headers).get_json()
    assert [r["lang"] for r in data["results"]] == [lang]
    html = client.get("/search", query_string={"q": '"Charlie Hebdo"', **args},
                      headers=headers).get_data(as_text=True)
    assert f'<h2 lang="{lang}" dir="ltr"><a href="/statement/after-charlie-hebdo?lang={lang}&' \
        in html
