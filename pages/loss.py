"""Loss: the full-data MSE per epoch, against its floor."""

from contextlib import nullcontext

import streamlit as st

from ui.charts import mode_charts, palette, render
from ui.charts import run_charts as charts
from ui.compute import modes
from ui.plain import alt_text, floor_text, loss_captions
from ui.state import controls, feedback, history

st.title("Loss")
config = controls.current()
data, run = feedback.load_or_explain(config)
feedback.render_status(data, config, run)
history.render_keep_button(config, run)

noise_variance = None if config.data.csv is not None else config.data.noise**2
references = charts.loss_references(data.loss_ols, noise_variance)
# Beside the rate chart when the rate changes; else straight in the page (a container of its
# own would be one more element on every rerun, holding what the page holds anyway).
loss_side, rate_side = st.columns([3, 2]) if run.rates is not None else (nullcontext(), None)
drawn, kept = history.overlay("loss")
with loss_side:
    render.render_chart(
        charts.loss_chart,
        drawn,
        tuple(references["reference"]),  # those above 0, the ones a log axis can draw
        datasets={charts.PATH: run.frame, charts.REFERENCES: references} | kept,
        alt=alt_text.loss(run, data.loss_ols, noise_variance) + history.alt_suffix(),
    )
    history.render_overlay_caption(config)
if rate_side is not None:
    with rate_side:
        render.render_chart(
            charts.rate_chart,
            run.rates["rate of"].nunique() > 1,
            datasets={charts.RATES: run.rates},
            alt=alt_text.rates(run),
        )
        st.caption(loss_captions.rates(config.train, run))
st.caption(floor_text.floor_caption(data.loss_ols, generated=config.data.csv is None))
drawn, kept = history.overlay("excess")
render.render_chart(
    charts.excess_chart,
    drawn,
    datasets={charts.PATH: run.frame} | kept,
    alt=alt_text.excess(run) + history.alt_suffix(),
)
st.caption(loss_captions.excess(config.train, run))
st.subheader("The two modes")
if modes.applies(config):
    split = modes.mode_rows(config, data)
    render.render_chart(
        mode_charts.mode_chart,
        datasets={mode_charts.MODES: split},
        alt=alt_text.described(
            "Line chart of the loss above the floor split into plain gradient descent's two "
            "modes, each a straight line on a log scale.",
            "; ".join(dict.fromkeys(split["label"].to_pylist())) + ".",  # each line's, in order
        ),
    )
    st.caption(
        "Plain gradient descent multiplies (k − k*, b − b*) by I − D·H each epoch. Along each "
        "eigenvector of D·H (D the rates) that is one number, 1 − s, so the loss above the "
        "floor is exactly two independent parts, each shrinking by (1 − s)² per epoch: two "
        "straight lines on a log axis. Each is named by its pace, the parameter its direction "
        f"mostly moves (its colour: {palette.SAID[palette.K]} for k, {palette.SAID[palette.B]} "
        "for b) and its factor per epoch; the thin dotted line is their sum, the run's own "
        "L − L*."
    )
else:
    st.caption(
        "The split into two modes is exact for plain gradient descent at a constant rate (no "
        "schedule, no warm-up) on the full batch, with x as it is: choose those to see it."
    )
feedback.render_optimum(data, run)
history.render_kept_runs()
feedback.render_download(config, run, "loss")
