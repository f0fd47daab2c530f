"""A cursor over a grid of cells without a mouse: two sliders, one per axis, that move a marker
cell by cell with the arrow keys or a finger (the stability map's and the loss surface's
pickers). The cursor lives in the session, not the URL: it is a pointer, not a setting.
"""

from __future__ import annotations

import numpy as np
import streamlit as st


def _nearest(options: list[float], value: float, log: bool) -> float:
    """The option closest to `value`, on log axes for rates."""
    if log:
        distance = np.abs(np.log(options) - np.log(max(value, 1e-300)))
    else:
        distance = np.abs(np.subtract(options, value))
    return options[int(np.argmin(distance))]


def grid_cursor(
    keys: tuple[str, str],
    labels: tuple[str, str],
    axes: tuple[list[float], list[float]],
    starts: tuple[float, float],
    log: bool = False,
) -> tuple[float, float]:
    """Draw the two sliders side by side and return the marked (across, up) values. A slider
    keeps its last value while the grid still has it, else moves next to `starts` (a new data
    set, optimizer or run frames a new grid)."""
    for key, options, start in zip(keys, axes, starts, strict=True):
        if st.session_state.get(key) not in options:
            st.session_state[key] = _nearest(options, start, log)
    shown = "{:.4g}".format
    chosen = []
    for column, key, label, options in zip(st.columns(2), keys, labels, axes, strict=True):
        with column:
            chosen.append(st.select_slider(label, options, key=key, format_func=shown))
    return chosen[0], chosen[1]
