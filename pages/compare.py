"""Compare: strategies side by side on the same data and epoch budget."""

import streamlit as st

from ui import charts, comparison, controls, feedback, render

st.title("Compare strategies")
config = controls.current()
data, _ = feedback.load_or_explain(config)
st.caption(
    f"Each strategy trains on the same data for {config.train.epochs:,} epochs from the same "
    "start. Edit any rate in the table; untick a row to hide it."
)
strategies = comparison.render_strategy_editor(config, data)
curves, table, curves_csv = comparison.results(config, strategies)
rows = {charts.CURVES: curves}
render.render_chart(("compare loss",), charts.compare_loss_chart, rows)
left, right = st.columns(2)
with left:
    render.render_chart(
        ("compare k", data.slope_ols),
        lambda: charts.compare_parameter_chart("k", data.slope_ols),
        rows,
    )
with right:
    render.render_chart(
        ("compare b", data.intercept_ols),
        lambda: charts.compare_parameter_chart("b", data.intercept_ols),
        rows,
    )
st.dataframe(table, hide_index=True, width="stretch")
st.caption(
    "Click a strategy in the legend to pick it out. Per-parameter rates, momentum, Adam and "
    "standardised x all close the gap between k and b; more epochs only wait it out."
)
st.download_button(
    "Download the shown curves (CSV)",
    curves.to_csv(index=False).encode(),
    "compare.csv",
    "text/csv",
)
