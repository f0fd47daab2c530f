"""The sidebar's readable pickers, preset trace and reset in a real browser.

Each picker is a visible widget with readable names and a hidden one bound to the URL
(ui/pickers.py); only a browser shows that the hidden one takes no space and that choosing a
name by keyboard writes the short value into the address bar.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from scripts.browser import (
    PHONE,
    PHONE_USER_AGENT,
    ConsoleErrors,
    click_map_cell,
    wait_for_app,
)

SIDEBAR = '[data-testid="stSidebar"]'


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


def _shown_pickers(page) -> dict[str, str]:
    """Label → shown value of every selectbox a student can see in the sidebar."""
    shown = {}
    for box in page.locator(f"{SIDEBAR} [data-testid='stSelectbox']").all():
        if box.is_visible():
            label = box.get_by_test_id("stWidgetLabel").inner_text().strip()
            field = box.get_by_role("combobox")
            shown[label] = field.input_value() or field.get_attribute("placeholder")
    return shown


def test_choosing_adam_by_name_with_the_keyboard_links_optimizer_adam(
    page, console, app_url, browser
):
    page.goto(app_url)
    wait_for_app(page)
    shown = _shown_pickers(page)
    assert shown["Optimizer"] == "Gradient descent" and shown["Schedule"] == "Constant rate"
    assert not any("value in links" in label for label in shown)  # the bound ones are hidden
    picker = page.locator(SIDEBAR).get_by_role("combobox", name="Optimizer")
    picker.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.type("Adam")
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search.includes('optimizer=adam')", timeout=30_000)
    wait_for_app(page)
    assert _query(page.url) == {"optimizer": ["adam"]}
    assert _shown_pickers(page)["Optimizer"] == "Adam"
    assert page.locator(SIDEBAR).get_by_text("β2").count() == 1  # Adam's own controls
    assert console.errors == []

    fresh = browser.new_context(viewport={"width": 1440, "height": 1800}).new_page()
    fresh_console = ConsoleErrors(fresh)
    fresh.goto(f"{app_url}/?optimizer=adam&schedule=cosine&lesson=divergence")
    wait_for_app(fresh)
    shown = _shown_pickers(fresh)
    assert shown["Optimizer"] == "Adam" and shown["Schedule"] == "Cosine decay"
    assert shown["Lesson"] == "When a rate is too large"
    assert fresh_console.errors == []
    fresh.context.close()


def test_a_click_on_the_adam_map_trains_adam_at_the_cells_rates(page, console, app_url):
    page.goto(f"{app_url}/stability")
    wait_for_app(page)
    switch = page.locator('[data-testid="stMain"] [data-testid="stButtonGroup"]:visible')
    assert switch.count() == 1
    switch.get_by_text("Adam", exact=True).click()
    page.wait_for_function("() => location.search.includes('map=adam')", timeout=30_000)
    wait_for_app(page)
    click_map_cell(page)
    query = _query(page.url)
    assert query["optimizer"] == ["adam"] and query["map"] == ["adam"]
    assert _shown_pickers(page)["Optimizer"] == "Adam"
    assert console.errors == []


def test_a_preset_stays_shown_with_its_trace_and_reset_empties_the_link(page, console, app_url):
    page.goto(app_url)
    wait_for_app(page)
    sidebar = page.locator(SIDEBAR)
    sidebar.get_by_role("combobox", name="Preset").click()
    page.get_by_role("option", name="Fix 1: a rate for each parameter").click()
    page.wait_for_function("() => location.search.includes('lr_b=0.2')", timeout=30_000)
    wait_for_app(page)
    assert _shown_pickers(page)["Preset"] == "Fix 1: a rate for each parameter"
    trace = sidebar.get_by_text("Preset “Fix 1: a rate for each parameter”")
    assert "η_k = 0.02, η_b = 0.2" in trace.inner_text()
    sidebar.get_by_role("button", name="Reset to defaults").click()
    page.wait_for_function("() => location.search === ''", timeout=30_000)
    wait_for_app(page)
    assert _shown_pickers(page)["Preset"] == "Start from a preset…"
    assert sidebar.get_by_text("Preset “").count() == 0
    assert console.errors == []


def test_on_a_phone_the_sidebar_closes_once_a_page_is_picked(browser, app_url):
    """E's walkthrough at 390 px: after a tap on a page the sidebar stayed over 75 % of the
    screen. Streamlit closes it on a phone, recognised by its user agent (scripts/browser.py);
    nothing of the app's may keep it open."""
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, user_agent=PHONE_USER_AGENT
    )
    page = context.new_page()
    console = ConsoleErrors(page)
    page.goto(app_url)
    wait_for_app(page)
    sidebar = page.locator(SIDEBAR)
    assert sidebar.get_attribute("data-collapsed") == "true"  # a phone opens on the page
    page.get_by_test_id("stExpandSidebarButton").tap()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stSidebar\"]').dataset.collapsed === 'false'"
    )
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Stability").tap()
    page.wait_for_url("**/stability")
    wait_for_app(page)
    assert sidebar.get_attribute("data-collapsed") == "true"
    assert console.errors == []
    context.close()
