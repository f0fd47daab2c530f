"""A cursor over a grid of cells without a mouse: two sliders, one per axis, that move a marker
cell by cell with the arrow keys or a finger (the stability map's and the loss surface's
pickers).

The loss surface's cursor lives in the session: its grid frames the run's own path, so a cell
means nothing in a link. The stability map's is bound to the URL (`bind=True`): its grid is set
by the link's own settings, and the cell a student marked is what a shared link should show.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import streamlit as st

from ui import registry


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
    bind: bool = False,
    shown: Callable[[float], str] = registry.CELL_TEXT,
) -> tuple[float, float]:
    """Draw the two sliders side by side and return the marked (across, up) values. A slider
    keeps its last value while the grid still has it, else moves next to `starts` (a new data
    set, optimizer or run frames a new grid).

    The cell next to `starts` is each slider's default, so a bound slider leaves the address
    exactly when it marks that cell, the one a link without it opens on. `shown` writes a
    cell's value on its slider; a bound slider's must stay CELL_TEXT, its value in the URL."""
    defaults = [_nearest(options, start, log) for options, start in zip(axes, starts, strict=True)]
    for key, options, default in zip(keys, axes, defaults, strict=True):
        if key in st.session_state and st.session_state[key] not in options:
            st.session_state[key] = default
    chosen = []
    for column, key, label, options, default in zip(
        st.columns(2), keys, labels, axes, defaults, strict=True
    ):
        with column:
            chosen.append(
                st.select_slider(
                    label,
                    options,
                    value=default,
                    key=key,
                    format_func=shown,
                    bind="query-params" if bind else None,
                )
            )
    return chosen[0], chosen[1]
