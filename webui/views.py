"""Pages and their JSON twins: each view makes one library call and renders it twice."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import (Blueprint, current_app, jsonify, render_template, request, url_for)
from markdown import markdown
from markupsafe import Markup, escape

from search.errors import IndexMissing, QueryError, SearchError

bp = Blueprint("pages", __name__)


def _engine():
    return current_app.extensions["engine"]


def _int(name: str, default: int) -> int:
    value = request.args.get(name, "")
    try:
        return int(value) if value else default
    except ValueError:
        raise QueryError(f"{name} must be a whole number, got {value!r}") from None


@bp.get("/")
def home():
    """The front page is the search page."""
    return search("html")


@bp.get("/search", defaults={"fmt": "html"})
@bp.get("/search.<any(json):fmt>")
def search(fmt: str):
    """The search page: a query box, and statements when a query is given."""
    query = request.args.get("q", "")
    page = None
    if query.strip():
        page = _engine().search(
            query, languages=request.args.getlist("lang") or None,
            page=_int("page", 1), per_page=_int("per_page", current_app.config["PER_PAGE"]),
            sort=request.args.get("sort", "relevance"))
    elif fmt == "json":
        raise QueryError("the query is empty: pass q=...")
    if fmt == "json":
        return jsonify({"ok": True, **page.to_dict()})
    json_url = url_for(".search", fmt="json", **request.args) if query else None
    response = current_app.make_response(render_template(
        "search.html", query=query, page=page, json_url=json_url,
        page_url=_page_url))
    if json_url:
        response.headers["Link"] = f'<{json_url}>; rel="alternate"; type="application/json"'
    return response


def _page_url(number: int) -> str:
    args = request.args.to_dict(flat=False)
    args["page"] = [str(number)]
    return url_for(".search") + "?" + urlencode(args, doseq=True)


@bp.get("/statement/<key>", defaults={"fmt": "html"})
@bp.get("/statement/<key>.<any(json):fmt>")
def statement(key: str, fmt: str):
    """Every language version of one statement, full text."""
    versions = _engine().statement(key)
    if fmt == "json":
        return jsonify({"ok": True, "key": key, "versions": versions})
    for version in versions:
        # Markdown is rendered from escaped source: raw HTML stays text.
        version["html"] = Markup(markdown(str(escape(version["markdown"]))))
    chosen = request.args.get("lang") or versions[0]["lang"]
    return render_template("statement.html", key=key, versions=versions, chosen=chosen,
                           json_url=url_for(".statement", key=key, fmt="json"))


def register_errors(app) -> None:
    """Library errors become a status, as a page or as JSON; never a traceback."""

    def handle(error, status):
        if request.path.endswith(".json"):
            return jsonify({"ok": False, "error": str(error)}), status
        return render_template("error.html", error=str(error), status=status,
                               query=request.args.get("q", "")), status

    app.register_error_handler(QueryError, lambda e: handle(e, 400))
    app.register_error_handler(IndexMissing, lambda e: handle(e, 503))
    app.register_error_handler(SearchError, lambda e: handle(e, 404))
