"""What a reader sees in a real browser: search, filters, paging, languages, keyboard, a11y.

One waitress server and one Chromium serve the whole module (see conftest.py); every
test gets a fresh browser context (no cookies). No sleeps: Playwright's ``expect``
waits for the page.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from .conftest import ARTIFACTS

NATIVE = {"el": "Ελληνικά", "en": "English", "pl": "Polski"}
SEARCH_LABEL = "Search the statements in every language"


def results(page: Page):
    return page.locator("ol.results > li")


def query_args(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def fold(text: str) -> str:
    """Lower case without accents, to compare a mark with the query that found it."""
    return "".join(c for c in unicodedata.normalize("NFD", text.casefold())
                   if not unicodedata.combining(c))


def search_for(page: Page, text: str) -> None:
    """Type into the search box and press Enter, as a reader does."""
    box = page.get_by_label(SEARCH_LABEL, exact=True)
    box.fill(text)
    box.press("Enter")


# 1. Searching ---------------------------------------------------------------------------

def test_enter_in_the_box_finds_charlie_hebdo_with_its_other_languages(page: Page):
    page.goto("/")
    search_for(page, "Charlie Hebdo")

    expect(page).to_have_url(re.compile(r"/search\?q=Charlie\+Hebdo$"))
    expect(results(page)).to_have_count(1)
    summary = page.get_by_role("status")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("1 statement found")

    hit = results(page).first
    title = hit.locator("h2[lang] a")
    expect(title).to_have_attribute("href", re.compile(r"^/statement/after-charlie-hebdo\?"))
    shown = hit.locator("h2").get_attribute("lang")
    also = hit.locator("p.versions")
    expect(also).to_be_visible()
    expect(also).to_contain_text("Also in:")
    links = also.get_by_role("link")
    others = sorted(set(NATIVE) - {shown})
    # The other two versions, each named in its own language and tagged with it.
    expect(links).to_have_text([NATIVE[code] for code in others])
    for link, code in zip(links.all(), others):
        expect(link).to_have_attribute("lang", code)
        expect(link).to_have_attribute("href", re.compile(rf"lang={code}(&|$)"))


# 2. Accents and no accents ----------------------------------------------------------------

@pytest.mark.parametrize("query, lang, word", [
    ("φονικο", "el", "φονικό"),
    ("φονικό", "el", "φονικό"),
    ("zabojstw", "pl", "zabójstw"),
    ("zabójstw", "pl", "zabójstw"),
])
def test_greek_and_polish_words_match_with_or_without_accents(page: Page, query, lang, word):
    page.goto("/")
    search_for(page, query)

    hit = results(page).first
    expect(hit.locator("h2")).to_have_attribute("lang", lang)
    expect(hit.locator("h2 a")).to_have_attribute(
        "href", re.compile(rf"^/statement/after-charlie-hebdo\?lang={lang}&"))
    marks = hit.locator("mark")
    expect(marks.first).to_be_visible()
    # The marked words are the corpus's own (accented) forms of the query's word.
    texts = marks.all_inner_texts()
    assert any(t.casefold().startswith(word) for t in texts), texts
    assert all(fold(t).startswith(fold(word)[:6]) for t in texts), texts
    # ...and they really stand out: a highlight background, not transparent.
    background = marks.first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent"), background


# 3. Language filter -----------------------------------------------------------------------

def test_language_boxes_filter_as_soon_as_they_are_ticked(page: Page):
    page.goto("/search?q=Charlie+Hebdo")
    filters = page.get_by_role("group", name="Filters")
    languages = page.get_by_role("group", name="Languages")
    expect(filters).to_be_visible()
    for code, name in NATIVE.items():
        expect(languages.get_by_label(name)).not_to_be_checked()
        expect(languages.locator(f"label:has(input[value={code}]) .count")).to_have_text("1")

    languages.get_by_label("Polski").click()            # no "Apply": the box searches
    expect(page).to_have_url(re.compile(r"[?&]lang=pl(&|$)"))
    assert query_args(page)["lang"] == ["pl"]
    expect(languages.get_by_label("Polski")).to_be_checked()
    expect(results(page)).to_have_count(1)
    expect(results(page).locator("h2")).to_have_attribute("lang", "pl")
    expect(results(page).locator("p.snippet")).to_have_attribute("lang", "pl")

    languages.get_by_label("Ελληνικά").click()
    expect(page).to_have_url(re.compile(r"lang=pl&lang=el|lang=el&lang=pl"))
    languages.get_by_label("Polski").click()
    expect(page).to_have_url(re.compile(r"[?&]lang=el(&|$)"))
    assert query_args(page)["lang"] == ["el"]
    expect(results(page).locator("h2")).to_have_attribute("lang", "el")

    page.get_by_label("Sort").select_option("newest")      # the order too
    expect(page).to_have_url(re.compile(r"[?&]sort=newest(&|$)"))
    languages.get_by_label("Ελληνικά").click()
    expect(page).not_to_have_url(re.compile(r"[?&]lang="))
    expect(languages.get_by_label("English")).not_to_be_checked()
    expect(results(page)).to_have_count(1)


def test_dates_are_applied_with_the_button(page: Page):
    page.goto("/search?q=strike")
    page.get_by_label("From", exact=True).fill("2019")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"[?&]from=2019(&|$)"))
    expect(results(page)).to_have_count(2)


# 4. Translations --------------------------------------------------------------------------

def test_also_in_link_opens_that_language_with_the_query_marked(page: Page):
    page.goto("/search?q=Charlie+Hebdo")
    results(page).first.locator("p.versions").get_by_role("link", name="Polski").click()

    expect(page).to_have_url(re.compile(r"/statement/after-charlie-hebdo\?lang=pl&q=Charlie"))
    article = page.locator("article")
    expect(article).to_have_count(1)
    expect(article).to_have_attribute("lang", "pl")
    expect(article.get_by_role("heading", level=1)).to_have_text(
        "Stanowisko Nurtu Międzynarodowego Socjalizmu w sprawie paryskich zabójstw")
    expect(article.locator("mark").first).to_be_visible()
    assert {fold(t) for t in article.locator("mark").all_inner_texts()} <= {"charlie", "hebdo"}
    versions = page.get_by_role("navigation", name="This statement in")
    expect(versions.locator("[aria-current=page]")).to_have_text("Polski")

    # Another version from the statement page keeps the query and its marks.
    versions.get_by_role("link", name="Ελληνικά").click()
    expect(page.locator("article")).to_have_attribute("lang", "el")
    expect(page.locator("article mark").first).to_be_visible()


def test_statement_without_a_query_has_no_marks(page: Page):
    page.goto("/statement/after-charlie-hebdo?lang=pl")
    expect(page.locator("article")).to_have_attribute("lang", "pl")
    expect(page.locator("article p").first).to_be_visible()
    expect(page.locator("article mark")).to_have_count(0)


# 5. Paging --------------------------------------------------------------------------------

def test_next_page_shows_the_next_result(page: Page):
    page.goto("/search?q=strike&per_page=1")
    expect(page.get_by_role("status")).to_contain_text("3 statements found")
    expect(results(page)).to_have_count(1)
    pages = page.get_by_role("navigation", name="Pages")
    expect(pages).to_contain_text("Page 1 of 3")
    expect(pages.locator("a[rel=prev]")).to_have_count(0)
    first = results(page).locator("h2 a").inner_text()

    nxt = pages.locator("a[rel=next]")
    expect(nxt).to_have_text("Next")
    nxt.click()

    expect(page).to_have_url(re.compile(r"[?&]page=2(&|$)"))
    assert query_args(page)["per_page"] == ["1"]
    expect(pages).to_contain_text("Page 2 of 3")
    expect(results(page)).to_have_count(1)
    expect(results(page).locator("h2 a")).not_to_have_text(first)
    expect(page.locator("ol.results")).to_have_attribute("start", "2")
    expect(pages.locator("a[rel=prev]")).to_have_text("Previous")


# 6. Interface language --------------------------------------------------------------------

def test_switching_the_interface_to_greek_sticks(page: Page):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("navigation", name="Interface language").get_by_role(
        "link", name="Ελληνικά").click()

    expect(page).to_have_url(re.compile(r"[?&]ui=el(&|$)"))
    expect(page.locator("html")).to_have_attribute("lang", "el")
    expect(page.locator("form[role=search] button[type=submit]")).to_have_text("Αναζήτηση")
    expect(page.locator("nav.ui-languages [aria-current=true]")).to_have_text("Ελληνικά")

    # A search and a statement page, with no ?ui= in their URLs: still Greek (cookie).
    box = page.locator("#q")
    box.fill("strike")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=strike$"))
    expect(page.locator("html")).to_have_attribute("lang", "el")
    expect(page.get_by_role("button", name="Αναζήτηση")).to_be_visible()
    results(page).first.locator("h2 a").click()
    expect(page).to_have_url(re.compile(r"/statement/"))
    expect(page.locator("html")).to_have_attribute("lang", "el")
    expect(page.get_by_role("button", name="Αναζήτηση")).to_be_visible()
    assert {c["name"]: c["value"] for c in page.context.cookies()}.get("ui") == "el"


# 7. Keyboard only ----------------------------------------------------------------------------

def focused(page: Page) -> dict:
    """The focused element and its outline, as the reader sees it."""
    return page.evaluate("""() => {
        const e = document.activeElement, s = getComputedStyle(e);
        return {tag: e.tagName.toLowerCase(), id: e.id, cls: e.className,
                text: (e.innerText || '').trim(), href: e.getAttribute('href'),
                result: !!e.closest('ol.results h2'),
                outline: s.outlineStyle, width: parseFloat(s.outlineWidth)};
    }""")


def assert_focus_visible(state: dict) -> None:
    assert state["outline"] != "none" and state["width"] > 0, (
        f"no visible focus indicator on {state}")


def test_keyboard_only_search_and_open_a_result(page: Page):
    page.goto("/")
    expect(page.locator("#q")).to_be_focused()      # the front page's box is ready to type in
    page.goto("/search?q=strike")
    page.keyboard.press("Tab")
    state = focused(page)
    assert state["cls"] == "skip" and state["text"] == "Skip to content", state
    assert_focus_visible(state)
    expect(page.get_by_role("link", name="Skip to content")).to_be_in_viewport()

    page.keyboard.press("Enter")           # skip the header...
    page.keyboard.press("Tab")             # ...straight to the search box
    expect(page.locator("#q")).to_be_focused()
    assert_focus_visible(focused(page))

    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("Charlie Hebdo")
    page.keyboard.press("Enter")
    expect(results(page)).to_have_count(1)

    for _ in range(40):                     # Tab along until the first result's link
        page.keyboard.press("Tab")
        state = focused(page)
        if state["result"]:
            break
    else:
        pytest.fail("Tab never reached the first result's link")
    assert state["tag"] == "a" and state["href"].startswith("/statement/after-charlie-hebdo")
    assert_focus_visible(state)

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/statement/after-charlie-hebdo\?"))
    expect(page.locator("article mark").first).to_be_visible()


# 8. No console or page errors anywhere ---------------------------------------------------

def test_pages_log_no_console_or_page_errors(page: Page, browser_errors):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for url in ["/", "/search?q=Charlie+Hebdo", "/search?q=strike&per_page=1&page=2",
                "/search?q=zabojstw&lang=pl&sort=newest&from=2010&to=2020-12-31",
                "/statement/after-charlie-hebdo?lang=pl&q=zabojstw",
                "/statement/hostile?lang=en&q=hostile", "/?ui=el", "/?ui=pl",
                "/search?q=hostile"]:
        response = page.goto(url)
        assert response.status == 200, (url, response.status)
        expect(page.locator("main")).to_be_visible()
    # The hostile fixture's <script>/<img onerror> are shown as text, never run.
    expect(page.locator("ol.results h2")).to_contain_text("<script>alert('title')</script>")
    assert not dialogs, dialogs
    assert not browser_errors, "\n".join(browser_errors)


def test_the_site_has_an_icon(page: Page):
    """Browsers ask every site for an icon; a 404 there is a console error on every visit.

    Either the pages declare one (``<link rel="icon">`` that loads) or ``/favicon.ico``
    exists; with neither, Chromium logs "Failed to load resource: 404 (/favicon.ico)".
    """
    page.goto("/")
    declared = page.locator("head link[rel~=icon]")
    if declared.count():
        href = declared.first.get_attribute("href")
        if href.startswith("data:"):
            return
        icon = page.request.get(page.evaluate("h => new URL(h, location).href", href))
        assert icon.ok, f"the declared icon {href} answers {icon.status}"
    else:
        icon = page.request.get("/favicon.ico")
        assert icon.ok, (
            f"no <link rel=icon> in base.html and /favicon.ico answers {icon.status}: "
            "Chromium logs a console error for it")


# 9. Accessibility ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.mark.parametrize("url", [
    "/",
    "/search?q=Charlie+Hebdo",
    "/search?q=strike&per_page=1&page=2",
    "/statement/after-charlie-hebdo?lang=pl&q=Charlie+Hebdo",
    "/search?q=(bad",
])
def test_no_serious_or_critical_axe_violations(page: Page, axe, url, browser_errors):
    page.goto(url)
    browser_errors.allow("status of 400")      # the malformed query's page is a 400
    expect(page.locator("main")).to_be_visible()
    found = axe.run(page).response["violations"]
    bad = [v for v in found if v["impact"] in ("serious", "critical")]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n" + "\n".join(
            f"    {n['target']}: {n['html'][:160]}" for n in v["nodes"])
        for v in bad)
    assert not bad, f"axe violations on {url}:\n{report}"


# 10. A malformed query ----------------------------------------------------------------

def test_malformed_query_shows_an_alert_with_status_400(page: Page, browser_errors):
    page.goto("/")
    box = page.get_by_label(SEARCH_LABEL, exact=True)
    box.fill("(bad")
    with page.expect_navigation() as navigation:
        box.press("Enter")
    assert navigation.value.status == 400

    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Brackets “(” left open: 1; add “)”.")
    expect(page.get_by_label(SEARCH_LABEL, exact=True)).to_have_value("(bad")
    expect(page.get_by_label(SEARCH_LABEL, exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page).to_have_title(re.compile(r"400"))
    expect(results(page)).to_have_count(0)
    alert.get_by_role("link", name="bad").click()          # the search without the stray "("
    expect(page).to_have_url(re.compile(r"/search\?q=bad$"))
    expect(page.get_by_role("status")).to_contain_text("statements found")
    # Chromium logs the 400 document itself as a failed resource load: that one is expected.
    browser_errors.allow("status of 400")


# 11. A screenshot for the docs ---------------------------------------------------------

def test_screenshot_of_a_results_page(page: Page):
    page.goto("/search?q=strike")
    expect(results(page)).to_have_count(3)
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "search-results.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
