"""What the rate chart shows where a schedule's shape depends on its settings: one-cycle's climb
and anneal, which its divisors may remove, and the drop where a warm-up hands over to a
schedule that starts below η. Read from the schedule's own multipliers and the run's rates,
never from what the schedule usually does."""

from __future__ import annotations

import functools

import numpy as np

from ui import registry
from ui.config import TrainSpec, build_schedule
from ui.plain.schedule_cuts import plateau_stuck, uncuttable
from ui.plain.views import Trajectory

# Whatever stalls the loss: a slow walk along the flat valley, or swings (momentum's) that keep
# it from beating its best. Which one did it in this run is not checked, so not said.
PLATEAU_RULE = (
    "Reduce-on-plateau cuts the rates whenever the full-data loss stops beating its best by the "
    "threshold, whatever the reason: a slow walk along the flat valley, or swings that keep the "
    "loss from going below its best."
)


def one_cycle(spec: TrainSpec) -> str:
    """One-cycle's shape with these divisors: a climb only when it starts below η (div_factor
    above 1 and a rising phase at least an epoch long), an anneal only when it ends below its
    peak, and "below where it started" only when final_div_factor is above 1."""
    first, peak, last = _one_cycle_levels(
        spec.epochs, spec.warmup, spec.warmup_from, spec.pct_start, spec.div, spec.final_div
    )
    # The cosine's own rounding: a divisor of 1 can leave a multiplier 4e-17 off its peak.
    climbs, anneals, below = (_lower(first, peak), _lower(last, peak), _lower(last, first))
    if not climbs and not anneals:
        return (
            f"With div_factor = {spec.div:g} and final_div_factor = {spec.final_div:g}, "
            "one-cycle keeps the rate at η: it neither climbs nor anneals."
        )
    if climbs:
        text = f"One-cycle climbs from η/div_factor (η/{spec.div:g}) to η"
    else:
        text = f"One-cycle starts at η (div_factor = {spec.div:g}), with no climb"
    if not anneals:
        return text + ", and stays there to the end."
    if below:
        text += (
            f", then anneals to η/(div_factor·final_div_factor), {first / last:,.6g} times "
            "below where it started"
        )
    else:
        text += ", then anneals back to where it started (final_div_factor = 1)"
    if not climbs:
        return text + ": large steps first, small ones at the end."
    ends = "its end" if below else "both ends"
    return text + f": large steps in the middle of the run, small ones at {ends}."


@functools.lru_cache(maxsize=64)
def _one_cycle_levels(
    epochs: int, warmup: int, warmup_from: float, pct_start: float, div: float, final_div: float
) -> tuple[float, float, float]:
    """(first, peak, last) of one-cycle's multipliers after the warm-up: every epoch's is
    worked out (some 30 to 60 ms at a million epochs), so once per shape, not on every rerun of the
    Loss page, where a move of any other setting left them as they were."""
    spec = TrainSpec(
        epochs=epochs,
        warmup=warmup,
        warmup_from=warmup_from,
        schedule="onecycle",
        pct_start=pct_start,
        div=div,
        final_div=final_div,
    )
    multipliers = np.asarray(build_schedule(spec)(np.arange(warmup, epochs)), dtype=float)
    return float(multipliers[0]), float(multipliers.max()), float(multipliers[-1])


def plateau(spec: TrainSpec) -> str:
    """The plateau rule, or, when no cut can lower the rates it starts from, that it never
    cuts here and why (torch's min_lr and eps: schedule_cuts.plateau_stuck)."""
    rates = (spec.lr_k, spec.lr_b)
    if not plateau_stuck(spec, rates):
        return PLATEAU_RULE
    return (
        "Reduce-on-plateau would cut the rates when the full-data loss stalls, but here no cut "
        f"can lower η = {max(rates):.3g}: {uncuttable(spec, max(rates))}. So the rate stays at η."
    )


def _lower(value: float, than: float) -> bool:
    return value < than * (1.0 - 1e-9)


def warmup_drop(spec: TrainSpec, run: Trajectory) -> str | None:
    """Why the rate falls where the warm-up ends, read from the run's rates: the warm-up ramps
    up to η, and the schedule then starts from its own first rate (η/div_factor for
    one-cycle), not from where the ramp left it. None when the rate does not fall there."""
    end = spec.warmup
    if not end or run.rates is None or run.epochs <= end:
        return None
    name = run.rates["rate of"].iloc[0]
    rows = run.rates[run.rates["rate of"] == name].set_index("epoch")["rate"]
    if end not in rows.index or end - 1 not in rows.index:
        return None
    before, after = float(rows[end - 1]), float(rows[end])
    if not after < before:
        return None
    label = registry.SCHEDULES[spec.schedule].label.lower()
    own = " (η/div_factor)" if spec.schedule == "onecycle" else ""
    return (
        f"At epoch {end:,} {name} falls from {before:.3g} to {after:.3g}, {before / after:,.3g} "
        f"times lower: the warm-up ramps up towards η, then the {label} schedule starts from "
        f"its own first rate{own}, not from where the warm-up left off."
    )
