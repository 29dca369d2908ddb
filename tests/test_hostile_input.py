"""Hostile requests and corpus files: what an attacker or a careless corpus does to a reader.

Requests go to the app served by waitress on a free port (as ``python -m
webui`` serves it), so that an error the app cannot render shows as the
server's own 500, as a reader would see it.
"""

from __future__ import annotations

import http.client
import json
import urllib.parse

import pytest

from webui import create_app

from .conftest import serve

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
