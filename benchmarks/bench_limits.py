"""The worst case one student can ask for: rerun time and the server's peak memory.

    python benchmarks/bench_limits.py

For each of the most expensive settings the controls allow (ui/budget.py refuses anything
costlier), a fresh `streamlit run` serves one browser session. After a warm-up visit at the
defaults (a new server's first run spends seconds importing Altair and pandas), the session
opens the setting's URL, then makes reruns that must train anew: a keyboard move of the noise
slider (new data), or for the upload case the upload itself. Then it visits every page through
the sidebar. Each rerun is timed from the key press, upload or click to every chart drawn.
Opening the URL is shown too, but it is a page load (HTML, scripts, a new session), not a rerun.
The server's peak resident memory (VmHWM) is read at the end: the whole process, Python and
Streamlit included, serving exactly one session.
Targets (issue 6): no rerun over 5 s; peak memory under 300 MB.
"""

from __future__ import annotations

import time

import measure  # first: puts the repository on sys.path
import numpy as np
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
from ui.plain.csv_cells import MAX_UPLOAD_ROWS

# The largest full-batch run, and mini-batch runs at the edge of the budget.
SETTINGS = {
    "1e6 epochs, Adam + cosine, 100k points": (
        "n=100000&epochs=1000000&optimizer=adam&schedule=cosine"
    ),
    "20 epochs of batch 1, Adam, 100k points": "n=100000&epochs=20&batch=1&optimizer=adam",
    "1,000 epochs of batch 1024, Adam, 100k points": (
        "n=100000&epochs=1000&batch=1024&optimizer=adam"
    ),
    "100,000 epochs of batch 8, Adam, 10 points": "n=10&epochs=100000&batch=8&optimizer=adam",
    "Compare: 500,000 epochs, 100k points": "n=100000&epochs=500000",
}
UPLOAD = "5 MB upload (100k rows), 1e6 epochs, Adam"
UPLOAD_QUERY = "epochs=1000000&optimizer=adam"


def largest_upload() -> bytes:
    """A file at the upload limits: 100,000 rows of full-precision numbers, about 5 MB."""
    x = np.random.default_rng(0).uniform(0, 10, MAX_UPLOAD_ROWS - 1)
    rows = "".join(f"{a:.17g},{2 * a + 1:.17g}\n" for a in x)
    return f"x,y\n{rows}".encode()


def visit_every_page(page, first: str) -> dict[str, float]:
    """Seconds per page, from the sidebar click to every chart drawn."""
    times = {}
    for name in PAGES:
        if name == first:
            continue
        start = time.perf_counter()
        open_page_from_sidebar(page, name)
        times[name] = time.perf_counter() - start
    return times


def warm_up(browser, url: str) -> None:
    """One visit at the defaults, closed before measuring: a fresh server spends its first run
    importing Altair and pandas, which is a cost of starting, not of any setting."""
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.goto(url)
    wait_for_app(page, timeout=120_000)
    context.close()


def one_session(
    browser, query: str, upload: bytes | None = None
) -> tuple[float, dict[str, float], float]:
    """Seconds to open the URL, seconds per rerun, and the server's peak memory in MB."""
    with streamlit_server() as server:
        warm_up(browser, server.url)
        context = browser.new_context(viewport=LAPTOP)
        page = context.new_page()
        start = time.perf_counter()
        page.goto(f"{server.url}/?{query}")
        wait_for_app(page, timeout=120_000)
        opened = time.perf_counter() - start
        times = {}
        if upload is None:
            start = time.perf_counter()
            sidebar_slider(page, "Noise σ").press("ArrowRight")
            wait_for_app(page, timeout=120_000)
            times["noise move (fit)"] = time.perf_counter() - start
        else:
            start = time.perf_counter()
            page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
                files=[{"name": "largest.csv", "mimeType": "text/csv", "buffer": upload}]
            )
            wait_for_app(page, timeout=120_000)
            times["upload (fit)"] = time.perf_counter() - start
        times |= visit_every_page(page, "fit")
        errors = [line for line in server.log().splitlines() if "Traceback" in line]
        assert not errors, server.log()
        assert page.get_by_test_id("stException").count() == 0
        peak = server.peak_mb()
        context.close()
    return opened, times, peak


def main() -> int:
    worst_time, worst_memory = 0.0, 0.0
    cases = [(name, query, None) for name, query in SETTINGS.items()]
    cases.append((UPLOAD, UPLOAD_QUERY, largest_upload()))
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for name, query, upload in cases:
            opened, times, peak = one_session(browser, query, upload)
            slowest = max(times, key=times.get)
            print(f"\n{name}  (?{query})")
            print(f"  open the URL {opened:.2f}s (a page load)")
            print("  " + "  ".join(f"{page} {seconds:.2f}s" for page, seconds in times.items()))
            print(f"  slowest: {slowest} {times[slowest]:.2f} s; server peak memory {peak:.0f} MB")
            worst_time, worst_memory = max(worst_time, times[slowest]), max(worst_memory, peak)
        browser.close()
    print()
    measure.report("slowest rerun at the worst settings (s)", worst_time, 5, False)
    measure.report("server peak memory, one session (MB)", worst_memory, 300, False)
    return measure.summary()


if __name__ == "__main__":
    raise SystemExit(main())
