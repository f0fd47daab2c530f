"""Picking a start on the loss surface without a mouse: two sliders that move a marker cell by
cell over the surface's grid, and a button that starts the run there.

A click on the surface is mouse-only and its cells are a few pixels wide on a phone; these work
with the arrow keys and a finger, and say in words where the marker is and what the loss is
there. The same pattern as the stability map's picker (map_picker.py).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import streamlit as st

from ui.config import Config

PICK_K, PICK_B = "start_pick_k", "start_pick_b"  # session keys, not in the URL: a cursor


def _place(key: str, options: list[float], start: float) -> None:
    """Put the slider on a value of this grid: its last one if still there, else the nearest
    to `start` (a new run frames a new grid)."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = options[int(np.argmin(np.abs(np.subtract(options, start))))]


def render_start_picker(
    config: Config, surface: pd.DataFrame, use: Callable[[dict[str, list[dict]]], None]
) -> pd.DataFrame:
    """The sliders, where the marker is, and the button that hands {"start": [{k, b}]} to
    `use`; returns the marker's row for the surface's START_MARK dataset."""
    ks = sorted(set(surface.k.tolist()))
    bs = sorted(set(surface.b.tolist()))
    _place(PICK_K, ks, config.train.k0)
    _place(PICK_B, bs, config.train.b0)
    with st.expander("Pick a start with the keyboard or by touch"):
        left, right = st.columns(2)
        shown = "{:.4g}".format
        with left:
            k = st.select_slider("k₀ (across)", ks, key=PICK_K, format_func=shown)
        with right:
            b = st.select_slider("b₀ (up)", bs, key=PICK_B, format_func=shown)
        cell = surface[(surface.k == k) & (surface.b == b)].iloc[0]
        st.markdown(
            f"The square marks k = {k:.4g}, b = {b:.4g}, where the loss is {cell.loss:.5g}."
        )
        st.button(
            "Start here",
            on_click=use,
            args=({"start": [{"k": k, "b": b}]},),
            help="Sets the sidebar's Start k₀ and b₀ (and the address) to the marked point.",
        )
    return pd.DataFrame({"k": [k], "b": [b]})
