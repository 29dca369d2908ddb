"""The OpenAPI 3.1 document of the JSON API, as a plain dict (served at /openapi.json)."""

from __future__ import annotations

import copy

from search import concordance
from search.explain import FORMS
from search.merge import DEFAULT_METHOD, METHODS
from search.request import MAX_PAGE, MAX_PER_PAGE, SORTS

from .tables import SEARCH_COLUMNS

LANG_CODE = {"type": "string", "pattern": "^[a-z]{2,3}$", "examples": ["el"]}
ISO_DATE = {"type": ["string", "null"], "format": "date"}
PERIOD = r"^[12][0-9]{3}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"


def _ref(name: str, kind: str = "schemas") -> dict:
    return {"$ref": f"#/components/{kind}/{name}"}


def _record(description: str, properties: dict) -> dict:
    """A closed object: every property required, no other property allowed."""
    return {"type": "object", "description": description, "properties": properties,
            "required": list(properties), "additionalProperties": False}


def _text(description: str, **more) -> dict:
    return {"type": "string", "description": description, **more}


def _json(description: str, schema: dict, example: dict | None = None) -> dict:
    """A response with a JSON body."""
    media = {"schema": schema}
    if example is not None:
        media["example"] = example
    return {"description": description, "content": {"application/json": media}}


def _query(name: str, description: str, schema: dict, **more) -> dict:
    return {"name": name, "in": "query", "description": description, "schema": schema,
            **more}


def spec() -> dict:
    """The whole document; a new dict on every call, so callers may change it."""
    return copy.deepcopy({
        "openapi": "3.1.0",
        "info": {
            "title": "Statements search API",
            "version": "1",
            "summary": "Multilingual full-text search over a corpus of statements.",
            "description": (
                "Read-only JSON twins of the web pages: `/search.json` is the search page, "
                "`/statement/{key}.json` a statement page. Every JSON body carries `ok`: "
                "`true` with the data, or `false` with an `error` message a person can "
                "act on. The query language is described in `docs/query-syntax.md`, the "
                "result fields in `docs/json.md`."),
            "license": {"name": "GPL-3.0-or-later", "identifier": "GPL-3.0-or-later"},
        },
        "tags": [
            {"name": "search", "description": "Find statements in every language."},
            {"name": "statements", "description": "One statement, every language version."},
            {"name": "meta", "description": "This document."},
        ],
        "paths": _paths(),
        "components": {"schemas": _schemas(), "parameters": _parameters(),
                       "responses": _responses()},
    })


def _paths() -> dict:
    def parameters(*names: str) -> list[dict]:
        return [_ref(name, "parameters") for name in names]

    errors = {"400": _ref("BadRequest", "responses"),
              "500": _ref("InternalError", "responses"),
              "503": _ref("IndexMissing", "responses")}
    html_error = {"text/html": {"schema": {"type": "string"}}}
    return {
        "/search.json": {"get": {
            "tags": ["search"],
            "operationId": "search",
            "summary": "Search statements",
            "description": (
                "One page of statements matching `q`, best first (or by date, see `sort`). "
                "A statement found in several languages is listed once, represented by "
                "its best-matching version, with all its versions listed."),
            "parameters": parameters("q", "lang", "page", "per_page", "sort", "from", "to"),
            "responses": {
                "200": _json("A page of results (possibly empty, then see `suggestion`).",
                             {"allOf": [_ref("ResultPage"), {"required": ["ok"]}]},
                             _example_page()),
                **errors,
            },
        }},
        "/search.csv": {"get": {
            "tags": ["search"],
            "operationId": "searchCsv",
            "summary": "Every result of a search, as CSV",
            "description": (
                "The same search as `/search.json`, but every result in one file (up to "
                "the server's `CSV_LIMIT`, 1000 by default), not one page, for a "
                "spreadsheet. A header row, then one row per statement in the order of "
                "`sort`, with the columns " + ", ".join(f"`{c}`" for c in SEARCH_COLUMNS)
                + ": `date` and `url` (the statement's original page) are empty when "
                "unknown, `page` is its page on this site, `why` says which words matched "
                "each version and how (`pl: zabojstw (folded)`), `missing` lists the "
                "query's words the statement lacks, as the result's `missing` (separated by "
                "commas), `matched_languages` lists "
                "the codes of the versions that matched, separated by spaces, and "
                "`snippet` is plain text (no HTML). Errors are HTML pages, not JSON."),
            "parameters": parameters("q", "lang", "sort", "from", "to"),
            "responses": {
                "200": {
                    "description": "Every result, as CSV (UTF-8, comma-separated).",
                    "headers": {"Content-Disposition": {
                        "description": "Offers the file for download.",
                        "schema": {"type": "string",
                                   "const": 'attachment; filename="statements-search.csv"'}}},
                    "content": {"text/csv": {
                        "schema": {"type": "string"},
                        "example": (
                            "key,lang,title,date,url,score,matched_languages,snippet,why,"
                            "missing,page\r\n"
                            "belarus-struggle-against-lukashenko,en,Belarus and the struggle "
                            "against Lukashenko,,,0.00149,en,\"A mass movement of strikes and "
                            "protests has developed in Belarus, …\",en: strikes (exact),,"
                            "https://search.example.org/statement/"
                            "belarus-struggle-against-lukashenko?lang=en\r\n")}},
                },
                "400": {"description": "The query or a parameter cannot be used (an HTML "
                                       "page saying why).", "content": html_error},
                "503": {"description": "No index has been built yet, or this server is "
                                       "already running as many exports as it runs at "
                                       "once (an HTML page; then with Retry-After).",
                        "headers": {"Retry-After": {
                            "description": "Seconds to wait before trying the export "
                                           "again (when exports are busy).",
                            "schema": {"type": "string", "pattern": "^[0-9]+$"}}},
                        "content": html_error},
            },
        }},
        "/concordance.json": {"get": {
            "tags": ["search"],
            "operationId": "concordance",
            "summary": "Every occurrence of the query's words, in context (KWIC)",
            "description": (
                "For the statements `q` finds, every occurrence of the words it matched "
                "(in any form: stemmed, without accents, in Latin letters, prefix and "
                "fuzzy expansions), in titles and bodies, with the text before and after. "
                "Versions come in relevance order, every language merged, unless `sort` "
                "orders the lines by the words before or after the match. At most "
                f"{concordance.LIMIT} lines; `truncated` says when there were more."),
            "parameters": [*parameters("q", "lang", "from", "to"), _query(
                "sort", ("`relevance` (the statements' order), `left` (by the words "
                         "before the match, nearest first) or `right` (by the words after)."),
                {"type": "string", "enum": list(concordance.SORTS),
                 "default": "relevance"})],
            "responses": {
                "200": _json("The occurrences (possibly none).", _ref("Concordance")),
                **errors,
            },
        }},
        "/statement/{key}.json": {"get": {
            "tags": ["statements"],
            "operationId": "statement",
            "summary": "One statement in every language",
            "description": "Every language version of a statement, with its full text.",
            "parameters": [{
                "name": "key", "in": "path", "required": True,
                "description": ("The statement key, as `results[].key` of a search gives it "
                                "(the translation key, or the file name's slug)."),
                "schema": {"type": "string", "minLength": 1},
                "example": "after-charlie-hebdo",
            }, _query("q", ("A search query (same syntax as for `/search.json`) whose "
                            "matches each version lists in `marks`, to highlight them. "
                            "Optional; without it `marks` are empty."),
                      {"type": "string", "maxLength": 1000}, example="zabojstw")],
            "responses": {
                "200": _json("The statement.", _ref("Statement")),
                "404": _json("No statement has this key.", _ref("Error"),
                             {"ok": False, "error": "no statement with key 'nope'",
                              "message_id": "statement-missing",
                              "message": "There is no statement “nope”."}),
                **errors,
            },
        }},
        "/openapi.json": {"get": {
            "tags": ["meta"],
            "operationId": "openapi",
            "summary": "This document",
            "responses": {"200": _json("The OpenAPI 3.1 document of this API.",
                                       {"type": "object", "required": ["openapi", "paths"]})},
        }},
    }


def _parameters() -> dict:
    return {
        "q": _query(
            "q", ("The query, at most 1000 characters: words (all must match, in any "
                  "form, any case, any accents), `\"exact phrases\"`, `OR`, `NOT`/`-word`, "
                  "`(grouping)`, `prefix*`, `fuzzy~`, `title:`/`body:`/`tag:` fields, and "
                  "the filters `lang:el,pl`, `-lang:en` and `date:2015..2017`. A query of "
                  "filters alone lists everything that passes them. Required: an empty "
                  "query is a 400."),
            {"type": "string", "minLength": 1, "maxLength": 1000}, required=True,
            examples={"words": {"value": "Charlie Hebdo"},
                      "filtered": {"value": "strike date:2016"},
                      "phrase": {"value": "\"general strike\" OR lockout"}}),
        "lang": _query(
            "lang", ("Show only these languages' versions; repeat it for several "
                     "(`lang=el&lang=pl`). A code such as `el`, or a regional one such as "
                     "`pt-BR` (meaning `pt`). An unknown code is a 400. The `languages` "
                     "counts of the response still cover every language."),
            {"type": "array", "items": {"type": "string", "examples": ["el", "pl"]}},
            style="form", explode=True),
        "page": _query("page", "The page to return, from 1. Past the last page, the "
                               "results are empty.",
                       {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}),
        "per_page": _query("per_page", "Statements per page (the server's default is "
                                       "its `PER_PAGE` setting, 10 unless configured).",
                           {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE,
                            "default": 10}),
        "sort": _query("sort", ("`relevance` (best first), `newest` or `oldest` (by the "
                                "statement's date; undated statements come last)."),
                       {"type": "string", "enum": list(SORTS), "default": "relevance"}),
        "from": _query("from", ("Only statements dated on or after the start of this "
                                "period: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. Undated "
                                "statements never pass a date bound. Combined with a "
                                "`date:` filter in `q`, the narrower bound wins."),
                       {"type": "string", "pattern": PERIOD}, example="2015"),
        "to": _query("to", ("Only statements dated on or before the end of this period: "
                            "`YYYY`, `YYYY-MM` or `YYYY-MM-DD` (`2017` means up to "
                            "2017-12-31)."),
                     {"type": "string", "pattern": PERIOD}, example="2017-06"),
    }


def _responses() -> dict:
    return {
        "BadRequest": _json(
            ("The query or a parameter cannot be used (or the URL's query string is "
             "longer than the server's limit, 4096 bytes by default); `error` says what "
             "is wrong and where."),
            _ref("Error"), {"ok": False, "error": "1 '(' never closed; add ')'",
                            "message_id": "paren-unclosed",
                            "message": "Brackets “(” left open: 1; add “)”."}),
        "IndexMissing": _json(
            "No index has been built yet; `error` says how to build one.", _ref("Error"),
            {"ok": False,
             "error": "no search index at index: build it with `python -m indexer rebuild`",
             "message_id": "index-missing", "message": "No search index has been built yet."}),
        "InternalError": _json(
            "A fault in the server; the details are in its log, not in the response.",
            _ref("Error"),
            {"ok": False, "error": "internal error; the server log has the details",
             "message_id": "internal",
             "message": "Something went wrong on the server; its log has the details."}),
    }


def _schemas() -> dict:
    return {
        "ResultPage": _record(
            ("A page of statements and what the whole search found (`ResultPage.to_dict()`"
             ", plus `ok` in this API)."), {
                "ok": {"const": True},
                "query": _text("The query as given."),
                "total": {"type": "integer", "minimum": 0, "description": (
                    "Statements found: those holding any of the query's plain words (and "
                    "every required part); one found in three languages counts once.")},
                "all_words": {"type": "integer", "minimum": 0, "description": (
                    "Of `total`, the statements holding every plain word of the query "
                    "(the order is BM25F's, see `missing` on each result).")},
                "page": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
                "sort": {"type": "string", "enum": list(SORTS)},
                "languages": {
                    "type": "object", "propertyNames": LANG_CODE,
                    "additionalProperties": {"type": "integer", "minimum": 1},
                    "description": ("For each language, how many statements matched in "
                                    "it, before any `lang` filter.")},
                "suggestion": {"type": ["string", "null"], "description": (
                    "A corrected query when few or no statements were found, else null.")},
                "results": {"type": "array", "items": _ref("Result")},
                "understood": _record("How the query was read.", {
                    "words": _text("The words searched, filters removed."),
                    "languages": {"type": "array", "items": LANG_CODE, "uniqueItems": True,
                                  "description": "The languages whose versions are shown."},
                    "date_from": ISO_DATE,
                    "date_to": ISO_DATE,
                }),
                "took_ms": {"type": "number", "minimum": 0,
                            "description": "Time spent in the search library."},
                "method": {"type": "string", "enum": list(METHODS), "description": (
                    "How the languages' rankings were merged (see `docs/ranking.md`).")},
                "timeline": {
                    "type": "object", "propertyNames": {"pattern": "^[0-9]{4}$"},
                    "additionalProperties": {
                        "type": "object", "propertyNames": LANG_CODE,
                        "additionalProperties": {"type": "integer", "minimum": 1}},
                    "description": ("Dated statements matched per year and language, "
                                    "before any `lang` filter (the page's timeline).")},
                "partial": {"type": "boolean", "description": (
                    "True when the search ran out of time (3 s) and the results are "
                    "those found until then.")},
                "pages": {"type": "integer", "minimum": 1},
            }),
        "Result": _record("One statement, represented by its best-matching version.", {
            "key": _text("The statement key; `/statement/{key}.json` has its full text."),
            "lang": {**LANG_CODE, "description": "Language of the best-matching version."},
            "title": _text("That version's title as written; empty when untitled."),
            "title_html": _text(("The title as escaped HTML, matches in "
                                 "`<mark class=\"match\">`; for an untitled "
                                 "statement its first words.")),
            "snippet": _text(("Passages around the best matches, escaped HTML, matches "
                              "in `<mark class=\"match\">`.")),
            "score": {"type": "number", "description": (
                "The merged score that ordered the results; compare within one response only.")},
            "date": ISO_DATE,
            "url": {"type": ["string", "null"], "description": "The statement's page, if known."},
            "file": _text("Corpus file of the best-matching version."),
            "missing": {"type": "array", "items": {"type": "string"}, "description": (
                "The query's words that the statement lacks in every form: a plain "
                "word, or a group in parentheses (`(a OR b)`), as typed; those of its "
                "matched version that lacks fewest, so empty when one of them holds "
                "them all (`all_words` counts such statements).")},
            "versions": {"type": "array", "items": _ref("Version"), "minItems": 1},
            "untitled": {"type": "boolean"},
        }),
        "Version": _record("One language version of a statement, in a search result.", {
            "lang": LANG_CODE,
            "language": _text("The language's own name for itself.", examples=["Ελληνικά"]),
            "title": _text("The title as written; empty when untitled."),
            "url": {"type": ["string", "null"]},
            "file": _text("Its corpus file."),
            "matched": {"type": "boolean",
                        "description": "Whether this version matched the query."},
            "why": {"type": "array", "description": (
                "For a matched version, each query word that matched and how "
                "(empty for the others)."), "items": _record("One matched word.", {
                    "word": _text("The word as the query has it (with its * or ~)."),
                    "form": {"type": "string", "enum": list(FORMS)},
                })},
            "missing": {"type": "array", "items": {"type": "string"}, "description": (
                "For a matched version, the query's words it lacks in every form: a "
                "plain word, or a group in parentheses, as typed (empty for the "
                "others).")},
        }),
        "Statement": _record("Every language version of one statement.", {
            "ok": {"const": True},
            "key": _text("The statement key."),
            "versions": {"type": "array", "items": _ref("StatementVersion"), "minItems": 1},
        }),
        "StatementVersion": _record("One language version with its full text.", {
            "lang": LANG_CODE,
            "file": _text("Its corpus file."),
            "title": _text("The title as written; empty when untitled."),
            "url": {"type": ["string", "null"]},
            "date": ISO_DATE,
            "indexed": _text("When this version's text, as it is now, was first indexed "
                             "(ISO 8601, UTC): it changes only when the text does.",
                             format="date-time"),
            "body": _text("The text as plain words (Markdown markup removed)."),
            "markdown": _text("The text as written, in Markdown."),
            "language": _text("The language's own name for itself."),
            "marks": {"type": "array", "uniqueItems": True,
                      "items": {"type": "string", "minLength": 1},
                      "description": ("The words of this version's title and text, as "
                                      "written, that the `q` parameter matches, sorted; "
                                      "empty without `q`.")},
        }),
        "Concordance": _record("Keyword-in-context lines of a query.", {
            "ok": {"const": True},
            "query": _text("The query as given."),
            "lines": {"type": "array", "maxItems": 2000, "items": _ref("ConcordanceLine")},
            "truncated": {"type": "boolean", "description": (
                "True when there were more occurrences than the lines listed.")},
        }),
        "ConcordanceLine": _record("One occurrence of a matched word.", {
            "left": _text("The text before the match (up to about 60 characters, cut at a "
                          "word, `…` where cut)."),
            "match": _text("The word as written in the statement.", minLength=1),
            "right": _text("The text after the match."),
            "key": _text("The statement key."),
            "lang": LANG_CODE,
            "date": ISO_DATE,
            "title": _text("The version's title; empty when untitled."),
            "file": _text("Its corpus file."),
            "field": {"type": "string", "enum": ["title", "body"],
                      "description": "Whether the occurrence is in the title or the text."},
        }),
        "Error": _record("A request that failed.", {
            "ok": {"const": False},
            "error": _text("What is wrong, and how to fix it, in English (stable, for logs).",
                           minLength=1),
            "message_id": _text("Names the message, whatever the language: e.g. "
                                "`quote-unclosed`, `field-date-invalid`, `statement-missing`, "
                                "`http-404`.", minLength=1),
            "message": _text("The same message in the interface language (from "
                             "`Accept-Language`, the `ui` cookie or `?ui=`), to show a reader.",
                             minLength=1),
        }),
    }


def _example_page() -> dict:
    versions = [
        {"lang": lang, "language": language, "title": title, "url": None,
         "file": f"after-charlie-hebdo.{lang}.md", "matched": lang == "pl",
         "why": [{"word": "zabojstw", "form": "folded"}] if lang == "pl" else [],
         "missing": []}
        for lang, language, title in (
            ("el", "Ελληνικά", "Διακήρυξη της Διεθνιστικής Σοσιαλιστικής Τάσης: "
                               "Mετά το Charlie Hebdo"),
            ("en", "English", ""),
            ("pl", "Polski", "Stanowisko Nurtu Międzynarodowego Socjalizmu w sprawie "
                             "paryskich zabójstw"))]
    return {
        "ok": True, "query": "zabojstw", "total": 1, "all_words": 1, "page": 1, "per_page": 10, "pages": 1,
        "sort": "relevance", "languages": {"pl": 1}, "suggestion": None, "method": DEFAULT_METHOD,
        "took_ms": 3.1, "partial": False, "timeline": {},
        "understood": {"words": "zabojstw", "languages": ["el", "en", "pl"],
                       "date_from": None, "date_to": None},
        "results": [{
            "key": "after-charlie-hebdo", "lang": "pl", "title": versions[2]["title"],
            "title_html": ("Stanowisko Nurtu Międzynarodowego Socjalizmu w sprawie paryskich "
                           "<mark class=\"match\">zabójstw</mark>"),
            "snippet": ("Zastrzelenie 7 stycznia w Paryżu osób związanych z Charlie Hebdo "
                        "poprzedzające <mark class=\"match\">zabójstwo</mark> czterech "
                        "klientów w supermarkecie koszernym"),
            "score": 0.016393, "date": None, "url": None, "file": "after-charlie-hebdo.pl.md",
            "untitled": False, "missing": [], "versions": versions,
        }],
    }
