"""What the Sweeps page says of the swept range's ends, computed from the sweep: an optimizer
fastest at an end that could be widened, batch sizes past n that are all one full-batch run,
and ρ above the ρ chart's top."""

from __future__ import annotations

import numpy as np
import pandas as pd

import gd_core as gd
from ui.plain.sweep_text import fastest_values, lowest, per_optimizer, value_text


def at_edges(
    points: pd.DataFrame, name: str, open_ends: tuple[bool, bool], boxes: tuple[str, str]
) -> str:
    """Which optimizers are fastest at an end of the range that could be widened (`open_ends`:
    below its lowest value, above its highest; False at the setting's own bound, or where every
    value beyond is the same run): their optimum may lie beyond it, which the sweep cannot show.
    `boxes` names the range box that holds the lowest value and the one that holds the highest
    ("From", "To"; the other way round when From is the larger, which the sweep accepts).
    "" when none is."""
    epochs, values = points["epochs"].to_numpy(float), points["value"].to_numpy(float)
    if not len(values):
        return ""
    ends = (np.nanmin(values), np.nanmax(values))
    at_end: tuple[list[str], list[str]] = ([], [])
    for optimizer, rows in per_optimizer(points):
        converged, best = lowest(epochs, rows)
        if best is None:
            continue
        ties = fastest_values(epochs, values, converged, best)
        for side, end in enumerate(ends):
            if open_ends[side] and end in ties:
                at_end[side].append(optimizer)
    text = ""
    for names, end, (extreme, beyond, widen) in zip(
        at_end,
        ends,
        (("lowest", "below", f"lower {boxes[0]}"), ("highest", "above", f"raise {boxes[1]}")),
        strict=True,
    ):
        if not names:
            continue
        who = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        text += (
            f" {who} {'is' if len(names) == 1 else 'are'} fastest at the range's {extreme} "
            f"value, {name} = {value_text(end)}: at the edge of the range, so the optimum may "
            f"lie {beyond} it; {widen} to see."
        )
    return text


def full_batches(sizes: np.ndarray, n: int) -> str:
    """Which swept batch sizes cover all n points: every batch of n or more is the full batch
    (gd.mini_batch_size), so those sizes are one run, and tie wherever one of them is fastest.
    "" when none does."""
    full = np.unique([size for size in sizes if gd.mini_batch_size(n, int(size)) is None])
    if not full.size:
        return ""
    if full.size == 1:
        return f" With n = {n:,}, a batch of {value_text(full[0])} is the full batch."
    return (
        f" With n = {n:,}, every batch of {n:,} or more is the full batch: the sizes "
        f"{value_text(full.min())} to {value_text(full.max())} are {full.size} points of one "
        "run, so they tie."
    )


def off_scale(radius: np.ndarray, top: float) -> str | None:
    """How many drawn ρ lie above the ρ chart's `top`, where its lines run off the axis, and
    the largest of them; None when every one is on the chart (its axis then fits them)."""
    above = radius[radius > top]
    if not above.size:
        return None
    which = "point lies" if above.size == 1 else "points lie"
    return (
        f" The axis stops at ρ = {top:g} to show ρ around 1: {above.size} of {radius.size} "
        f"{which} above it, where the error grows (ρ up to {above.max():.4g})."
    )
