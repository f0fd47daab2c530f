"""Kept runs: what a student pinned, as plain data, and the rules on how many.

A kept run holds its settings (the frozen Config it was trained from) and the trajectory as
drawn (at most about 2,000 rows of epoch, k, b, loss, its excess and both distances to the
optimum), never the full arrays. At most
MAX_KEPT per session, for two reasons: the charts overlay every kept run, and past about eight
lines with a legend entry each they stop being readable (eight is also as many colours as
the overlay palette tells apart); and memory, since a Streamlit server keeps every session's
state: a kept run is at most about 115 KB (2,000 rows of seven float64; 25 KB measured at
450 epochs, 47 KB at 10⁶), eight under 1 MB a session, so a class of 60 adds at most about
55 MB to a server that peaks near 280 MB for one student (README, "Limits, and why").
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from ui.config import Config
from ui.plain import run_diff

MAX_KEPT = 8
MAX_NAME = 40  # characters in a kept run's name: a legend entry stays on one line
# What a kept trajectory holds, per drawn epoch (excess: above its own data's floor).
COLUMNS = ["epoch", "k", "b", "loss", "excess", "dist_k", "dist_b"]


@dataclass(frozen=True)
class KeptRun:
    number: int  # 1, 2, 3… in the order kept: one more than the largest kept
    name: str
    config: Config
    frame: pd.DataFrame  # COLUMNS, the drawn (thinned) epochs
    status: str
    visible: bool = True


def keep(kept: list[KeptRun], config: Config, frame: pd.DataFrame, status: str) -> list[KeptRun]:
    """The list with this run added at the end (the caller checks `refusal` first)."""
    number = max((run.number for run in kept), default=0) + 1
    name = _unique(kept, number, f"Run {number}")  # a run may have been renamed "Run 3"
    run = KeptRun(number, name, config, frame[COLUMNS].copy(), status)
    return [*kept, run]


def refusal(kept: list[KeptRun], config: Config) -> str | None:
    """Why this run cannot be kept now, or None if it can."""
    same = next((run for run in kept if run.config == config), None)
    if same is not None:
        return f"This run is kept already, as “{same.name}”."
    if len(kept) >= MAX_KEPT:
        return (
            f"{MAX_KEPT} runs are kept, the most a session holds: remove one to keep this. "
            "More lines than that make the charts unreadable, and every kept run stays in the "
            "server's memory for as long as your session lasts."
        )
    return None


def reference(kept: list[KeptRun]) -> KeptRun | None:
    """The run the others are described against: the first shown one."""
    return next((run for run in kept if run.visible), None)


def changes(kept: list[KeptRun]) -> dict[int, str]:
    """What each kept run changes from the reference run, by number ("η 0.01 → 0.02")."""
    first = reference(kept)
    return {
        run.number: run_diff.change_text(
            None if first is None or first is run else first.config, run.config
        )
        for run in kept
    }


def labels(kept: list[KeptRun]) -> dict[int, str]:
    """Each kept run's legend entry, by number: its name and what it changes."""
    return {
        run.number: f"{run.name}: {change}"
        for run, change in zip(kept, changes(kept).values(), strict=True)
    }


def overlay_rows(kept: list[KeptRun], columns: dict[str, str]) -> pd.DataFrame:
    """The HISTORY dataset of a chart: (run, order, of, epoch, value) of every shown kept run,
    a line for each of `columns` (column → what its line is of, as the chart names it)."""
    names = labels(kept)
    parts = [
        pd.DataFrame(
            {
                "run": names[run.number],
                "order": run.number,
                "of": of,
                "epoch": run.frame["epoch"].to_numpy(),
                "value": run.frame[column].to_numpy(),
            }
        )
        for run in kept
        if run.visible
        for column, of in columns.items()
    ]
    if not parts:
        return pd.DataFrame({"run": [], "order": [], "of": [], "epoch": [], "value": []})
    return pd.concat(parts, ignore_index=True)


def renamed(kept: list[KeptRun], number: int, name: str) -> list[KeptRun]:
    """The list with run `number` renamed: a blank name keeps the old one, and a name another
    kept run has gets " (run N)", since the legend, the charts' lines and the CSV's `run`
    column tell runs apart by name."""
    wanted = _unique(kept, number, name.strip())
    return [replace(run, name=wanted or run.name) if run.number == number else run for run in kept]


def _unique(kept: list[KeptRun], number: int, name: str) -> str:
    """`name` for run `number`, cut to MAX_NAME, with " (run N)" if another run has it."""
    name = name[:MAX_NAME]
    if name in {run.name for run in kept if run.number != number}:
        suffix = f" (run {number})"
        name = name[: MAX_NAME - len(suffix)].rstrip() + suffix
    return name


def shown(kept: list[KeptRun], number: int, visible: bool) -> list[KeptRun]:
    """The list with run `number` shown or hidden on the charts."""
    return [replace(run, visible=visible) if run.number == number else run for run in kept]


def removed(kept: list[KeptRun], number: int) -> list[KeptRun]:
    return [run for run in kept if run.number != number]
