"""A run that a schedule froze: from some epoch on the rates left are so small that the
parameters stand still, whatever the bowl's paces. The captions that tell a run's shape ("a
slide …, b's slow walk", "b crawls") say this instead, with the run's own numbers: the epoch
from which its rates stop counting and k and b stand still (gd_core.frozen_stretch, found
on the run's full arrays when it was reduced)."""

from __future__ import annotations

import gd_core as gd
from ui.plain.figures import percent
from ui.plain.parameter_progress import unsettled
from ui.plain.views import Trajectory


def frozen(run: Trajectory) -> gd.FrozenStretch | None:
    """The run's frozen stretch, for a run that ended neither settled nor diverging."""
    if run.status in ("diverged", "diverging", "converged") or not unsettled(run):
        return None
    return run.frozen


def still(run: Trajectory, cut: gd.FrozenStretch) -> str:
    """ "from epoch 55 on, the schedule's rates add up to under 1 % of …": why the line is
    flat there, with the rates at both ends and how little each parameter ranged after it."""
    lagging = unsettled(run)
    moves = " and ".join(
        f"{p} stays within a stretch {cut.moved['kb'.index(p)]:.2g} wide (against the "
        f"{float(run.last[f'dist_{p}']):.3g} it still has to go)"
        for p in lagging
    )
    start, final = _end_rates(run)
    return (
        f"from epoch {cut.epoch:,} on, the schedule's rates add up to under "
        f"{percent(gd.FROZEN_SHARE)} of all the rates this run used (η is {final:.3g} by the "
        f"last epoch, from {start:.3g}), so the remaining steps are negligible: {moves}. The "
        "schedule froze the run there; more epochs at these rates barely move it"
    )


def _end_rates(run: Trajectory) -> tuple[float, float]:
    """The largest rate of the first epoch and of the last (the chart keeps both)."""
    rates = run.rates
    first = rates[rates.epoch == rates.epoch.min()].rate.max()
    last = rates[rates.epoch == rates.epoch.max()].rate.max()
    return float(first), float(last)
