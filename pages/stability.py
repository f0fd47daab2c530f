"""Stability: every pair of rates at once, the boundary theory draws, and a click to try one."""

import streamlit as st

from ui.state import controls, feedback
from ui.state.stability_map import render_stability_map

st.title("Stability map")
config = controls.current()
data = feedback.load_data_or_explain(config)
render_stability_map(config, data)
