"""What the pages with a player add around it: its datasets, its buttons' layout, its notes."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

import gd_core as gd
from ui.charts import render, surface_charts
from ui.charts.player import RECEIPT_HEADS, RECEIPTS
from ui.charts.run_charts import SURFACE
from ui.compute import runs
from ui.config import Config
from ui.plain import run_captions
from ui.plain.views import Trajectory
from ui.state.feedback import render_captions
from ui.state.start_picker import render_start_picker

START_KEY = "contour_start"
START_LIMIT = 100.0  # the sidebar's k₀ and b₀ range (ui/registry/interface.py)
CLAMPED = "_gdlab_start_clamped"  # what the last click outside that range started at instead


def datasets(run: Trajectory, rows: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame | bytes]:
    """`rows` and, when the run has them, the update panel's lines (the player's buttons are
    laid out by assets/chart_controls.css). Only the lines: the browser turns every cell of a
    changed dataset into a JavaScript value on each rerun, and the steps' other columns (the
    arrows' ends) were two thirds of this one's cells."""
    if run.panel is None:
        return rows
    return rows | {RECEIPTS: run.panel, RECEIPT_HEADS: run.panel_heads}


def panel_lines(run: Trajectory) -> int:
    """How many lines the update panel needs for this run (0: no panel)."""
    return run.panel_lines


def notes(run: Trajectory) -> str:
    """How to drive the player, and why the panel is missing when it is (a caption's text)."""
    return run_captions.player(run)


def start_values(selection: dict[str, Any]) -> dict[str, float]:
    """Sidebar values for a clicked point of the surface: k₀ and b₀ to 4 digits, inside the
    sidebar's range; {} for no click."""
    picked = selection.get(surface_charts.START_SELECTION) or []
    if not picked:
        return {}
    point = picked[0]
    return {
        name: min(max(float(f"{point[field]:.4g}"), -START_LIMIT), START_LIMIT)
        for name, field in (("k0", "k"), ("b0", "b"))
    }


def clamped_note(selection: dict[str, Any]) -> str | None:
    """What a click outside the start's range starts at instead, in words; None inside it."""
    picked = selection.get(surface_charts.START_SELECTION) or []
    if not picked or all(abs(picked[0][field]) <= START_LIMIT for field in "kb"):
        return None
    k, b = (f"{picked[0][field]:.3g}".replace("-", "−") for field in "kb")
    k0, b0 = (f"{value:g}".replace("-", "−") for value in start_values(selection).values())
    return (
        f"You clicked at k = {k}, b = {b}, outside the range a run can start from "
        f"(k₀ and b₀ from −{START_LIMIT:g} to {START_LIMIT:g}), so the run starts at the "
        f"nearest point inside it: k₀ = {k0}, b₀ = {b0}."
    )


def use_clicked_start() -> None:
    """Put the clicked point into the sidebar's start (before the sidebar is drawn again), and
    keep a note for the next draw when it had to be moved inside the start's range."""
    selection = st.session_state[START_KEY].selection
    st.session_state[CLAMPED] = clamped_note(selection)
    use_start(selection)


def use_start(selection: dict[str, Any]) -> None:
    """Put a chosen point (a click's selection, or the picker's) into the sidebar's start."""
    st.session_state.update(start_values(selection))


def render_contour(
    config: Config,
    data: gd.Dataset,
    run: Trajectory,
    rows: dict[str, pd.DataFrame],
    alt: str,
    caption: str | None = None,
) -> None:
    """The path on the loss surface with the player, its arrows and the update panel; a click
    on the surface starts the run there. `caption`, the page's own words on the map, closes
    the captions under it (one element: ui/state/feedback.py, render_captions)."""
    surface = runs.surface(config, data, run)
    arrows = runs.contour_arrows(config=config, _data=data, _run=run)  # by keyword: render.py
    steps = {} if arrows is None else {surface_charts.ARROWS: arrows[0]}
    kinds = () if arrows is None else arrows[1]
    marker = render_start_picker(config, surface, use_start)
    note = st.session_state.pop(CLAMPED, None)  # shown once, after the click that needed it
    if note:
        st.info(note, icon=":material/info:")
    rows = rows | {SURFACE: surface, surface_charts.START_MARK: marker} | steps
    render.render_chart(
        surface_charts.contour_chart,
        run.frames,
        panel_lines(run),
        kinds,
        datasets=datasets(run, rows),
        key=START_KEY,
        on_select=use_clicked_start,
        alt=alt,
    )
    render_captions(
        notes(run),
        "Click or tap a point of the surface to start there: it sets k₀ and b₀ in the sidebar "
        "and the address (with the keyboard, the picker above moves the white square cell by "
        "cell). The "
        "arrows are drawn to scale at the shown epoch: −η·g, where this epoch's rates alone "
        "would move; the step actually taken, which is what moves the point; and, for "
        "momentum, the velocity the buffer carries into the step. An arrow longer than the "
        "map stops at its edge without a head; its tooltip gives where it ends.",
        caption,
    )
