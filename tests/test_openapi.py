"""The OpenAPI document is valid, and real responses of the app match what it declares."""

from __future__ import annotations

import copy
import csv
import io

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from werkzeug.exceptions import NotFound

from webui import create_app
from webui.openapi import spec
from webui.tables import SEARCH_COLUMNS as CSV_COLUMNS

DOCUMENT = "urn:statements-openapi"


@pytest.fixture(scope="module")
def app(fixture_index):
    return create_app({"TESTING": True, "INDEX_DIR": str(fixture_index)})


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


def _pointer(*parts: str) -> str:
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def validator(path: str, status: int, media: str = "application/json") -> Draft202012Validator:
    """A validator for the body the document declares for ``GET path`` answering ``status``.

    The schema is reached by a ``$ref`` into the whole document, so the
    ``#/components/...`` references inside it resolve against the document.
    """
    document = spec()
    response = document["paths"][path]["get"]["responses"][str(status)]
    if "$ref" in response:  # a shared response under #/components/responses
        name = response["$ref"].rpartition("/")[2]
        where = ("components", "responses", name)
        response = document["components"]["responses"][name]
    else:
        where = ("paths", path, "get", "responses", str(status))
    assert "schema" in response["content"][media]
    ref = f"{DOCUMENT}#/{_pointer(*where, 'content', media, 'schema')}"
    registry = Registry().with_resource(DOCUMENT, DRAFT202012.create_resource(document))
    return Draft202012Validator({"$ref": ref}, registry=registry,
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def check(response, path: str, status: int) -> dict:
    """Assert the status and that the JSON body matches the document; return the body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    errors = [f"{'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message}"
              for e in validator(path, status).iter_errors(body)]
    assert not errors, "\n".join(errors)
    return body


def test_the_document_is_valid_openapi_3_1():
    document = spec()
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] == "Statements search API"
    assert document["info"]["license"]["identifier"] == "GPL-3.0-or-later"
    validate_openapi(document)


def test_spec_returns_a_fresh_document():
    document = spec()
    document["paths"].clear()
    assert spec()["paths"]


@pytest.mark.parametrize("path", list(spec()["paths"]))
def test_every_documented_path_is_routed(app, path):
    concrete = path.replace("{key}", "after-charlie-hebdo")
    try:
        app.url_map.bind("localhost").match(concrete, method="GET")
    except NotFound:
        pytest.fail(f"GET {path} is documented but the app has no route for it")


def test_every_search_parameter_is_documented():
    """The views read these request arguments; the document must describe each."""
    parameters = spec()["paths"]["/search.json"]["get"]["parameters"]
    names = {p["$ref"].rpartition("/")[2] for p in parameters}
    assert {"q", "lang", "page", "per_page", "sort", "from", "to"} <= names


@pytest.mark.parametrize("params", [
    {"q": "Charlie Hebdo"},
    {"q": "zabojstw"},
    {"q": "strike date:2016"},
    {"q": "racsim"},
    {"q": "strike", "page": 2, "per_page": 1},
    {"q": "strike", "sort": "newest"},
    {"q": "strike OR Trump", "from": "2012", "to": "2019-12", "sort": "oldest"},
    {"q": "Charlie Hebdo", "lang": ["el", "pl"]},
    {"q": "lang:pl"},
    {"q": "hostile solidarity"},
], ids=lambda params: "&".join(f"{k}={v}" for k, v in params.items()))
def test_search_responses_match_the_document(client, params):
    body = check(client.get("/search.json", query_string=params), "/search.json", 200)
    assert body["ok"] is True


def test_the_checked_searches_cover_every_optional_shape(client):
    """Null and non-null suggestion, dates and results: the cases above are not vacuous."""
    def get(q, **more):
        return client.get("/search.json", query_string={"q": q, **more}).get_json()

    assert get("racsim")["suggestion"] == "racism"
    assert get("strike date:2016")["understood"]["date_from"] == "2016-01-01"
    dated = get("strike", sort="newest")["results"]
    assert dated and dated[0]["date"] is not None
    assert any(r["url"] for r in get("strike", per_page=100)["results"])
    assert get("strike", page=2, per_page=1)["page"] == 2


@pytest.mark.parametrize("url", ["/search.json?q=(bad", "/search.json",
                                 "/search.json?q=x&page=abc", "/search.json?q=x&page=0",
                                 "/search.json?q=x&per_page=101", "/search.json?q=x&sort=up",
                                 "/search.json?q=x&lang=xx", "/search.json?q=date:2015-13",
                                 "/search.json?q=x&from=2015-13", "/search.json?q=" + "a" * 1001])
def test_bad_requests_match_the_document(client, url):
    body = check(client.get(url), "/search.json", 400)
    assert body["ok"] is False


def test_statement_matches_the_document(client):
    path = "/statement/{key}.json"
    body = check(client.get("/statement/after-charlie-hebdo.json"), path, 200)
    assert [v["lang"] for v in body["versions"]] == ["el", "en", "pl"]
    assert all(v["marks"] == [] for v in body["versions"])
    marked = check(client.get("/statement/after-charlie-hebdo.json?q=zabojstw"), path, 200)
    assert marked["versions"][2]["marks"]
    dated = check(client.get("/statement/general-strike.json"), path, 200)
    assert any(v["date"] and v["url"] for v in dated["versions"])
    check(client.get("/statement/nope.json"), path, 404)
    check(client.get("/statement/after-charlie-hebdo.json?q=(bad"), path, 400)


def test_csv_matches_the_document(client):
    operation = spec()["paths"]["/search.csv"]["get"]
    response = client.get("/search.csv", query_string={"q": "strike OR Trump"})
    assert response.status_code == 200
    assert response.mimetype in operation["responses"]["200"]["content"]
    header = operation["responses"]["200"]["headers"]["Content-Disposition"]["schema"]
    assert response.headers["Content-Disposition"] == header["const"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) > 2
    assert all(len(row) == len(CSV_COLUMNS) for row in rows)
    example = operation["responses"]["200"]["content"]["text/csv"]["example"]
    assert tuple(next(csv.reader(io.StringIO(example)))) == CSV_COLUMNS
    bad = client.get("/search.csv?q=(bad")
    assert bad.status_code == 400 and bad.mimetype in operation["responses"]["400"]["content"]


def test_missing_index_matches_the_document(tmp_path):
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path)}).test_client()
    check(client.get("/search.json?q=x"), "/search.json", 503)
    check(client.get("/statement/after-charlie-hebdo.json"), "/statement/{key}.json", 503)
    assert client.get("/search.csv?q=x").status_code == 503


@pytest.mark.parametrize("path,status", [
    ("/search.json", 200), ("/search.json", 400), ("/search.json", 500), ("/search.json", 503),
    ("/statement/{key}.json", 404), ("/statement/{key}.json", 500)])
def test_the_document_examples_match_their_schemas(path, status):
    document = spec()
    response = document["paths"][path]["get"]["responses"][str(status)]
    if "$ref" in response:
        response = document["components"]["responses"][response["$ref"].rpartition("/")[2]]
    example = response["content"]["application/json"]["example"]
    validator(path, status).validate(example)


def _drifted(body: dict, parts: dict):
    """Copies of a real body, each with one field added to or removed from one part."""
    for where, part_of in parts.items():
        added = copy.deepcopy(body)
        part_of(added)["new_field"] = 1
        yield f"{where}: added new_field", added
        for name in part_of(body):
            removed = copy.deepcopy(body)
            del part_of(removed)[name]
            yield f"{where}: removed {name}", removed


@pytest.mark.parametrize("url,path,parts", [
    ("/search.json?q=zabojstw", "/search.json", {
        "page": lambda b: b,
        "result": lambda b: b["results"][0],
        "version": lambda b: b["results"][0]["versions"][0],
        "understood": lambda b: b["understood"]}),
    ("/statement/after-charlie-hebdo.json?q=zabojstw", "/statement/{key}.json", {
        "statement": lambda b: b,
        "version": lambda b: b["versions"][0]}),
], ids=["search", "statement"])
def test_a_field_added_or_removed_in_the_code_fails_validation(client, url, path, parts):
    body = client.get(url).get_json()
    schema = validator(path, 200)
    assert schema.is_valid(body)
    passed = [label for label, changed in _drifted(body, parts) if schema.is_valid(changed)]
    assert not passed, f"drift not caught: {passed}"


def test_an_internal_error_matches_the_document(fixture_index):
    class Broken:
        def search(self, *args, **kwargs):
            raise RuntimeError("a bug")

        statement = search

    app = create_app({"TESTING": True, "INDEX_DIR": str(fixture_index)})
    app.extensions["engine"] = Broken()
    app.logger.disabled = True
    client = app.test_client()
    check(client.get("/search.json?q=x"), "/search.json", 500)
    check(client.get("/statement/x.json"), "/statement/{key}.json", 500)


def test_openapi_json_serves_the_document(client):
    response = client.get("/openapi.json")
    assert response.status_code == 200
    assert response.get_json() == spec()



@pytest.mark.parametrize("params", [{"q": "strikes OR Lukashenko"}, {"q": "nothingfound"},
                                    {"q": "strike", "sort": "left", "lang": "pl"},
                                    {"q": "Charlie", "from": "2015"}])
def test_concordance_matches_the_document(client, params):
    body = check(client.get("/concordance.json", query_string=params), "/concordance.json", 200)
    assert body["truncated"] is False
    check(client.get("/concordance.json?q=(bad"), "/concordance.json", 400)
