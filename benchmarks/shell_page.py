"""shell_app.py's default page: the page title, and bare_app.py's chart at the sidebar's noise."""

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from ui.state import controls

st.title("Fit")
noise = controls.current().data.noise
epoch = np.arange(451)
frame = pd.DataFrame({"epoch": epoch, "loss": noise**2 + 200 * 0.99**epoch})
chart = alt.Chart(frame).mark_line().encode(x="epoch:Q", y=alt.Y("loss:Q").scale(type="log"))
st.altair_chart(chart, width="stretch")
