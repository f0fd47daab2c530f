"""Kept runs in the session: "Keep this run", and the list to rename, hide, remove and download.

The list lives in st.session_state under a key no widget uses, so it survives page switches and
reruns; each run's widgets are keyed by its number, unique among the kept runs (a removed
run's widgets are not drawn on the next rerun, so Streamlit forgets them before a number returns).
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from ui.charts.history_charts import HISTORY, pair_said
from ui.compute.history import CSV_EVERY_EPOCH, kept_csv
from ui.config import Config
from ui.plain import history, run_diff
from ui.plain.history import MAX_KEPT, KeptRun
from ui.plain.views import Trajectory

KEPT = "_gdlab_kept_runs"
OUTCOMES = {
    "converged": "Converged",
    "max_epochs": "Still on its way",
    "diverging": "Moving away",
    "diverged": "Diverged",
}


def kept_runs() -> list[KeptRun]:
    return st.session_state.get(KEPT, [])


def _keep(config: Config, run: Trajectory) -> None:
    st.session_state[KEPT] = history.keep(kept_runs(), config, run.frame, run.status)


def _rename(number: int) -> None:
    key = f"_gdlab_kept_name_{number}"
    st.session_state[KEPT] = history.renamed(kept_runs(), number, st.session_state[key])
    # Drawn afresh from the name kept, not what was typed: a blank, or a name another run has
    # (history.renamed), is not what the legend shows.
    del st.session_state[key]


def _show(number: int) -> None:
    visible = st.session_state[f"_gdlab_kept_shown_{number}"]
    st.session_state[KEPT] = history.shown(kept_runs(), number, visible)


def _remove(number: int) -> None:
    st.session_state[KEPT] = history.removed(kept_runs(), number)


def render_keep_button(config: Config, run: Trajectory) -> None:
    """The "Keep this run" button, disabled with the reason when it cannot keep this one."""
    refusal = history.refusal(kept_runs(), config)
    st.button(
        "Keep this run",
        key="_gdlab_keep",
        icon=":material/push_pin:",
        disabled=refusal is not None,
        help=refusal
        or "Pins this run, settings and trajectory, for this session: the Loss and Parameters "
        f"charts draw it under every later run. Up to {MAX_KEPT}.",
        on_click=_keep,
        args=(config, run),
    )


def render_kept_runs() -> None:
    """Each kept run with its name, whether it is drawn, what it changes, and a remove button;
    then the CSV of them all."""
    runs = kept_runs()
    if not runs:
        return
    changes = history.changes(runs)
    first = history.reference(runs)
    with st.expander(f"Kept runs: {len(runs)} of at most {MAX_KEPT}", expanded=True):
        for run in runs:
            name, shown, remove = st.columns([3, 1, 1], vertical_alignment="bottom")
            name.text_input(
                "Name",
                value=run.name,
                key=f"_gdlab_kept_name_{run.number}",
                on_change=_rename,
                args=(run.number,),
                max_chars=history.MAX_NAME,
            )
            shown.checkbox(
                "Drawn",
                value=run.visible,
                key=f"_gdlab_kept_shown_{run.number}",
                on_change=_show,
                args=(run.number,),
            )
            remove.button(
                "Remove",
                key=f"_gdlab_kept_remove_{run.number}",
                icon=":material/delete:",
                on_click=_remove,
                args=(run.number,),
            )
            st.caption(f"{OUTCOMES[run.status]} · {changes[run.number]}")
        reference = f"“{first.name}”" if first is not None else "the first drawn run"
        st.caption(
            f"The legend names what each run changes from {reference}, the first one drawn. "
            "Kept runs last as long as this browser tab: a reload or a new link starts without "
            "them, so download them to keep them. The CSV holds every kept run, drawn or not, "
            f"with every epoch of runs up to {CSV_EVERY_EPOCH:,} epochs (longer ones at "
            f"{CSV_EVERY_EPOCH:,} epochs that keep each stretch's extremes), trained again from "
            "each run's settings, which its last column lists in full."
        )
        st.download_button(
            "Download the kept runs (CSV)",
            partial(kept_csv, runs),  # trained and written only when clicked
            file_name="kept_runs.csv",
            mime="text/csv",
            on_click="ignore",
            icon=":material/download:",
        )


def render_overlay_caption(config: Config, also: str = "") -> None:
    """Under a chart with kept runs: which lines they are, and what this run changes; `also`
    a sentence more about them (the distance chart's pair of lines a run)."""
    first = history.reference(kept_runs())
    if first is None:
        return
    st.caption(
        f"The thin lines are your kept runs, coloured and dashed by run; the legend names what "
        f"each changes from “{first.name}”. The thick line is this run: "
        f"{run_diff.change_text(first.config, config)}." + (f" {also}" if also else "")
    )


def alt_suffix(of: tuple[str, ...] = ()) -> str:
    """What a screen reader hears of the kept runs drawn on a chart (nothing if none); `of`:
    the lines each run draws, when more than one (history_charts.pair_said)."""
    drawn = [run for run in kept_runs() if run.visible]
    if not drawn:
        return ""
    names = history.labels(kept_runs())
    pair = f" {pair_said(of)}" if len(of) > 1 else ""
    return (
        f" Also drawn, as thin lines, each run in a colour and a dash of its own (dashed, "
        f"dotted or dash-dot): {len(drawn)} kept "
        f"{'run' if len(drawn) == 1 else 'runs'}, "
        + "; ".join(names[run.number] for run in drawn)
        + "."
        + pair
    )


def overlay(columns: str | dict[str, str]) -> tuple[int, dict[str, pd.DataFrame]]:
    """How many kept runs a chart draws, and its HISTORY rows of a column, or of several
    ({column: what its line is of}: two lines a run)."""
    named = {columns: columns} if isinstance(columns, str) else columns
    kept = kept_runs()
    if not any(run.visible for run in kept):  # most reruns: no rows, and no empty frame of them
        return 0, {}
    rows = history.overlay_rows(kept, named)
    return (0, {}) if rows.empty else (int(rows["run"].nunique()), {HISTORY: rows})
