"""Verdicts in a real browser: an Adam map click trains Adam, and the Fit numbers follow the
epoch slider or say that they are the last epoch's."""

import re
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


def test_on_a_phone_the_fit_readout_and_panel_never_cut_a_number_unseen(browser, app_url):
    """At 390 px the readout of a run blown up to 4.6305e+19 was one line, cut at the chart's
    edge to "loss = 4.6305e+1": a believable wrong number. It must fit inside the chart (on two
    lines), and an update-panel line too long for the phone must end in a visible "…"."""
    context = browser.new_context(viewport={"width": 390, "height": 1600}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{app_url}/?lr_k=10")
    wait_for_app(page)
    run = gd.train(DATA, gd.sgd(10.0), 450)
    last = len(run.loss) - 1
    drawn = page.evaluate(
        """() => {
            const chart = document.querySelector('[data-testid=stVegaLiteChart] svg');
            const right = chart.getBoundingClientRect().right;
            return [...chart.querySelectorAll('.role-mark text')]
                .filter(text => text.textContent.startsWith('epoch '))
                .map(text => [text.textContent, text.getBoundingClientRect().right <= right]);
        }"""
    )
    assert len(drawn) == 1
    text, inside = drawn[0]
    assert inside, text
    for name, number in (("k", run.k[last]), ("b", run.b[last]), ("loss", run.loss[last])):
        # d3's ".5~g" writes no leading zero in the exponent: 1.0652e+9.
        assert f"{name} = " + re.sub(r"e([+-])0", r"e\1", f"{number:.5g}") in text
    cut = [line for line in _panel_lines(page) if line.endswith("…")]
    assert cut  # the sums of a blown-up run are too long for 390 px, and the cut shows
    context.close()


def _panel_lines(page) -> list[str]:
    return page.evaluate(
        """() => [...document.querySelectorAll(
            '[data-testid="stVegaLiteChart"] .role-title-text text tspan')]
            .map(line => line.textContent)"""
    )
