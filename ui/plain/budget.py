"""How much training one rerun may do, what a request would cost, and the nearest that fits.

A full-batch epoch costs the same whatever n is, so a million epochs of one run take under a
second. Mini-batches are different: every epoch shuffles and sums all n points and takes one
optimizer step per batch in a Python loop, so 20,000 epochs of 1,024-point batches on 100,000
points would take 25 s. Rather than freeze, a page refuses such a request and names the
largest epoch count that fits. The costs below were measured on the development machine
(2 cores); benchmarks/bench_limits.py re-measures the worst allowed settings end to end.
"""

from __future__ import annotations

from collections.abc import Sequence

import gd_core as gd
from ui import registry
from ui.config import TrainSpec, batch_size, build_optimizer, build_schedule
from ui.plain.receipts import panel_applies

# Training one page may do. Measured reruns at this edge take about 1.5 times the estimate
# plus 0.7 s of page work (benchmarks/bench_limits.py), so 2 s keeps them near 3.5 s, with room
# for a slower machine than the one that measured it before they reach 5 s.
BUDGET_SECONDS = 2.0
MINI_BATCH_EPOCH_MICROSECONDS = 10.0  # the shuffle and the loop around the steps
POINT_MICROSECONDS = 0.012  # gathering one point into its batch's sums


class TooMuchWork(ValueError):
    """A request over what one rerun may do; `max_epochs` is the most that would fit, and
    `mini_batch` says whether full batch is another way out. `epochs_key` is the control whose
    epoch count the refusal is about: the sidebar's epochs, or the epoch Compare's tuning
    scores the loss at (`tune_at`), where a smaller sidebar budget would not help."""

    def __init__(
        self, message: str, max_epochs: int, mini_batch: bool, epochs_key: str = "epochs"
    ) -> None:
        super().__init__(message)
        self.max_epochs = max_epochs
        self.mini_batch = mini_batch
        self.epochs_key = epochs_key


def epoch_seconds(data: gd.Dataset, spec: TrainSpec, steps: bool = False) -> float:
    """About how long one epoch of `spec` takes on `data`; with `steps`, including the update
    panel's replay of the optimizer's state (ui/plain/receipts.py), a stepped epoch's work."""
    # Per full-batch epoch (constant rate, scheduled) and per mini-batch step: each
    # optimizer's own figures, in the registry.
    constant, scheduled, step = registry.OPTIMIZERS[spec.optimizer].microseconds
    batches = gd.steps_per_epoch(data.n, batch_size(spec))
    if batches == 1:
        replay = steps and panel_applies(spec, data.n) and build_optimizer(spec).state_names
        extra = registry.SCHEDULES[spec.schedule].extra_microseconds
        training = constant if build_schedule(spec) is None else scheduled + extra
        return 1e-6 * (training + (scheduled if replay else 0.0))
    return 1e-6 * (MINI_BATCH_EPOCH_MICROSECONDS + data.n * POINT_MICROSECONDS + batches * step)


def estimated_seconds(data: gd.Dataset, specs: Sequence[TrainSpec], steps: bool = False) -> float:
    """About how long training every spec takes (they run one after the other)."""
    return sum(spec.epochs * epoch_seconds(data, spec, steps) for spec in specs)


def check_feasible(data: gd.Dataset, specs: Sequence[TrainSpec], steps: bool = False) -> float:
    """The estimated seconds of training every spec; TooMuchWork, naming the largest epoch
    count that fits, if that outlasts the budget.

    The specs share one epoch count (the sidebar's), as the Compare page's strategies do.
    `steps` counts the update panel's replay too (the pages with a player).
    """
    needed = estimated_seconds(data, specs, steps)
    if needed <= BUDGET_SECONDS:
        return needed
    spec = specs[0]
    per_epoch = needed / spec.epochs
    fits = int(BUDGET_SECONDS / per_epoch)
    batches = gd.steps_per_epoch(data.n, batch_size(spec))
    shape = f" of {batches:,} mini-batches" if batches > 1 else ""
    each = f" for each of {len(specs)} strategies" if len(specs) > 1 else ""
    fewer = ", or show fewer strategies" if len(specs) > 1 else ""
    larger = ", a larger batch, or full batch" if batches > 1 else ""
    raise TooMuchWork(
        f"{spec.epochs:,} epochs{shape} on {data.n:,} points{each} would take about "
        f"{needed:,.1f} s, more than the {BUDGET_SECONDS:g} s one page may take to stay "
        f"responsive. Choose at most {fits:,} epochs{larger}{fewer}.",
        fits,
        mini_batch=batches > 1,
    )


def epoch_ceiling(data: gd.Dataset, spec: TrainSpec) -> int:
    """The most epochs of `spec` a page with a player will train: the largest stop of the
    sidebar's Epochs slider whose run fits the work budget (check_feasible, with the update
    panel's replay), or its top stop. A run at or past it cannot be told "try more epochs"."""
    per_epoch = epoch_seconds(data, spec, steps=True)
    fitting = [e for e in registry.EPOCH_CHOICES if e * per_epoch <= BUDGET_SECONDS]
    return fitting[-1] if fitting else min(registry.EPOCH_CHOICES)
