"""Render every page in headless Chromium and save PNGs under docs/ (or a folder given).

    python scripts/screenshots.py [out_dir] [query string] [--dark] [--phone] [--pages a,b]

Starts `streamlit run app.py` on a free loopback port, opens each page with the same fixed
settings (the seed story's defaults unless a query string is given), waits until the script has
finished and every chart is drawn, and writes one PNG per page: `<page>.png` at a laptop width
in the light theme; with --dark the system theme is dark (`dark-<page>.png`), with --phone the
window is a 390 px touch screen (`phone-<page>.png`, or `phone-dark-<page>.png` with both).
Needs Debian's chromium at /usr/bin/chromium and the playwright package.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `scripts` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright

from scripts.browser import LAPTOP, PAGES, PHONE, ROOT, launch, streamlit_server, wait_for_app

TALLEST = 4_000  # px; no page is longer, and a cap keeps a runaway page from a huge picture


def capture(page, out: Path, size: dict[str, int]) -> None:
    """The whole page at the window's width: Streamlit scrolls its main area itself, so the
    viewport grows to the content's height instead of relying on a full-page screenshot."""
    wait_for_app(page)
    height = page.evaluate(
        """() => document.querySelector('[data-testid="stMain"]').scrollHeight"""
    )
    page.set_viewport_size(
        {"width": size["width"], "height": min(max(height, size["height"]), TALLEST)}
    )
    wait_for_app(page)
    page.screenshot(path=out)
    page.set_viewport_size(size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "docs")
    parser.add_argument("query", nargs="?", default="")
    parser.add_argument("--dark", action="store_true", help="the system theme is dark")
    parser.add_argument("--phone", action="store_true", help="a 390×844 touch screen")
    parser.add_argument("--pages", default=",".join(PAGES), help="page names, comma-separated")
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)
    size = PHONE if options.phone else LAPTOP
    prefix = ("phone-" if options.phone else "") + ("dark-" if options.dark else "")
    with streamlit_server() as server, sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(
            viewport=size,
            color_scheme="dark" if options.dark else "light",
            is_mobile=options.phone,
            has_touch=options.phone,
        )
        for name in options.pages.split(","):
            query = f"?{options.query}" if options.query else ""
            page.goto(f"{server.url}/{PAGES[name]}{query}")
            target = options.out / f"{prefix}{name}.png"
            capture(page, target, size)
            print(f"wrote {target}")
        browser.close()


if __name__ == "__main__":
    main()
