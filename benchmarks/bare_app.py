"""The reference for bench_browser.py: a bare Streamlit page with one slider and one chart.

    streamlit run benchmarks/bare_app.py

The slider has the same label, range and step as the app's noise slider, and the chart has as
many points as the app's loss curve, so the ratio measures what our pages add.
"""

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

st.title("A bare page")
noise = st.sidebar.slider("Noise σ", min_value=0.0, max_value=5.0, value=1.0, step=0.1, key="noise")
epoch = np.arange(451)
frame = pd.DataFrame({"epoch": epoch, "loss": noise**2 + 200 * 0.99**epoch})
chart = alt.Chart(frame).mark_line().encode(x="epoch:Q", y=alt.Y("loss:Q").scale(type="log"))
st.altair_chart(chart, width="stretch")
