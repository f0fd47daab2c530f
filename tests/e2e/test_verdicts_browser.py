"""Verdicts in a real browser: an Adam map click trains Adam, and the Fit numbers follow the
epoch slider or say that they are the last epoch's."""

from urllib.parse import parse_qs, urlparse

import pytest

import gd_core as gd
from scripts.browser import click_map_cell, open_page_from_sidebar, wait_for_app

DATA = gd.make_dataset(100, 2.0, 1.0, 1.0)


def test_a_click_on_the_adam_map_trains_adam_with_that_cells_rates(page, app_url):
    page.goto(f"{app_url}/stability?map=adam")
    wait_for_app(page)
    click_map_cell(page)
    query = parse_qs(urlparse(page.url).query)
    lr_k, lr_b = float(query["lr_k"][0]), float(query["lr_b"][0])
    open_page_from_sidebar(page, "fit")
    run = gd.train(DATA, gd.adam((lr_k, lr_b)), 450)
    metric = page.get_by_test_id("stMetric").first.inner_text()
    assert f"{run.k[-1]:.5g}" in metric
    banner = page.get_by_test_id("stAlert").first.inner_text()
    assert ("Converged" in banner) == (run.status == "converged")
    assert "Diverg" not in banner  # Adam's wandering is not called diverging


@pytest.mark.parametrize("epoch", [0, 7])
def test_the_fit_readout_follows_the_epoch_slider(page, app_url, epoch):
    page.goto(f"{app_url}/?epochs=200")
    wait_for_app(page)
    slider = page.locator('[data-testid="stVegaLiteChart"] input[type="range"]').first
    slider.focus()
    page.keyboard.press("Home")
    for _ in range(epoch):
        page.keyboard.press("ArrowRight")
    run = gd.train(DATA, gd.sgd(0.01), 200)
    readout = page.locator('[data-testid="stVegaLiteChart"] text', has_text="epoch ")
    expected = f"epoch {epoch}:  k = {run.k[epoch]:.5g}"
    page.wait_for_function(
        "(text) => [...document.querySelectorAll('[data-testid=stVegaLiteChart] text')]"
        ".some((node) => node.textContent.replace(/\\s+/g, ' ').startsWith(text))",
        arg=expected.replace("  ", " "),
        timeout=15_000,
    )
    assert f"b = {run.b[epoch]:.5g}" in readout.first.text_content()
    labels = page.get_by_test_id("stMetricLabel").all_inner_texts()
    assert labels[:3] == [f"{name} after the last epoch, 200" for name in ("k", "b", "loss")]
