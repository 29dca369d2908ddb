"""The pages as a reader meets them (issue 18): on a phone and a desktop, in one language.

Every page is loaded at 390 and 1280 pixels wide, light and dark: no horizontal overflow,
no serious or critical axe violation, and a screenshot in ``test-artifacts/screenshots/``
(the README shows some). Error pages in Greek and Polish say every string in that language;
a statement is shown in the reader's language when that version matched; right-to-left
texts carry their own direction.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from search.languages import LANGUAGES

from ..conftest import serve, statement
from .conftest import ROOT

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
WIDTHS = (390, 1280)

PAGES = {
    # name: (URL, status)
    "front": ("/", 200),
    "results": ("/search?q=strike", 200),
    "statement": ("/statement/after-charlie-hebdo?lang=pl&q=Charlie", 200),
    "side-by-side": ("/statement/after-charlie-hebdo?lang=el&with=en,pl&q=Charlie", 200),
    "concordance": ("/concordance?q=strikes", 200),
    "error": ('/search?q="Charlie+Hebdo&lang=en&sort=newest', 400),
    "widget-demo": ("/widget/demo", 200),
}


@pytest.fixture(scope="module")
def axe():
    return Axe()


def overflow(page: Page) -> list[str]:
    """What sticks out past the window's right edge: empty when the page fits."""
    return page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        if (document.documentElement.scrollWidth <= width) return [];
        return [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > width + 1)
            .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
                      + ' ' + Math.round(e.getBoundingClientRect().right) + 'px')
            .slice(0, 8);
    }""")


def serious(axe: Axe, page: Page) -> list[str]:
    """Serious and critical violations; not the widget's known trade-off (test_widget.py)."""
    found = axe.run(page).response["violations"]
    return [f"{v['id']} ({v['impact']}): " + "; ".join(str(n["target"]) for n in v["nodes"])
            for v in found if v["impact"] in ("serious", "critical")
            and not (v["id"] == "nested-interactive"
                     and all("statement-search" in str(n["target"]) for n in v["nodes"]))]


# 1. Every page fits a phone and a desktop, light and dark ----------------------------------

@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_every_page_fits_its_window_and_passes_axe(page: Page, axe, browser_errors, name,
                                                   width, scheme):
    url, status = PAGES[name]
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme)
    response = page.goto(url)
    assert response.status == status
    browser_errors.allow("status of 400")
    expect(page.locator("main")).to_be_visible()
    if name == "widget-demo":                      # the widget open, with its results
        page.get_by_role("combobox").fill("Charlie")
        expect(page.locator("statement-search li[role=option]")).to_have_count(1)
    assert not overflow(page), f"{name} at {width}px is wider than the window: {overflow(page)}"
    assert not serious(axe, page), serious(axe, page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}-{scheme}.png"), full_page=True)


def test_side_by_side_stacks_its_columns_on_a_phone(page: Page):
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(PAGES["side-by-side"][0])
    cells = page.locator(".parallel .cell")
    first, second = cells.nth(0).bounding_box(), cells.nth(1).bounding_box()
    assert abs(first["x"] - second["x"]) < 2 and second["y"] > first["y"]  # one above the other
    assert first["width"] > 300
    # Each paragraph says which version it is, since the column heads are far above.
    label = cells.nth(1).evaluate("e => getComputedStyle(e, '::before').content")
    assert label == '"English"', label


# 2. One language per page --------------------------------------------------------------------

ERROR_PAGES = ['/search?q="unbalanced&lang=en', "/search?q=strike&to=2015-13",
               "/statement/nope", "/no/such/page", "/search?q=strike&page=abc"]
NAMES = {language.native_name for language in LANGUAGES.values()}
ACRONYMS = {"JSON", "CSV", "API", "Atom", "BibTeX", "CSL"}
ENGLISH = {"the", "is", "are", "not", "never", "closed", "found", "search", "statement",
           "statements", "this", "cannot", "be", "run", "with", "of", "and", "at", "position",
           "page", "date", "query", "language", "languages", "sort", "from", "filters", "apply",
           "error", "instead", "for", "there", "an", "mark", "quotation", "interface", "skip",
           "content", "syntax", "relevance", "newest", "oldest", "whole", "number", "must"}

TEXTS = """() => {
    const out = [{text: document.title, lang: document.documentElement.lang}];
    const skip = 'script, style, code, pre, [translate=no]';
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const e = n.parentElement, text = n.textContent.trim();
        if (text && !e.closest(skip)) out.push({text, lang: e.closest('[lang]').lang});
    }
    for (const e of document.querySelectorAll('[placeholder], [aria-label], [title]')) {
        if (e.closest(skip)) continue;
        for (const name of ['placeholder', 'aria-label', 'title']) {
            const text = e.getAttribute(name);
            if (text) out.push({text, lang: e.closest('[lang]').lang});
        }
    }
    return out;
}"""


def foreign(text: str, lang: str) -> list[str]:
    """The words of ``text`` that are not in ``lang`` (Greek or Polish) but English."""
    if lang == "el":
        return [w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in ACRONYMS]
    return [w for w in re.findall(r"\w+", text.lower()) if w in ENGLISH]


@pytest.mark.parametrize("url", ERROR_PAGES)
@pytest.mark.parametrize("ui", ["el", "pl"])
def test_an_error_page_says_every_string_in_the_interface_language(page: Page, browser_errors,
                                                                   ui, url):
    response = page.goto(url + ("&" if "?" in url else "?") + f"ui={ui}")
    assert response.status in (400, 404)
    browser_errors.allow("status of 4")
    expect(page.get_by_role("alert")).to_be_visible()
    texts = page.evaluate(TEXTS)
    others = [t for t in texts if t["lang"] != ui and t["text"] not in NAMES]
    assert not others, f"strings in another language than {ui}: {others}"
    english = {t["text"]: foreign(t["text"], ui) for t in texts
               if t["lang"] == ui and foreign(t["text"], ui)}
    assert not english, f"English in a {ui} page: {english}"
    if url == ERROR_PAGES[0]:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"error-{ui}.png"), full_page=True)


def test_the_date_error_talks_about_the_form_not_the_query_syntax(page: Page, browser_errors):
    page.goto("/search?q=strike&lang=en&sort=newest&to=2015-13")
    browser_errors.allow("status of 400")
    alert = page.get_by_role("alert")
    expect(alert).to_have_text(re.compile(
        r"“2015-13” in “To” is not a date: write a year \(2015\), a month \(2015-06\) or a day"))
    expect(alert).not_to_contain_text(re.compile(r"date:\d"))
    # The filters are all still there, as filled, and the field at fault is marked.
    to = page.get_by_label("To", exact=True)
    expect(to).to_have_value("2015-13")
    expect(to).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("English")).to_be_checked()
    expect(page.get_by_label("Sort")).to_have_value("newest")
    to.fill("2015-12")                                   # mended in place
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"to=2015-12"))
    expect(page.get_by_role("status")).to_contain_text("found")
    asked = parse_qs(urlsplit(page.url).query)
    assert (asked["lang"], asked["sort"], asked["to"]) == (["en"], ["newest"], ["2015-12"])


def test_greek_asks_with_a_greek_question_mark(page: Page):
    page.goto("/search?q=racsim&ui=el")
    expect(page.locator("p.suggestion")).to_have_text("Μήπως εννοείτε racism;")
    expect(page.get_by_label("Από", exact=True)).to_have_attribute("placeholder", "ΕΕΕΕ")
    expect(page.get_by_label("Έως", exact=True)).to_have_attribute("placeholder", "ΕΕΕΕ-ΜΜ-ΗΗ")


# 3. The reader's version first ----------------------------------------------------------------

@pytest.mark.parametrize("ui, lang, title", [
    ("en", "en", "The shootings in Paris at the offices of Charlie Hebdo …"),
    ("el", "el", "Διακήρυξη της Διεθνιστικής Σοσιαλιστικής Τάσης: Mετά το Charlie Hebdo"),
    ("pl", "pl", "Stanowisko Nurtu Międzynarodowego Socjalizmu w sprawie paryskich zabójstw"),
])
def test_a_statement_is_shown_in_the_readers_language(page: Page, ui, lang, title):
    page.goto(f'/search?q="Charlie+Hebdo"&ui={ui}')
    hit = page.locator("ol.results > li").first
    expect(hit.locator("h2")).to_have_attribute("lang", lang)
    expect(hit.locator("h2")).to_have_text(title)
    expect(hit.locator("h2 a")).to_have_attribute("href", re.compile(rf"lang={lang}&"))
    expect(hit.locator("p.versions a")).to_have_count(2)
    expect(hit.locator(f"p.versions a[lang={lang}]")).to_have_count(0)
    hit.locator("h2 a").click()
    expect(page.locator("article")).to_have_attribute("lang", lang)


# 4-9. Smaller points --------------------------------------------------------------------------

def test_an_untitled_statement_is_named_alike_everywhere(page: Page):
    name = "Europe is facing what has been called its “greatest refugee …"
    page.goto("/search?q=refugee+crisis")
    result = page.locator("ol.results > li").filter(has_text="Europe is facing").first
    expect(result.locator("h2")).to_have_text(name)              # no "1." of its own
    page.goto("/statement/europe-refugee-crisis?q=refugee")
    expect(page.locator("article h1")).to_have_text(name)
    expect(page).to_have_title(f"{name} – Statements search")
    page.goto("/concordance?q=refugee")
    expect(page.locator("td.meta a.untitled").first).to_have_text(name)


def test_the_front_page_shows_the_collection(page: Page):
    page.goto("/")
    expect(page.locator("#q")).to_be_focused()
    expect(page.locator(".lede")).to_have_text(re.compile(r"^14 statements, each searchable"))
    recent = page.get_by_role("region", name="Newest statements").locator("li h2")
    expect(recent).to_have_count(5)
    expect(recent.first).to_have_text("Belarus and the struggle against Lukashenko")
    counts = page.get_by_role("region", name="Languages").locator("li")
    expect(counts.first).to_have_text(re.compile(r"English\s+14"))
    page.get_by_role("link", name='"Charlie Hebdo"').click()
    expect(page.locator("ol.results > li")).to_have_count(1)
    page.goto("/search?q=")                                     # an empty search: the same
    expect(page.get_by_role("region", name="Newest statements")).to_be_visible()


def test_a_page_past_the_last_says_so(page: Page):
    page.goto("/search?q=Charlie+Hebdo&page=5")
    expect(page.get_by_role("status")).to_contain_text("1 statement found")
    empty = page.locator("p.empty")
    expect(empty).to_contain_text("There is no page 5: this search has 1 page.")
    expect(page.get_by_text("No statement matches")).to_have_count(0)
    empty.get_by_role("link", name="Go to page 1").click()
    expect(page.locator("ol.results > li")).to_have_count(1)


def test_side_by_side_offers_only_what_it_does_not_show(page: Page):
    page.goto("/statement/after-charlie-hebdo?lang=el")
    page.get_by_role("link", name="3 versions at once").click()
    expect(page.locator(".parallel h1")).to_have_count(3)
    expect(page.get_by_role("link", name="3 versions at once")).to_have_count(0)
    page.get_by_role("link", name="Show only Ελληνικά").click()
    expect(page.locator("article")).to_have_attribute("lang", "el")
    expect(page.locator(".parallel")).to_have_count(0)


def test_the_statement_page_labels_its_rows_of_languages(page: Page):
    page.goto("/statement/after-charlie-hebdo?lang=pl")
    interface = page.get_by_role("navigation", name="Interface language")
    versions = page.get_by_role("navigation", name="This statement in")
    expect(interface).to_contain_text("Interface language:")
    expect(versions).to_contain_text("This statement in:")
    expect(versions.locator("[aria-current=page]")).to_have_text("Polski")


def test_the_concordance_shows_its_sort_and_searches_again(page: Page):
    page.goto("/concordance?q=strikes&sort=left")
    sort = page.get_by_role("navigation", name="Sort")
    current, other = sort.get_by_role("link", name="by the word before"), \
        sort.get_by_role("link", name="by the word after")
    expect(current).to_have_attribute("aria-current", "true")
    background = "e => getComputedStyle(e).backgroundColor"
    assert current.evaluate(background) != other.evaluate(background)   # seen, not only heard
    box = page.get_by_role("search").get_by_role("searchbox")
    box.fill("austerity")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/concordance\?q=austerity&sort=left$"))
    expect(page.locator("table.kwic td.match").first).to_have_text(re.compile("austerity", re.I))


def test_a_statement_prints_without_the_search_around_it(page: Page):
    page.goto("/statement/after-charlie-hebdo?lang=pl&q=Charlie")
    page.emulate_media(media="print")
    for hidden in ("header.site", "form[role=search]", "nav.versions", "details.cite"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.locator("article h1")).to_be_visible()
    expect(page.locator(".print-only")).to_have_text(
        re.compile(r"^From http://127\.0\.0\.1:\d+/statement/after-charlie-hebdo\?lang=pl$"))
    assert page.locator("article").evaluate("e => getComputedStyle(e).color") == "rgb(0, 0, 0)"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(SCREENSHOTS / "statement-print.pdf"))


# Right-to-left texts ------------------------------------------------------------------------

RTL_FILES = {
    "may-day.en.md": statement("Long live May Day", "Long live May Day, the international "
                               "workers' day. Workers strike for wages and dignity."),
    "may-day.ar.md": statement("عاش الأول من أيار", "عاش الأول من أيار، يوم العمال العالمي. "
                               "العمال يضربون من أجل الأجور والكرامة."),
    "may-day.he.md": statement("יחי האחד במאי", "יחי האחד במאי, יום הפועלים הבינלאומי. "
                               "הפועלים שובתים למען שכר וכבוד."),
}


@pytest.fixture(scope="module")
def rtl_site(tmp_path_factory):
    """A server of one statement in English, Arabic and Hebrew."""
    from indexer.build import rebuild
    from indexer.validate import load_corpus
    from webui import create_app

    corpus = tmp_path_factory.mktemp("rtl") / "statements"
    corpus.mkdir()
    for name, text in RTL_FILES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    rebuild(load_corpus(corpus), corpus.parent / "index", procs=1)
    with serve(create_app({"TESTING": True, "INDEX_DIR": str(corpus.parent / "index")})) as url:
        yield url


def test_right_to_left_texts_carry_their_direction(page: Page, rtl_site):
    page.goto(f"{rtl_site}/search?q=العمال")
    hit = page.locator("ol.results > li").first
    for part in ("h2", "p.snippet"):
        expect(hit.locator(part)).to_have_attribute("lang", "ar")
        expect(hit.locator(part)).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")       # the page stays English
    title = hit.locator("h2 a").bounding_box()
    heading = hit.locator("h2").bounding_box()
    assert title["x"] + title["width"] > heading["x"] + heading["width"] - 2   # set from the right
    for code in ("en", "he"):
        link = hit.locator(f"p.versions a[lang={code}]")
        expect(link).to_have_attribute("dir", "ltr" if code == "en" else "rtl")

    page.goto(f"{rtl_site}/statement/may-day?lang=ar&with=he,en")
    cells = page.locator(".parallel .cell")
    assert [cells.nth(i).get_attribute("dir") for i in range(3)] == ["rtl", "rtl", "ltr"]
    page.goto(f"{rtl_site}/statement/may-day?lang=he")
    expect(page.locator("article")).to_have_attribute("dir", "rtl")


def test_the_widget_gives_each_text_its_direction(page: Page, rtl_site):
    page.goto(f"{rtl_site}/widget/demo")
    page.get_by_role("combobox").fill("العمال")
    option = page.locator("statement-search li[role=option]").first
    for part in ("[part=title]", "[part=snippet]", "[part=language]"):
        expect(option.locator(part)).to_have_attribute("dir", "rtl")
    expect(option.locator("[part=versions] a[lang=en]")).to_have_attribute("dir", "ltr")
