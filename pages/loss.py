"""Loss: the full-data MSE per epoch, against its floor."""

import streamlit as st

from ui.charts import render
from ui.charts import run_charts as charts
from ui.plain import captions
from ui.state import controls, feedback, history

st.title("Loss")
config = controls.current()
data, run = feedback.load_or_explain(config)
feedback.render_status(data, config, run)
history.render_keep_button(config, run)

noise_variance = None if config.data.csv is not None else config.data.noise**2
references = charts.loss_references(data.loss_ols, noise_variance)
loss_side, rate_side = st.columns([3, 2]) if run.rates is not None else (st.container(), None)
with_history, kept = history.overlay("loss")
with loss_side:
    render.render_chart(
        charts.loss_chart,
        with_history,
        datasets={charts.PATH: run.frame, charts.REFERENCES: references} | kept,
    )
    history.render_overlay_caption(config)
if rate_side is not None:
    with rate_side:
        render.render_chart(charts.rate_chart, datasets={charts.RATES: run.rates})
        st.caption(captions.rates(run))
st.caption(
    "No optimizer can go below the least-squares floor L*; with generated data it sits near σ², "
    "the part of the loss that noise alone costs. Hover for exact values."
)
render.render_chart(charts.excess_chart, datasets={charts.PATH: run.frame})
st.caption(captions.excess(config.train, run))
feedback.render_optimum(data, run)
history.render_kept_runs()
feedback.render_download(config, run, "loss")
