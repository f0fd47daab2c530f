"""The app's shell around the bare page's chart: bench_browser.py's "shell" row.

    streamlit run benchmarks/shell_app.py

app.py as it is (its sidebar of settings, the lesson picker, the navigation, the style sheet
and the link notice), with its default page swapped for shell_page.py: the sidebar's noise
drawn as benchmarks/bare_app.py's one chart. So a slider move here costs what every page pays
before its own content: the floor under every page's ratio to the bare page.
"""

import dataclasses
import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ui import registry  # noqa: E402

# Page files are found from the main script's folder: this one's. Swapped once per process.
if not registry.PAGES[0].file.endswith("shell_page.py"):
    default, *others = registry.PAGES
    registry.PAGES = (
        dataclasses.replace(default, file=str(ROOT / "benchmarks" / "shell_page.py")),
        *(dataclasses.replace(page, file=str(ROOT / page.file)) for page in others),
    )
runpy.run_path(str(ROOT / "app.py"), run_name="__main__")
