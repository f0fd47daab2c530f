"""Gradient Descent Lab: routes between the pages and draws the shared sidebar once."""

import streamlit as st

from ui import controls

st.set_page_config(
    page_title="Gradient Descent Lab", page_icon=":material/trending_down:", layout="wide"
)
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
    ]
)
controls.render_sidebar()
page.run()
