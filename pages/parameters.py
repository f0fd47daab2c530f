"""Parameters: k(t) and b(t), their distance to the optimum, and the path on the loss map."""

from functools import partial

import streamlit as st

from ui import charts, controls, feedback, render, runs

st.title("Parameters")
config = controls.current()
data, run = feedback.load_or_explain(config)
feedback.render_status(data, config, run)

rows = {
    charts.PATH: run.frame,
    charts.OPTIMUM: charts.optimum_rows(data.slope_ols, data.intercept_ols),
}
render.render_chart(
    ("distance",), charts.distance_chart, {charts.DISTANCE: charts.distance_rows(run.frame)}
)
st.caption(
    "Distance to the optimum on a log scale: a straight line is a constant rate of progress. "
    "With one learning rate, |k − k*| drops at once and then both crawl together at b's pace: "
    "the loss curves mean(x²) times more steeply along k than along b."
)
for column, color, side in zip("kb", (charts.K_COLOR, charts.B_COLOR), st.columns(2), strict=True):
    with side:
        render.render_chart(
            ("parameter", column), partial(charts.parameter_chart, column, color), rows
        )
render.render_chart(
    ("contour",), charts.contour_chart, rows | {charts.SURFACE: runs.surface(config)}
)
st.caption(
    "The loss over (k, b): a long, narrow valley. Gradient descent drops to the valley floor "
    "(mostly a change of k), then walks along it (k and b together) toward the cross, the "
    "least-squares optimum."
)
feedback.render_download(config, "parameters")
