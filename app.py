"""Gradient Descent Lab: routes between the pages and draws the shared sidebar once."""

from pathlib import Path

import streamlit as st

from ui.plain import memory
from ui.state import controls, lessons

memory.return_large_arrays_to_the_os()  # idempotent and cheap; see ui/memory.py

# A file of our own, not a :material/…: icon: those favicons are fetched from Google's font
# CDN, which fails (and logs a console error) on a classroom network that blocks it.
FAVICON = Path(__file__).parent / "assets" / "favicon.png"
st.set_page_config(page_title="Gradient Descent Lab", page_icon=str(FAVICON), layout="wide")
# Listed explicitly (not discovered) so the sidebar's widgets keep their values across pages.
page = st.navigation(
    [
        st.Page("pages/fit.py", title="Fit", icon=":material/show_chart:", default=True),
        st.Page("pages/loss.py", title="Loss", icon=":material/trending_down:", url_path="loss"),
        st.Page(
            "pages/parameters.py",
            title="Parameters",
            icon=":material/timeline:",
            url_path="parameters",
        ),
        st.Page(
            "pages/compare.py",
            title="Compare",
            icon=":material/compare_arrows:",
            url_path="compare",
        ),
        st.Page(
            "pages/stability.py", title="Stability", icon=":material/grid_on:", url_path="stability"
        ),
        st.Page("pages/theory.py", title="Theory", icon=":material/function:", url_path="theory"),
        st.Page("pages/lessons.py", title="Lessons", icon=":material/school:", url_path="lessons"),
    ]
)
lessons.read_bare_link()
with st.sidebar:
    lessons.render_picker()
controls.render_sidebar()
lessons.render_card()
page.run()
