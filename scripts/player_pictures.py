"""The player's pictures in docs/: Fit mid-run, the arrows on the loss surface, the two modes.

    python scripts/player_pictures.py [out_dir]

Like screenshots.py, a real server and headless Chromium at laptop width, but each picture is
one chart with its controls, after the player has been driven: Play pressed and paused on
Fit, six steps on the surface with momentum from a start in the valley, where the gradient
points across it while the steps climb along it.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `scripts` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright

from scripts.browser import CHART, LAPTOP, ROOT, launch, streamlit_server, wait_for_app

# (file, page and settings, chart index on the page, button to press, presses, wait in ms,
# the epoch to put the slider at first: None leaves the player where it opens, at the end)
PICTURES = (
    ("player.png", "?optimizer=momentum&momentum=0.5", 0, "fit_play", 2, 1400, None),
    (
        "arrows.png",
        "parameters?optimizer=momentum&k0=2&b0=-3",
        3,
        "path_forward",
        6,
        0,
        0,  # the arrows are largest near the start
    ),
    ("modes.png", "loss", 2, None, 0, 0, None),
)


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"
    out.mkdir(parents=True, exist_ok=True)
    with streamlit_server() as server, sync_playwright() as playwright:
        browser = launch(playwright)
        # Tall enough that a chart with its panel and controls is never under the header.
        page = browser.new_page(viewport={"width": 1100, "height": 2 * LAPTOP["height"]})
        for name, address, chart, button, presses, wait, start in PICTURES:
            page.goto(f"{server.url}/{address}")
            wait_for_app(page)
            if start is not None:  # as an input event on the slider does
                page.locator(CHART).nth(chart).locator("input[name=epoch]").evaluate(
                    "(input, value) => { input.value = value; "
                    "input.dispatchEvent(new Event('input')); }",
                    start,
                )
            for press in range(presses):
                page.locator(f"input[name={button}]").click()
                if button.endswith("_play") and press == 0:
                    page.wait_for_timeout(wait)  # playing: Play, wait, Pause
            page.wait_for_timeout(300)
            element = page.locator(CHART).nth(chart)
            element.scroll_into_view_if_needed()
            element.screenshot(path=out / name)
            print(f"wrote {out / name}")
        browser.close()


if __name__ == "__main__":
    main()
