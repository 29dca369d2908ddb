"""Hostile requests and corpus files: what an attacker or a careless corpus does to a reader.

Requests go to the app served by waitress on a free port (as ``python -m
webui`` serves it), so that an error the app cannot render shows as the
server's own 500, as a reader would see it.
"""

from __future__ import annotations

import html
import http.client
import json
import re
import shutil
import urllib.parse

import pytest

from indexer.__main__ import main as indexer
from indexer.build import rebuild
from indexer.validate import load_corpus
from webui import create_app

from .conftest import SEED_CORPUS, serve, statement

LONG_LABEL_HOST = "a" * 64 + ".example.org"
"""A host name with a 64-character label: IDNA refuses it (63 at most)."""


@pytest.fixture(scope="module")
def base(fixture_index):
    """The URL of the app over the fixture index, served by waitress."""
    with serve(create_app({"INDEX_DIR": str(fixture_index), "TESTING": True})) as url:
        yield url


def request(base: str, path: str, headers: dict | None = None) -> tuple[int, dict, str]:
    """GET ``path`` with exactly ``headers`` (Host included): status, headers, body."""
    address = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_host="Host" in (headers or {}),
                              skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()


# --- point 7: a Host header that is not a host name ----------------------------------


@pytest.mark.parametrize("path", ["/", "/search?q=strike", "/statement/general-strike",
                                  "/concordance?q=strike", "/widget/demo", "/no-such-page",
                                  "/search.json?q=strike"])
def test_a_host_label_too_long_is_a_400_saying_so(base, path):
    status, headers, body = request(base, path, {"Host": LONG_LABEL_HOST})
    assert status == 400, body
    assert "Host header" in body
    if path.split("?")[0].endswith(".json"):
        assert json.loads(body)["ok"] is False


# --- point 8: a citation that a field could break out of -----------------------------

HOSTILE_URL = "https://example.org/}%0A@misc{x,"
LOSSY_BODY = ('![img](x" onerror="alert(12)) `<b>bold code</b>` kept\n\n'
              '![A picket line](pic.png "Title of the picture")')
"""A broken image, a code span with tags, and an image with a title."""


@pytest.fixture(scope="module")
def hostile_base(tmp_path_factory):
    """The app over the seed corpus plus statements whose fields try to escape."""
    corpus = tmp_path_factory.mktemp("hostile") / "statements"
    shutil.copytree(SEED_CORPUS, corpus)
    (corpus / "bibtex-breakout.en.md").write_text(statement(
        'A } title\\n@misc{y, title = {\\\\ 100% & $5 #1 ~x^2_', "Body text.",
        url=json.dumps(HOSTILE_URL)))
    (corpus / "markdown-loss.en.md").write_text(statement("Markup in the body", LOSSY_BODY))
    root = corpus.parent / "index"
    rebuild(load_corpus(corpus), root, procs=1)
    with serve(create_app({"INDEX_DIR": str(root), "TESTING": True,
                           "ORGANISATION": "Org {of} 100%"})) as url:
        yield url


def braces_balanced(entry: str) -> bool:
    """Whether every brace of a BibTeX entry closes in order, the entry's last closing it."""
    depth = 0
    for position, char in enumerate(entry):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0 or (depth == 0 and char == "}" and entry[position + 1:].strip()):
            return False
    return depth == 0


def test_no_field_of_a_statement_breaks_out_of_its_bibtex_entry(hostile_base):
    status, headers, body = request(hostile_base, "/statement/bibtex-breakout.bib")
    assert status == 200, body
    entries = [line for line in body.splitlines() if line.lstrip().startswith("@")]
    assert entries == ["@misc{bibtex-breakout-en,"], body
    assert braces_balanced(body), body
    url = re.search(r"^  url = \{(.*)\},?$", body, re.MULTILINE)[1]
    assert urllib.parse.unquote(url) == HOSTILE_URL.replace("%0A", "\n")


def test_the_statement_page_shows_the_same_escaped_citation(hostile_base):
    status, _, page = request(hostile_base, "/statement/bibtex-breakout")
    assert status == 200
    entry = html.unescape(re.search(r"(@misc\{bibtex-breakout-en,.*?\n\}\n)", page, re.DOTALL)[1])
    _, _, bib = request(hostile_base, "/statement/bibtex-breakout.bib")
    assert entry == bib


# --- point 9: keys that would make a statement unreachable ---------------------------

UNREACHABLE_KEYS = {"dots-and-slashes": "../../etc/passwd",
                    "formula": "=cmd|' /C calc'!A0",
                    "json-suffix": "other.json",
                    "upper-case": "After-Charlie-Hebdo",
                    "empty": ""}


def test_every_key_that_no_link_could_open_is_a_corpus_error_at_its_line(
        corpus, tmp_path, capsys):
    for name, key in UNREACHABLE_KEYS.items():
        (corpus / f"{name}.en.md").write_text(statement(
            f"Key {name}", "Text.", translation_key=json.dumps(key)))
    assert indexer(["rebuild", "--corpus", str(corpus), "--index", str(tmp_path / "index"),
                    "--no-langid"]) == 1
    err = capsys.readouterr().err
    assert f"the corpus has {len(UNREACHABLE_KEYS)} problems" in err, err
    for name, key in UNREACHABLE_KEYS.items():
        assert f"{corpus / name}.en.md:3: translation_key must be a slug" in err, err
        assert repr(key) in err
    assert not (tmp_path / "index" / "current").exists()


# --- point 11: Markdown that lost or mangled text -------------------------------------


def test_a_body_with_a_broken_image_and_code_keeps_its_words_escaped_once(hostile_base):
    status, _, body = request(hostile_base, "/search.json?q=bold+code+kept")
    assert status == 200
    result = next(r for r in json.loads(body)["results"] if r["key"] == "markdown-loss")
    snippet = result["snippet"]
    assert "\x03" not in snippet and "\x02" not in snippet
    assert "&lt;b&gt;" in snippet and "&amp;lt;" not in snippet, snippet
    assert "onerror" in html.unescape(re.sub(r"<[^>]+>", "", snippet))


def test_the_statement_page_shows_code_escaped_once_and_image_titles(hostile_base):
    status, _, page = request(hostile_base, "/statement/markdown-loss")
    assert status == 200
    assert "<code>&lt;b&gt;bold code&lt;/b&gt;</code>" in page, page
    assert "&amp;lt;" not in page
    image = re.search(r"<img [^>]*>", page[page.index("A picket line") - 200:])[0]
    assert 'src="pic.png"' in image and 'title="Title of the picture"' in image, image
    assert '![img](x" onerror="alert(12))' in html.unescape(page)  # shown as written


# --- point 12: every JSON operation of the API answers other sites alike -------------


def test_every_json_path_of_the_openapi_document_answers_an_allowed_origin(fixture_index):
    from webui.openapi import spec

    app = create_app({"INDEX_DIR": str(fixture_index), "TESTING": True,
                      "CORS_ORIGINS": ["https://example.org"]})
    client = app.test_client()
    paths = [path for path in spec()["paths"] if path.endswith(".json")]
    assert "/concordance.json" in paths
    for path in paths:
        response = client.get(path.replace("{key}", "general-strike"),
                              query_string={"q": "strike"},
                              headers={"Origin": "https://example.org"})
        assert response.status_code == 200, path
        assert response.headers.get("Access-Control-Allow-Origin") == "https://example.org", \
            path
