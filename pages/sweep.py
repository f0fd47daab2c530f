"""Sweeps: one setting over a range, epochs to converge and final loss per optimizer."""

import streamlit as st

from ui.state import controls, feedback
from ui.state.sweep import render_sweep

st.title("Sweep one setting")
config = controls.current()
data = feedback.load_data_or_explain(config)
render_sweep(config, data)
