"""The Compare page's captions: what the strategies table says, and what a tuned rate means."""

from __future__ import annotations

from collections.abc import Sequence

from ui import registry
from ui.config import TrainSpec
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


def sidebar_schedule(
    spec: TrainSpec, yours: str | None, plain: str | None, problem: ValueError | None = None
) -> str | None:
    """Why Plain GD is not the sidebar's run when the sidebar has a schedule or a warm-up
    (the strategies race without either, on equal terms), and how each ended: `yours` (the
    sidebar's run, in the table's words) and `plain` (Plain GD's row, None when hidden); None
    when the sidebar trains at a constant rate. `problem`, in place of `yours`: why the
    sidebar's run cannot start (the Fit page stops on it; the race here needs no schedule)."""
    scheduled = spec.schedule != registry.CONSTANT_RATE
    if not (scheduled or spec.warmup):
        return None
    label = registry.SCHEDULES[spec.schedule].label.lower()
    has = [f"the {label} schedule"] if scheduled else []
    has += [f"a warm-up over its first {spec.warmup:,} epochs"] if spec.warmup else []
    own = [row.label for row in registry.STRATEGIES if "schedule" in row.changes]
    but = f" but {_listed(own)}, which {'brings its' if len(own) == 1 else 'bring their'} own "
    but += "schedule" if len(own) == 1 else "schedules"
    text = (
        f"Your sidebar trains with {' and '.join(has)}. The strategies here leave "
        f"{'both' if len(has) == 2 else 'it'} out, so that the fixes race on equal terms: each "
        f"trains at constant rates{but if own else ''}. So Plain GD is not your sidebar's run"
    )
    if problem is not None:
        return text + f". Your sidebar's own run does not start as set: {problem}"
    # The outcomes in quotes: they are the table's words, and carry colons of their own.
    if plain is None:
        return text + f". Your run, as the Fit page trains it, ends “{yours}”."
    if plain == yours:
        return text + f", though here both end alike: “{yours}”."
    return text + f": it ends “{plain}”, your run, as the Fit page trains it, “{yours}”."


def _listed(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"
