"""benchmarks/shell_app.py, bench_browser's "app shell": app.py's own sidebar around one chart.

Its row is read as the floor under every page's ratio, so it must stay the app's shell: the
same sidebar, drawn by the same code, and a chart that follows the sidebar's noise.
"""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.ui.helpers import datasets, fresh_app, sidebar_values
from ui import registry

SHELL = Path(__file__).resolve().parents[2] / "benchmarks" / "shell_app.py"


def test_the_shell_draws_the_apps_sidebar_and_one_chart_that_follows_the_noise(monkeypatch):
    app = fresh_app().run()
    # shell_app.py swaps the registry's default page for this process: put it back afterwards.
    monkeypatch.setattr(registry, "PAGES", registry.PAGES)
    shell = AppTest.from_file(str(SHELL), default_timeout=60).run()
    assert not shell.exception, [e.value for e in shell.exception]
    assert sidebar_values(shell) == sidebar_values(app)
    assert [title.value for title in shell.title] == ["Fit"]

    shell.sidebar.slider(key="noise").set_value(2.0).run()
    [chart] = shell.get("vega_lite_chart")
    [rows] = datasets(chart).values()  # bare_app.py's curve at σ = 2: σ² + 200·0.99^epoch
    assert (rows[0]["epoch"], rows[0]["loss"]) == (0, 2.0**2 + 200)
