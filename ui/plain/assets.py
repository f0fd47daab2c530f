"""The files under assets/ as app.py sends them, read once per process.

app.py runs again on every rerun of every session: reading the favicon and the style sheet
there (and base64-encoding the one, Streamlit reading the other from its Path) cost each
rerun file reads for bytes that never change while the server runs.
"""

from __future__ import annotations

import base64
from pathlib import Path

_ASSETS = Path(__file__).resolve().parents[2] / "assets"

# A file of our own, not a :material/…: icon: those favicons are fetched from Google's font
# CDN, which fails (and logs a console error) on a classroom network that blocks it.
# Given as a data: URL, which Streamlit passes through: a file path is opened with PIL and
# registered as a media file on every rerun (about 1 ms of each run's server time).
_PNG = (_ASSETS / "favicon.png").read_bytes()
FAVICON = "data:image/png;base64," + base64.b64encode(_PNG).decode()

# What st.html(Path("….css")) sends: the sheet in a <style> element, so Streamlit puts it in
# its event container, where it takes no space. The same text, read once.
STYLE_SHEET = "<style>" + (_ASSETS / "chart_controls.css").read_text(encoding="utf-8") + "</style>"
