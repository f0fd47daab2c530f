"""The reference for bench_browser.py and bench_class.py: a bare page, one slider, one chart.

    streamlit run benchmarks/bare_app.py

The slider has the same label, range and step as the app's noise slider, and the chart has as
many points as the app's loss curve, so the ratio measures what our pages add. Like app.py it
freezes what its first run loaded (ui/plain/collector.py): the ratio then compares what the
pages do, not two settings of the garbage collector.
"""

import gc

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


@st.cache_resource  # once per process, after the first run's imports
def _freeze_what_is_loaded() -> bool:
    gc.freeze()
    return True


_freeze_what_is_loaded()
