"""Where a slider move's browser time goes, page by page: what bench_browser.py times, taken apart.

    python benchmarks/profile_browser.py [page ...]

For the bare page (benchmarks/bare_app.py), the app's shell around the bare chart
(benchmarks/shell_app.py), each page with charts and Lessons (the same sidebar, no chart), the
same keyboard moves of the noise slider as bench_browser.py, while Chromium records a trace.
It prints, per move:

- "CPU ms": the thread time of the page's main thread (Chromium's renderer main thread, where
  Streamlit's React, Arrow, Vega and layout all run), and its ratio to the bare page's. Thread
  time, not wall time: on a shared 2-core machine the wall clock also counts the time other
  processes held the core (a move's wall time varied 3× between runs here, its CPU time ~10 %);
- "GC ms" of it, and the forced ("Layout") and styled ("UpdateLayoutTree") work;
- "frames" and "KB": the websocket messages the rerun sent (Streamlit sends one per element, so
  frames counts the elements the page redraws) and their size;
- "vega ms": the page's charts' own Vega work for one update (below), summed.

Then, per chart, what Vega holds and what one data update costs it: the renderer, the marks and
scenegraph items, the rows of each named dataset, the signals, and "vega ms": the fastest of
UPDATES replacements of every dataset with its rows' numbers moved by 1-2 %, run, rendered and
laid out (what a rerun asks of Vega, without Streamlit's own work around it).

No target: bench_browser.py holds the bar. Needs Debian's chromium and the playwright package.
"""

from __future__ import annotations

import collections
import json
import sys

import measure  # noqa: F401  (first: puts the repository on sys.path)
from bench_browser import CHARTED, NOISE, SETTLED, TIMING
from playwright.sync_api import sync_playwright

from scripts.browser import (
    CHART,
    LAPTOP,
    PAGES,
    launch,
    sidebar_slider,
    streamlit_server,
    wait_for_app,
)

MOVES = 6
CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8"]
GC_EVENTS = {"MinorGC", "MajorGC"}
UPDATES = 15  # data updates per chart: the fastest is the least disturbed by other work

# Each chart's Vega view, found through React's fiber of Streamlit's chart element (the view is
# held in a ref of its hooks), and the names of the datasets Streamlit sent for it.
FIND_VIEWS = """() => {
  const found = [];
  for (const chart of document.querySelectorAll('[data-testid="stVegaLiteChart"]')) {
    const key = Object.keys(chart).find(name => name.startsWith('__reactFiber'));
    let view = null, names = [];
    for (let fiber = chart[key], up = 0; fiber && up < 40; fiber = fiber.return, up++) {
      const element = fiber.memoizedProps?.element;
      if (element?.datasets && !names.length) names = element.datasets.map(d => d.name);
      for (let hook = fiber.memoizedState; hook && !view; hook = hook.next) {
        const ref = hook.memoizedState;
        if (ref?.current?.runAsync && ref.current._runtime) view = ref.current;
      }
      if (view && names.length) break;
    }
    found.push({view, names});
  }
  window.__profiled = found;
  return found.length;
}"""

VEGA_COST = """async updates => {
  const report = [];
  for (const {view, names} of window.__profiled) {
    if (!view) { report.push(null); continue; }
    let marks = 0, items = 0;
    const walk = node => {
      if (node.marktype) marks += 1;
      for (const item of node.items || []) { items += 1; walk(item); }
    };
    walk(view.scenegraph().root);
    const rows = {};
    for (const name of names) {
      try {
        rows[name] = view.data(name).map(row => ({...row}));
      } catch {
        rows[name] = null;
      }
    }
    // A rerun brings new values: Vega's SVG renderer writes only the attributes that changed,
    // so rows copied as they are would leave out the DOM writes a real update pays. Every
    // fractional number moves by 1 % or 2 % in turn; integers (epochs, frames) stay.
    const moved = (value, i) =>
      typeof value === 'number' && !Number.isInteger(value) ? value * (1.01 + i % 2 / 100) : value;
    const nudged = (row, i) =>
      Object.fromEntries(Object.entries(row).map(([key, value]) => [key, moved(value, i)]));
    const times = [];
    for (let i = 0; i < updates; i++) {
      const start = performance.now();
      for (const name of names) {
        if (rows[name]?.length) view.data(name, rows[name].map(row => nudged(row, i)));
      }
      await view.resize().runAsync();
      document.body.offsetHeight;  // and the style and layout the new DOM needs
      times.push(performance.now() - start);
    }
    report.push({
      renderer: view._renderType, marks, items,
      // A dataset sent without a name (st.altair_chart's) has another name inside Vega.
      rows: Object.fromEntries(
        names.map(name => [rows[name] ? name : 'unnamed', rows[name]?.length ?? 0])),
      signals: Object.keys(view._signals).length,
      ms: Math.min(...times),
    });
  }
  return report;
}"""


def trace_moves(browser, page, sizes: list[int]) -> dict[str, float]:
    """Thread milliseconds of the main thread's work per move, by kind, over MOVES moves after
    a warm-up; `sizes` collects the page's websocket messages meanwhile."""

    charted = page.locator(CHART).count() > 0

    def move() -> None:
        sidebar_slider(page, "Noise σ").focus()
        page.keyboard.press("ArrowRight")
        if charted:
            page.wait_for_function(SETTLED, timeout=60_000)
        else:  # no chart to watch: the rerun over (thread time counts the work, not the wait)
            wait_for_app(page)

    move()
    sizes.clear()
    browser.start_tracing(page=page, categories=CATEGORIES)
    for _ in range(MOVES):
        move()
    events = json.loads(browser.stop_tracing())["traceEvents"]
    threads = {
        (e["pid"], e["tid"]) for e in events if e.get("args", {}).get("name") == "CrRendererMain"
    }
    spent: collections.Counter[str] = collections.Counter()
    for event in events:
        if (event["pid"], event["tid"]) in threads and event.get("ph") == "X":
            name = "GC" if event["name"] in GC_EVENTS else event["name"]
            spent[name] += event.get("tdur", event.get("dur", 0)) / 1000 / MOVES
    return spent


def profile(browser, url: str) -> tuple[dict[str, float], list[int], list[dict | None]]:
    context = browser.new_context(viewport=LAPTOP)
    context.add_init_script(TIMING)
    page = context.new_page()
    sizes: list[int] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda p: sizes.append(len(p))))
    page.goto(url)
    wait_for_app(page)
    spent = trace_moves(browser, page, sizes)
    page.evaluate(FIND_VIEWS)
    charts = page.evaluate(VEGA_COST, UPDATES)
    context.close()
    return spent, sizes, charts


def main(names: list[str]) -> int:
    # Lessons draws no chart: what the sidebar and a page of text cost a move.
    everything = CHARTED | {"lessons": PAGES["lessons"]}
    pages = {name: PAGES[name] for name in names} if names else everything
    print(f"Main-thread work per keyboard move of the {NOISE} slider, {MOVES} moves per page")
    print(
        f"  {'page':<12} {'CPU ms':>7} {'ratio':>6} {'GC ms':>6} {'layout':>7} {'style':>6} "
        f"{'frames':>7} {'KB':>6} {'vega ms':>8}"
    )
    details = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        with streamlit_server("benchmarks/bare_app.py") as bare:
            results = {"bare page": profile(browser, bare.url)}
        with streamlit_server("benchmarks/shell_app.py") as shell:  # see bench_browser.py
            results["app shell"] = profile(browser, f"{shell.url}/?seed={len(pages) + 1}")
        with streamlit_server() as app:
            for seed, (name, path) in enumerate(pages.items(), start=1):
                results[name] = profile(browser, f"{app.url}/{path}?seed={seed}")
        browser.close()
    bare_cpu = results["bare page"][0]["RunTask"]
    for name, (spent, sizes, charts) in results.items():
        cpu = spent["RunTask"]
        print(
            f"  {name:<12} {cpu:>7.0f} {cpu / bare_cpu:>6.2f} {spent['GC']:>6.1f} "
            f"{spent['Layout']:>7.1f} {spent['UpdateLayoutTree']:>6.1f} "
            f"{len(sizes) / MOVES:>7.0f} {sum(sizes) / MOVES / 1024:>6.0f} "
            f"{sum(chart['ms'] for chart in charts if chart):>8.1f}"
        )
        details.append((name, charts))
    print(f"\nPer chart: what Vega holds, and one data update's cost to it (fastest of {UPDATES})")
    for name, charts in details:
        for index, chart in enumerate(charts):
            if chart is None:
                print(f"  {name:<12} chart {index}: no Vega view found")
                continue
            rows = ", ".join(f"{key} {value}" for key, value in chart["rows"].items())
            print(
                f"  {name:<12} chart {index}: {chart['renderer']:<6} {chart['marks']:>3} marks "
                f"{chart['items']:>5} items {chart['signals']:>3} signals "
                f"vega {chart['ms']:>5.1f} ms  rows: {rows}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
