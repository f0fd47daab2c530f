"""Every page as a student's browser draws it: a real server, Debian's Chromium, the keyboard.

AppTest runs the scripts but never draws a chart; these tests catch a Vega-Lite spec that
fails in the browser, a URL binding that breaks, a page that renders blank.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import numpy as np
import pandas as pd
import pytest

import gd_core as gd
from scripts.browser import (
    CHART,
    CHARTS_PER_PAGE,
    PAGES,
    PHONE,
    ConsoleErrors,
    open_page_from_sidebar,
    sidebar_slider,
    slider_value,
    streamlit_server,
    wait_for_app,
)
from ui import registry

CHARTS = CHARTS_PER_PAGE
DEFAULT_EPOCHS = 450


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


def _metrics(page) -> list[str]:
    return page.get_by_test_id("stMetricValue").all_inner_texts()


def _shown_run(noise: float) -> gd.RunResult:
    """The run the default sidebar describes, at `noise`: the reference for what is shown."""
    data = gd.make_dataset(100, 2.0, 1.0, noise)
    return gd.train(data, gd.make_optimizer("sgd", 0.01), DEFAULT_EPOCHS)


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_loads_and_draws_every_chart_cleanly(page, console, app_url, name):
    page.goto(f"{app_url}/{PAGES[name]}")
    wait_for_app(page)
    charts = page.locator(CHART)
    assert charts.count() == CHARTS[name]
    for index in range(charts.count()):
        drawn = charts.nth(index).locator("svg, canvas")
        assert drawn.count() >= 1, f"chart {index} of {name} has nothing drawn"
        box = drawn.first.bounding_box()
        assert box["width"] > 100 and box["height"] > 100, f"chart {index} of {name} is empty"
    assert page.get_by_test_id("stException").count() == 0
    assert page.locator('[data-testid="stSidebar"] [data-testid="stSlider"]').count() >= 5
    assert console.errors == []


def test_a_keyboard_slider_move_changes_the_page_and_the_url_restores_it(
    page, console, app_url, browser
):
    page.goto(f"{app_url}/loss")
    wait_for_app(page)
    before = _metrics(page)
    sidebar_slider(page, "Noise σ").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.search.includes('noise=1.1')", timeout=30_000)
    wait_for_app(page)
    after = _metrics(page)
    assert after != before
    # What is shown is gd_core's run at the new noise, to the digits the metrics show.
    run = _shown_run(1.1)
    assert after[:2] == [f"{run.k[-1]:.5g}", f"{run.b[-1]:.5g}"]
    assert _query(page.url) == {"noise": ["1.1"]}

    fresh = browser.new_context(viewport={"width": 1440, "height": 1800}).new_page()
    fresh_console = ConsoleErrors(fresh)
    fresh.goto(page.url)
    wait_for_app(fresh)
    assert slider_value(fresh, "Noise σ") == "1.10"
    assert _metrics(fresh) == after
    assert fresh.get_by_text("could not be used").count() == 0  # the link's own values
    fresh.context.close()
    assert console.errors == [] and fresh_console.errors == []


def test_switching_pages_keeps_the_sidebar(page, console, app_url):
    page.goto(f"{app_url}/?epochs=1000&noise=2.5")
    wait_for_app(page)
    sidebar_slider(page, "True slope k").focus()
    page.keyboard.press("ArrowLeft")  # 2.0 → 1.9
    page.wait_for_function("() => location.search.includes('slope=1.9')", timeout=30_000)
    wait_for_app(page)
    for name in ("loss", "parameters", "compare", "stability", "theory", "lessons", "fit"):
        open_page_from_sidebar(page, name)
        assert _query(page.url) == {"epochs": ["1000"], "noise": ["2.5"], "slope": ["1.9"]}
        assert slider_value(page, "True slope k") == "1.90"
        assert slider_value(page, "Noise σ") == "2.50"
        assert slider_value(page, "Epochs") == "1000"
        assert page.get_by_test_id("stException").count() == 0
    assert console.errors == []


def test_the_title_icon_and_wide_layout_outlast_reruns_and_page_switches(page, console, app_url):
    """app.py sets them on a session's first run only (each call cost a rerun two messages to
    the host page): the browser must keep them through a slider move and a page switch."""

    def shell() -> tuple[str, str, float]:
        return tuple(
            page.evaluate(
                """() => [document.title,
                      document.querySelector('link[rel*="icon"]')?.href.slice(0, 22),
                      document.querySelector('[data-testid="stMainBlockContainer"]')
                          .getBoundingClientRect().width]"""
            )
        )

    page.goto(f"{app_url}/parameters")
    wait_for_app(page)
    first = shell()
    assert first[:2] == ("Gradient Descent Lab", "data:image/png;base64,")
    assert first[2] > 900  # wide: a centred layout is at most 736 px across
    sidebar_slider(page, "Noise σ").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.search.includes('noise=1.1')", timeout=30_000)
    wait_for_app(page)
    assert shell() == first
    open_page_from_sidebar(page, "loss")
    assert shell() == first
    assert console.errors == []


def test_an_alias_opens_its_page_with_the_link_kept(page, console, app_url):
    """/sweeps (the menu's title; the path is /sweep) and a guessed /lr_finder ran the Fit
    page with the link's settings dropped. Every alias is a hidden page (ui/registry).
    The server's very first request, if it were an alias, would still open the right page,
    after Streamlit's pages-folder mode logs "page not found" (DESIGN.md): the app runs first."""
    page.goto(app_url)
    wait_for_app(page)
    for alias, name, query in (
        ("sweeps", "sweep", "sweep=momentum&epochs=1000"),
        ("lr_finder", "lr-finder", "noise=2.5"),
    ):
        page.goto(f"{app_url}/{alias}?{query}")
        page.wait_for_url(f"**/{PAGES[name]}?*")
        wait_for_app(page)
        assert _query(page.url) == parse_qs(query)
        heading = page.locator('[data-testid="stMain"] h1').first.inner_text().strip()
        assert heading == registry.PAGES[list(PAGES).index(name)].heading
    assert slider_value(page, "Noise σ") == "2.50"
    assert page.locator('[data-testid="stSidebarNav"] a').count() == len(registry.PAGES)
    assert console.errors == []


@pytest.mark.parametrize("name", ["fit", "loss", "parameters"])
def test_a_diverging_url_shows_the_warning(page, console, app_url, name):
    page.goto(f"{app_url}/{PAGES[name]}?lr_k=0.9&lr_b=0.9&same_rate=false")
    wait_for_app(page)
    warning = page.get_by_test_id("stAlertContentWarning")
    assert warning.count() == 1
    text = warning.inner_text()
    assert "Diverged at epoch" in text and "η = 0.9 is above" in text
    assert page.get_by_test_id("stException").count() == 0
    assert page.locator(CHART).count() == CHARTS[name]  # the run up to the blow-up is shown
    assert console.errors == []


def test_the_trajectory_csv_download_arrives_and_parses(page, console, app_url):
    page.goto(f"{app_url}/loss?noise=0.5")
    wait_for_app(page)
    with page.expect_download() as arrival:
        page.get_by_role("button", name="Download the shown trajectory (CSV)").click()
    download = arrival.value
    assert download.suggested_filename == "loss.csv"
    frame = pd.read_csv(download.path())
    assert list(frame.columns) == ["epoch", "k", "b", "loss", "excess", "dist_k", "dist_b"]
    run = _shown_run(0.5)
    assert frame.epoch.iloc[0] == 0 and frame.epoch.iloc[-1] == DEFAULT_EPOCHS
    shown = frame.epoch.to_numpy()
    np.testing.assert_allclose(frame.k, run.k[shown], rtol=1e-12)
    np.testing.assert_allclose(frame.b, run.b[shown], rtol=1e-12)
    np.testing.assert_allclose(frame.loss, run.loss[shown], rtol=1e-12)
    assert console.errors == []


def test_the_app_writes_nothing_in_the_home_directory(browser, tmp_path):
    # Community Cloud promises no writable home. Rather than trust permission bits (root ignores
    # them), give the server an empty home and check that it is still empty afterwards.
    home = tmp_path / "home"
    home.mkdir()
    with streamlit_server(env={"HOME": str(home)}) as server:
        page = browser.new_context(viewport={"width": 1440, "height": 1800}).new_page()
        console = ConsoleErrors(page)
        for name in ("fit", "theory"):
            page.goto(f"{server.url}/{PAGES[name]}")
            wait_for_app(page)
            assert page.locator(CHART).count() == CHARTS[name]
            assert page.get_by_test_id("stException").count() == 0
        page.context.close()
        assert console.errors == []
        assert "Traceback" not in server.log()
    assert list(home.rglob("*")) == []


def test_the_compare_csv_download_holds_every_strategy(page, console, app_url):
    page.goto(f"{app_url}/compare")
    wait_for_app(page)
    with page.expect_download() as arrival:
        page.get_by_role("button", name="Download the shown curves (CSV)").click()
    assert arrival.value.suggested_filename == "compare.csv"
    frame = pd.read_csv(arrival.value.path())
    assert list(frame.columns) == ["strategy", "epoch", "k", "b", "loss", "excess"]
    assert frame.strategy.nunique() == len(registry.STRATEGIES)
    plain = frame[frame.strategy == "Plain GD"]
    run = _shown_run(1.0)
    np.testing.assert_allclose(plain.k, run.k[plain.epoch.to_numpy()], rtol=1e-12)
    # The results: a table on this wide screen; on a phone, where the table's outcome and
    # final values ran off the right edge, the same as lines of text that wrap.
    table, text = (
        page.locator(".st-key-compare_results_table"),
        page.locator(".st-key-compare_results_text"),
    )
    ideas = page.locator(".st-key-compare_ideas_text")  # the editor's idea column, as text
    assert table.is_visible() and not text.is_visible() and not ideas.is_visible()
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(300)
    assert text.is_visible() and not table.is_visible() and ideas.is_visible()
    lines = text.get_by_role("listitem").all_inner_texts()
    assert len(lines) == len(registry.STRATEGIES)
    assert lines[0].startswith("Plain GD (the sidebar's rates") and "Final k 1.99" in lines[0]
    inside = "e => e.scrollWidth <= e.clientWidth && e.getBoundingClientRect().right <= 390"
    assert text.evaluate(inside)
    assert console.errors == []
