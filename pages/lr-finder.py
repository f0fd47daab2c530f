"""LR finder: fastai's learning-rate range test and its four suggestions, graded against the
exact largest and fastest rates for the student's own data."""

import streamlit as st

from ui.state import controls, feedback
from ui.state.lr_finder import render_lr_finder

st.title("The learning-rate finder, graded")
config = controls.current()
data = feedback.load_data_or_explain(config)
render_lr_finder(config, data)
