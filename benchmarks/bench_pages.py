"""What our pages add to Streamlit's own rendering, measured with AppTest in one run.

    python benchmarks/bench_pages.py

For each page at default settings: the median script run on a cache hit (same config again)
and with a learning rate never seen before, each as a ratio against a bare page that draws the
same number of 1000-point Altair charts and nothing else, measured in turn with the page so
that both see the same load. Targets: ≤ 2× and ≤ 3×.
Times are this process's CPU time (the script thread's and AppTest's), not the wall clock: on
a machine shared with other work the wall clock measured the other work.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REPEATS = 15
BARE = textwrap.dedent(
    """
    import altair as alt
    import numpy as np
    import pandas as pd
    import streamlit as st

    frame = pd.DataFrame({{"epoch": np.arange(1000), "loss": np.exp(-np.arange(1000) / 200)}})
    for _ in range({charts}):
        st.altair_chart(alt.Chart(frame).mark_line().encode(x="epoch", y="loss"), width="stretch")
    """
)


def pin_navigation_mode() -> None:
    """The AppTest navigation work-around of tests/conftest.py, for a script outside pytest."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init


def timed(app: AppTest) -> float:
    start = time.process_time()
    app.run()
    return time.process_time() - start


def bare_app(charts: int) -> AppTest:
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as script:
        script.write(BARE.format(charts=charts))
    return AppTest.from_file(script.name, default_timeout=60).run()


def page_seconds(page: str) -> tuple[float, float, float, int]:
    """Median CPU seconds of the bare page, a cache hit and a new rate, in that order.

    The three are measured in turn, round after round, so that each sees the same load on a
    shared machine: measured one after the other, a busy minute could land on one of them.
    """
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    app.switch_page(page).run()
    charts = len(app.get("vega_lite_chart"))
    bare = bare_app(charts)
    bare_times, hit, fresh = [], [], []
    for step in range(REPEATS):
        bare_times.append(timed(bare))
        hit.append(timed(app))  # the config of the run before: every view cached
        app.number_input(key="lr_k").set_value(0.01 + 1e-6 * (step + 1))
        fresh.append(timed(app))
    assert not app.exception, app.exception
    return (*(statistics.median(times) for times in (bare_times, hit, fresh)), charts)


def main() -> int:
    pin_navigation_mode()
    print(f"{'page':<22}{'charts':>7}{'bare ms':>9}{'hit ms':>9}{'hit ×':>7}", end="")
    print(f"{'new lr ms':>11}{'new ×':>7}")
    missed = 0
    for page in ("pages/fit.py", "pages/loss.py", "pages/parameters.py", "pages/compare.py"):
        bare, hit, fresh, charts = page_seconds(page)
        ratio_hit, ratio_new = hit / bare, fresh / bare
        missed += (ratio_hit > 2) + (ratio_new > 3)
        print(
            f"{page:<22}{charts:>7}{bare * 1e3:>9.1f}{hit * 1e3:>9.1f}{ratio_hit:>7.2f}"
            f"{fresh * 1e3:>11.1f}{ratio_new:>7.2f}"
        )
    print(f"\ntargets: cache hit ≤ 2×, new learning rate ≤ 3×; {missed} missed")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
