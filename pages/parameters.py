"""Parameters: k(t) and b(t), their distance to the optimum, and the path on the loss map."""

import streamlit as st

from ui.charts import parameter_charts, render
from ui.charts import run_charts as charts
from ui.plain import captions
from ui.state import controls, feedback, player

st.title("Parameters")
config = controls.current()
data, run = feedback.load_or_explain(config)
feedback.render_status(data, config, run)

rows = {
    charts.PATH: run.frame,
    charts.OPTIMUM: charts.optimum_rows(data.slope_ols, data.intercept_ols),
}
render.render_chart(
    parameter_charts.distance_chart,
    datasets={charts.DISTANCE: parameter_charts.distance_rows(run.frame)},
)
st.caption(captions.distance(data, config.train, run))
for column, color, side in zip("kb", (charts.K_COLOR, charts.B_COLOR), st.columns(2), strict=True):
    with side:
        render.render_chart(parameter_charts.parameter_chart, column, color, datasets=rows)
player.render_contour(config, data, run, rows)
st.caption(captions.contour(run))
feedback.render_download(config, run, "parameters")
