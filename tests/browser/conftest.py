"""Real-browser fixtures: one waitress server and one Chromium for the whole session.

Playwright drives Debian's chromium (``/usr/bin/chromium``, or ``$CHROMIUM_PATH``);
never run ``playwright install``. Without chromium the tests are skipped locally
and fail in CI (``CI`` set), so a broken CI image is never silently green.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Error, Page

from ..conftest import serve

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-results"

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic", "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's hook fixture: launch the system chromium, not a downloaded one."""
    if not os.path.exists(CHROMIUM):
        message = f"chromium not found at {CHROMIUM}: apt-get install -y chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": CHROMIUM_ARGS, "timeout": 30_000}


@pytest.fixture(scope="session")
def live_server(fixture_index):
    """The web UI as ``python -m webui`` serves it: waitress, a free port, a daemon thread."""
    from webui import create_app

    # TESTING: no instance/webui.cfg, no SEARCH_* environment leaking into the tests.
    app = create_app({"INDEX_DIR": str(fixture_index), "TESTING": True})
    with serve(app) as url:
        yield url


@pytest.fixture(scope="session")
def base_url(live_server):
    """Relative ``page.goto("/search?...")`` URLs go to the live server."""
    return live_server


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A fixed viewport and an English browser, so the UI language is decided by the app.
    return {**browser_context_args, "viewport": {"width": 1000, "height": 700},
            "locale": "en-US"}


class BrowserErrors(list):
    """Console errors and uncaught page errors seen by a test's page."""

    def allow(self, fragment: str) -> None:
        """Forget the errors that contain ``fragment`` (an expected one, e.g. a 400)."""
        self[:] = [e for e in self if fragment not in e]


@pytest.fixture(autouse=True)
def browser_errors(request):
    """Every test with a browser ``page`` fails if the page logged a console error or threw.

    Tests without a page (plain HTTP or file checks) get an empty list and no browser.
    """
    errors = BrowserErrors()
    if "page" not in request.fixturenames:
        yield errors
        return
    page: Page = request.getfixturevalue("page")

    def on_console(message: ConsoleMessage) -> None:
        # Chromium fetches /favicon.ico once per browser, whichever test comes first; that
        # 404 is checked deterministically by test_the_site_has_an_icon instead.
        if message.type == "error" and not message.location.get("url", "").endswith(
                "/favicon.ico"):
            errors.append(f"console error on {page.url}: {message.text} "
                          f"({message.location.get('url', '')})")

    def on_pageerror(error: Error) -> None:
        errors.append(f"page error on {page.url}: {error.message}")

    page.on("console", on_console)
    page.on("pageerror", on_pageerror)
    yield errors
    assert not errors, "the browser reported errors:\n" + "\n".join(errors)
