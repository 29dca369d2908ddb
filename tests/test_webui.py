"""The web pages and their JSON twins, through Flask's test client."""

from __future__ import annotations

import re

import pytest

from webui import create_app


@pytest.fixture(scope="module")
def client(fixture_index):
    return create_app({"TESTING": True, "INDEX_DIR": str(fixture_index)}).test_client()


def page_keys(html: str) -> list[str]:
    return re.findall(r'<h2><a href="/statement/([^?"]+)\?', html)


@pytest.mark.parametrize("query", ["Charlie Hebdo", "strike OR Trump", "φονικο", "zabojstw"])
def test_html_and_json_list_the_same_statements_in_the_same_order(client, query):
    html = client.get("/search", query_string={"q": query})
    data = client.get("/search.json", query_string={"q": query}).get_json()
    assert html.status_code == 200 and data["ok"]
    assert page_keys(html.get_data(as_text=True)) == [r["key"] for r in data["results"]]
    assert html.headers["Link"].startswith("</search.json?q=")


def test_front_page_is_the_search_form(client):
    response = client.get("/")
    assert response.status_code == 200
    assert 'role="search"' in response.get_data(as_text=True)


def test_results_carry_their_language_and_link_the_translations(client):
    html = client.get("/search", query_string={"q": "zabojstw"}).get_data(as_text=True)
    assert '<li lang="pl">' in html
    assert 'lang="el" hreflang="el">Ελληνικά</a>' in html
    assert re.search(r'<mark class="match term\d">zabójstw</mark>', html)


@pytest.mark.parametrize("url", ["/search?q=(bad", "/search.json?q=(bad",
                                 "/search.json?q=x&page=abc", "/search.json?q=x&sort=up",
                                 "/search.json?q=x&lang=xx", "/search.json"])
def test_bad_queries_are_400_with_a_message(client, url):
    response = client.get(url)
    assert response.status_code == 400
    if url.startswith("/search.json"):
        body = response.get_json()
        assert body["ok"] is False and body["error"]
    else:
        text = response.get_data(as_text=True)
        assert "never closed" in text and 'value="(bad"' in text


def test_corpus_markup_is_inert_in_pages(client):
    html = client.get("/search", query_string={"q": "solidarity hostile"}).get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    page = client.get("/statement/hostile").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_statement_page_and_its_json_twin(client):
    html = client.get("/statement/after-charlie-hebdo?lang=pl").get_data(as_text=True)
    assert '<article lang="pl">' in html and "Zastrzelenie 7 stycznia" in html
    data = client.get("/statement/after-charlie-hebdo.json").get_json()
    assert [v["lang"] for v in data["versions"]] == ["el", "en", "pl"]
    assert client.get("/statement/nope.json").status_code == 404


def test_missing_index_is_503(tmp_path):
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path)}).test_client()
    response = client.get("/search.json?q=x")
    assert response.status_code == 503
    assert "python -m indexer rebuild" in response.get_json()["error"]
