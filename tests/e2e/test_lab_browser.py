"""The learning-rate lab in a real browser: the map draws, and a click sets the rates."""

from urllib.parse import parse_qs, urlparse

import numpy as np

import gd_core as gd
from scripts.browser import click_map_cell, wait_for_app
from tests.ui.helpers import fresh_app, sidebar_values
from ui import registry
from ui.compute import lab
from ui.state.lessons import LESSONS, settings_of

DATA = gd.make_dataset(100, 2.0, 1.0, 1.0)


def test_clicking_a_map_cell_sets_the_sidebar_rates(page, app_url):
    page.goto(f"{app_url}/stability")
    wait_for_app(page)
    click_map_cell(page)
    query = parse_qs(urlparse(page.url).query)
    assert query["same_rate"] == ["false"]
    lr_k, lr_b = float(query["lr_k"][0]), float(query["lr_b"][0])
    grid_k, grid_b = gd.rate_grid(DATA, lab.MAP_RESOLUTION)
    # The rates are one grid cell's, to four digits.
    assert np.min(np.abs(grid_k / lr_k - 1)) < 1e-3
    assert np.min(np.abs(grid_b / lr_b - 1)) < 1e-3
    rate_input = page.get_by_label("Learning rate η_b")
    assert float(rate_input.input_value()) == lr_b


def test_a_lesson_starts_with_one_click_and_its_address_is_a_link(page, app_url, browser):
    page.goto(f"{app_url}/lessons")
    wait_for_app(page)
    page.get_by_role("button", name="Start this lesson").nth(2).click()  # divergence
    page.wait_for_url("**/loss?*", timeout=30_000)
    wait_for_app(page)
    assert "Diverged at epoch" in page.inner_text('[data-testid="stAlert"]')
    link = page.url
    assert "lesson=divergence" in link
    other = browser.new_context(viewport={"width": 1440, "height": 1800}).new_page()
    other.goto(link)
    wait_for_app(other)
    assert "When a rate is too large" in other.inner_text('[data-testid="stMain"]')
    assert "Diverged at epoch" in other.inner_text('[data-testid="stMain"]')
    other.context.close()


def test_every_lessons_address_holds_every_setting_it_sets(context, app_url):
    """Started as a class would (a session whose first page is Lessons), each lesson's address
    opens a fresh session with the lesson's whole sidebar. The Lessons page's first run draws
    η_b unbound (same rate on), which once lost η_b = 0.2 from the per-parameter lesson's link."""
    for number, lesson in enumerate(LESSONS):
        page = context.new_page()  # a new page is a new session
        page.goto(f"{app_url}/lessons")
        wait_for_app(page)
        page.get_by_role("button", name="Start this lesson").nth(number).click()
        path = next(known.url_path for known in registry.PAGES if known.file == lesson.page)
        page.wait_for_url(f"**/{path}?*", timeout=30_000)
        wait_for_app(page)
        query = {key: values[-1] for key, values in parse_qs(urlparse(page.url).query).items()}
        page.close()
        assert query.get("lesson") == lesson.slug
        fresh = fresh_app(**query).run()
        drawn = sidebar_values(fresh)
        for key, value in settings_of(lesson).items():
            if key in drawn:  # hyperparameters of other optimizers are not drawn
                assert drawn[key] == value, (lesson.slug, key, query)


def test_a_tap_on_a_phone_picks_a_cell_and_a_start_and_a_swipe_only_scrolls(browser, app_url):
    """iPhone-sized touch emulation: Playwright's tap sends touchstart/touchend and no click,
    as a browser may; the map picks on a tap's (cancelable) touchend, and a swipe that scrolls
    the page ends in an uncancelable one, which picks nothing."""
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    page = phone.new_page()
    page.goto(f"{app_url}/stability")
    wait_for_app(page)
    box = page.locator('[data-testid="stVegaLiteChart"]').first.bounding_box()
    x, y = box["x"] + 0.3 * box["width"], box["y"] + 0.6 * box["height"]  # a grey cell
    touch = phone.new_cdp_session(page)
    touch.send(
        "Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]}
    )
    for step in range(1, 15):
        point = {"x": x, "y": y - 15 * step}
        touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_timeout(1500)
    assert "lr_b=" not in page.evaluate("location.search")  # scrolled, not picked
    box = page.locator('[data-testid="stVegaLiteChart"]').first.bounding_box()
    page.touchscreen.tap(box["x"] + 0.3 * box["width"], box["y"] + 0.6 * box["height"])
    page.wait_for_function("() => location.search.includes('lr_b=')", timeout=30_000)
    query = parse_qs(urlparse(page.url).query)
    assert query["same_rate"] == ["false"]
    grid_k, grid_b = gd.rate_grid(DATA, lab.MAP_RESOLUTION)
    assert np.min(np.abs(grid_k / float(query["lr_k"][0]) - 1)) < 1e-3
    assert np.min(np.abs(grid_b / float(query["lr_b"][0]) - 1)) < 1e-3
    # The loss surface on Parameters listens for the same tap, and starts the run there.
    page.goto(f"{app_url}/parameters")
    wait_for_app(page)
    surface = page.locator('[data-testid="stVegaLiteChart"]').last
    surface.scroll_into_view_if_needed()
    box = surface.bounding_box()
    page.touchscreen.tap(box["x"] + 0.4 * box["width"], box["y"] + 0.3 * box["height"])
    page.wait_for_function("() => location.search.includes('k0=')", timeout=30_000)
    # A touched table's toolbar stays open above it: in the gap, not over the text before it.
    page.goto(f"{app_url}/lr-finder")
    wait_for_app(page)
    table = page.locator('[data-testid="stDataFrame"]').first
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    page.touchscreen.tap(box["x"] + 40, box["y"] + 60)
    toolbar = page.locator('[data-testid="stElementContainer"]', has=table).locator(
        '[data-testid="stElementToolbar"]'
    )
    toolbar.wait_for(state="visible")
    above = page.locator('[data-testid="stElementContainer"]', has=table).evaluate(
        "e => e.previousElementSibling.getBoundingClientRect().bottom"
    )
    assert above <= toolbar.bounding_box()["y"] + 1
    phone.close()
