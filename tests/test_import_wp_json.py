"""`python -m indexer import wp-json URL` against a real local HTTP server of recorded API pages."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from indexer.__main__ import main
from indexer.corpus import read_document

from .conftest import ROOT, serve
from .test_import import snapshot

RECORDED = ROOT / "tests" / "import_fixtures" / "wp-json"
SITES = ("ok", "slow", "broken", "limited", "down", "notwp")


def recorded_site(environ, start_response):
    """The recorded pages, as a site in one of several states (the first part of the path)."""
    site, _, route = environ["PATH_INFO"].lstrip("/").partition("/")
    query = parse_qs(environ.get("QUERY_STRING", ""))
    page = int(query.get("page", ["1"])[0])
    headers = [("Content-Type", "application/json; charset=UTF-8")]
    if site == "slow":
        time.sleep(1.5)
    if site == "limited":
        start_response("429 Too Many Requests", headers + [("Retry-After", "120")])
        return [b'{"code":"too_many_requests","message":"Slow down"}']
    if site == "down":
        start_response("500 Internal Server Error", [("Content-Type", "text/html")])
        return [b"<html><body>There has been a critical error on this website.</body></html>"]
    if site == "notwp":
        start_response("404 Not Found", [("Content-Type", "text/html")])
        return [b"<html><body>Not found</body></html>"]
    if route == "wp-json/wp/v2/categories":
        body = (RECORDED / "categories.json").read_bytes()
        start_response("200 OK", headers + [("X-WP-Total", "1"), ("X-WP-TotalPages", "1")])
        return [body]
    if route != "wp-json/wp/v2/posts" or query.get("_embed") != ["wp:term"]:
        start_response("404 Not Found", headers)
        return [b'{"code":"rest_no_route"}']
    if site == "broken" and page == 2:
        start_response("200 OK", [("Content-Type", "text/html")])
        return [b"<br />\n<b>Fatal error</b>: Allowed memory size exhausted"]
    if page > 2:
        start_response("400 Bad Request", headers)
        return [b'{"code":"rest_post_invalid_page_number"}']
    body = (RECORDED / f"posts-{page}.json").read_bytes()
    start_response("200 OK", headers + [("X-WP-Total", "4"), ("X-WP-TotalPages", "2")])
    return [body]


@pytest.fixture(scope="module")
def site():
    with serve(recorded_site) as url:
        yield url


def run(url: str, corpus: Path, *options: str) -> int:
    return main(["import", "wp-json", url, "--corpus", str(corpus), "--no-langid", *options])


def test_posts_of_every_page_with_their_translations(site, tmp_path, capsys):
    corpus = tmp_path / "statements"
    assert run(f"{site}/ok", corpus, "--category", "declarations") == 0
    out = capsys.readouterr().out
    files = sorted(p.name for p in corpus.glob("*.md"))
    assert files == ["belarus-and-the-struggle-against-lukashenko.en.md", "belarus.ru.md",
                     "ist-statement-on-coronavirus-pandemic.en.md"]
    russian = read_document(corpus / "belarus.ru.md")  # the %-encoded Cyrillic slug
    assert russian.key == "belarus-and-the-struggle-against-lukashenko"
    assert russian.title == "Беларусь и борьба с режимом Александра Лукашенко."
    english = read_document(corpus / files[0])
    assert english.date.isoformat() == "2020-08-31"
    assert english.url == ("https://statements.example.org/en/2020/08/"
                           "belarus-and-the-struggle-against-lukashenko/")
    assert english.tags == ("Strikes", "Declarations") and english.categories == (
        "Declarations",)
    pandemic = read_document(corpus / files[2])
    assert pandemic.markdown.startswith("1\\. The Covid-19 coronavirus pandemic is generally "
                                        "presented as a “natural disaster”")
    assert "1. SARS\n2. MERS" in pandemic.markdown
    assert 'left out  post 204 "Protected: For members": password-protected' in out
    assert "[ru: Polylang]" in out
    assert "3 added, 0 changed, 0 unchanged" in out
    before = snapshot(corpus)
    assert run(f"{site}/ok/", corpus) == 0  # a second run: nothing changes
    assert "0 added, 0 changed, 3 unchanged" in capsys.readouterr().out
    assert snapshot(corpus) == before


def test_an_unknown_category_names_the_site_s(site, tmp_path, capsys):
    assert run(f"{site}/ok", tmp_path / "statements", "--category", "news") == 1
    assert ("no category news on the site (its categories: declarations)"
            in capsys.readouterr().err)


@pytest.mark.parametrize("state, options, message", [
    ("slow", ["--timeout", "0.3"], "/slow/wp-json/wp/v2/posts: no answer within 0.3 s"),
    ("down", [], "HTTP 500 Internal Server Error"),
    ("notwp", [], "HTTP 404 Not Found: no WordPress REST API here"),
    ("broken", [], "page=2: the answer is not JSON"),
    ("limited", [], "HTTP 429 Too Many Requests); run the import again after 120 s"),
])
def test_a_failing_site_leaves_the_corpus_as_it_was(site, corpus, capsys, state, options,
                                                    message):
    before = snapshot(corpus)
    assert run(f"{site}/{state}", corpus, *options) == 1
    err = capsys.readouterr().err
    assert message in err
    assert err.rstrip().endswith("nothing was imported and the corpus is unchanged")
    assert snapshot(corpus) == before


def test_no_server_at_all(tmp_path, capsys):
    with serve(recorded_site) as url:
        pass  # the server is gone: its port refuses connections
    assert run(url, tmp_path / "statements") == 1
    assert "cannot connect (connection refused)" in capsys.readouterr().err


def test_a_url_that_is_not_http_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        run("example.org", tmp_path / "statements")
    assert stop.value.code == 2
    assert "is not an http(s) address" in capsys.readouterr().err

