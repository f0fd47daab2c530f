"""Fit: the data, the true and least-squares lines, and the model at any epoch."""

import pandas as pd
import streamlit as st

from ui.charts import render
from ui.charts import run_charts as charts
from ui.compute import runs
from ui.plain import captions
from ui.state import controls, feedback

st.title("Fit")
config = controls.current()
data, run = feedback.load_or_explain(config)
feedback.render_status(data, config, run)

points = runs.points(config.data)
lines = [{"line": "least squares", "k": data.slope_ols, "b": data.intercept_ols}]
if config.data.csv is None:
    lines.append({"line": "true line", "k": config.data.slope, "b": config.data.intercept})
last_epoch = run.diverged_at or run.epochs
render.render_chart(
    ("fit", config.data, last_epoch),
    lambda: charts.fit_chart(
        (points["x"].min(), points["x"].max()),
        (points["y"].min(), points["y"].max()),
        pd.DataFrame(lines),
        last_epoch,
        (config.data.x_column or "x", config.data.y_column or "y"),
    ),
    {charts.POINTS: points, charts.PATH: run.frame},
)
st.caption(captions.fit(run))
feedback.render_optimum(data, run)
feedback.render_update_rule(config)
feedback.render_download(config, "trajectory")
