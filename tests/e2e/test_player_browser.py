"""The player in Chromium: it plays with no server rerun, steps back and forward by keyboard and
touch, and a click on the loss surface sets k₀ and b₀ in the address."""

from urllib.parse import parse_qs, urlparse

import gd_core as gd
from scripts.browser import CHART, wait_for_app
from ui import registry
from ui.plain.player_frames import frames_for
from ui.plain.receipts import receipt_columns


def _epoch(page) -> int:
    return int(page.locator("input[name=epoch]").first.input_value())


def test_play_runs_in_the_browser_and_the_steps_go_both_ways(page, console, app_url):
    page.goto(f"{app_url}/?epochs=1000")
    wait_for_app(page)
    frames = frames_for(1000)
    sent: list[object] = []
    page.on("websocket", lambda socket: socket.on("framesent", sent.append))
    play = page.locator("input[name=fit_play]")
    assert _epoch(page) == 1000  # Fit opens at the end
    page.locator("input[name=fit_back]").click()
    assert _epoch(page) == frames.epoch(frames.count - 1)
    play.click()  # plays the last few steps, and stops at the end
    page.wait_for_function("() => document.querySelector('input[name=epoch]').value === '1000'")
    page.wait_for_timeout(200)
    assert play.input_value() == "▶ Play"
    play.click()  # at the end, Play starts again from the first epoch
    page.wait_for_timeout(1000)
    assert play.input_value() == "❚❚ Pause"
    play.click()
    paused = _epoch(page)
    assert 0 < paused < 1000 and play.input_value() == "▶ Play"
    page.wait_for_timeout(300)
    assert _epoch(page) == paused  # paused means paused
    page.locator("input[name=fit_back]").focus()
    page.keyboard.press("Enter")
    assert _epoch(page) == paused - 1  # early on, a step is an epoch
    page.keyboard.press("Tab")  # to Step forward
    page.keyboard.press("Space")
    assert _epoch(page) == paused
    page.locator("input[name=epoch]").focus()
    page.keyboard.press("ArrowRight")
    assert _epoch(page) == paused + 1
    assert sent == []  # none of it asked the server for anything
    assert console.errors == []


def test_the_player_answers_a_tap(browser, app_url):
    context = browser.new_context(viewport={"width": 390, "height": 1600}, has_touch=True)
    page = context.new_page()
    page.goto(f"{app_url}/?epochs=100")
    wait_for_app(page)
    page.locator("input[name=fit_back]").tap()
    assert _epoch(page) == 99
    page.locator("input[name=fit_forward]").tap()
    assert _epoch(page) == 100
    context.close()


def test_a_click_on_the_surface_sets_the_start_in_the_address(page, console, app_url):
    page.goto(f"{app_url}/parameters")
    wait_for_app(page)
    contour = page.locator(CHART).nth(3).locator("canvas").first
    box = contour.bounding_box()
    page.mouse.click(box["x"] + 0.3 * box["width"], box["y"] + 0.25 * box["height"])
    page.wait_for_function("() => location.search.includes('k0=')", timeout=30_000)
    wait_for_app(page)
    query = parse_qs(urlparse(page.url).query)
    k0, b0 = float(query["k0"][0]), float(query["b0"][0])
    assert float(page.get_by_label("Start k₀").input_value()) == k0
    assert float(page.get_by_label("Start b₀").input_value()) == b0
    assert console.errors == []


def test_a_long_run_steps_through_the_same_frames_as_python(page, console, app_url):
    page.goto(f"{app_url}/parameters?epochs=1000000")
    wait_for_app(page)
    frames = frames_for(1_000_000)
    slider = page.locator("input[name=epoch]")
    assert _epoch(page) == 1_000_000  # the surface opens at the end, as Fit does
    # Drag-free: put the slider on the last one-epoch frame, as an input event does.
    slider.evaluate(
        "(input, value) => { input.value = value; input.dispatchEvent(new Event('input')); }",
        frames.linear - 1,
    )
    seen = []
    for _ in range(4):
        page.locator("input[name=path_forward]").click()
        seen.append(_epoch(page))
    assert seen == [frames.epoch(i) for i in range(frames.linear, frames.linear + 4)]
    # From between two frames, Step back goes to the frame at or before the slider.
    slider.evaluate(
        "(input, value) => { input.value = value; input.dispatchEvent(new Event('input')); }",
        frames.epoch(frames.linear + 40) + 1,
    )
    page.locator("input[name=path_back]").click()
    assert _epoch(page) == frames.epoch(frames.linear + 40)
    page.locator("input[name=path_back]").click()
    assert _epoch(page) == frames.epoch(frames.linear + 39)
    assert console.errors == []


def _panel(page) -> list[str]:
    """The update panel's lines as Vega drew them under Fit's chart (its title, in SVG)."""
    return page.evaluate(
        """() => [...document.querySelectorAll(
            '[data-testid="stVegaLiteChart"] .role-title-text text tspan, '
            + '[data-testid="stVegaLiteChart"] .role-title-text text:not(:has(tspan))'
        )].map(line => line.textContent)"""
    )


def test_the_panel_shows_the_lines_python_writes_each_heads_and_tails_joined(
    page, console, app_url
):
    page.goto(app_url)
    wait_for_app(page)
    data = gd.make_dataset(100, 2.0, 1.0, 1.0)
    optimizer = gd.sgd(0.01)
    run = gd.train(data, optimizer, 450)
    entry = registry.OPTIMIZERS[registry.PLAIN_GD]
    _, lines = receipt_columns(data, optimizer, run, entry, frames_for(450).epochs())
    at_end = [column[-1] for column in lines.values()]
    assert _panel(page) == at_end  # Fit opens at the end: "Epoch 450: the end"
    page.locator("input[name=fit_back]").click()
    assert _panel(page) == [column[-2] for column in lines.values()]
    assert console.errors == []


def test_the_keyboard_meets_the_players_controls_in_the_order_they_are_drawn(page, app_url):
    """Tab went to the Epoch slider before Play and the steps, which are drawn above it: the
    keyboard follows the page's order of elements, and the style sheet only moves the slider's
    row down. Now the controls come in reading order: top to bottom, then left to right."""
    page.goto(f"{app_url}/?epochs=100")
    wait_for_app(page)
    controls = page.locator(f"{CHART} .vega-bindings").first.locator("input, select")
    boxes = [controls.nth(i).bounding_box() for i in range(controls.count())]
    names = [controls.nth(i).get_attribute("name") for i in range(controls.count())]
    assert names == ["fit_play", "fit_back", "fit_forward", "fit_speed", "epoch"]
    rows = [(round(box["y"] + box["height"] / 2), box["x"]) for box in boxes]
    assert rows == sorted(rows, key=lambda row: (row[0] // 16, row[1]))  # a row: within 16 px
    page.locator("input[name=fit_play]").focus()
    for name in names[1:]:
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.name") == name
