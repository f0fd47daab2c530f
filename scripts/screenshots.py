"""Render every page in headless Chromium and save PNGs under docs/ (or a folder given).

    python scripts/screenshots.py [out_dir] [query string]

Starts `streamlit run app.py` on a free loopback port, opens each page at a laptop viewport,
waits until the script has finished and every chart is drawn, and writes one PNG per page.
Needs Debian's chromium at /usr/bin/chromium and the playwright package.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
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
PAGES = {
    "fit": "",
    "loss": "loss",
    "parameters": "parameters",
    "compare": "compare",
    "stability": "stability",
    "theory": "theory",
    "lessons": "lessons",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def streamlit_server() -> Iterator[str]:
    """A real `streamlit run app.py` on loopback; yields its base URL, stops it by process id."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
    ]
    env = os.environ | {"STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    # A file, not a pipe: nobody reads the log while the server runs, and a full pipe stalls it.
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                        break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise RuntimeError("streamlit did not start") from None
                    time.sleep(0.3)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=20)


def wait_for_app(page: Page, timeout: float = 60_000) -> None:
    """Wait as Streamlit's own e2e tests do: connected, script not running, charts drawn."""
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-connection-state="CONNECTED"]', timeout=timeout
    )
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout
    )
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
                 .every(chart => chart.querySelector('canvas, svg'))""",
        timeout=timeout,
    )
    page.wait_for_timeout(500)  # let Vega finish its transitions


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"
    query = sys.argv[2] if len(sys.argv) > 2 else ""
    out.mkdir(parents=True, exist_ok=True)
    with streamlit_server() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        # Streamlit scrolls its main area itself, so a full-page shot needs a tall viewport.
        page = browser.new_page(viewport={"width": 1440, "height": 2200})
        for name, path in PAGES.items():
            page.goto(f"{url}/{path}{'?' + query if query else ''}")
            wait_for_app(page)
            page.screenshot(path=out / f"{name}.png", full_page=True)
            print(f"wrote {out / f'{name}.png'}")
        browser.close()


if __name__ == "__main__":
    main()
