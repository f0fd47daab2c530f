"""Gradient Descent Lab: the loss curve of plain gradient descent (first slice of the app)."""

import altair as alt
import pandas as pd
import streamlit as st

import gd_core as gd

st.set_page_config(page_title="Gradient Descent Lab", page_icon="📉")
st.title("Gradient Descent Lab")
data = gd.make_dataset(100, slope=2.0, intercept=1.0, noise=1.0)
run = gd.train(data, gd.sgd(0.01), epochs=450)
curve = pd.DataFrame({"epoch": range(len(run.loss)), "loss": run.loss})
st.altair_chart(
    alt.Chart(curve).mark_line().encode(x="epoch", y=alt.Y("loss", scale=alt.Scale(type="log"))),
    width="stretch",
)
st.caption(run.message)
