"""The Stability page's map: which optimizer it is for, the map itself, and what it shows.

A click on a cell puts that optimizer and the cell's rates into the sidebar (before the sidebar
is drawn again), so the sidebar then trains exactly what the cell shows.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

import gd_core as gd
from ui import registry
from ui.charts import lab_charts, render
from ui.compute import lab
from ui.config import OPTIMIZER_LABELS, Config, build_schedule
from ui.plain import alt_text, map_text, theory_captions
from ui.plain.batch_text import stability_batch_note
from ui.state import feedback
from ui.state.map_picker import follow_click, render_map_picker
from ui.state.pickers import readable_picker

MAP_KEY = "stability_map"


def use_clicked_rates() -> None:
    """Put the clicked cell's optimizer and rates into the sidebar (before it is drawn), and
    the keyboard marker on that cell."""
    selection = st.session_state[MAP_KEY].selection
    rates = lab.sidebar_rates(selection, st.session_state["map"])
    st.session_state.update(rates)
    if rates:
        follow_click(rates["lr_k"], rates["lr_b"])


def render_stability_map(config: Config, data: gd.Dataset) -> None:
    """The optimizer picker, its map over every pair of rates, the controls that pick a cell
    without a mouse, and the captions under them."""
    optimizer = readable_picker(  # readable names, the short value in the link (?map=adam)
        st.segmented_control,
        "Map for",
        "map",
        OPTIMIZER_LABELS,
        registry.PLAIN_GD,
        required=True,
        help="Which optimizer every cell trains with; its settings come from the sidebar.",
    )
    try:
        view = lab.stability_view(config, optimizer, data)
    except ValueError as error:  # e.g. Nesterov for the map with the sidebar's μ at 0
        feedback.explain(error)
    cells = view.cells
    with_boundary = not view.boundary.empty
    counts = cells.outcome.value_counts().to_dict()
    map_slot = st.container()  # the map above its controls, drawn once the marker is known
    picked = render_map_picker(config, cells, optimizer)
    with map_slot:
        render.render_chart(
            lab_charts.stability_chart,
            tuple(view.bands.items()),
            with_boundary,
            datasets={
                lab_charts.CELLS: lab.map_rows(cells),
                lab_charts.BOUNDARY: view.boundary,
                lab_charts.MARKS: pd.concat([view.marks, picked], ignore_index=True),
            },
            alt=alt_text.stability(counts, view, OPTIMIZER_LABELS[optimizer]),
            key=MAP_KEY,
            on_select=use_clicked_rates,
        )
    feedback.render_captions(
        theory_captions.stability(counts, optimizer, view, config),
        map_text.fastest_cell(cells),
        map_text.rings_caption(
            cells.band.value_counts(sort=False).to_dict(), lab_charts.RARE_CELLS
        ),
        "The map trains on x as it is. Your sidebar standardises x, which makes both "
        "curvatures 2, so its rates mean something else there (see Theory, section 3)."
        if config.train.standardize
        else None,
        stability_batch_note(config.train.batch),
        f"Stepped maps run at most {lab.MAP_MAX_EPOCHS:,} epochs per cell, so this one shows "
        f"the first {view.epochs:,} of your {config.train.epochs:,}."
        if view.epochs < config.train.epochs
        else None,
    )
    if with_boundary:
        st.markdown(
            "The black dashed line on a white band is where theory says the optimizer stops "
            "converging: the spectral radius of the step reaches 1. It bends because k and b "
            "are coupled through mean(x): near its corner neither rate is too large on its "
            "own, yet together they are."
            + (
                " Every cell trains with your schedule, and the line is for a constant rate, "
                "so here it is a guide: the schedule's rates are at most the cell's."
                if build_schedule(config.train) is not None
                else ""
            )
        )
    else:
        st.markdown(
            f"{OPTIMIZER_LABELS[optimizer]} divides each step by a running size of its own "
            "gradients, so a large rate makes it wander, not blow up: the map has no sharp edge, "
            "and no simple formula draws one. Compare it with the map for gradient descent."
        )
