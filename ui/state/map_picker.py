"""Picking a stability-map cell without a mouse: two sliders that move a marker cell by cell,
and a button that trains with the marked cell.

A click on the map is mouse-only and its cells are a few pixels wide on a phone; these controls
work with the arrow keys and with a finger, and say in words what the marked cell holds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from ui.charts import lab_charts
from ui.compute import lab
from ui.config import Config
from ui.state.grid_cursor import grid_cursor

# The marked cell's rates, kept in the link (?map_pick_k=0.01468&map_pick_b=0.3162, each as its
# slider shows it) until "Train with this cell" makes them the sidebar's, when they leave it.
PICK_K, PICK_B = "map_pick_k", "map_pick_b"


def follow_click(lr_k: float, lr_b: float) -> None:
    """Move the marker to a cell clicked on the map (called before the sliders are drawn)."""
    st.session_state[PICK_K], st.session_state[PICK_B] = lr_k, lr_b


def _train_picked(optimizer: str) -> None:
    picked = {"lr_k": st.session_state[PICK_K], "lr_b": st.session_state[PICK_B]}
    st.session_state.update(lab.sidebar_rates({lab_charts.CELL_SELECTION: [picked]}, optimizer))
    # The cell is now the sidebar's, the sliders' default: set to it, they leave the address.
    for key, rate in zip((PICK_K, PICK_B), picked.values(), strict=True):
        st.session_state[key] = rate


def render_map_picker(config: Config, cells: pd.DataFrame, optimizer: str) -> pd.DataFrame:
    """The sliders, what the marked cell holds, and its button; returns the marker's row for
    the map's MARKS."""
    rates_k = sorted(set(cells.lr_k.tolist()))
    rates_b = sorted(set(cells.lr_b.tolist()))
    with st.container(border=True):
        st.markdown("**Pick a cell with the keyboard or by touch**")
        lr_k, lr_b = grid_cursor(
            (PICK_K, PICK_B),
            ("η_k (across)", "η_b (up)"),
            (rates_k, rates_b),
            (config.train.lr_k, config.train.lr_b),
            log=True,
            bind=True,
        )
        # Found in NumPy, then read as the frame's row: masking the 1,600 cells' frame in pandas
        # cost half a millisecond of every visit.
        found = (cells["lr_k"].to_numpy() == lr_k) & (cells["lr_b"].to_numpy() == lr_b)
        cell = cells.iloc[int(np.flatnonzero(found)[0])]
        st.markdown(
            f"The square marks η_k = {lr_k:.4g}, η_b = {lr_b:.4g}: column "
            f"{rates_k.index(lr_k) + 1} of {len(rates_k)}, row {rates_b.index(lr_b) + 1} of "
            f"{len(rates_b)}. {_outcome(cell)}"
        )
        st.button(
            "Train with this cell",
            on_click=_train_picked,
            args=(optimizer,),
            help="Copies the map's optimizer and the marked cell's two rates into the sidebar.",
        )
    return pd.DataFrame({"lr_k": [lr_k], "lr_b": [lr_b], "mark": [lab_charts.PICKED]})


def _outcome(cell: pd.Series) -> str:
    if cell.outcome == "converged":
        return f"It converges in {cell.epochs:,.0f} epochs."
    if cell.outcome == "not converged":
        return f"It has not converged within {cell.settles.removeprefix('not within ')} epochs."
    if cell.outcome == "moving away":
        return "It is moving away from the optimum."
    return "It diverges."
