"""Pages and their JSON twins: each view makes one library call and renders it."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import urlencode

from flask import (Blueprint, Response, current_app, jsonify, render_template, request,
                   send_from_directory, url_for)
from flask_babel import gettext as _
import nh3
from markupsafe import Markup, escape
from werkzeug.exceptions import BadHost, HTTPException
from werkzeug.urls import iri_to_uri

from indexer.markdown_text import markdown_html
from search import LANGUAGES, get_language, parallel
from search.request import SearchRequest

from . import atom, citation, timeline
from search.errors import (IndexMissing, QueryError, SearchError, StatementMissing,
                           VersionMissing)
from search.highlight import mark_words, plain

bp = Blueprint("pages", __name__)

FEED_SIZE = 50
MAX_COLUMNS = 3
"""Versions a statement page shows side by side."""
LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = ("key", "lang", "title", "date", "url", "score", "matched_languages",
               "snippet", "why", "missing", "page")


def _engine():
    return current_app.extensions["engine"]


def _request(**changes) -> SearchRequest:
    """The search the URL asks for; anything malformed is a QueryError (400)."""
    found = SearchRequest.from_mapping(request.args, per_page=current_app.config["PER_PAGE"])
    if not found.q:
        raise QueryError("the query is empty: pass q=...")
    return found.with_(**changes) if changes else found


@bp.get("/")
def home():
    """The front page is the search page."""
    return search("html")


@bp.get("/search", defaults={"fmt": "html"})
@bp.get("/search.<any(json):fmt>")
def search(fmt: str):
    """The search page: a query box, filters, and statements when a query is given."""
    query = request.args.get("q", "")
    page = None
    if query.strip() or fmt == "json":
        page = _engine().search(_request())
    if fmt == "json":
        return jsonify({"ok": True, **page.to_dict()})
    twin = url_for(".search", fmt="json", **request.args) if query else None
    response = current_app.make_response(render_template(
        "search.html", query=query, page=page, json_url=twin,
        csv_url=url_for(".search_csv", **request.args) if query else None,
        atom_url=url_for(".search_atom", **request.args) if query else None,
        page_url=_page_url, year_url=_year_url, timeline_layout=timeline.layout,
        explain=_explain,
        languages=LANGUAGES,
        # Registry codes (en-GB is en); an unknown one is UnknownLanguage, a 400.
        checked={get_language(code).code for code in request.args.getlist("lang")},
        args=request.args))
    if twin:
        response.headers["Link"] = f'<{twin}>; rel="alternate"; type="application/json"'
    return response


@bp.get("/search.csv")
def search_csv():
    """Every result (up to CSV_LIMIT), not just one page, as CSV for a spreadsheet.

    At most ``EXPORT_SLOTS`` run at once in a server process (webui/exports.py).
    """
    search = _request()
    with current_app.extensions["exports"].held():
        page = _engine().export(search, limit=current_app.config["CSV_LIMIT"])
    return _csv("statements-search.csv", CSV_COLUMNS, (
        [r.key, r.lang, r.title, r.date or "", r.url or "", r.score,
         " ".join(v.lang for v in r.versions if v.matched), plain(r.snippet),
         "; ".join(f"{v.lang}: " + ", ".join(f"{w['word']} ({w['form']})" for w in v.why)
                   for v in r.versions if v.why),
         " ".join(r.missing),
         _absolute(url_for(".statement", key=r.key, lang=r.lang))]
        for r in page.results))


def _csv(filename: str, columns, rows) -> Response:
    """A CSV download; a text cell that a spreadsheet would run as a formula is quoted.

    A title or context starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
    return gets a leading apostrophe (OWASP's advice against CSV injection),
    so a spreadsheet shows it as text instead of computing it.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


def _cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


@bp.get("/search.atom")
def search_atom():
    """The search as an Atom feed, newest statements first."""
    search = _request()  # a feed is always newest first, but a typo in sort is a 400
    query = search.q
    page = _engine().search(search.with_(per_page=FEED_SIZE, sort="newest"))
    html_args = {**request.args.to_dict(flat=False), "sort": "newest"}
    body = atom.feed(
        page, title=f"{query} – Statements search",
        self_url=_absolute(request.full_path if request.query_string else request.path),
        html_url=_absolute(url_for(".search", **html_args)),
        statement_url=lambda key, lang: _absolute(url_for(".statement", key=key, lang=lang)),
        indexed=lambda result: _engine().indexed(result.key, result.file),
        built=_engine().built)
    return Response(body, mimetype="application/atom+xml")


def _absolute(path: str) -> str:
    """A site path as a full URI: under ``PUBLIC_URL`` when set, else the request's host.

    Behind a proxy, or to keep a forged Host header out of citations and
    feeds, set ``PUBLIC_URL`` (``SEARCH_PUBLIC_URL``).
    """
    base = current_app.config["PUBLIC_URL"] or request.host_url
    return iri_to_uri(base.rstrip("/") + path)


def _explain(result) -> list[str]:
    """One line per matched version: the query's words, how each matched, and those it lacks."""
    forms = {"exact": _("as written"), "stemmed": _("another form of the word"),
             "folded": _("without accents"), "greeklish": _("in Latin letters"),
             "prefix": _("prefix"),
             "fuzzy": _("near spelling")}
    lines = []
    for v in result.versions:
        if not (v.why or v.missing):
            continue
        parts = [f"{w['word']} ({forms[w['form']]})" for w in v.why]
        parts += [_("not %(word)s", word=word) for word in v.missing]
        lines.append(f"{v.language}: " + ", ".join(parts))
    return lines


KWIC_COLUMNS = ("left", "match", "right", "key", "lang", "date", "title", "file", "field")


@bp.get("/concordance", defaults={"fmt": "html"})
@bp.get("/concordance.<any(json, csv):fmt>")
def concordance(fmt: str):
    """Keyword in context: every occurrence of the matched words, sortable, exportable."""
    args = request.args.copy()
    sort = args.pop("sort", "relevance")  # by context here, not by date
    search = SearchRequest.from_mapping(args)
    if not search.q:
        raise QueryError("the query is empty: pass q=...")
    query = search.q
    found = _engine().concordance(query, languages=search.languages,
                                  date_from=search.date_from, date_to=search.date_to, sort=sort)
    if fmt == "json":
        return jsonify({"ok": True, "query": query, **found})
    if fmt == "csv":
        return _csv("concordance.csv", KWIC_COLUMNS,
                    ([line[name] for name in KWIC_COLUMNS] for line in found["lines"]))
    args = request.args.to_dict(flat=False)
    return render_template(
        "concordance.html", query=query, lines=found["lines"], truncated=found["truncated"],
        languages=LANGUAGES,
        sort=request.args.get("sort", "relevance"),
        sort_url=lambda by: url_for(".concordance", **{**args, "sort": by}),
        json_url=url_for(".concordance", fmt="json", **args),
        csv_url=url_for(".concordance", fmt="csv", **args))


def _year_url(year: int | None) -> str:
    """This search narrowed to one year (a click on the timeline), or to none."""
    args = {k: v for k, v in request.args.to_dict(flat=False).items()
            if k not in ("page", "from", "to")}
    if year is not None:
        args["from"] = args["to"] = [str(year)]
    return url_for(".search") + "?" + urlencode(args, doseq=True)


def _page_url(number: int) -> str:
    args = request.args.to_dict(flat=False)
    args["page"] = [str(number)]
    return url_for(".search") + "?" + urlencode(args, doseq=True)


@bp.get("/statement/<key>", defaults={"fmt": "html"})
@bp.get("/statement/<key>.<any(json):fmt>")
def statement(key: str, fmt: str):
    """Every language version of one statement; the query's words marked if given."""
    query = request.args.get("q", "")
    versions = _engine().statement(key, query)
    twin = url_for(".statement", key=key, fmt="json", **request.args)
    if fmt == "json":
        return jsonify({"ok": True, "key": key, "versions": versions})
    cited = _pick(key, versions, request.args.get("lang") or versions[0]["lang"])
    codes = [code for value in request.args.getlist("with") for code in value.split(",")]
    shown = [cited] + [_pick(key, versions, code) for code in dict.fromkeys(codes)
                       if code and code != cited["lang"]][:MAX_COLUMNS - 1]
    for version in shown:
        marks = set(version["marks"])
        version["html"] = Markup(mark_words(render_markdown(version["markdown"]), marks))
        version["title_html"] = Markup(mark_words(str(escape(version["title"])), marks))
        version["paragraphs"] = [Markup(mark_words(html, marks))
                                 for html in render_paragraphs(version["markdown"])]
    # Aligned by the paragraphs as written, not as marked-up HTML.
    table = parallel.rows(paragraphs(shown[0]["markdown"]),
                          [paragraphs(v["markdown"]) for v in shown[1:]]) if shown[1:] else []
    response = current_app.make_response(render_template(
        "statement.html", key=key, versions=versions, chosen=cited["lang"], query=query,
        json_url=twin, bibtex=citation.bibtex(key, cited, **_citation_args(key, cited)),
        columns=shown, max_columns=MAX_COLUMNS,
        rows=[[Markup("\n".join(column["paragraphs"][i] for i in cell))
               for column, cell in zip(shown, row)] for row in table]))
    response.headers["Link"] = f'<{twin}>; rel="alternate"; type="application/json"'
    return response


def _version(key: str) -> dict:
    """The version of a statement named by ?lang=, or its first."""
    versions = _engine().statement(key)
    return _pick(key, versions, request.args.get("lang") or versions[0]["lang"])


def _pick(key: str, versions: list[dict], lang: str) -> dict:
    """The version in ``lang``; a 404 that names the languages there are if none."""
    for version in versions:
        if version["lang"] == lang:
            return version
    raise VersionMissing(key, lang, [v["lang"] for v in versions])


def _citation_args(key: str, version: dict) -> dict:
    return {"organisation": current_app.config["ORGANISATION"],
            "page_url": _absolute(url_for(".statement", key=key, lang=version["lang"]))}


@bp.get("/statement/<key>.bib")
def statement_bibtex(key: str):
    """A BibTeX entry for one version of a statement."""
    version = _version(key)
    return Response(citation.bibtex(key, version, **_citation_args(key, version)),
                    mimetype="application/x-bibtex")


@bp.get("/statement/<key>.csl.json")
def statement_csl(key: str):
    """A CSL-JSON item for one version of a statement."""
    version = _version(key)
    return jsonify([citation.csl_json(key, version, **_citation_args(key, version))])


@bp.get("/widget.js")
def widget():
    """The embeddable widget, cacheable for an hour (its URL is the API's base)."""
    return send_from_directory(current_app.static_folder, "widget.js", max_age=3600,
                               mimetype="text/javascript")


@bp.get("/widget/demo")
def widget_demo():
    """A live widget and the embed code to copy."""
    return render_template("widget_demo.html",
                           script_url=_absolute(url_for(".widget")))


def paragraphs(source: str) -> list[str]:
    """A Markdown body's blocks (separated by blank lines), for aligning translations.

    Blocks that only define link references render as nothing and are left out.
    """
    blocks = (block.strip() for block in re.split(r"\n\s*\n", source))
    return [block for block in blocks
            if block and not all(LINK_DEFINITION.match(line) for line in block.splitlines())]


def render_paragraphs(source: str) -> list[str]:
    """Each block of a Markdown body as safe HTML, rendered as in the whole body.

    The body's link definitions are given to every block, so ``[text][ref]``
    links still resolve, and a numbered list keeps its numbers (``2.`` stays 2).
    """
    definitions = "\n".join(line for line in source.splitlines() if LINK_DEFINITION.match(line))
    return [render_markdown(f"{block}\n\n{definitions}") for block in paragraphs(source)]


def render_markdown(source: str) -> str:
    """A statement's Markdown as safe HTML.

    Rendered as the indexer reads it (:func:`indexer.markdown_text.markdown_html`:
    raw HTML shows as text); nh3 (Ammonia) then removes what Markdown itself
    can make dangerous, such as ``[x](javascript:...)`` links.
    """
    try:
        html = markdown_html(source)
    except RecursionError:  # nested hundreds of levels deep: shown as the text it is
        return f"<pre>{escape(source)}</pre>"
    return nh3.clean(html)


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI document of the JSON API."""
    from .openapi import spec

    return jsonify(spec())


def register_errors(app) -> None:
    """Every error is a page or, for .json URLs, {"ok": false, "error"}; never a traceback."""

    def render(message: str, status: int):
        if request.path.endswith(".json"):
            return jsonify({"ok": False, "error": message}), status
        return render_template("error.html", error=message, status=status,
                               query=request.args.get("q", ""), args=request.args), status

    app.register_error_handler(QueryError, lambda e: render(str(e), 400))
    app.register_error_handler(StatementMissing, lambda e: render(str(e), 404))
    app.register_error_handler(IndexMissing, lambda e: render(str(e), 503))
    app.register_error_handler(SearchError, lambda e: render(str(e), 400))

    def http_error(error):
        body, status = render(error.description, error.code)
        response = app.make_response((body, status))
        for name, value in error.get_headers():
            if name.lower() != "content-type":  # keep Allow (405) and the like
                response.headers[name] = value
        return response

    app.register_error_handler(HTTPException, http_error)

    def bad_host(error):
        # No page can be rendered: its links need the host that could not be read.
        message = ("the request's Host header is not a host name (each part between dots "
                   "is 1 to 63 letters, digits or hyphens)")
        if request.path.endswith(".json"):
            return jsonify({"ok": False, "error": message}), 400
        return Response(message + "\n", status=400, mimetype="text/plain")

    app.register_error_handler(BadHost, bad_host)

    def internal(error):
        app.logger.exception("unhandled error on %s", request.path)
        return render("internal error; the server log has the details", 500)

    app.register_error_handler(Exception, internal)
