"""The Compare page's captions: what the strategies table says, and what a tuned rate means."""

from __future__ import annotations

from collections.abc import Sequence

from ui.plain.outcome_words import NOT_SHOWN, outcome_words
from ui.plain.race_lines import RatesTried, grids_tried


def compare(table: list[dict], epochs: int) -> str:
    """The race's result in words, from the rows of the Compare table."""
    # A run that settled too late to show it stays is not counted, nor named the fastest:
    # its epoch says when its last spike out came (its own row says "not shown to stay").
    converged = [row for row in table if row["status"] == "converged"]
    settled = [row for row in converged if NOT_SHOWN not in row["outcome"]]
    if not table:
        return "Tick a strategy in the table to race it."
    text = f"{len(settled)} of {len(table)} strategies converged within {epochs:,} epochs"
    if late := len(converged) - len(settled):
        text += f" ({late:,} more settled, but not shown to stay)"
    if settled:
        best = min(settled, key=lambda row: row["converged_at"])
        text += f"; the fastest is {best['strategy']} (epoch {int(best['converged_at']):,})"
    plain = next((row for row in table if row["strategy"] == "Plain GD"), None)
    if plain is not None:
        text += f"; plain GD: {plain['outcome']}"
    words = outcome_words([row["outcome"] for row in table])
    return (
        text + ". Pick a strategy out with the Highlight box under each chart, or in its "
        "legend (in your browser only: a link opens with every strategy drawn alike). More "
        "epochs only wait out a slow parameter; the fixes change its pace. "
        f"The outcomes: {words}."
    )


def tuned(metric: str, at: int, tried: Sequence[RatesTried] = ()) -> str:
    """What "tune each" did, for the caption under Compare's table; `tried` is each tuned
    strategy's grid, which the caption counts as the table does."""
    best = {
        "epochs": "converges fastest (both parameters settled) within the epochs",
        "loss": "ends with the lowest loss after the epochs",
        "loss_at": f"has the lowest loss at epoch {at:,}",
    }[metric]
    # Rates that reach L* to rounding all end with exactly L*: by loss they tie.
    tie = "the lower final loss" if metric == "epochs" else "the rate that settles first"
    grids = f": {grids_tried(tried)}" if tried else ""
    return (
        f"Each strategy raced at the rate that {best} on a log grid of its own, three decades "
        "wide, up to its exact stability limit for gradient descent and momentum (up to ten "
        f"times the start's distance from the optimum for the adaptive ones){grids}. The best "
        "of those rates (each row says which), not of every rate: one between two of them may "
        f"do a little better. Ties go to {tie}, then to the smaller rate."
    )
