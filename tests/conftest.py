"""Shared test set-up."""

import os

import pytest
from hypothesis import settings

# CI answers the same way on every run of the same code: its examples are derived from each
# test rather than drawn at random (a rare example must not fail an unrelated landing), and
# none fails for being slow on a busy machine. Runs elsewhere keep drawing new examples, which
# is where a rare failure should be found.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _pin_navigation_mode(monkeypatch):
    """Work around an AppTest defect with a `pages/` folder beside app.py (Streamlit 1.67).

    AppTest resets Streamlit's "uses a pages directory" flag before each run; the reset sees
    pages/ and falls back to the legacy multipage mode, so after a page switch a rerun skips
    app.py and its sidebar (KeyError on the widget key). The real server is unaffected. We
    use st.navigation, so the flag must stay False.
    """
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
