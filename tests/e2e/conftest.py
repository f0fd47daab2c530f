"""A real `streamlit run app.py` and Debian's Chromium, driven by Playwright.

Without Chromium or Playwright these tests are skipped with the reason, so the README's test
command still passes on a laptop. CI sets GDLAB_REQUIRE_BROWSER=1, which turns that skip into a
failure: there, a missing browser must not pass quietly.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts.browser import CHROMIUM, ConsoleErrors, Server, launch, streamlit_server


def _missing_browser() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -r requirements-dev.txt)"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    missing = _missing_browser()
    if missing:
        if os.environ.get("GDLAB_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Browser tests are required here, but {missing}.")
        pytest.skip(f"Browser tests skipped: {missing}.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = launch(playwright)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def server(browser: object) -> Iterator[Server]:
    with streamlit_server() as running:
        yield running
        # Whatever a test did, the server must not have logged a traceback, an error or a
        # warning (Streamlit warns, with a stack, about misused widgets on every rerun).
        problems = [
            line
            for line in running.log().splitlines()
            if any(word in line for word in ("Traceback", "Error", "WARNING"))
        ]
        if problems:
            pytest.fail("The server logged:\n" + running.log())


@pytest.fixture(scope="session")
def app_url(server: Server) -> str:
    return server.url


@pytest.fixture
def context(browser):  # a fresh context per test: no state carried between tests
    fresh = browser.new_context(viewport={"width": 1440, "height": 1800}, accept_downloads=True)
    yield fresh
    fresh.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def console(page) -> ConsoleErrors:
    """What the page logs as errors from now on; a test asserts the list is empty."""
    return ConsoleErrors(page)
