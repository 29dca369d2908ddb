"""Headers and limits that hold for every response."""

from __future__ import annotations

from flask import abort, current_app, request
from flask_cors import CORS

from search import QueryError

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def _headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def _limit_request_size():
    """An oversized body (413) or query string (400) is refused before any work."""
    body_limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length and request.content_length > body_limit:
        abort(413, f"the request body is {request.content_length} bytes; the limit is "
                   f"{body_limit}")
    limit = current_app.config["MAX_URL_QUERY_LENGTH"]
    if len(request.query_string) > limit:
        raise QueryError(f"the request's query string is {len(request.query_string)} "
                         f"bytes long; the limit is {limit}", "request-too-long",
                         length=len(request.query_string), limit=limit)


def init_app(app) -> None:
    app.before_request(_limit_request_size)
    app.after_request(_headers)


API_PATHS = r"/.*\.json$"
"""Only the JSON API (every ``.json`` path: search, concordance, statements, their
citations, the OpenAPI document) is offered to other origins, never the HTML pages;
a list of names had left out the concordance."""


def init_cors(app) -> None:
    """Answer cross-origin requests only from the configured origins.

    ``CORS_ORIGINS`` is a list of origins (``["https://example.org"]``), or
    ``["*"]`` to allow every site on purpose; the default, ``[]``, allows
    none.  No credentials are ever allowed, so no cookie travels.
    """
    origins = app.config["CORS_ORIGINS"]
    if isinstance(origins, str):
        origins = [origins]
    if origins:
        CORS(app, resources={API_PATHS: {"origins": list(origins)}},
             supports_credentials=False, methods=["GET"], max_age=600,
             send_wildcard="*" in origins)
