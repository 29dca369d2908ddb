"""Research features in a real browser: side by side, timeline, concordance, why, cite, feed."""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect


def test_versions_side_by_side_show_aligned_columns_with_marks(page: Page):
    page.goto("/statement/after-charlie-hebdo?lang=pl&q=Charlie")
    page.get_by_role("link", name="Ελληνικά").last.click()  # "Side by side with: Ελληνικά"
    expect(page).to_have_url(re.compile(r"with=el"))
    cells = page.locator(".parallel .cell")
    expect(cells).to_have_count(2)
    left, right = cells.nth(0).bounding_box(), cells.nth(1).bounding_box()
    assert left["x"] < right["x"] and abs(left["y"] - right["y"]) < 2  # one row, two columns
    assert [cells.nth(i).get_attribute("lang") for i in range(2)] == ["pl", "el"]
    for i in range(2):
        expect(cells.nth(i).locator("mark")).to_have_text("Charlie")


def test_timeline_bars_filter_by_year_when_clicked(page: Page):
    page.goto("/search?q=strike+OR+organisations+OR+hostile+OR+links")
    bars = page.locator("figure.timeline svg a")
    expect(bars).to_have_count(9)  # 2012 to 2020 (the bundled Belarus statement), empty years included
    page.locator('figure.timeline a[aria-label="2016: en 1"]').click()
    expect(page).to_have_url(re.compile(r"from=2016&to=2016"))
    expect(page.locator("ol.results > li h2")).to_have_text(["General strike against austerity"])


def test_concordance_table_sorts_by_the_word_after(page: Page):
    page.goto("/search?q=strikes")
    page.get_by_role("link", name="Concordance").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Concordance")
    rows = page.locator("table.kwic tbody tr")
    expect(rows.first.locator("mark")).to_be_visible()
    page.get_by_role("link", name="by the word after").click()
    after = [t.split()[0].lower() for t in rows.locator("td:nth-child(3)").all_inner_texts()
             if t.strip()]
    matches = rows.locator("td.match").all_inner_texts()
    assert len(after) == len(matches) >= 3
    strikes = [a for a, m in zip(after, matches) if m == "strikes"]
    assert strikes == sorted(strikes)
    assert not [v for v in Axe().run(page).response["violations"]
                if v["impact"] in ("serious", "critical")]


def test_why_a_result_matched_opens_with_the_keyboard(page: Page):
    page.goto("/search?q=zabojstw")
    summary = page.locator("details.why summary").first
    assert summary.get_attribute("title") == "Polski: zabojstw (without accents)"
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator("details.why li").first).to_have_text(
        "Polski: zabojstw (without accents)")


def test_cite_shows_bibtex_and_offers_csl_json(page: Page):
    page.goto("/statement/general-strike?lang=pl")
    page.get_by_text("Cite this statement").click()
    expect(page.locator("details.cite pre")).to_contain_text("@misc{general-strike-pl,")
    expect(page.get_by_role("link", name="CSL-JSON")).to_have_attribute(
        "href", "/statement/general-strike.csl.json?lang=pl")


def test_a_search_can_be_followed_as_a_feed(page: Page):
    page.goto("/search?q=strike")
    feed = page.locator('link[rel="alternate"][type="application/atom+xml"]')
    expect(feed).to_have_attribute("href", "/search.atom?q=strike")
    response = page.request.get("/search.atom?q=strike")
    assert response.ok and "<entry" in response.text()


def test_greeklish_query_shows_the_greek_statement_marked(page: Page):
    page.goto("/search?q=foniko+sto+parisi")
    result = page.locator("ol.results > li").first
    expect(result.locator("h2")).to_contain_text("Mετά το Charlie Hebdo")
    expect(result.locator("mark")).to_have_text(["φονικό", "Παρίσι"])
    assert result.locator("details.why summary").get_attribute("title") == (
        "Ελληνικά: foniko (in Latin letters), parisi (in Latin letters)")
