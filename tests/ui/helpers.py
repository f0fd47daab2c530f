"""Shared AppTest helpers for the page tests."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"

PAGES = ["pages/fit.py", "pages/loss.py", "pages/parameters.py", "pages/compare.py"]


def fresh_app(**query: str) -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in query.items():
        app.query_params[key] = value
    return app


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
