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
curves, table = comparison.results(config, strategies)
key = (config.data, tuple(s.spec for s in strategies), tuple(s.label for s in strategies))
render.render_chart(("compare loss", key), lambda: charts.compare_loss_chart(curves))
left, right = st.columns(2)
with left:
    render.render_chart(
        ("compare k", key), lambda: charts.compare_parameter_chart(curves, "k", data.slope_ols)
    )
with right:
    render.render_chart(
        ("compare b", key), lambda: charts.compare_parameter_chart(curves, "b", data.intercept_ols)
    )
st.dataframe(table, hide_index=True, width="stretch")
st.caption(
    "Click a strategy in the legend to pick it out. Per-parameter rates, Adam and standardised x "
    "all remove the gap between k and b; more epochs only wait it out."
)
st.download_button(
    "Download the shown curves (CSV)",
    curves.to_csv(index=False).encode(),
    "compare.csv",
    "text/csv",
)
