"""A real `streamlit run` server and Debian's Chromium: shared by tests/e2e, benchmarks, pictures.

Playwright's own browser download does not work here, so Chromium is Debian's package at
/usr/bin/chromium, started with flags that keep it off the (closed) network.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script too (benchmarks, screenshots)
from ui import registry  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LAPTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}  # a 6.1-inch phone held upright, in CSS pixels
# A phone's own user agent. Streamlit 1.67 closes the sidebar after a page is picked only
# when the user agent names a mobile device (its frontend parses navigator.userAgent), not
# by the window's width: a 390 px context with Chromium's desktop agent kept it open.
PHONE_USER_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
# axe-core from npm (package.json, installed by `npm ci` in .ci/run), injected into pages.
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# The rules axe checks: WCAG 2.0, 2.1 and 2.2 at levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Every page of app.py (ui/registry/), by name: its path under the server's root, its title
# in the navigation, its own title (the mark that a page switch has reached it), and how many
# charts it draws at the defaults (a chart that silently vanishes shows here).
_REGISTERED = {Path(page.file).stem: page for page in registry.PAGES}
PAGES = {name: page.url_path for name, page in _REGISTERED.items()}
SIDEBAR_TITLES = {name: page.title for name, page in _REGISTERED.items()}
HEADINGS = {name: page.heading for name, page in _REGISTERED.items()}
CHART = '[data-testid="stVegaLiteChart"]'
CHARTS_PER_PAGE = {name: page.charts for name, page in _REGISTERED.items()}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """A running server: its base URL, its process (for memory readings) and its log."""

    url: str
    process: subprocess.Popen
    _log: IO[bytes]

    def log(self) -> str:
        self._log.flush()
        self._log.seek(0)
        return self._log.read().decode(errors="replace")

    def resident_mb(self) -> float:
        """The server's resident memory now (VmRSS), in MB."""
        return self._status_mb("VmRSS")

    def peak_mb(self) -> float:
        """The most resident memory the server has had so far (VmHWM), in MB."""
        return self._status_mb("VmHWM")

    def _status_mb(self, field: str) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kilobytes = int(re.search(rf"{field}:\s+(\d+) kB", status).group(1))
        return kilobytes / 1024


@contextlib.contextmanager
def streamlit_server(
    script: str | Path = "app.py",
    env: Mapping[str, str] | None = None,
    python: str | Path = sys.executable,
) -> Iterator[Server]:
    """`streamlit run script` on a free loopback port; stopped by its process id on exit."""
    port = free_port()
    command = [str(python), "-m", "streamlit", "run", str(script)]
    command += ["--server.headless", "true", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1"]
    environment = os.environ | {"STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"} | dict(env or {})
    # A file, not a pipe: nobody reads the log while the server runs, and a full pipe stalls it.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT
        )
        server = Server(f"http://127.0.0.1:{port}", process, log)
        try:
            _wait_until_healthy(server)
            yield server
        finally:
            process.terminate()
            process.wait(timeout=20)


def _wait_until_healthy(server: Server, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline or server.process.poll() is not None:
                raise RuntimeError(f"streamlit did not start:\n{server.log()}") from None
            time.sleep(0.3)


def launch(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)


# What "the page is ready" means, shared by the sync and async helpers below.
CONNECTED = '[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
SCRIPT_DONE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
DRAWN = f"""() => document.querySelector('[data-testid="stMain"] h1')
         && !document.querySelector('[data-testid="stSkeleton"]')
         && [...document.querySelectorAll('{CHART}')]
            .every(chart => chart.querySelector('canvas, svg'))"""


def wait_for_app(page: Any, timeout: float = 60_000) -> None:
    """Wait as Streamlit's own e2e tests do: connected, script not running, charts drawn.

    The first wait outlasts Streamlit's widget debounce (about 200 ms), so that a rerun just
    triggered has started before "notRunning" is taken to mean it has finished.
    """
    page.wait_for_timeout(210)
    page.wait_for_selector(CONNECTED, timeout=timeout)
    page.wait_for_selector(SCRIPT_DONE, timeout=timeout)
    page.wait_for_function(DRAWN, timeout=timeout)
    page.wait_for_timeout(300)  # let Vega finish its transitions


async def wait_for_app_async(page: Any, timeout: float = 60_000) -> None:
    """`wait_for_app` for Playwright's async API (many sessions driven at once)."""
    await page.wait_for_timeout(210)
    await page.wait_for_selector(CONNECTED, timeout=timeout)
    await page.wait_for_selector(SCRIPT_DONE, timeout=timeout)
    await page.wait_for_function(DRAWN, timeout=timeout)
    await page.wait_for_timeout(300)


def sidebar_slider(page: Any, label: str) -> Any:
    """The keyboard-operable thumb of the sidebar slider labelled `label`."""
    slider = page.locator('[data-testid="stSidebar"] [data-testid="stSlider"]')
    return slider.filter(has_text=label).get_by_role("slider")


def slider_value(page: Any, label: str) -> str:
    slider = page.locator('[data-testid="stSidebar"] [data-testid="stSlider"]')
    return slider.filter(has_text=label).get_by_test_id("stSliderThumbValue").inner_text()


def click_map_cell(page: Any) -> None:
    """Click a cell well inside the stability map (the cells fill the plot, the legend sits on
    the right), and wait for the rerun that copies its rates into the address bar."""
    box = page.locator('[data-testid="stVegaLiteChart"]').first.bounding_box()
    page.mouse.click(box["x"] + 0.45 * box["width"], box["y"] + 0.35 * box["height"])
    page.wait_for_function("() => location.search.includes('lr_b=')", timeout=30_000)
    wait_for_app(page)


def open_page_from_sidebar(page: Any, name: str) -> None:
    """Click a page's link in the sidebar navigation: the same session, as a student does."""
    nav = page.locator('[data-testid="stSidebarNav"] a')
    nav.filter(has_text=SIDEBAR_TITLES[name]).click()
    page.wait_for_url(_page_url(name))
    wait_for_app(page)


async def open_page_from_sidebar_async(page: Any, name: str, timeout: float = 60_000) -> None:
    """`open_page_from_sidebar` for the async API. Under load the old page can stay on screen
    well after the address changes, so this also waits for the new page's own title."""
    nav = page.locator('[data-testid="stSidebarNav"] a')
    await nav.filter(has_text=SIDEBAR_TITLES[name]).click(timeout=timeout)
    await page.wait_for_url(_page_url(name), timeout=timeout)
    await page.wait_for_function(
        """heading => document.querySelector('[data-testid="stMain"] h1')
                     ?.innerText.trim() === heading""",
        arg=HEADINGS[name],
        timeout=timeout,
    )
    await wait_for_app_async(page, timeout)


def _page_url(name: str) -> re.Pattern[str]:
    return re.compile(rf"/{PAGES[name]}(\?|$)")


# Streamlit's own furniture, not the app's: opened at a sub-page such as /loss, the frontend
# first looks for the server under that path (/loss/_stcore/health, /loss/_stcore/host-config),
# gets 404, then finds it at the root. A known Streamlit defect (streamlit/streamlit#7074).
_BASE_PATH_PROBE = re.compile(r"^https?://[^/]+/[^/?]+/_stcore/(health|host-config)$")


class ConsoleErrors:
    """Every error a page logs (console errors, uncaught exceptions), but Streamlit's probe."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))

    def _console(self, message: Any) -> None:
        if message.type != "error":
            return
        url = message.location.get("url", "")
        if "404" in message.text and _BASE_PATH_PROBE.match(url):
            return
        self.errors.append(f"{message.text} ({url})")


# The rules whose outcome a theme can change; the others read the page's structure only.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


def axe_violations(
    page: Any, rules: list[str] | None = None, skip: str | None = None
) -> list[dict[str, Any]]:
    """What axe-core finds on the page as it is now: one entry per rule broken, with the
    elements that break it (selector, axe's message, the start of their HTML, and whether it
    belongs to a widget whose every control is disabled). `rules` narrows
    the WCAG rules (AXE_TAGS) to those; `skip` is a CSS selector of a part already checked."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": AXE_TAGS}
    return page.evaluate(
        """async ([only, skip]) => {
            // Part of a widget whose every control is disabled (Streamlit greys it out); its
            // help button stays active, to explain why.
            const inactive = element => {
                const widget = element?.closest('.stElementContainer');
                const controls = widget ? [...widget.querySelectorAll(
                    'input, button:not([aria-label^="Help for"]), select, textarea, ' +
                    '[role="slider"]')] : [];
                return controls.length > 0 && controls.every(c =>
                    c.disabled || c.getAttribute('aria-disabled') === 'true');
            };
            const context = skip ? {exclude: [skip]} : document;
            const options = {runOnly: only, resultTypes: ['violations']};
            const result = await axe.run(context, options);
            return result.violations.map(v => ({
                rule: v.id,
                impact: v.impact,
                nodes: v.nodes.map(n => ({
                    target: n.target.join(' '),
                    inactive: inactive(document.querySelector(n.target[0])),
                    message: [...n.any, ...n.all, ...n.none].map(c => c.message).join('; '),
                    html: n.html.slice(0, 160),
                })),
            }));
        }""",
        [only, skip],
    )


def sideways_overflow(page: Any) -> list[str]:
    """Whatever makes the page scroll sideways: the document wider than the window, or an
    element of the page wider than the screen (a table may scroll inside itself); and a chart
    legend that Vega draws past the window's edge, out of sight, where no scroll reaches it."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const found = [];
            if (document.documentElement.scrollWidth > width) {
                found.push(`the page is ${document.documentElement.scrollWidth} px wide`);
            }
            const main = document.querySelector('[data-testid="stMain"]');
            if (main && main.scrollWidth > main.clientWidth) {
                found.push(`the main area scrolls to ${main.scrollWidth} px`);
            }
            const legends = '[data-testid="stVegaLiteChart"] .role-legend';
            for (const legend of document.querySelectorAll(legends)) {
                const right = legend.getBoundingClientRect().right;
                if (right > width + 1) {
                    const text = legend.textContent.slice(0, 40);
                    found.push(`a chart legend (${text}) ends at ${Math.round(right)} px`);
                }
            }
            return found;
        }"""
    )


# The focused control's name: its label, or the text of a link or button (never the text of a
# whole region, such as the main area, which holds every name on the page).
FOCUSED = """() => {
    const e = document.activeElement;
    const label = e.getAttribute('aria-label') || (e.labels && e.labels[0]?.innerText) || '';
    const own = ['A', 'BUTTON', 'SUMMARY'].includes(e.tagName) ? e.innerText : '';
    return `${label} ${own || ''}`.trim();
}"""


def tab_to(page: Any, name: str, key: str = "Tab", limit: int = 80, exact: bool = False) -> int:
    """Press `key` (Tab or Shift+Tab) until the focused element's label or text contains
    `name` (is `name`, if exact), as a keyboard user would; returns how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        focused = page.evaluate(FOCUSED)
        if focused == name or (not exact and name in focused):
            return presses
    raise AssertionError(f"{limit} presses of {key} never reached {name!r}")
