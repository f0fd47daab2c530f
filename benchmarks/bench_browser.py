"""Interaction speed and per-session memory, in Chromium against a real `streamlit run`.

    python benchmarks/bench_browser.py

1. Interaction: for each page with charts, the time from a keyboard move of the sidebar's
   noise slider to the last change inside any chart of the page, median of 10 moves, as a
   ratio against benchmarks/bare_app.py (one slider, one Altair chart) measured the same way
   right before each page (the machine's load drifts; each ratio compares moves a minute
   apart). Target: at most 2×. Every move asks for a noise never computed before
   (each page starts at its own seed), so no figure is a cache hit. "server ms" is the same
   moves' answer time without a browser: a websocket client that speaks Streamlit's protocol
   (scripts/class_client.py) moves the slider by the same steps from another seed, and times
   the rerun request to `script_finished` (the script run, its computations and sending).
   "browser ms" is the median minus that: what drawing the answer costs. (The websocket
   frames Chromium reports through CDP are stamped on the page's main thread, so a busy page
   delays them: they cannot tell the two apart.) The "app shell" row, not a page and not held
   to the bar, is benchmarks/shell_app.py: app.py's sidebar, navigation and notices around the
   bare page's one chart, measured the same way. It is what every page pays before its own
   content, so a page's ratio cannot fall below the shell's.
2. Memory: the server's resident memory after 10 sessions (browser contexts, each at its own
   seed) have each visited every page, minus after the first, divided by 9. Target: < 30 MB.

Needs Debian's chromium at /usr/bin/chromium and the playwright package.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import statistics
import sys
import time

import measure  # first: puts the repository on sys.path
from playwright.sync_api import sync_playwright

from scripts.browser import (
    LAPTOP,
    PAGES,
    launch,
    open_page_from_sidebar,
    sidebar_slider,
    streamlit_server,
    wait_for_app,
)
from scripts.class_client import Session

MOVES = 10
NOISE, NOISE_STEP = "noise", 0.1  # the slider's key and its step (one arrow key)
SERVER_SEED = 1000  # the protocol client's seeds: none of the browser's cached runs
SESSIONS = 10
QUIET_MS = 400  # no chart change for this long, and the rerun over: the move is done
CHARTED = {name: path for name, path in PAGES.items() if name != "lessons"}

# Times every keydown and every change inside a chart, in page time: a change to an SVG chart's
# DOM, or a repaint of a canvas chart (Vega clears its canvas before each render). The end of a
# rerun is not a usable mark: a fast rerun can flip the app's script state to running and back
# within one render, leaving no trace in the DOM.
TIMING = """
window.__gdlab = {pressed: 0, drawn: 0};
addEventListener("keydown", () => { __gdlab.pressed = performance.now(); }, true);
const clearRect = CanvasRenderingContext2D.prototype.clearRect;
CanvasRenderingContext2D.prototype.clearRect = function (...args) {
  if (this.canvas.closest?.('[data-testid="stVegaLiteChart"]')) __gdlab.drawn = performance.now();
  return clearRect.apply(this, args);
};
new MutationObserver((records) => {
  for (const record of records) {
    const node = record.target.nodeType === 1 ? record.target : record.target.parentElement;
    if (node && node.closest('[data-testid="stVegaLiteChart"]')) {
      __gdlab.drawn = performance.now();
      return;
    }
  }
}).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
"""
SETTLED = f"""() => __gdlab.drawn > __gdlab.pressed
    && performance.now() - __gdlab.drawn > {QUIET_MS}
    && document.querySelector('[data-testid="stApp"]').dataset.testScriptState === "notRunning"
"""


def move_times(page, url: str) -> list[float]:
    """Milliseconds from keydown to the last change in the page's charts, for MOVES moves
    after one that warms the page up."""
    page.goto(url)
    wait_for_app(page)
    times = []
    for move in range(MOVES + 1):
        sidebar_slider(page, "Noise σ").focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(SETTLED, timeout=60_000)
        pressed, drawn = page.evaluate("() => [__gdlab.pressed, __gdlab.drawn]")
        if move:
            times.append(drawn - pressed)
    return times


def server_times(base_url: str, path: str, seed: int) -> list[float]:
    """Milliseconds the server takes to answer the same moves (MOVES after a warm-up, one
    slider step each, from the noise the page opens with), with no browser drawing them."""

    async def moves() -> list[float]:
        session = Session(base_url, path, {"seed": str(seed)})
        shown = await session.open()
        noise = shown.sliders[NOISE][1][0]
        times = []
        for move in range(MOVES + 1):
            noise = round(noise + NOISE_STEP, 10)
            shown = await session.set_slider(NOISE, noise, shown)
            if move:
                times.append(1000 * shown.seconds)
        await session.close()
        return times

    # Playwright's sync API keeps an event loop in this thread: the client gets its own.
    with concurrent.futures.ThreadPoolExecutor(1) as worker:
        return worker.submit(asyncio.run, moves()).result()


def interaction(browser) -> float:
    context = browser.new_context(viewport=LAPTOP)
    context.add_init_script(TIMING)
    page = context.new_page()
    print(f"Keyboard move of the noise slider to charts drawn, median of {MOVES} moves")
    print("  (server: the same moves answered to a client that draws nothing; browser: the rest;")
    print("   bare ms: the bare page's median measured just before the page, its ratio's base)")
    header = f"  {'page':<12} {'charts':>6} {'median ms':>10} {'worst ms':>9} {'bare ms':>8}"
    print(f"{header} {'ratio':>6} {'server ms':>10} {'browser ms':>11}")

    def row(name: str, charts: int, times: list[float], server: list[float], bare: float) -> float:
        median, on_server = statistics.median(times), statistics.median(server)
        in_browser = median - on_server
        ratio = median / bare
        print(
            f"  {name:<12} {charts:>6} {median:>10.0f} {max(times):>9.0f} {bare:>8.0f} "
            f"{ratio:>6.2f} {on_server:>10.0f} {in_browser:>11.0f}"
        )
        return ratio

    worst_ratio = 0.0
    # Both servers run throughout, and the bare page is measured again right before each page:
    # on a shared machine the load changes from minute to minute, and a bare page timed once
    # at the start read 62 ms in one run and 186 ms in another.
    with (
        streamlit_server("benchmarks/bare_app.py") as bare,
        streamlit_server("benchmarks/shell_app.py") as shell,
        streamlit_server() as app,
    ):
        bare_times = move_times(page, bare.url)
        bare_server = server_times(bare.url, "", SERVER_SEED)
        row("bare page", 1, bare_times, bare_server, statistics.median(bare_times))
        bare_ms = statistics.median(move_times(page, bare.url))
        shell_times = move_times(page, f"{shell.url}/?seed={len(CHARTED) + 1}")
        row("app shell", 1, shell_times, server_times(shell.url, "", SERVER_SEED), bare_ms)
        for seed, (name, path) in enumerate(CHARTED.items(), start=1):
            bare_ms = statistics.median(move_times(page, bare.url))
            times = move_times(page, f"{app.url}/{path}?seed={seed}")
            server = server_times(app.url, path, SERVER_SEED + seed)
            charts = page.locator('[data-testid="stVegaLiteChart"]').count()
            worst_ratio = max(worst_ratio, row(name, charts, times, server, bare_ms))
    print("  (Lessons draws no chart, and the sidebar does not change it. The app shell is not a")
    print("   page: the sidebar and navigation around the bare chart, the floor under every page.)")
    context.close()
    return worst_ratio


def memory(browser) -> float:
    """MB of server memory per extra session, each visiting every page."""
    print(f"\nServer memory, {SESSIONS} sessions each visiting all {len(PAGES)} pages")
    contexts, readings = [], []
    with streamlit_server() as app:
        print(f"  before any session: {app.resident_mb():.0f} MB")
        for seed in range(1, SESSIONS + 1):
            context = browser.new_context(viewport=LAPTOP)
            page = context.new_page()
            page.goto(f"{app.url}/?seed={seed}")
            wait_for_app(page)
            for name in list(PAGES)[1:]:
                open_page_from_sidebar(page, name)
            contexts.append(context)  # kept open: the session stays alive on the server
            time.sleep(1)
            readings.append(app.resident_mb())
            print(f"  after {seed:>2} session{'s' if seed > 1 else ' '}: {readings[-1]:.0f} MB")
        for context in contexts:
            context.close()
    per_session = (readings[-1] - readings[0]) / (SESSIONS - 1)
    print(f"  (after {SESSIONS} − after 1) / {SESSIONS - 1} = {per_session:.1f} MB per session")
    return per_session


def main() -> int:
    with sync_playwright() as playwright:
        browser = launch(playwright)
        worst_ratio = interaction(browser)
        per_session = memory(browser)
        browser.close()
    print()
    measure.report("worst page, interaction time / bare page (×)", worst_ratio, 2, False)
    measure.report("server memory per session (MB)", per_session, 30, False)
    return measure.summary()


if __name__ == "__main__":
    sys.exit(main())
