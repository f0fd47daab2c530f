"""Parameters: k(t) and b(t), their distance to the optimum, and the path on the loss map."""

import streamlit as st

from ui.charts import parameter_charts, render
from ui.charts import run_charts as charts
from ui.charts.history_charts import pair_said
from ui.plain import alt_text, path_captions
from ui.state import controls, feedback, history, player

st.title("Parameters")
config = controls.current()
data, run = feedback.load_or_explain(config)
feedback.render_status(data, config, run)
history.render_keep_button(config, run)

rows = {
    charts.PATH: run.frame,
    charts.OPTIMUM: charts.optimum_rows(data.slope_ols, data.intercept_ols),
}
optimum = (float(data.slope_ols), float(data.intercept_ols))
DISTANCE_OF = tuple(parameter_charts.DISTANCE_LABELS.values())
drawn, kept = history.overlay(parameter_charts.DISTANCE_LABELS)
render.render_chart(
    parameter_charts.distance_chart,
    drawn,
    datasets={charts.DISTANCE: parameter_charts.distance_rows(run.frame)} | kept,
    alt=alt_text.distance(run) + history.alt_suffix(DISTANCE_OF),
)
st.caption(path_captions.distance(data, config.train, run))
for column, best, side in zip("kb", optimum, st.columns(2), strict=True):
    drawn, kept = history.overlay(column)
    with side:
        render.render_chart(
            parameter_charts.parameter_chart,
            column,
            drawn,
            datasets=rows | kept,
            alt=alt_text.parameter(run, column, best) + history.alt_suffix(),
        )
history.render_overlay_caption(config, pair_said(DISTANCE_OF))
player.render_contour(
    config,
    data,
    run,
    rows,
    alt_text.contour(run, optimum),
    caption=path_captions.contour(run, optimum),
)
history.render_kept_runs()
feedback.render_download(config, run, "parameters")
