"""Pages and their JSON twins: each view makes one library call and renders it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from flask import (Blueprint, Response, current_app, jsonify, render_template, request,
                   send_from_directory, url_for)
from flask_babel import get_locale, gettext as _
import nh3
from markupsafe import Markup, escape
from werkzeug.exceptions import BadHost, HTTPException
from werkzeug.urls import iri_to_uri

from indexer.markdown_text import markdown_html
from search import (LANGUAGES, IndexMissing, QueryError, SearchError, SearchRequest,
                    StatementMissing, StatementPage, UnknownLanguage, VersionText, get_language,
                    parallel)
from search.highlight import mark_words, plain

from . import atom, citation, tables, timeline
from .openapi import spec
from .messages import N_, say
from .present import direction, mended

bp = Blueprint("pages", __name__)

FEED_SIZE = 50
MAX_COLUMNS = 3
"""Versions a statement page shows side by side."""
LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S")


def _engine():
    return current_app.extensions["engine"]


@bp.app_context_processor
def _everywhere() -> dict:
    """What every template may use: a language's direction."""
    return {"direction": direction}


def _request(**changes) -> SearchRequest:
    """The search the URL asks for; anything malformed is a QueryError (400).

    Unless the URL says ``prefer``, a statement is shown in the reader's
    language when that version matched: the one language filtered on, else
    the interface's.
    """
    found = SearchRequest.from_mapping(request.args, per_page=current_app.config["PER_PAGE"])
    if not found.q:
        raise QueryError("the query is empty: pass q=...", "query-empty")
    if not found.prefer:
        changes.setdefault("prefer", found.languages[0] if len(found.languages) == 1
                           else str(get_locale()))
    return found.with_(**changes)


@bp.get("/")
def home():
    """The front page: what the collection holds, its newest statements, queries to try."""
    overview = _overview()
    return render_template(
        "front.html", query="", overview=overview, languages=LANGUAGES,
        examples=current_app.config["EXAMPLE_QUERIES"])


def _overview():
    """Every statement, newest first, each in the reader's language where it has one.

    Computed once per index build and interface language: the front page and
    the error pages' filters read it on every visit.
    """
    engine, locale = _engine(), str(get_locale())
    built, pages = current_app.extensions.get("overviews", (None, {}))
    if built != engine.built:  # a new build: the pages of the old one are dropped
        built, pages = engine.built, {}
        current_app.extensions["overviews"] = built, pages
    if locale not in pages:
        pages[locale] = engine.search(SearchRequest(
            "*", sort="newest", per_page=current_app.config["RECENT"], prefer=locale))
    return pages[locale]


@bp.get("/search", defaults={"fmt": "html"})
@bp.get("/search.<any(json):fmt>")
def search(fmt: str):
    """The search page: a query box, filters, and statements; the front page without a query."""
    if fmt == "html" and not request.args.get("q", "").strip():
        return home()
    asked = _request()
    page = _engine().search(asked)
    if fmt == "json":
        return jsonify({"ok": True, **page.to_dict()})
    twin = url_for(".search", fmt="json", **request.args)
    response = current_app.make_response(render_template(
        "search.html", query=asked.q, page=page, json_url=twin,
        csv_url=url_for(".search_csv", **request.args),
        atom_url=url_for(".search_atom", **request.args),
        page_url=_page_url, year_url=_year_url, timeline_layout=timeline.layout,
        explain=_explain, languages=LANGUAGES, filters=_filters(page.languages, asked.languages),
        args=request.args))
    response.headers["Link"] = f'<{twin}>; rel="alternate"; type="application/json"'
    return response


def _filters(counts: dict[str, int], checked) -> dict:
    """The language boxes to offer (with their counts, when known) and the ones ticked."""
    checked = set(checked)
    return {"languages": [(code, counts.get(code)) for code in sorted(set(counts) | checked)],
            "checked": checked}


def _checked() -> list[str]:
    """The languages the URL filters on, as registry codes; unknown ones left out."""
    codes = []
    for value in request.args.getlist("lang"):
        for code in filter(None, (c.strip() for c in value.split(","))):
            try:
                codes.append(get_language(code).code)
            except UnknownLanguage:
                continue
    return codes


@bp.get("/search.csv")
def search_csv():
    """Every result (up to CSV_LIMIT), not just one page, as CSV for a spreadsheet.

    At most ``EXPORT_SLOTS`` run at once in a server process (webui/exports.py).
    """
    search = _request()
    with current_app.extensions["exports"].held():
        page = _engine().export(search, limit=current_app.config["CSV_LIMIT"])
    return tables.download("statements-search.csv", tables.SEARCH_COLUMNS, (
        [r.key, r.lang, r.title, r.date or "", r.url or "", r.score,
         " ".join(v.lang for v in r.versions if v.matched), plain(r.snippet),
         "; ".join(f"{v.lang}: " + ", ".join(f"{w['word']} ({w['form']})" for w in v.why)
                   for v in r.versions if v.why),
         ", ".join(r.missing),
         _absolute(url_for(".statement", key=r.key, lang=r.lang))]
        for r in page.results))


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
             "prefix": _("prefix"), "wildcard": _("wildcard"),
             "fuzzy": _("near spelling")}
    lines = []
    for v in result.versions:
        if not (v.why or v.missing):
            continue
        parts = [f"{w['word']} ({forms[w['form']]})" for w in v.why]
        parts += [_("not %(word)s", word=word) for word in v.missing]
        lines.append(f"{v.language}: " + ", ".join(parts))
    return lines




@bp.get("/concordance", defaults={"fmt": "html"})
@bp.get("/concordance.<any(json, csv):fmt>")
def concordance(fmt: str):
    """Keyword in context: every occurrence of the matched words, sortable, exportable."""
    args = request.args.copy()
    sort = args.pop("sort", "relevance")  # by context here, not by date
    search = SearchRequest.from_mapping(args)
    if not search.q:
        raise QueryError("the query is empty: pass q=...", "query-empty")
    query = search.q
    found = _engine().concordance(query, languages=search.languages,
                                  date_from=search.date_from, date_to=search.date_to, sort=sort)
    if fmt == "json":
        return jsonify({"ok": True, "query": query, **found.to_dict()})
    if fmt == "csv":
        return tables.download("concordance.csv", tables.CONCORDANCE_COLUMNS,
                               ([getattr(line, name) for name in tables.CONCORDANCE_COLUMNS]
                                for line in found.lines))
    args = request.args.to_dict(flat=False)
    return render_template(
        "concordance.html", query=query, lines=found.lines, truncated=found.truncated,
        languages=LANGUAGES, names=found.names,
        sort=request.args.get("sort", "relevance"),
        kept={name: values for name, values in args.items() if name not in ("q", "ui")},
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
    page = _engine().statement(key, query)
    twin = url_for(".statement", key=key, fmt="json", **request.args)
    if fmt == "json":
        return jsonify({"ok": True, **page.to_dict()})
    cited = _chosen(page)
    codes = [code for value in request.args.getlist("with") for code in value.split(",")]
    shown = [cited] + [page.version(code) for code in dict.fromkeys(codes)
                       if code and code != cited.lang][:MAX_COLUMNS - 1]
    columns = [Column(version) for version in shown]
    # Aligned by the paragraphs as written, not as marked-up HTML.
    table = parallel.rows(paragraphs(cited.markdown),
                          [paragraphs(v.markdown) for v in shown[1:]]) if shown[1:] else []
    response = current_app.make_response(render_template(
        "statement.html", key=key, versions=page.versions, chosen=cited.lang, query=query,
        json_url=twin, bibtex=citation.bibtex(key, cited, **_citation_args(key, cited)),
        columns=columns, max_columns=MAX_COLUMNS, cited=cited,
        page_url=_absolute(url_for(".statement", key=key, lang=cited.lang)),
        rows=[[Markup("\n".join(column.paragraphs[i] for i in cell))
               for column, cell in zip(columns, row)] for row in table]))
    response.headers["Link"] = f'<{twin}>; rel="alternate"; type="application/json"'
    return response


@dataclass
class Column:
    """A version as the page renders it: its Markdown as HTML, the query's words marked.

    Each rendering is made when the page first asks for it: one version is
    shown whole (``html``), several side by side paragraph by paragraph
    (``paragraphs``), never both.
    """

    version: VersionText

    @cached_property
    def marks(self) -> set[str]:
        return set(self.version.marks)

    @cached_property
    def title_html(self) -> Markup:
        return Markup(mark_words(str(escape(self.version.label)), self.marks))

    @cached_property
    def html(self) -> Markup:
        return Markup(mark_words(render_markdown(self.version.markdown), self.marks))

    @cached_property
    def paragraphs(self) -> list[Markup]:
        return [Markup(mark_words(html, self.marks))
                for html in render_paragraphs(self.version.markdown)]


def _chosen(page: StatementPage) -> VersionText:
    """The version named by ?lang=, else the reader's (the interface language's, else the first)."""
    lang = request.args.get("lang")
    return page.version(lang) if lang else page.readers(str(get_locale()))


def _citation_args(key: str, version: VersionText) -> dict:
    return {"organisation": current_app.config["ORGANISATION"],
            "page_url": _absolute(url_for(".statement", key=key, lang=version.lang))}


@bp.get("/statement/<key>.bib")
def statement_bibtex(key: str):
    """A BibTeX entry for one version of a statement."""
    version = _chosen(_engine().statement(key))
    return Response(citation.bibtex(key, version, **_citation_args(key, version)),
                    mimetype="application/x-bibtex")


@bp.get("/statement/<key>.csl.json")
def statement_csl(key: str):
    """A CSL-JSON item for one version of a statement."""
    version = _chosen(_engine().statement(key))
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

    return jsonify(spec())


def register_errors(app) -> None:
    """Every error is a page or, for .json URLs, {"ok": false, "error"}; never a traceback.

    The page says the whole message in the interface language and keeps the
    search form as the reader filled it, so the field at fault is mended in
    place; the JSON keeps the English ``error`` and adds its ``message_id``
    and the ``message`` in the interface language.
    """

    def render(english: str, status: int, message_id: str, params: dict):
        message = say(message_id, params) or Markup('<span lang="en">%s</span>') % english
        if request.path.endswith(".json"):
            return jsonify({"ok": False, "error": english, "message_id": message_id,
                            "message": message.striptags()}), status
        return render_template("error.html", **_error_page(message, status, message_id,
                                                           params)), status

    def library_error(status: int):
        return lambda e: render(str(e), status, e.message_id, e.params)

    app.register_error_handler(QueryError, library_error(400))
    app.register_error_handler(StatementMissing, library_error(404))
    app.register_error_handler(IndexMissing, library_error(503))
    app.register_error_handler(SearchError, library_error(400))

    def http_error(error):
        message_id = (f"http-{error.code}" if error.code in (404, 405, 413, 503)
                      else "http-error")
        body, status = render(error.description, error.code, message_id,
                              {"method": request.method, "status": error.code,
                               "retry": getattr(error, "retry_after", None) or 1})
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
            return jsonify({"ok": False, "error": message, "message_id": "bad-host",
                            "message": say("bad-host", {}).striptags()}), 400
        return Response(message + "\n", status=400, mimetype="text/plain")

    app.register_error_handler(BadHost, bad_host)

    def internal(error):
        app.logger.exception("unhandled error on %s", request.path)
        return render("internal error; the server log has the details", 500, "internal", {})

    app.register_error_handler(Exception, internal)


QUERY_MESSAGES = {"query-empty", "query-too-long", "query-nul", "too-many-words",
                  "query-unreadable", "query-failed", "quote-unclosed", "paren-unopened",
                  "paren-unclosed", "fuzzy-edits", "query-too-general", "prefix-too-general",
                  "fuzzy-too-general", "range-too-general"}
"""Errors in the query's own text (the box to mend), as against a filter or an option."""

ERROR_TITLES = {400: N_("This search cannot be run"), 404: N_("Not found"),
                503: N_("The search is not available")}


def _error_page(message: Markup, status: int, message_id: str, params: dict) -> dict:
    """What an error page shows: the message, the form as filled, and a way on.

    A query stopped only by a stray quotation mark or bracket offers the
    search without it; a bad From or To date marks that field.
    """
    query = request.args.get("q", "")
    fixed = mended(query) if message_id in ("quote-unclosed", "paren-unopened",
                                            "paren-unclosed") else None
    args = {k: v for k, v in request.args.to_dict(flat=False).items()
            if k not in ("q", "page", "ui")}
    counts = {}
    if status != 503 and request.endpoint in ("pages.search", "pages.home"):
        try:
            counts = {code: None for code in _overview().languages}
        except SearchError:  # no index to read the languages from: no language boxes
            counts = {}
    return {"error": message, "status": status, "title": ERROR_TITLES.get(status),
            "query": query, "args": request.args, "languages": LANGUAGES,
            "filters": _filters(counts, _checked()) if counts or _checked() else None,
            "invalid": params.get("field", "from") if message_id.startswith("field-") else None,
            "query_invalid": message_id in QUERY_MESSAGES or "where" in params,
            "mended_url": url_for(".search", q=fixed, **args) if fixed else None,
            "mended": fixed}
