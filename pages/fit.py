"""Fit: the data, the true and least-squares lines, and the model at any epoch."""

import streamlit as st

from ui.charts import render
from ui.charts import run_charts as charts
from ui.compute import runs
from ui.plain import alt_text, run_captions, upload
from ui.state import controls, feedback, player

st.title("Fit")
config = controls.current()
data, run = feedback.load_or_explain(config)
feedback.render_status(data, config, run)

points = runs.points(data)
lines = charts.reference_lines(data, config.data)
render.render_chart(
    charts.fit_chart,
    run.frames,
    upload.axis_titles(config.data.x_column, config.data.y_column),
    player.panel_lines(run),
    charts.reference_names(lines),
    datasets=player.datasets(run, charts.fit_datasets(points, run.frame, lines)),
    alt=alt_text.fit(run, lines, len(points), data.n),
)
feedback.render_captions(run_captions.fit(run, data), player.notes(run))
feedback.render_optimum(data, run)
feedback.render_update_rule(config)
feedback.render_download(config, run, "trajectory")
