"""Shared AppTest helpers for the page tests."""

from __future__ import annotations

import json
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from ui import registry

APP = Path(__file__).resolve().parents[2] / "app.py"

# The pages that draw charts (every registered page but Lessons).
PAGES = [page.file for page in registry.PAGES if page.charts]


def fresh_app(**query: str) -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in query.items():
        app.query_params[key] = value
    return app


def sidebar_values(app: AppTest) -> dict:
    """Every keyed sidebar widget's value as drawn: an effect of the state, not the state."""
    side = app.sidebar
    widgets = [*side.slider, *side.select_slider, *side.number_input, *side.toggle]
    return {widget.key: widget.value for widget in [*widgets, *side.selectbox]}


def charts(app: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in app.get("vega_lite_chart")]


def assert_page_ok(app: AppTest, page: str) -> None:
    assert not app.exception, f"{page}: {[e.value for e in app.exception]}"
    assert not app.error, f"{page}: {[e.value for e in app.error]}"
    assert charts(app), f"{page} drew no chart"


def visit_every_page(app: AppTest) -> None:
    for page in PAGES:
        app.switch_page(page).run()
        assert_page_ok(app, page)


def datasets(chart) -> dict[str, list[dict]]:
    """The rows of every named dataset one chart was sent with (as Arrow, beside its spec)."""
    import pyarrow as pa

    return {
        named.name: pa.ipc.open_stream(named.data.data).read_all().to_pylist()
        for named in chart.proto.datasets
    }


def dataset(app: AppTest, name: str) -> list[dict]:
    """The rows of the named dataset the first chart that carries it was sent with."""
    for chart in app.get("vega_lite_chart"):
        if name in (sent := datasets(chart)):
            return sent[name]
    raise KeyError(f"no chart carries a dataset named {name!r}")


def shown(element) -> str:
    """A message's text as the student reads it: code spans (quoted file text) unwrapped."""
    return re.sub(r"(`+) ?(.*?) ?\1", r"\2", element.value)


def caption_paragraphs(app: AppTest) -> list[str]:
    """Every paragraph of every caption: consecutive captions are sent as one element, a
    paragraph each (ui/state/feedback.py, render_captions)."""
    return [part for caption in app.caption for part in caption.value.split("\n\n")]


def map_cells(app: AppTest) -> list[dict]:
    """The stability map's cells as drawn, each with its epochs to converge as its tooltip
    gives them ("1,234"; None for "not within 450"): a chart is sent only the columns it
    draws (ui/charts/render.py, only_read), and the map draws the words."""
    from ui.charts.lab_charts import CELLS

    def epochs(words: str) -> int | None:
        return None if words.startswith("not within") else int(words.replace(",", ""))

    return [cell | {"epochs": epochs(cell["settles"])} for cell in dataset(app, CELLS)]
