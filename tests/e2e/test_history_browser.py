"""Kept runs in a real browser: pinned, carried across a page switch through the sidebar,
drawn with their legend, and downloaded as one CSV that parses to what gd_core trains."""

from __future__ import annotations

import numpy as np
import pandas as pd

import gd_core as gd
from scripts.browser import CHART, open_page_from_sidebar, wait_for_app


def _set_rate(page, value: float) -> None:
    box = page.locator('[data-testid="stSidebar"] [data-testid="stNumberInput"]')
    field = box.filter(has_text="Learning rate η").first.locator("input")
    field.fill(str(value))
    field.press("Enter")
    wait_for_app(page)


def test_kept_runs_cross_pages_and_download_as_one_csv(page, console, app_url):
    page.goto(f"{app_url}/loss")
    wait_for_app(page)
    keep = page.get_by_role("button", name="Keep this run")
    keep.click()
    wait_for_app(page)
    _set_rate(page, 0.02)
    keep.click()
    wait_for_app(page)
    open_page_from_sidebar(page, "parameters")
    # The kept runs came along: their list, and what each changes in the charts' text (the
    # screen-reader text names every kept run drawn, as the legend does).
    assert page.get_by_text("Kept runs: 2 of at most 8").is_visible()
    labels = page.locator(CHART).evaluate_all("charts => charts.map(c => c.innerText)")
    assert any("Run 2: η 0.01 → 0.02" in text for text in labels)
    with page.expect_download() as arrival:
        page.get_by_role("button", name="Download the kept runs (CSV)").click()
    assert arrival.value.suggested_filename == "kept_runs.csv"
    frame = pd.read_csv(arrival.value.path())
    data = gd.make_dataset(100, 2.0, 1.0, 1.0, (0.0, 10.0), 0)
    for name, rate in (("Run 1", 0.01), ("Run 2", 0.02)):
        rows = frame[frame.run == name]
        expected = gd.train(data, gd.sgd(rate), 450)
        assert rows.epoch.tolist() == list(range(451))
        np.testing.assert_allclose(rows.loss, expected.loss, rtol=1e-12)
    assert console.errors == []
