"""Install requirements.txt into a clean virtual environment per Python and serve every page.

    python scripts/check_fresh_install.py [python3.11 python3.12 ...]

What Streamlit Community Cloud does on a deploy, on this machine: a new venv, `pip install -r
requirements.txt` and nothing else, then `streamlit run app.py` with an empty home directory.
Every page is opened in Chromium and must draw all its charts with no exception; afterwards the
home directory must still be empty. Prints the versions pip resolved.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `scripts` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright

from scripts.browser import LAPTOP, PAGES, ROOT, launch, streamlit_server, wait_for_app

RUNTIME = ["streamlit", "numpy", "pandas", "altair", "uvloop"]  # uvloop: the performance extra


def check(interpreter: str, browser) -> bool:
    found = shutil.which(interpreter)
    if found is None:
        print(f"{interpreter}: not on this machine, skipped")
        return True
    with tempfile.TemporaryDirectory() as work:
        venv, home = Path(work) / "venv", Path(work) / "home"
        home.mkdir()
        subprocess.run([found, "-m", "venv", str(venv)], check=True)
        python = venv / "bin" / "python"
        install = [str(python), "-m", "pip", "install", "--quiet", "-r", "requirements.txt"]
        subprocess.run(install, cwd=ROOT, check=True)
        version = subprocess.run(
            [str(python), "--version"], capture_output=True, text=True, check=True
        ).stdout.strip()
        listed = subprocess.run(
            [str(python), "-m", "pip", "list", "--format=freeze"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
        resolved = [line for line in listed if line.split("==")[0].lower() in RUNTIME]
        print(f"{version}: resolved {', '.join(sorted(resolved))}")
        problems = []
        with streamlit_server(env={"HOME": str(home)}, python=python) as server:
            page = browser.new_page(viewport=LAPTOP)
            for name, path in PAGES.items():
                page.goto(f"{server.url}/{path}")
                wait_for_app(page)
                if page.get_by_test_id("stException").count():
                    problems.append(f"an exception on {name}")
            page.close()
            if "Traceback" in server.log():
                problems.append("a traceback in the server log")
        if any(home.iterdir()):
            problems.append(f"files written to the home directory: {list(home.rglob('*'))}")
        print(f"  every page served: {'ok' if not problems else '; '.join(problems)}")
        return not problems


def main() -> int:
    interpreters = sys.argv[1:] or ["python3.11", "python3.12"]
    with sync_playwright() as playwright:
        browser = launch(playwright)
        results = [check(interpreter, browser) for interpreter in interpreters]
        browser.close()
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
