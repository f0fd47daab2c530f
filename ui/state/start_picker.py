"""Picking a start on the loss surface without a mouse: two sliders that move a marker cell by
cell over the surface's grid, and a button that starts the run there.

A click on the surface is mouse-only and its cells are a few pixels wide on a phone; these work
with the arrow keys and a finger, and say in words where the marker is and what the loss is
there. The sliders are the stability map's picker's (grid_cursor.py).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import streamlit as st

from ui.charts import render
from ui.config import Config
from ui.state.grid_cursor import grid_cursor

PICK_K, PICK_B = "start_pick_k", "start_pick_b"  # session keys, not in the URL (grid_cursor.py)


def render_start_picker(
    config: Config, surface: pd.DataFrame, use: Callable[[dict[str, list[dict]]], None]
) -> render.Columns:
    """The sliders, where the marker is, and the button that hands {"start": [{k, b}]} to
    `use`; returns the marker's row for the surface's START_MARK dataset."""
    # The grid's columns in NumPy: finding the marked cell with a pandas mask and iloc cost
    # about 0.3 ms of every Parameters rerun.
    k_cells, b_cells = surface["k"].to_numpy(), surface["b"].to_numpy()
    ks = sorted(set(k_cells.tolist()))
    bs = sorted(set(b_cells.tolist()))
    with st.expander("Pick a start with the keyboard or by touch"):
        k, b = grid_cursor(
            (PICK_K, PICK_B),
            ("k₀ (across)", "b₀ (up)"),
            (ks, bs),
            (config.train.k0, config.train.b0),
        )
        cell = np.flatnonzero((k_cells == k) & (b_cells == b))[0]
        loss = surface["loss"].to_numpy()[cell]
        st.markdown(f"The square marks k = {k:.4g}, b = {b:.4g}, where the loss is {loss:.5g}.")
        st.button(
            "Start here",
            on_click=use,
            args=({"start": [{"k": k, "b": b}]},),
            help="Sets the sidebar's Start k₀ and b₀ (and the address) to the marked point.",
        )
    return {"k": np.array([k], dtype=float), "b": np.array([b], dtype=float)}
