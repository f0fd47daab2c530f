"""A run's ending in a few words, for a table row or a map's and sweep's legend, each word
chosen by the rule it states (`outcome_words` says the rules)."""

from __future__ import annotations

import numpy as np

import gd_core as gd
from ui.config import TrainSpec
from ui.plain.figures import growth, percent, share
from ui.plain.limit_advice import DIVERGED_RULE, is_exact
from ui.plain.parameter_progress import farther, shown_to_stay, swinging
from ui.plain.stalls import stalled
from ui.plain.views import Trajectory

# The words for a run that settled too late to show it stays (progress.late_settlers).
NOT_SHOWN = "not shown to stay"


def outcome(spec: TrainSpec, run: Trajectory, data: gd.Dataset | None = None) -> str:
    """The run's ending in a few words, for a table row; with `data`, "stuck" also for a
    decay shown to leave it short (schedule_cuts.decay_spent), as the banner says."""
    if run.status == "diverged":
        return f"diverged at epoch {run.diverged_at:,}"
    if run.status == "diverging":
        return f"diverging ×{growth(run.growth)} per epoch"
    if run.status == "converged" and run.progress.late:
        return f"settled at {run.converged_at:,}, {NOT_SHOWN}"
    if run.status == "converged":
        return f"settled at {run.converged_at:,}"
    # Every parameter not shown to stay, as the Fit banner has it (one that came back into
    # the band lately is named, not left out as if it had settled).
    lagging = [p for p in "kb" if not shown_to_stay(run, p)]
    left = ", ".join(_left(run, p) for p in lagging)
    if stalled(spec, run, data):
        word = "stuck"
    elif not is_exact(spec) and farther(run, lagging):  # as the banner says (_still_converging)
        word = "farther off"
    else:
        word = "not yet"
    return f"{word} after {run.epochs:,}: {left}"


def outcome_words(outcomes: list[str]) -> str:
    """What the words of `outcome` that appear in `outcomes` mean, in one sentence (general
    facts: each word is chosen by the rule it states)."""
    meanings = {
        "settled at": f"k and b both stay within {percent(gd.DEFAULT_TOL)} of their starting "
        "distance from the optimum from that epoch to the end (for one that starts at or next "
        f"to its optimum, {percent(gd.DEFAULT_TOL)} of the distance along it that costs as much "
        "loss as the start)",
        NOT_SHOWN: "they settled, but the last stay is too short to show they stay",
        "not yet": "not settled, and nothing in the run says more epochs would not get there",
        "farther off": "ended farther from the optimum than it started",
        "stuck": "more epochs will not help, by the run's own evidence: a rate of 0, rates on "
        "the stability boundary or too small to move, a loss that stopped shrinking while "
        "the steps went back and forth over more than the gap left, or a schedule that cut the "
        "rate",
        "diverging": "ended finite but moving away from the optimum: for plain GD, momentum "
        "and Nesterov at a constant rate on the full batch the spectral radius of the update is "
        "above 1, and the distance grows by it every epoch; for the others the loss above the "
        "floor ended above its start, and its median over the run's last quarter is more than "
        f"{gd.verdict.TREND_FACTOR:g} times that over the quarter before (in a run of "
        f"{gd.verdict.MIN_TREND_EPOCHS} epochs or more; the factor shown is the distance's "
        "growth per epoch between the two)",
        "diverged": DIVERGED_RULE,
    }
    used = [
        f"*{word}*: {meaning}"
        for word, meaning in meanings.items()
        if any(word in text for text in outcomes)
    ]
    return "; ".join(used)


def _left(run: Trajectory, parameter: str) -> str:
    """How far one parameter still is, in a table cell, and how far it swings out, if it
    does: the words of `progress`, the Fit banner's."""
    if (epoch := run.settled_at["kb".index(parameter)]) is not None:  # not shown to stay
        return (
            f"{parameter} back within {percent(gd.DEFAULT_TOL)} since epoch {epoch:,} ({NOT_SHOWN})"
        )
    left, swing = run.gap_left(parameter), run.swing(parameter)
    if run.started_near(parameter):  # a share of no (or a tiny) starting gap says little
        return f"{parameter} pulled {float(run.last[f'dist_{parameter}']):.3g} off {parameter}*"
    # The distance it ended at, as the Fit banner says it; the swing beside it, never in its
    # place (a swing of 77 times the gap is not where the run ended).
    where = percent(left) + " left" if left <= 1 else share(left) + " as far as at the start"
    return f"{parameter} {where}{swinging(left, swing)}"


def outcomes(result: gd.StabilityMap | gd.Sweep) -> np.ndarray:
    """Each cell's or point's outcome in the words the maps' and sweeps' legends use."""
    return np.where(
        result.diverged,
        "diverged",
        np.where(
            result.diverging,
            "moving away",
            np.where(np.isnan(result.epochs_to_converge), "not converged", "converged"),
        ),
    )
