"""Picking a start on the loss surface without a mouse: two sliders that move a marker cell by
cell over the surface's grid, and a button that starts the run there.

A click on the surface is mouse-only and its cells are a few pixels wide on a phone; these work
with the arrow keys and a finger, and say in words where the marker is and what the loss is
there. The sliders are the stability map's picker's (grid_cursor.py).

The sliders offer only points a run can start from: the grid's points within the sidebar's
k₀ and b₀ range, and the run's own start, so the square marks that start exactly and "Start
here" starts where the square is. A diverged run's map spans ±10⁸, where no cell is a start.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import streamlit as st

import gd_core as gd
from ui import registry
from ui.charts import render
from ui.compute import runs
from ui.config import Config
from ui.state.grid_cursor import grid_cursor

PICK_K, PICK_B = "start_pick_k", "start_pick_b"  # session keys, not in the URL (grid_cursor.py)
# The run's start the sliders last marked: when the start moves (a click on the map, the
# sidebar, a link), the square moves to it. A slider otherwise keeps a value the new grid still
# has, and after a diverged run's clamped click (k₀ = 100) it kept marking the old start, so
# "Start here" undid the click.
MARKED_START = "_gdlab_start_pick_from"
# Where the map has fewer of its own points inside the start's range than this, the sliders
# step through the whole range instead, in this many points.
FEW_CELLS, RANGE_POINTS = 2, 41


def start_range(key: str) -> tuple[float, float]:
    """The values the sidebar's start box `key` ("k0" or "b0") accepts."""
    control = registry.CONTROLS[key]
    return float(control.low), float(control.high)


def start_axis(cells: Sequence[float], start: float, limits: tuple[float, float]) -> list[float]:
    """The points one slider offers: the map's points inside `limits`, or the whole range in
    RANGE_POINTS steps when the map has fewer than FEW_CELLS there; always with `start`."""
    low, high = limits
    inside = [value for value in cells if low <= value <= high]
    if len(inside) < FEW_CELLS:
        inside = np.linspace(low, high, RANGE_POINTS).tolist()
    return sorted({*inside, float(start)})


def render_start_picker(
    config: Config, surface: pd.DataFrame, use: Callable[[dict[str, list[dict]]], None]
) -> render.Columns:
    """The sliders, where the marker is, and the button that hands {"start": [{k, b}]} to
    `use`; returns the marker's row for the surface's START_MARK dataset."""
    k_cells, b_cells = surface["k"].to_numpy(), surface["b"].to_numpy()
    limits = start_range("k0"), start_range("b0")
    starts = config.train.k0, config.train.b0
    ks, bs = (
        start_axis(np.unique(cells).tolist(), start, limit)
        for cells, start, limit in zip((k_cells, b_cells), starts, limits, strict=True)
    )
    if st.session_state.get(MARKED_START) != starts:
        # Set, not dropped: a dropped key leaves the browser's slider at its old value while
        # the square moves (the widget keeps its id, so its front end keeps its state).
        st.session_state.update({PICK_K: starts[0], PICK_B: starts[1], MARKED_START: starts})
    with st.expander("Pick a start with the keyboard or by touch"):
        # Not in the URL: the sliders write "−100" with a minus sign, as the sentence below.
        k, b = grid_cursor(
            (PICK_K, PICK_B), ("k₀ (across)", "b₀ (up)"), (ks, bs), starts, shown=_signed
        )
        loss = gd.mse(runs.load_dataset(config.data), k, b)
        st.markdown(
            f"The square marks k = {_signed(k)}, b = {_signed(b)}, where the loss is {loss:.5g}."
        )
        if _map_reaches_past(k_cells, b_cells, limits):
            (k_low, k_high), (b_low, b_high) = (map(_signed, limit) for limit in limits)
            st.caption(
                f"A run starts with k₀ from {k_low} to {k_high} and b₀ from {b_low} to {b_high}, "
                "so the sliders stop there although the map reaches further; a click on the map "
                "outside that range starts at the nearest point inside it."
            )
        st.button(
            "Start here",
            on_click=use,
            args=({"start": [{"k": k, "b": b}]},),
            help="Sets the sidebar's Start k₀ and b₀ (and the address) to the marked point.",
        )
    return {"k": np.array([k], dtype=float), "b": np.array([b], dtype=float)}


def _map_reaches_past(
    k_cells: np.ndarray, b_cells: np.ndarray, limits: tuple[tuple[float, float], ...]
) -> bool:
    return any(
        cells.min() < low or cells.max() > high
        for cells, (low, high) in zip((k_cells, b_cells), limits, strict=True)
    )


def _signed(value: float) -> str:
    """4 digits with a minus sign, not a hyphen, as the app's other numbers."""
    return f"{value:.4g}".replace("-", "−")
