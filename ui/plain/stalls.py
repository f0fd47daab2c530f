"""Whether more epochs will help a run that has not converged, and if not, why: the run's own.

A rate of 0; rates on the stability boundary; rates so small against the flattest curvature
that the radius rounds to 1 (the run crawls, it does not swing); a loss that stopped shrinking
with steps too large; or a schedule that cut the rate, where the steps are too small. Plain
Python (no Streamlit); the banners of verdicts.py say it.
"""

from __future__ import annotations

import numpy as np

import gd_core as gd
from ui import registry
from ui.config import TrainSpec, build_optimizer
from ui.plain.figures import ROUNDING, radius_text
from ui.plain.parameter_progress import unsettled
from ui.plain.schedule_cuts import decay_spent, end_rates, schedule_cut
from ui.plain.views import Trajectory


def stalled(spec: TrainSpec, run: Trajectory, data: gd.Dataset | None = None) -> str | None:
    """Why a run that has not converged will not get there with more epochs; None if it may.
    With `data` it tells a run that crawls from one that swings on the boundary."""
    if frozen := _frozen(spec, run):
        return frozen
    if cut := _plateau_cut(spec, run):
        return cut
    radius = run.spectral_radius
    if radius is not None and radius >= 1.0 - ROUNDING:  # a linear update that does not contract
        if data is not None and not spec.standardize and (crawl := _crawl(data, spec, radius)):
            return crawl
        return (
            f"The spectral radius of this run's update is {radius_text(radius)}: the rates sit on "
            "the stability boundary, where the distance to the optimum swings without shrinking."
        )
    if spent := decay_spent(spec, run, data):
        return spent
    if not _loss_stalled(spec, run):
        return None
    trend = f"{run.progress.trend:.3g}"
    verb = {1: "grew", 0: "stopped shrinking", -1: "barely shrank"}[np.sign(float(trend) - 1)]
    stopped = (
        f"Over the last quarter of the run the loss above the floor {verb} (its median is "
        f"×{trend} that of the quarter before)"
    )
    decayed = schedule_cut(spec, run)
    if decayed is None:
        # Too large only if the steps could have closed the gap: a parameter still walking in
        # from far off is slow, not stuck (slow_walk says so instead).
        hovering = run.progress.hovering(unsettled(run))
        if not hovering:
            return None
        return (
            f"{stopped}, while the steps there added up to more than the gap they ended with "
            f"({_against(run, hovering)}), so they went back and forth: the steps are too large "
            "to get closer. More epochs will not help; lower the rates."
        )
    if not registry.SCHEDULES[spec.schedule].spans_run:
        return (
            f"{stopped}: {decayed}, so its last steps barely move the parameters. More "
            "epochs run at ever smaller rates; a slower decay lets them get closer."
        )
    return None


def _loss_stalled(spec: TrainSpec, run: Trajectory) -> bool:
    """A run with no transition matrix (adaptive rules, schedules) whose loss above the floor
    fell by less than a tenth from one quarter to the next (gd_core.Progress.trend)."""
    return (
        run.spectral_radius is None
        and not spec.batch
        and run.epochs >= 8
        and run.progress.trend > 0.9
    )


def _against(run: Trajectory, parameters: str | list[str]) -> str:
    """ "k: 2.22 against 86.7; b: …": each parameter's path over the last quarter against
    its distance from the optimum at the end (gd_core.Progress.travel, .ended)."""
    return "; ".join(
        f"{p}: {run.progress.travel['kb'.index(p)]:.3g} against "
        f"{run.progress.ended['kb'.index(p)]:.3g}"
        for p in parameters
    )


def slow_walk(spec: TrainSpec, run: Trajectory) -> str | None:
    """Why a run whose loss barely fell over its last quarter is still converging: every
    lagging parameter walked less than the gap it still has (gd_core.Progress.hovering), so
    its steps are short next to that gap and more epochs carry it farther. None otherwise."""
    if not _loss_stalled(spec, run) or schedule_cut(spec, run) is not None:
        return None
    lagging = unsettled(run)
    if not lagging or run.progress.hovering(lagging):
        return None
    return (
        "Over the last quarter of the run the loss above the floor fell only to "
        f"×{run.progress.trend:.3g} of the quarter before, yet nothing says it is stuck: the "
        f"steps there added up to less than the gap still left ({_against(run, lagging)}), "
        "so they are short next to it, and each epoch closes some of it."
    )


def larger_rate(spec: TrainSpec) -> str | None:
    """For the adaptive rules (no exact limit): their steps are proportional to η, so a
    larger η walks a long way in faster."""
    if build_optimizer(spec).gain is not None:
        return None
    entry = registry.OPTIMIZERS[spec.optimizer]
    return f"a larger η ({entry.in_sentence or entry.label}'s steps grow with it)"


def _frozen(spec: TrainSpec, run: Trajectory) -> str | None:
    """Every parameter whose rate is 0 and that has not settled: every update rule scales its
    step by the rate, so it stays where it started, whatever the optimizer or batch size. With
    "Same rate for k and b" on, a rate of 0 freezes both. With standardised x the rates act on
    the standardised model's parameters: a rate of 0 for b freezes that model's intercept,
    and b then moves only with k's steps, so the run's own values decide which sentence."""
    zero = [
        p
        for p, rate in (("k", spec.lr_k), ("b", spec.lr_b))
        if rate == 0.0 and run.settled_at["kb".index(p)] is None
    ]
    # The rows keep each stretch's extremes, so min == max means it never moved.
    still = [p for p in zero if run.frame[p].min() == run.frame[p].max()]
    if len(still) == 2:
        return (
            "η_k = η_b = 0, so neither k nor b ever moves: neither can reach its optimum unless "
            "it starts there. Set the rates above 0."
        )
    if still:
        p = still[0]
        return (
            f"η_{p} = 0, so {p} never moves: it cannot reach its optimum unless it starts "
            f"there. Set η_{p} above 0."
        )
    if zero:  # standardised x: the parameter moves only with the other one
        p = zero[0]
        return (
            f"η_{p} = 0, so {p}'s counterpart in standardised units never moves: {p} changes "
            f"only with the other parameter's steps and cannot reach {p}* unless that "
            f"counterpart starts at its optimum. Set η_{p} above 0."
        )
    return None


def _crawl(data: gd.Dataset, spec: TrainSpec, radius: float) -> str | None:
    """A radius within rounding of 1 from below, from the slow side: each epoch shrinks the
    slowest mode by a factor of 1 − (a rate tiny against the flattest curvature), not −1."""
    mode = gd.dominant_eigenvalue(data, build_optimizer(spec))
    if not (mode.real > 0 and abs(mode.imag) <= ROUNDING and radius <= 1.0):
        return None
    flattest = gd.analyze(data).eigenvalues[0]
    return (
        f"The spectral radius of this run's update is {radius_text(radius)}, within rounding of "
        "1 on the slow side: the rates are tiny against the bowl's flattest curvature "
        f"λ_min = {flattest:.3g}, so each epoch removes almost nothing of the gap along it. "
        "More epochs will barely help; raise the rates within the limits on the Theory page, "
        "or standardise x."
    )


def _plateau_cut(spec: TrainSpec, run: Trajectory) -> str | None:
    """Reduce-on-plateau only ever cuts: once it has cut the rate a hundredfold, more epochs run
    at that small rate. (The loss then stops shrinking too, which the rule below would blame on
    steps too large.)"""
    if spec.schedule != "plateau":
        return None
    final, start = end_rates(run, spec)
    if final is None or not final <= start / 100:
        return None
    return (
        f"Reduce-on-plateau has cut the rate to {final:.3g} (from η = {start:.3g}): at that rate "
        "more epochs barely move the parameters. Try a larger factor or patience, or a fix from "
        "the Compare page."
    )
