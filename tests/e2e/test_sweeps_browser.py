"""The Sweeps and LR-finder pages and Compare's tuning in a real browser: the charts draw, a
keyboard move changes the page and the address, and that address restores the state."""

from urllib.parse import parse_qs, urlparse

import pytest

from scripts.browser import CHART, ConsoleErrors, wait_for_app

WIDE = {"width": 1440, "height": 1800}


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


def _drawn(page) -> int:
    charts = page.locator(CHART)
    for index in range(charts.count()):
        box = charts.nth(index).locator("svg, canvas").first.bounding_box()
        assert box["width"] > 100 and box["height"] > 100, f"chart {index} is empty"
    return charts.count()


def _page_slider(page, label: str):
    main = page.locator('[data-testid="stMain"] [data-testid="stSlider"]')
    return main.filter(has_text=label).get_by_role("slider")


def _reopen(browser, url: str):
    fresh = browser.new_context(viewport=WIDE).new_page()
    errors = ConsoleErrors(fresh)
    fresh.goto(url)
    wait_for_app(fresh)
    return fresh, errors


def test_a_sweep_link_opens_that_sweep_and_a_keyboard_move_makes_a_new_one(
    page, console, app_url, browser
):
    page.goto(f"{app_url}/sweep?sweep=momentum&from_momentum=0.5&sweep_points=10")
    wait_for_app(page)
    assert _drawn(page) == 3  # epochs, final loss, spectral radius
    main = page.get_by_test_id("stMain")
    assert main.get_by_role("spinbutton", name="From").input_value() == "0.5"
    assert "Momentum" in main.inner_text() and "converges fastest at μ =" in main.inner_text()
    _page_slider(page, "Points").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.search.includes('sweep_points=11')", timeout=30_000)
    wait_for_app(page)
    assert _query(page.url) == {
        "sweep": ["momentum"],
        "from_momentum": ["0.5"],
        "sweep_points": ["11"],
    }
    fresh, errors = _reopen(browser, page.url)
    assert _page_slider(fresh, "Points").input_value() == "11"
    assert (
        fresh.get_by_test_id("stMain").get_by_role("spinbutton", name="From").input_value() == "0.5"
    )
    assert _drawn(fresh) == 3
    fresh.context.close()
    assert console.errors == [] and errors.errors == []


def test_a_finder_link_restores_its_range_and_grades_the_suggestions(
    page, console, app_url, browser
):
    page.goto(f"{app_url}/lr-finder?lr_min=1e-06&lr_steps=80")
    wait_for_app(page)
    assert _drawn(page) == 1
    text = page.get_by_test_id("stMain").inner_text()
    assert "2/λ_max = 0.024988" in text and "lands nearest the fastest single rate" in text
    _page_slider(page, "Steps").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.search.includes('lr_steps=81')", timeout=30_000)
    wait_for_app(page)
    fresh, errors = _reopen(browser, page.url)
    assert float(fresh.get_by_role("spinbutton", name="lr_min").input_value()) == 1e-6
    assert _page_slider(fresh, "Steps").input_value() == "81"
    assert _drawn(fresh) == 1
    fresh.context.close()
    assert console.errors == [] and errors.errors == []


def test_tune_each_races_at_tuned_rates_and_the_link_keeps_it(page, console, app_url):
    page.goto(f"{app_url}/compare")
    wait_for_app(page)
    page.get_by_text("Tune each").click()
    page.wait_for_function("() => location.search.includes('tune=true')", timeout=30_000)
    wait_for_app(page)
    grids = page.locator('[data-testid="stDataFrame"]')
    assert grids.count() == 2  # the strategies, then the race with the tuned rates
    assert "Each strategy raced at the rate that converges fastest" in page.inner_text("body")
    assert _drawn(page) == 3
    assert console.errors == []


@pytest.mark.parametrize("viewport", [WIDE, {"width": 390, "height": 2200}], ids=["1440", "390"])
def test_the_optimum_rules_label_stays_whole_inside_the_plot(browser, app_url, viewport):
    """The μ sweep's line at theory's best μ stands near the right edge: its label, always put
    on the line's right, was clipped there to "theory's best μ for Mom" at 1440 px."""
    context = browser.new_context(viewport=viewport, is_mobile=viewport["width"] < 500)
    page = context.new_page()
    page.goto(f"{app_url}/sweep?sweep=momentum")
    wait_for_app(page)
    labels = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart] svg')]
            .flatMap(svg => {
                const plot = svg.querySelector('path.background').getBoundingClientRect();
                return [...svg.querySelectorAll('.role-mark text')]
                    .filter(text => text.textContent.startsWith("theory's best"))
                    .map(text => {
                        const box = text.getBoundingClientRect();
                        return [text.textContent,
                                box.left >= plot.left && box.right <= plot.right];
                    });
            })"""
    )
    assert len(labels) >= 2  # on the epochs and the ρ charts
    assert all(inside for _, inside in labels), labels
    assert {text for text, _ in labels} == {"theory's best μ for Momentum"}
    context.close()
