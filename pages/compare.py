"""Compare: strategies side by side on the same data and epoch budget."""

from functools import partial

import streamlit as st

from ui.charts import parameter_charts, render
from ui.charts import run_charts as charts
from ui.compute import comparison
from ui.plain import alt_text, budget, compare_captions
from ui.plain.records import records
from ui.state import controls, feedback
from ui.state.tuning import render_race_table, render_tuning_ui, tuned_strategies

st.title("Compare strategies")
config = controls.current()
data = feedback.load_data_or_explain(config)
st.caption(
    f"Each strategy trains on the same data for {config.train.epochs:,} epochs from the same "
    "start. Edit any rate in the table; untick a row to hide it."
)
tune = render_tuning_ui(config.train.epochs)
strategies = comparison.render_strategy_editor(config, data, tuned=tune is not None)
strategies, tried = tuned_strategies(config, data, strategies, tune)
specs = [strategy.spec for strategy in strategies]
try:
    seconds = budget.check_feasible(data, specs)  # the strategies share one page's budget
except budget.TooMuchWork as error:
    feedback.explain(error)
with feedback.working(seconds, specs, ("compare", comparison.inputs(config, strategies))):
    curves, table = comparison.results(config, strategies, data)
if note := comparison.sidebar_schedule_note(config, data, table):
    st.info(note, icon=":material/schedule:")
# Each chart gets only its own columns and drawable rows: three charts, one table of curves.
excess = charts.drawable(curves, ["strategy", "epoch", "excess"], log="excess")
names = tuple(strategy.label for strategy in strategies)
rows = records(table)
render.render_chart(
    parameter_charts.compare_loss_chart,
    names,
    comparison.LABELS,
    datasets={charts.CURVES: excess},
    alt=alt_text.compare(rows, "the loss above the floor, L − L*, on a log scale"),
)
optimum = charts.optimum_rows(data.slope_ols, data.intercept_ols)
for column, side in zip("kb", st.columns(2), strict=True):
    with side:
        render.render_chart(
            parameter_charts.compare_parameter_chart,
            column,
            names,
            comparison.LABELS,
            datasets={
                charts.CURVES: charts.drawable(curves, ["strategy", "epoch", column]),
                charts.OPTIMUM: optimum,
            },
            alt=alt_text.compare(rows, column),
        )
render_race_table(table, tune, tried)
st.caption(compare_captions.compare(rows, config.train.epochs))
st.download_button(
    "Download the shown curves (CSV)",
    partial(comparison.curves_csv, curves),  # written only when clicked
    "compare.csv",
    "text/csv",
    on_click="ignore",
)
