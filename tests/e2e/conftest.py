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

from scripts.screenshots import CHROMIUM, CHROMIUM_FLAGS, streamlit_server


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
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def app_url(browser: object) -> Iterator[str]:
    with streamlit_server() as url:
        yield url


@pytest.fixture
def page(browser, app_url):  # a fresh context per test: no state carried between tests
    context = browser.new_context(viewport={"width": 1440, "height": 1800})
    yield context.new_page()
    context.close()
