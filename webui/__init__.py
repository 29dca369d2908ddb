"""The web interface and JSON API: a thin Flask layer over the search library."""

from __future__ import annotations

from flask import Flask

from search import Engine
from search import memo


def create_app(test_config: dict | None = None) -> Flask:
    """Create the application.

    Settings come from the defaults below, then ``instance/webui.cfg`` (a
    Python file), then environment variables prefixed ``SEARCH_`` (for
    example ``SEARCH_INDEX_DIR``, ``SEARCH_CORS_ORIGINS='["https://a.org"]'``),
    then ``test_config``.  A test config with ``TESTING`` set skips the file
    and the environment, so a developer's settings never leak into tests.
    """
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        INDEX_DIR="index",
        PER_PAGE=10,
        CSV_LIMIT=1000,
        # Exports (/search.csv) one server process runs at once; another is a 503
        # with Retry-After, so that searches keep their threads.
        EXPORT_SLOTS=1,
        UI_LANGUAGES=["en", "el", "pl"],
        CORS_ORIGINS=[],
        ORGANISATION="International Socialist Tendency",
        MAX_CONTENT_LENGTH=16 * 1024,
        MAX_URL_QUERY_LENGTH=4096,
        ANALYSIS_CACHE=50_000,
        # The site's address as readers reach it (e.g. "https://search.example.org"),
        # for the links in citations, feeds and the widget's embed code; unset,
        # they are built from the request, i.e. from its Host header.
        PUBLIC_URL=None,
        # The front page: how many of the newest statements it lists, and queries to try
        # (each a link; set them to what your collection holds).
        RECENT=5,
        EXAMPLE_QUERIES=['"Charlie Hebdo"', "racism OR xenophobia", "strike*",
                         "φονικό", "zabójstw", "Lukashenko date:2020"],
    )
    test_config = test_config or {}
    if not test_config.get("TESTING"):
        app.config.from_pyfile("webui.cfg", silent=True)
        app.config.from_prefixed_env("SEARCH")
    app.config.update(test_config)
    # Answers of word analysis kept in this process (readings, folded forms,
    # lemmas, romanised keys, of queries and highlighted texts), all together:
    # bounded so that a server's memory stops growing (docs/benchmarks.md).
    memo.limit(app.config["ANALYSIS_CACHE"])
    app.extensions["engine"] = Engine(app.config["INDEX_DIR"])

    from . import exports, i18n, security, views

    exports.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    security.init_cors(app)
    app.register_blueprint(views.bp)
    views.register_errors(app)
    return app
