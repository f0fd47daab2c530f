"""Render every page in headless Chromium and save PNGs under docs/ (or a folder given).

    python scripts/screenshots.py [out_dir] [query string]

Starts `streamlit run app.py` on a free loopback port, opens each page at a laptop width with
the same fixed settings (the seed story's defaults unless a query string is given), waits
until the script has finished and every chart is drawn, and writes one PNG per page.
Needs Debian's chromium at /usr/bin/chromium and the playwright package.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `scripts` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright

from scripts.browser import LAPTOP, PAGES, ROOT, launch, streamlit_server, wait_for_app

TALLEST = 3_000  # px; no page is longer, and a cap keeps a runaway page from a huge picture


def capture(page, out: Path) -> None:
    """The whole page at laptop width: Streamlit scrolls its main area itself, so the
    viewport grows to the content's height instead of relying on a full-page screenshot."""
    wait_for_app(page)
    height = page.evaluate(
        """() => document.querySelector('[data-testid="stMain"]').scrollHeight"""
    )
    page.set_viewport_size({"width": LAPTOP["width"], "height": min(max(height, 900), TALLEST)})
    wait_for_app(page)
    page.screenshot(path=out)
    page.set_viewport_size(LAPTOP)


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"
    query = sys.argv[2] if len(sys.argv) > 2 else ""
    out.mkdir(parents=True, exist_ok=True)
    with streamlit_server() as server, sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport=LAPTOP)
        for name, path in PAGES.items():
            page.goto(f"{server.url}/{path}{'?' + query if query else ''}")
            capture(page, out / f"{name}.png")
            print(f"wrote {out / f'{name}.png'}")
        browser.close()


if __name__ == "__main__":
    main()
