"""The embeddable <statement-search> widget in a real browser, on another site's page.

Three waitress servers: the app (the API and widget.js) with CORS_ORIGINS naming one
"host" site; that host site, a different origin serving static pages that embed the
widget (one with hostile CSS); and a "foreign" site the app does not allow. No sleeps:
Playwright's ``expect`` waits for the page.
"""

from __future__ import annotations

import gzip
import re
from html import escape
from types import SimpleNamespace
from urllib.parse import parse_qs, quote, urlsplit
from urllib.request import urlopen

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, Route, expect

from ..conftest import serve
from .conftest import ARTIFACTS, ROOT

WIDGET_JS = ROOT / "webui" / "static" / "widget.js"
KEY = "after-charlie-hebdo"
NATIVE = {"el": "Ελληνικά", "en": "English", "pl": "Polski"}

HOSTILE_CSS = """
body { color: green; font: 30px serif; letter-spacing: 3px; text-transform: uppercase;
       line-height: 3; text-align: right; }
li { display: none }
* { box-sizing: content-box !important; font-family: cursive; color: purple; line-height: 5;
    letter-spacing: 2px; text-transform: uppercase; visibility: visible; cursor: wait }
a { color: red } mark { background: red; color: white }
input { border: 5px solid red; padding: 20px; font-size: 40px }
p, ul { margin: 50px; padding: 30px }
"""

PAGES = {
    # name: (html lang, CSS, embeds the widget, element markup)
    "hostile": ("pl", HOSTILE_CSS, True, "<statement-search></statement-search>"),
    "plain": ("pl", "", True, "<statement-search></statement-search>"),
    "bare": ("pl", HOSTILE_CSS, False, "<statement-search></statement-search>"),
    "greek": ("en", "", True,
              '<div lang="el"><statement-search languages="pl" per-page="3"></statement-search></div>'),
}


class HostSite:
    """Another web site: static pages that embed the widget from ``api`` (set later)."""

    def __init__(self) -> None:
        self.api = ""

    def page(self, name: str) -> str:
        lang, css, script, element = PAGES[name]
        tag = f'<script src="{escape(self.api)}/widget.js" defer></script>' if script else ""
        return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>A host page: {name}</title>
<style>{css}</style></head>
<body>
{element}
<h1 class="host">A host page</h1>
<p class="host">Host text with <mark>a host mark</mark> and <a href="#top">a host link</a>.</p>
<ul class="host"><li>a host list item</li></ul>
{tag}
</body></html>"""

    def __call__(self, environ, start_response):
        name = environ["PATH_INFO"].strip("/") or "hostile"
        if name not in PAGES:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                  ("Cache-Control", "no-store")])
        return [self.page(name).encode()]


@pytest.fixture(scope="module")
def sites(fixture_index):
    """The app allowing only ``host``'s origin, ``host``, and a ``foreign`` site."""
    from webui import create_app

    host, foreign = HostSite(), HostSite()
    with serve(host) as host_url, serve(foreign) as foreign_url:
        app = create_app({"TESTING": True, "INDEX_DIR": str(fixture_index),
                          "CORS_ORIGINS": [host_url]})
        with serve(app) as api_url:
            host.api = foreign.api = api_url
            yield SimpleNamespace(api=api_url, host=host_url, foreign=foreign_url)


def box(page: Page):
    return page.get_by_role("combobox")


def options(page: Page):
    return page.locator("statement-search li[role=option]")


def status(page: Page):
    return page.locator("statement-search [part=status]")


def statement_url(api: str, lang: str, query: str) -> str:
    return f"{api}/statement/{KEY}?lang={lang}&q={quote(query)}"


def shadow_styles(page: Page, selectors: list[str], props: list[str]) -> dict:
    return page.locator("statement-search").evaluate(
        """(host, [selectors, props]) => Object.fromEntries(selectors.map(sel => {
            const e = host.shadowRoot.querySelector(sel), s = getComputedStyle(e);
            return [sel, Object.fromEntries(props.map(p => [p, s.getPropertyValue(p)]))];
        }))""", [selectors, props])


def host_styles(page: Page, selectors: list[str], props: list[str]) -> dict:
    return page.evaluate(
        """([selectors, props]) => Object.fromEntries(selectors.map(sel => {
            const s = getComputedStyle(document.querySelector(sel));
            return [sel, Object.fromEntries(props.map(p => [p, s.getPropertyValue(p)]))];
        }))""", [selectors, props])


PROPS = ["color", "background-color", "font-family", "font-size", "font-weight", "line-height",
         "letter-spacing", "text-transform", "text-align", "display", "box-sizing",
         "margin-top", "padding-top", "border-top-width", "border-top-color", "list-style-type",
         "text-decoration-line", "cursor"]


# 1. Searching from another site -----------------------------------------------------------

@pytest.mark.parametrize("query, lang", [("φονικο", "el"), ("zabojstw", "pl")])
def test_greek_and_polish_queries_find_charlie_hebdo_with_marks_and_versions(
        page: Page, sites, query, lang):
    page.goto(f"{sites.host}/hostile")
    page.evaluate("""() => { window.seen = [];
        document.addEventListener('statement-search:results', e => seen.push(e.detail.total)); }""")
    box(page).fill(query)

    expect(options(page)).to_have_count(1)
    hit = options(page).first
    title = hit.locator("[part=title]")
    expect(title).to_have_attribute("href", statement_url(sites.api, lang, query))
    expect(title).to_have_attribute("lang", lang)
    expect(hit.locator("mark").first).to_be_visible()
    expect(hit.locator("[part=language]")).to_have_text(NATIVE[lang])

    others = sorted(set(NATIVE) - {lang})
    also = hit.locator("[part=versions]")
    expect(also).to_contain_text("Także po:")              # the page's <html lang="pl">
    links = also.get_by_role("link")
    expect(links).to_have_text([NATIVE[code] for code in others])
    for link, code in zip(links.all(), others):
        expect(link).to_have_attribute("href", statement_url(sites.api, code, query))
        expect(link).to_have_attribute("hreflang", code)

    expect(status(page)).to_have_text("1 oświadczenie")
    expect(status(page)).to_have_attribute("role", "status")
    more = page.locator("statement-search [part=more]")
    expect(more).to_have_attribute("href", f"{sites.api}/search?q={quote(query)}")
    expect(box(page)).to_have_attribute("aria-expanded", "true")
    assert page.evaluate("seen") == [1]
    search = page.get_by_role("search")
    expect(search).to_have_attribute("aria-label", "Wyszukiwarka oświadczeń")


def test_nearest_lang_sets_the_ui_and_languages_attribute_filters(page: Page, sites):
    page.goto(f"{sites.host}/greek")
    expect(box(page)).to_have_attribute("placeholder", "Αναζήτηση διακηρύξεων…")
    box(page).fill("Charlie")
    expect(options(page)).to_have_count(1)
    expect(options(page).first.locator("[part=title]")).to_have_attribute("lang", "pl")
    expect(status(page)).to_have_text("1 διακήρυξη")
    expect(page.locator("statement-search [part=more]")).to_have_attribute(
        "href", f"{sites.api}/search?q=Charlie&lang=pl")

    widget = page.locator("statement-search")
    widget.evaluate("w => w.setAttribute('ui-lang', 'en')")   # attributes apply at once
    expect(status(page)).to_have_text("1 statement")
    expect(box(page)).to_have_attribute("placeholder", "Search statements…")
    widget.evaluate("w => w.setAttribute('languages', 'el,en')")
    # The reader's version first: English for an English widget, though Greek matched too.
    expect(options(page).first.locator("[part=title]")).to_have_attribute("lang", "en")
    widget.evaluate("w => w.setAttribute('ui-lang', 'el')")
    expect(options(page).first.locator("[part=title]")).to_have_attribute("lang", "el")
    expect(page.locator("statement-search [part=more]")).to_have_attribute(
        "href", f"{sites.api}/search?q=Charlie&lang=el&lang=en")


def test_one_character_does_not_search_and_enter_searches_at_once(page: Page, sites):
    requests = []
    page.on("request", lambda r: "search.json" in r.url and requests.append(r.url))
    page.goto(f"{sites.host}/plain")
    box(page).fill("T")
    box(page).press("Enter")                # Enter searches even a short query
    expect(status(page)).to_have_text("Nie znaleziono oświadczeń")
    assert len(requests) == 1 and parse_qs(urlsplit(requests[0]).query) == {
        "q": ["T"], "per_page": ["5"], "prefer": ["pl"]}


# 2. Style isolation, both ways -------------------------------------------------------------

SHADOW = ["input", "ul", "li", "[part=title]", "[part=title] mark, [part=snippet] mark",
          "[part=snippet]", "[part=status]", "[part=more]"]
HOST = ["h1.host", "p.host", "p.host mark", "p.host a", "ul.host", "ul.host li"]


def test_host_css_does_not_reach_the_widget_and_the_widget_css_stays_inside(
        page: Page, sites):
    def rendered(name):
        page.goto(f"{sites.host}/{name}")
        box(page).fill("Charlie")
        expect(options(page)).to_have_count(1)
        expect(options(page).first).to_be_visible()       # the host's `li {display: none}`
        return shadow_styles(page, SHADOW, PROPS)

    plain = rendered("plain")
    hostile = rendered("hostile")
    for selector in SHADOW:
        assert hostile[selector] == plain[selector], selector
    assert hostile["li"]["display"] == "block"
    assert hostile["input"]["box-sizing"] == "border-box"
    assert hostile["[part=title]"]["color"] != "rgb(255, 0, 0)"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget.png"), full_page=True)

    with_widget = host_styles(page, HOST, PROPS)
    page.goto(f"{sites.host}/bare")                        # the same page without widget.js
    assert host_styles(page, HOST, PROPS) == with_widget


def test_theming_through_custom_properties_and_parts(page: Page, sites):
    page.goto(f"{sites.host}/plain")
    page.add_style_tag(content="""
        statement-search { --statement-search-accent: rgb(124, 58, 237);
          --statement-search-font: Georgia; --statement-search-text: rgb(34, 34, 34);
          --statement-search-background: rgb(253, 252, 248); --statement-search-radius: 0px;
          font-size: 20px; }
        statement-search::part(input) { font-size: 24px; }""")
    box(page).fill("Charlie")
    expect(options(page)).to_have_count(1)
    styles = shadow_styles(page, ["input", "[part=title]", "[part=snippet]"],
                           PROPS + ["border-top-left-radius"])
    assert styles["input"]["font-size"] == "24px"
    assert styles["[part=snippet]"]["font-size"] == "18.5px"      # .925em of the 20px
    assert styles["input"]["font-family"] == "Georgia"
    assert styles["input"]["color"] == "rgb(34, 34, 34)"
    assert styles["input"]["background-color"] == "rgb(253, 252, 248)"
    assert styles["input"]["border-top-left-radius"] == "0px"
    assert styles["[part=title]"]["color"] == "rgb(124, 58, 237)"


# 3. CORS: only configured origins ---------------------------------------------------------

def test_an_allowed_origin_gets_cors_headers(page: Page, sites):
    page.goto(f"{sites.host}/plain")
    with page.expect_response(re.compile(r"/search\.json\?")) as answer:
        box(page).fill("Charlie")
    assert answer.value.headers.get("access-control-allow-origin") == sites.host
    assert "access-control-allow-credentials" not in answer.value.headers
    expect(options(page)).to_have_count(1)


def test_an_origin_not_allowed_is_blocked_and_the_widget_says_so(
        page: Page, sites, browser_errors):
    page.goto(f"{sites.foreign}/plain")
    with page.expect_event("requestfailed", lambda r: "/search.json?" in r.url) as failed:
        box(page).fill("Charlie")
    assert failed.value.failure == "net::ERR_FAILED"     # Chromium's CORS refusal
    expect(status(page)).to_have_text("Serwer jest nieosiągalny")
    expect(status(page)).to_have_class(re.compile(r"\berror\b"))
    expect(options(page)).to_have_count(0)
    expect(box(page)).to_have_attribute("aria-expanded", "false")
    # The server answered, but without the header that would let the browser read it.
    answer = page.request.get(f"{sites.api}/search.json?q=Charlie",
                              headers={"Origin": sites.foreign})
    assert answer.ok and "access-control-allow-origin" not in answer.headers
    browser_errors.allow("CORS policy")
    browser_errors.allow("net::ERR_FAILED")


def test_a_malformed_query_shows_the_server_message_in_the_widgets_language(
        page: Page, sites, browser_errors):
    page.goto(f"{sites.host}/plain")
    box(page).fill("title:(")
    box(page).press("Enter")
    expect(status(page)).to_have_text(
        "Wyszukiwanie nie powiodło się: Niezamknięte nawiasy „(”: 1; dodaj „)”.")
    expect(options(page)).to_have_count(0)
    browser_errors.allow("status of 400")


def test_a_phrase_being_typed_is_no_failure(page: Page, sites, browser_errors):
    """While the reader types ``"unbal``, the phrase is searched as if closed; a query the
    server cannot run yet shows no "Search failed"; Enter says what is wrong."""
    page.goto(f"{sites.host}/plain")

    def closed_phrase(response):  # a busy machine may show a shorter prefix first
        return ("search.json" in response.url
                and parse_qs(urlsplit(response.url).query).get("q") == ['"Charlie Heb"'])

    with page.expect_response(closed_phrase):
        box(page).press_sequentially('"Charlie Heb', delay=20)
    expect(status(page)).not_to_have_class(re.compile(r"\berror\b"))
    with page.expect_response(re.compile(r"q=%22Charlie\+Hebdo%22")):
        box(page).press_sequentially("do", delay=20)
    expect(options(page)).to_have_count(1)
    with page.expect_response(re.compile(r"/search\.json\?")) as answer:
        box(page).fill("strike date:201")               # cannot run yet: no failure shown
    assert answer.value.status == 400
    expect(status(page)).to_have_text("")
    expect(status(page)).not_to_have_class(re.compile(r"\berror\b"))
    box(page).press("Enter")
    expect(status(page)).to_contain_text("Wyszukiwanie nie powiodło się: „201” nie jest datą")
    expect(status(page)).to_have_class(re.compile(r"\berror\b"))
    browser_errors.allow("status of 400")


# 4. Keyboard -------------------------------------------------------------------------------

def test_keyboard_only_tab_type_arrow_enter_opens_the_statement(page: Page, sites):
    page.goto(f"{sites.host}/hostile")
    page.keyboard.press("Tab")
    expect(box(page)).to_be_focused()
    page.keyboard.type("Charlie")
    expect(options(page)).to_have_count(1)
    expect(box(page)).not_to_have_attribute("aria-activedescendant", re.compile("."))

    page.keyboard.press("ArrowDown")
    option = options(page).first
    expect(box(page)).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    expect(option).to_have_attribute("aria-selected", "true")
    expect(option).to_have_class(re.compile(r"\bactive\b"))
    expect(box(page)).to_have_attribute("aria-controls", "results")
    expect(page.locator("statement-search #results")).to_have_attribute("role", "listbox")
    lang = option.locator("[part=title]").get_attribute("lang")

    page.keyboard.press("Enter")
    expect(page).to_have_url(statement_url(sites.api, lang, "Charlie"))


def test_escape_closes_the_list_then_clears_the_box(page: Page, sites):
    page.goto(f"{sites.host}/plain")
    box(page).fill("Trump")
    expect(options(page)).to_have_count(2)
    box(page).press("ArrowUp")                                 # wraps to the last
    expect(options(page).last).to_have_attribute("aria-selected", "true")
    box(page).press("ArrowDown")                               # and round to the first
    expect(options(page).first).to_have_attribute("aria-selected", "true")

    box(page).press("Escape")
    expect(page.locator("statement-search [role=listbox]")).to_be_hidden()
    expect(box(page)).to_have_attribute("aria-expanded", "false")
    expect(box(page)).not_to_have_attribute("aria-activedescendant", re.compile("."))
    expect(box(page)).to_have_value("Trump")

    box(page).press("ArrowDown")                               # reopens
    expect(box(page)).to_have_attribute("aria-expanded", "true")
    box(page).press("Escape")
    box(page).press("Escape")
    expect(box(page)).to_have_value("")
    expect(options(page)).to_have_count(0)
    expect(status(page)).to_have_text("")


# 5. Hostile content ------------------------------------------------------------------------

def test_hostile_statement_renders_as_text(page: Page, sites):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{sites.host}/hostile")
    box(page).fill("solidarity hostile")
    hit = options(page).first  # the one statement with both words comes first
    expect(hit.locator("[part=title]")).to_contain_text("<script>alert('title')</script> Hostile")
    expect(hit.locator("[part=snippet]")).to_contain_text("<img src=x onerror=alert(1)>")
    expect(hit.locator("mark")).to_have_count(2)
    assert page.locator("statement-search").evaluate(
        "h => h.shadowRoot.querySelectorAll('img, script, [onerror]').length") == 0
    assert dialogs == []


def test_html_other_than_marks_from_the_server_is_never_inserted(page: Page, sites):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    fake = {"ok": True, "total": 1, "suggestion": None, "results": [{
        "key": "k", "lang": "en", "title": "Plain <b>title</b>",
        "title_html": 'Bad <img src=x onerror="alert(1)"> <mark class="match">title</mark>',
        "snippet": 'Text <mark class="x" onclick="alert(2)">m</mark> <svg onload=alert(3)></svg> &amp; end',
        "versions": [{"lang": "en", "language": "English", "title": "t", "matched": True}]}]}
    page.route(re.compile(r"/search\.json\?"), lambda route: route.fulfill(
        json=fake, headers={"Access-Control-Allow-Origin": "*"}))
    page.goto(f"{sites.host}/plain")
    box(page).fill("title")
    expect(options(page)).to_have_count(1)
    hit = options(page).first
    expect(hit.locator("[part=title]")).to_have_text("Plain <b>title</b>")   # the plain title
    expect(hit.locator("[part=snippet]")).to_have_text("Text m  & end")      # tags dropped
    assert page.locator("statement-search").evaluate(
        "h => h.shadowRoot.querySelectorAll('img, svg, b, mark, [onerror], [onclick]').length") == 0
    expect(hit.locator("[part=versions]")).to_have_count(0)                 # no other version
    assert dialogs == []


# 6. Stale answers --------------------------------------------------------------------------

@pytest.mark.parametrize("abort", ["abort", "no abort"])
def test_a_late_answer_to_an_older_query_never_replaces_the_newer_one(page: Page, sites, abort):
    """The older request is aborted; and were it not (``no abort``), the counter drops it."""
    held: list[Route] = []

    def hold_trump(route: Route) -> None:
        if "q=Trump" in route.request.url:
            held.append(route)          # answered only after the newer query's results
        else:
            route.continue_()

    if abort == "no abort":
        page.add_init_script("AbortController.prototype.abort = function () {};")
    page.route(re.compile(r"/search\.json\?"), hold_trump)
    page.goto(f"{sites.host}/plain")
    page.evaluate("""() => { window.seen = [];
        document.addEventListener('statement-search:results', e => seen.push(e.detail.query)); }""")
    with page.expect_request(re.compile(r"q=Trump")):
        box(page).fill("Trump")
    if abort == "abort":
        with page.expect_event("requestfailed", lambda r: "q=Trump" in r.url) as cancelled:
            box(page).fill("Charlie")
        assert cancelled.value.failure == "net::ERR_ABORTED"
    else:
        box(page).fill("Charlie")
    expect(options(page)).to_have_count(1)
    charlie = re.compile(r"/statement/after-charlie-hebdo\?")
    expect(options(page).first.locator("[part=title]")).to_have_attribute("href", charlie)

    assert len(held) == 1
    late = held[0].fetch()
    assert late.json()["total"] == 2
    if abort == "abort":
        held[0].fulfill(response=late)  # too late: the widget cancelled that request
    else:
        with page.expect_response(re.compile(r"q=Trump")) as delivered:
            held[0].fulfill(response=late)
        delivered.value.finished()
    page.evaluate("() => new Promise(r => setTimeout(r, 100))")    # time for a late render
    expect(options(page)).to_have_count(1)
    expect(options(page).first.locator("[part=title]")).to_have_attribute("href", charlie)
    expect(status(page)).to_have_text("1 oświadczenie")
    assert page.evaluate("seen") == ["Charlie"]


# 7. The app's own demo page, under its CSP ---------------------------------------------------

def test_demo_page_works_under_the_sites_csp(page: Page, sites):
    response = page.goto(f"{sites.api}/widget/demo")
    assert "style-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator("pre code").first).to_have_text(
        f'<script src="{sites.api}/widget.js" defer></script>\n'
        "<statement-search></statement-search>")
    box(page).fill("Charlie")
    expect(options(page)).to_have_count(1)
    expect(status(page)).to_have_text("1 statement")
    # The constructable stylesheet applies despite `style-src 'self'` (a <style> would not).
    styles = shadow_styles(page, ["input", "li"], ["border-top-left-radius", "display",
                                                   "list-style-type", "box-sizing"])
    assert styles["input"]["border-top-left-radius"] == "6px"
    assert styles["li"]["list-style-type"] == "none"
    assert styles["input"]["box-sizing"] == "border-box"


def test_widget_js_is_served_as_cacheable_javascript(sites):
    with urlopen(f"{sites.api}/widget.js") as response:
        assert response.headers["Content-Type"].startswith("text/javascript")
        assert "max-age=3600" in response.headers["Cache-Control"]
        assert response.read() == WIDGET_JS.read_bytes()


def test_define_is_safe_to_repeat_and_loading_twice_is_harmless(page: Page, sites):
    page.goto(f"{sites.host}/plain")
    expect(box(page)).to_be_visible()
    assert page.evaluate("""async (api) => {
        const first = customElements.get('statement-search');
        StatementSearch.define();
        StatementSearch.define('statement-search', customElements);
        const again = document.createElement('script');
        again.src = api + '/widget.js?again';
        const loaded = new Promise(r => again.onload = r);
        document.body.append(again);
        await loaded;
        return first === StatementSearch && customElements.get('statement-search') === first;
    }""", sites.api)
    box(page).fill("Charlie")
    expect(options(page)).to_have_count(1)


def test_no_serious_or_critical_axe_violations_with_results_open(page: Page, sites):
    page.goto(f"{sites.host}/plain")
    box(page).fill("Charlie")
    expect(options(page)).to_have_count(1)
    box(page).press("ArrowDown")
    expect(options(page).first).to_have_attribute("aria-selected", "true")
    found = Axe().run(page, context={"include": [["statement-search"]]}).response["violations"]
    # Known trade-off: an option holds mouse-only links (tabindex=-1) to the other
    # language versions; keyboard and screen-reader users reach them on the statement page.
    bad = [v for v in found if v["impact"] in ("serious", "critical")
           and v["id"] != "nested-interactive"]
    assert not bad, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}: " + "; ".join(
            f"{n['target']}: {n['html'][:120]}" for n in v["nodes"]) for v in bad)


# 8. Size (no browser) ------------------------------------------------------------------------

def test_widget_is_small():
    data = WIDGET_JS.read_bytes()
    assert len(gzip.compress(data, 9)) < 15 * 1024
    assert ".innerHTML" in data.decode() and data.decode().count(".innerHTML") == 1
