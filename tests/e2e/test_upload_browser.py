"""Uploads as a student's browser makes them: the drop zone, the size limit, text shown as typed.

AppTest covers every corpus file (tests/ui/test_upload.py) but skips the browser's part: the
frontend's own size check, and how Markdown in a file name or a cell would be drawn.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from scripts.browser import CHART, wait_for_app
from tests.data.make_corpus import X, Y

DATA = Path(__file__).resolve().parents[1] / "data"
UPLOAD_LIMIT_MB = 5  # .streamlit/config.toml, server.maxUploadSize


def _upload(page, name: str, content: bytes) -> None:
    dropzone = page.get_by_test_id("stFileUploaderDropzoneInput")
    dropzone.set_input_files(files=[{"name": name, "mimeType": "text/csv", "buffer": content}])
    wait_for_app(page)


def _sidebar_text(page) -> str:
    return page.get_by_test_id("stSidebar").inner_text()


def test_an_uploaded_file_is_fitted_and_drawn(page, console, app_url):
    page.goto(app_url)
    wait_for_app(page)
    _upload(page, "semicolon_crlf.csv", (DATA / "semicolon_crlf.csv").read_bytes())
    assert "12 rows · header row · semicolon-separated" in _sidebar_text(page)
    k_star, _ = np.polyfit(X, Y, 1)
    assert f"k* = {k_star:.5g}" in page.get_by_test_id("stMetric").first.inner_text()
    assert page.locator(f"{CHART} svg, {CHART} canvas").count() == 1
    # The generated-data sliders step aside while a file is in use.
    assert page.get_by_test_id("stSidebar").get_by_role("slider").first.is_disabled()
    assert console.errors == []


def test_a_file_over_the_upload_limit_is_refused_by_the_widget(page, console, app_url):
    page.goto(app_url)
    wait_for_app(page)
    too_big = b"x,y\n" + b"1.000000,2.000000\n" * (UPLOAD_LIMIT_MB * 2**20 // 18 + 1)
    dropzone = page.get_by_test_id("stFileUploaderDropzoneInput")
    dropzone.set_input_files(files=[{"name": "big.csv", "mimeType": "text/csv", "buffer": too_big}])
    uploader = page.get_by_test_id("stFileUploader")
    uploader.get_by_text("File must be 5.0MB or smaller.").wait_for()
    # Nothing else changed: the generated points are still fitted and drawn.
    wait_for_app(page)
    assert page.get_by_test_id("stException").count() == 0
    assert "Still converging after 450 epochs" in page.get_by_test_id("stAlert").inner_text()
    assert page.locator(f"{CHART} svg, {CHART} canvas").count() == 1
    assert console.errors == []


def test_markup_in_a_file_name_or_header_is_shown_as_typed(page, console, app_url):
    page.goto(app_url)
    wait_for_app(page)
    name = "<b>bold</b> **x** [a](http://example.com).csv"
    header = b"<i>n</i> http://example.com"
    _upload(page, name, (DATA / "extra_columns.csv").read_bytes().replace(b"notes", header))
    sidebar = page.get_by_test_id("stSidebar")
    assert sidebar.get_by_test_id("stFileChipName").get_attribute("title") == name
    sidebar.get_by_test_id("stSelectbox").filter(has_text="y column").click()
    page.get_by_role("option", name=header.decode()).click()  # drawn as text, so found by it
    wait_for_app(page)
    alert = page.get_by_test_id("stAlert")
    assert f"column {header.decode()}: ok is not a number" in alert.inner_text()
    assert sidebar.locator("b, strong, i, em").count() == 0
    assert alert.locator("a, i, b, strong").count() == 0
    assert console.errors == []


def test_markup_in_a_cell_is_quoted_in_the_message_not_drawn(page, console, app_url):
    page.goto(app_url)
    wait_for_app(page)
    _upload(page, "markup_cell.csv", (DATA / "markup_cell.csv").read_bytes())
    alert = page.get_by_test_id("stAlert")
    assert "<img src=x onerror=alert(1)>**b** is not a number" in alert.inner_text()
    assert alert.locator("img, strong").count() == 0
    assert console.errors == []
