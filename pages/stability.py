"""Stability: every pair of rates at once, the boundary theory draws, and a click to try one."""

import streamlit as st

from ui.charts import lab_charts, render
from ui.compute import lab
from ui.config import OPTIMIZER_LABELS
from ui.plain import captions
from ui.state import controls, feedback
from ui.state.pickers import readable_picker

MAP_KEY = "stability_map"


def use_clicked_rates() -> None:
    """Put the clicked cell's optimizer and rates into the sidebar (before it is drawn)."""
    selection = st.session_state[MAP_KEY].selection
    st.session_state.update(lab.sidebar_rates(selection, st.session_state["map"]))


st.title("Stability map")
config = controls.current()
data, _ = feedback.load_or_explain(config)
optimizer = readable_picker(  # readable names, the short value in the link (?map=adam)
    st.segmented_control,
    "Map for",
    "map",
    OPTIMIZER_LABELS,
    "sgd",
    required=True,
    help="Which optimizer every cell trains with; its settings come from the sidebar.",
)
try:
    view = lab.stability_view(config, optimizer)
except ValueError as error:  # e.g. Nesterov for the map with the sidebar's μ at 0
    feedback.explain(error)
cells = view.cells
k_range = (float(cells.k_low.min()), float(cells.k_high.max()))
b_range = (float(cells.b_low.min()), float(cells.b_high.max()))
with_boundary = not view.boundary.empty
render.render_chart(
    lab_charts.stability_chart,
    k_range,
    b_range,
    tuple(view.bands.items()),
    with_boundary,
    datasets={
        lab_charts.CELLS: cells,
        lab_charts.BOUNDARY: view.boundary,
        lab_charts.MARKS: view.marks,
    },
    key=MAP_KEY,
    on_select=use_clicked_rates,
)
st.caption(captions.stability(cells.outcome.value_counts().to_dict(), optimizer, view, config))
if config.train.standardize:
    st.caption(
        "The map trains on x as it is. Your sidebar standardises x, which makes both "
        "curvatures 2, so its rates mean something else there (see Theory, section 3)."
    )
if view.epochs < config.train.epochs:
    st.caption(
        f"Stepped maps run at most {lab.MAP_MAX_EPOCHS:,} epochs per cell, so this one shows "
        f"the first {view.epochs:,} of your {config.train.epochs:,}."
    )
if with_boundary:
    st.markdown(
        "The dashed orange line is where theory says the optimizer stops converging: the "
        "spectral radius of the step reaches 1. It bends because k and b are coupled through "
        "mean(x): near its corner neither rate is too large on its own, yet together they are."
    )
else:
    st.markdown(
        f"{OPTIMIZER_LABELS[optimizer]} divides each step by a running size of its own "
        "gradients, so a large rate makes it wander, not blow up: the map has no sharp edge, and "
        "no simple formula draws one. Compare it with the map for gradient descent."
    )
