"""A class at once: 20 students, each with their own shared link, on one real server.

    python benchmarks/bench_load.py [--sessions 20]

Every student is a Playwright context (its own cookies and websocket, so its own Streamlit
session) in one headless Chromium. Each opens a different shared URL (its own seed, noise,
epochs and rates, starting on a different page), visits every other page through the sidebar,
moves the noise slider with the keyboard, and goes back to Fit. At every step it checks:

- every chart of the page is drawn (the count per page of scripts/browser.py),
- the address bar still holds its own parameters,
- on Fit, the k, b and loss shown equal gd_core's own run for its parameters (so no session
  sees another's data or results through a cache or a module global),
- no exception box and no console error.

All of that is done first by one student alone, then by all of them at once. Reported: the
median and the worst page-render time (click or key press to every chart drawn) under load as
ratios against the lone student; the server's memory before, at its peak and after; any error
the server logged. The machine is shared: the 20 browser tabs and the server use the same
2 cores, so the ratio measures the whole classroom on one computer, not the server alone.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlparse

import measure  # first: puts the repository on sys.path
from playwright.async_api import async_playwright
from students import NAMES, Student

from scripts.browser import (
    CHART,
    CHARTS_PER_PAGE,
    CHROMIUM,
    CHROMIUM_FLAGS,
    LAPTOP,
    PAGES,
    ConsoleErrors,
    open_page_from_sidebar_async,
    streamlit_server,
    wait_for_app_async,
)

TIMEOUT_MS = 240_000  # 20 sessions on 2 cores: a page can take a while, it must not fail
MEMORY_PER_SESSION_MB = 30  # the per-session bound of issue 5; the server must stay under
OPEN, SWITCH, MOVE = "open the link", "switch page", "move a slider"
KINDS = (OPEN, SWITCH, MOVE)


@dataclass
class Visit:
    """What one student saw: seconds per page render, and anything wrong."""

    times: dict[str, list[float]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    problems: list[str] = field(default_factory=list)


async def check_page(page, student: Student, name: str, noise: float, visit: Visit) -> None:
    charts = page.locator(CHART)
    drawn = page.locator(f"{CHART} canvas, {CHART} svg")
    if await charts.count() != CHARTS_PER_PAGE[name] or await drawn.count() < await charts.count():
        visit.problems.append(f"{name}: {await drawn.count()} of {CHARTS_PER_PAGE[name]} charts")
    if await page.get_by_test_id("stException").count():
        visit.problems.append(f"{name}: an exception is shown")
    query = {key: values[0] for key, values in parse_qs(urlparse(page.url).query).items()}
    own = student.query | {"noise": f"{noise:.1f}"}
    if any(not _same(query.get(key), value) for key, value in own.items()):
        visit.problems.append(f"{name}: the address shows {query}, not its own {own}")
    if name == "fit":
        shown = await page.get_by_test_id("stMetricValue").all_inner_texts()
        expected = student.expected_metrics(noise)
        if shown != expected:
            visit.problems.append(f"fit at noise {noise}: shows {shown}, gd_core gives {expected}")


def _same(shown: str | None, own: str) -> bool:
    """The same URL value: after a slider move the browser may write 2.0 as "2"."""
    try:
        return float(shown) == float(own)
    except (TypeError, ValueError):
        return shown == own


async def timed(visit: Visit, kind: str, action) -> None:
    start = time.perf_counter()
    await action
    visit.times[kind].append(time.perf_counter() - start)


async def _open(page, address: str) -> None:
    await page.goto(address, timeout=TIMEOUT_MS)
    await wait_for_app_async(page, TIMEOUT_MS)


async def _move_noise(page, expected: list[str]) -> None:
    slider = page.locator('[data-testid="stSidebar"] [data-testid="stSlider"]')
    await slider.filter(has_text="Noise σ").get_by_role("slider").press("ArrowRight")
    await page.wait_for_function(
        """expected => JSON.stringify([...document.querySelectorAll(
               '[data-testid="stMetricValue"]')].map(metric => metric.innerText))
           === JSON.stringify(expected)""",
        arg=expected,
        timeout=TIMEOUT_MS,
    )
    await wait_for_app_async(page, TIMEOUT_MS)


async def attend(browser, url: str, student: Student) -> Visit:
    """One student's whole visit, checked at every step."""
    visit = Visit()
    context = await browser.new_context(viewport=LAPTOP)
    page = await context.new_page()
    console = ConsoleErrors(page)
    noise = float(student.query["noise"])
    try:
        query = "&".join(f"{key}={value}" for key, value in student.query.items())
        address = f"{url}/{PAGES[student.first_page]}?{query}"
        await timed(visit, OPEN, _open(page, address))
        await check_page(page, student, student.first_page, noise, visit)
        first = NAMES.index(student.first_page)
        order = NAMES[first + 1 :] + NAMES[:first]
        for name in order:
            await timed(visit, SWITCH, open_page_from_sidebar_async(page, name, TIMEOUT_MS))
            await check_page(page, student, name, noise, visit)
        if order[-1] != "fit":
            await timed(visit, SWITCH, open_page_from_sidebar_async(page, "fit", TIMEOUT_MS))
        # On Fit, a keyboard move of the noise slider: new data and a new run, for this
        # student only. It is done when Fit shows gd_core's numbers for the new noise; under
        # load the rerun may start later than any fixed wait, so the numbers are the signal.
        noise = round(noise + 0.1, 1)
        await timed(visit, MOVE, _move_noise(page, student.expected_metrics(noise)))
        await check_page(page, student, "fit", noise, visit)
    except Exception as error:  # a timeout or a missing element: a failed visit, reported
        visit.problems.append(f"stopped: {type(error).__name__}: {error}".splitlines()[0])
    visit.problems += [f"console: {message}" for message in console.errors]
    await context.close()
    return visit


def _times(visit: Visit, kind: str) -> list[float]:
    if kind == "every render":
        return [t for times in visit.times.values() for t in times]
    return visit.times[kind]


def sample_memory(server, readings: list[float], stop: threading.Event) -> None:
    while not stop.is_set():
        readings.append(server.resident_mb())
        stop.wait(0.5)


@dataclass
class Load:
    """What one load run measured."""

    sessions: int
    alone: Visit
    visits: list[Visit]
    elapsed: float
    server_cpu: float
    machine_cpu: float
    before: float
    readings: list[float]
    after: float
    logged: list[str]


async def class_at_once(sessions: int) -> Load:
    """One student alone, then `sessions` at once, on one fresh server."""
    with streamlit_server() as server:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_FLAGS
            )
            # The first run of a fresh server imports Altair and pandas; not part of any visit.
            await attend(browser, server.url, Student(1000))
            alone = await attend(browser, server.url, Student(2000))
            before = server.resident_mb()
            readings: list[float] = []
            stop = threading.Event()
            sampler = threading.Thread(target=sample_memory, args=(server, readings, stop))
            sampler.start()
            start = time.perf_counter()
            server_cpu, machine_cpu = measure.cpu_seconds(server.process.pid), measure.cpu_seconds()
            visits = await asyncio.gather(
                *(attend(browser, server.url, Student(i)) for i in range(sessions))
            )
            elapsed = time.perf_counter() - start
            server_cpu = measure.cpu_seconds(server.process.pid) - server_cpu
            machine_cpu = measure.cpu_seconds() - machine_cpu
            stop.set()
            sampler.join()
            after = server.resident_mb()
            await browser.close()
        logged = [
            line
            for line in server.log().splitlines()
            if any(word in line for word in ("Traceback", "Error", "WARNING"))
        ]
    return Load(
        sessions, alone, visits, elapsed, server_cpu, machine_cpu, before, readings, after, logged
    )


def report(load: Load) -> int:
    """Print what the students saw and the server did; 1 if anything failed."""
    sessions, alone, visits = load.sessions, load.alone, load.visits
    elapsed, server_cpu, machine_cpu = load.elapsed, load.server_cpu, load.machine_cpu
    before, readings, after, logged = load.before, load.readings, load.after, load.logged
    problems = [f"student {i}: {p}" for i, v in enumerate(visits) for p in v.problems]
    problems += [f"alone: {p}" for p in alone.problems]
    print(f"Page-render seconds, one student alone and {sessions} at once (median / worst)")
    ratios = {}
    for kind in (*KINDS, "every render"):
        lone = _times(alone, kind)
        crowd = [t for visit in visits for t in _times(visit, kind)]
        ratios[kind] = (
            statistics.median(crowd) / statistics.median(lone),
            max(crowd) / max(lone),
        )
        print(
            f"  {kind:<14} alone {statistics.median(lone):5.2f} / {max(lone):5.2f}"
            f"   at once {statistics.median(crowd):5.2f} / {max(crowd):6.2f}"
            f"   ratio {ratios[kind][0]:4.1f}× / {ratios[kind][1]:4.1f}×   ({len(crowd)} renders)"
        )
    print(
        f"CPU over those {elapsed:.0f} s: the server {server_cpu:.0f} s, everything else "
        f"(Chromium's {sessions} tabs, this script) {machine_cpu - server_cpu:.0f} s, "
        f"of {os.cpu_count() * elapsed:.0f} s on {os.cpu_count()} cores"
    )
    renders = sum(len(_times(visit, "every render")) for visit in visits)
    print(f"  server CPU per page render: {server_cpu / renders:.2f} s")
    print(f"Server memory: {before:.0f} MB before, peak {max(readings):.0f} MB, {after:.0f} after")
    print(f"Server log lines with Traceback, Error or WARNING: {len(logged)}")
    for line in logged[:10]:
        print(f"  {line}")
    print(f"Problems seen by the students: {len(problems)}")
    for problem in problems[:20]:
        print(f"  {problem}")
    print()
    median_ratio, worst_ratio = ratios["every render"]
    print(f"  median page render, {sessions} at once / alone: {median_ratio:.1f}×")
    print(f"  worst page render, {sessions} at once / alone:  {worst_ratio:.1f}×")
    bound = before + sessions * MEMORY_PER_SESSION_MB
    measure.report("server memory peak (MB)", max(readings), bound, False)
    measure.report("students who saw a problem", len({p.split(":")[0] for p in problems}), 0, False)
    measure.report("server log lines: Traceback, Error, WARNING", len(logged), 0, False)
    return measure.summary()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    return report(asyncio.run(class_at_once(parser.parse_args().sessions)))


if __name__ == "__main__":
    raise SystemExit(main())
