"""The web interface and JSON API: a thin Flask layer over the search library."""

from __future__ import annotations

import os

from flask import Flask

from search.engine import Engine


def create_app(test_config: dict | None = None) -> Flask:
    """Create the application: defaults, then environment, then the test's dict."""
    app = Flask(__name__)
    app.config.from_mapping(
        INDEX_DIR=os.environ.get("SEARCH_INDEX_DIR", "index"),
        PER_PAGE=10,
    )
    if test_config:
        app.config.update(test_config)
    app.extensions["engine"] = Engine(app.config["INDEX_DIR"])
    from . import views

    app.register_blueprint(views.bp)
    views.register_errors(app)
    return app
