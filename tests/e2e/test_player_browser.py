"""The player in Chromium: it plays with no server rerun, steps back and forward by keyboard and
touch, and a click on the loss surface sets k₀ and b₀ in the address."""

from urllib.parse import parse_qs, urlparse

from scripts.browser import CHART, wait_for_app


def _epoch(page) -> int:
    return int(page.locator("input[name=epoch]").first.input_value())


def test_play_runs_in_the_browser_and_the_steps_go_both_ways(page, console, app_url):
    page.goto(f"{app_url}/?epochs=1000")
    wait_for_app(page)
    sent: list[object] = []
    page.on("websocket", lambda socket: socket.on("framesent", sent.append))
    assert _epoch(page) == 1000  # Fit opens at the end
    page.locator("input[name=fit_back]").click()
    back = _epoch(page)
    assert back < 1000
    page.locator("input[name=fit_play]").click()  # at the end, Play would start again
    page.wait_for_timeout(1200)
    page.locator("input[name=fit_play]").click()
    paused = _epoch(page)
    assert paused > back or paused < back  # it moved
    page.locator("input[name=fit_play]").click()
    page.wait_for_timeout(800)
    page.locator("input[name=fit_play]").click()
    assert _epoch(page) != paused
    stopped = _epoch(page)
    page.locator("input[name=fit_back]").focus()
    page.keyboard.press("Enter")
    assert _epoch(page) < stopped
    page.keyboard.press("Tab")  # to Step forward
    page.keyboard.press("Space")
    assert _epoch(page) == stopped
    assert page.locator("input[name=fit_play]").input_value() == "▶ Play"
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
