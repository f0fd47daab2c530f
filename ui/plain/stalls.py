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
from ui.plain.views import Trajectory

# A spectral radius this close to 1 is 1 up to an eigenvalue solver's rounding; one this close
# to 0 is 0 (radius_text): the solver's error is a few units in the last place of the identity
# in I − D·H, about 1e-16 against a 1, whatever rates gave the zero.
ROUNDING = 1e-12


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
    if spent := _decay_spent(spec, run, data):
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
        hovering = run.progress.hovering(_lagging(run))
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


# The Epochs slider's top stop: a banner never tells a run already there to try more epochs,
# and a decay's reach is worked out up to here (`_decay_spent`).
MOST_EPOCHS = max(registry.EPOCH_CHOICES)


def decay_cut(spec: TrainSpec, run: Trajectory) -> str | None:
    """schedule_cut for a decay that does not span the run (step, exponential, inverse-time):
    more epochs run at ever smaller rates, so "try more epochs" is no sure advice."""
    entry = registry.SCHEDULES[spec.schedule]
    if entry.spans_run or spec.schedule == "plateau":
        return None
    return schedule_cut(spec, run)


# Up to a million epochs of a schedule's multipliers (about 30 ms for an inverse-time decay):
# once per run, not on every rerun of each page that shows the banner. The key is everything
# the answer reads: the data (by identity; its cached object lives as long as the entry, and
# the run's own end point is in the key too), the sidebar and how the run ended.
_REACH: dict[tuple, tuple[bool, str] | None] = {}


def _decay_spent(spec: TrainSpec, run: Trajectory, data: gd.Dataset | None) -> str | None:
    """Why a decay leaves the run short for good (decay_reach), or None."""
    reach = _decay_reach(spec, run, data)
    return reach[1] if reach is not None and reach[0] else None


def decay_ahead(spec: TrainSpec, run: Trajectory, data: gd.Dataset | None) -> str | None:
    """What the rates a decay has left can still do, with the run's numbers, when they do not
    leave it short for good: exactly where plain full-batch GD ends up, or how far the other
    rules can move at most against the gap each parameter still has. None when neither is
    known (momentum; standardised x; a run at the sidebar's most epochs)."""
    reach = _decay_reach(spec, run, data)
    return reach[1] if reach is not None and not reach[0] else None


def _decay_reach(spec: TrainSpec, run: Trajectory, data: gd.Dataset | None):
    if data is None or decay_cut(spec, run) is None:
        return None
    key = (spec, id(data), float(run.last.k), float(run.last.b), run.start_gaps, run.settled_at)
    if key not in _REACH:
        if len(_REACH) >= 64:
            _REACH.clear()
        _REACH[key] = _decay_reach_now(spec, run, data)
    return _REACH[key]


def _decay_reach_now(spec: TrainSpec, run: Trajectory, data: gd.Dataset) -> tuple[bool, str] | None:
    """(stuck, why) for a decay that has cut the rate to a tenth or less, run on to the
    sidebar's most epochs (gd_core.decay_reach): exactly for plain GD on the full batch, by a
    bound on how far a parameter can still move for the rules whose steps have one. `stuck`
    when that provably leaves a lagging parameter short of settling; otherwise the sentence
    says what the rates left can do, and no more than the exact reach or the bound proves.
    None when nothing is known (the banner then says the decay has cut the rate)."""
    decayed = decay_cut(spec, run)
    if decayed is None or data is None or spec.standardize or spec.epochs >= MOST_EPOCHS:
        return None
    optimizer = build_optimizer(spec)
    lagging = [p for p in _lagging(run) if 0.0 < run.gap_left(p) < np.inf]
    if not lagging:
        return None
    optimum = np.array([data.slope_ols, data.intercept_ols])
    now = np.array([float(run.last.k), float(run.last.b)]) - optimum
    head = f"{decayed[0].upper()}{decayed[1:]}"
    tol = percent(gd.DEFAULT_TOL)

    def settle(parameters: list[str]) -> str:
        return f"the {tol} of {_gaps(parameters)} that settling needs"

    run_on = f"Run on to {MOST_EPOCHS:,} epochs (the sidebar's most)"
    if optimizer.name == "sgd" and not spec.batch:
        # Every decay_cut schedule (step, exponential, inverse-time) only falls after epoch
        # `epochs` (a warm-up ends before it), so the reach may stop once the rest is nothing.
        end = gd.plain_reach(
            data, optimizer.learning_rate, optimizer.schedule, spec.epochs, MOST_EPOCHS, now, True
        )
        ends = {p: abs(end["kb".index(p)]) / run.start_gaps["kb".index(p)] for p in lagging}
        short = [p for p in lagging if not ends[p] <= gd.DEFAULT_TOL]
        if not short:
            return False, (
                f"{run_on}, the rates it has left shrink each direction of the update by the "
                "product of its factors, which takes "
                + " and ".join(_from_to(p, run.gap_left(p), ends[p]) for p in lagging)
                + f" of {_gaps(lagging)}, within {settle(lagging)}: more epochs get there, at ever "
                "smaller rates."
            )
        return True, (
            f"{head}. {run_on}, the rates it has left shrink each direction of the update by "
            "the product of its factors, which takes "
            + " and ".join(_from_to(p, run.gap_left(p), ends[p]) for p in short)
            + f" of {_gaps(short)}, short of {settle(short)}: more epochs will not get there; "
            "a slower decay lets them get closer."
        )
    hyper = registry.OPTIMIZERS[spec.optimizer].hyper(spec)
    at = tuple(optimum + now)
    reach = gd.travel_bound(
        data, optimizer, hyper, spec.epochs, MOST_EPOCHS, spec.batch or None, at, falling=True
    )
    if reach is None:
        return None
    need = {
        p: abs(now["kb".index(p)]) - gd.DEFAULT_TOL * run.start_gaps["kb".index(p)] for p in lagging
    }
    stuck = [p for p in lagging if reach < need[p]]
    if not stuck:
        # The bound holds whatever the gradients do, so it cannot say the steps will cover
        # the gap, only that it does not rule it out.
        return False, (
            f"{run_on}, the rates it has left can move each parameter by at most {reach:.2g} "
            f"({_why_bounded(spec)}), more than the {_still_to_cover(need, lagging)} to come "
            f"within {settle(lagging)}. So nothing here rules more epochs out, nor shows that "
            "they get there: the steps may cover far less than that."
        )
    return True, (
        f"{head}. {run_on}, the rates it has left can move each parameter by at most "
        f"{reach:.2g} ({_why_bounded(spec)}), less than the "
        + f"{_still_to_cover(need, stuck)} to come within {settle(stuck)}: more epochs will "
        "not get there; a slower decay lets them get closer."
    )


def _gaps(parameters: list[str]) -> str:
    return "its starting gap" if len(parameters) == 1 else "their starting gaps"


def _still_to_cover(need: dict[str, float], parameters: list[str]) -> str:
    """ "0.539 k and 0.438 b still have to cover", "0.539 k still has to cover"."""
    verb = "has" if len(parameters) == 1 else "have"
    return " and ".join(f"{need[p]:.3g} {p}" for p in parameters) + f" still {verb} to cover"


def _from_to(p: str, now: float, then: float) -> str:
    if percent(now) == percent(then):
        return f"{p} from {percent(now)} to no visibly less"
    return f"{p} from {percent(now)} to {percent(then)}"


def _why_bounded(spec: TrainSpec) -> str:
    if build_optimizer(spec).name == "sgd":
        return "even if each mini-batch gradient pulled as hard as the steepest point allows"
    entry = registry.OPTIMIZERS[spec.optimizer]
    return f"{entry.in_sentence or entry.label}'s step is at most a fixed multiple of its rate"


def percent(fraction: float) -> str:
    """A share of a starting gap, with enough digits to tell 0.3 % from 0 %; a share too small
    to print meaningfully (an exponential decay's 1e-134) in words."""
    if 0.0 <= fraction < 1e-8:
        return "0 %" if fraction == 0.0 else "practically none (under 10⁻⁶ %)"
    return f"{100 * fraction:.2g} %" if fraction < 0.1 else f"{100 * fraction:.0f} %"


def _loss_stalled(spec: TrainSpec, run: Trajectory) -> bool:
    """A run with no transition matrix (adaptive rules, schedules) whose loss above the floor
    fell by less than a tenth from one quarter to the next (gd_core.Progress.trend)."""
    return (
        run.spectral_radius is None
        and not spec.batch
        and run.epochs >= 8
        and run.progress.trend > 0.9
    )


def _lagging(run: Trajectory) -> str:
    return "".join(p for p, epoch in zip("kb", run.settled_at, strict=True) if epoch is None)


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
    lagging = _lagging(run)
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


def schedule_cut(spec: TrainSpec, run: Trajectory) -> str | None:
    """What the schedule did to the rate, if it ended at a tenth of its start or less: then a
    stalled loss means steps too small, and lowering the rates would stall it further."""
    final, start = _end_rates(run, spec)
    if final is None or not final <= start / 10:
        return None
    name = registry.SCHEDULES[spec.schedule].label.lower()
    return (
        f"the {name} schedule has lowered the rate to {final:.3g} by the last epoch "
        f"(from η = {start:.3g})"
    )


def _plateau_cut(spec: TrainSpec, run: Trajectory) -> str | None:
    """Reduce-on-plateau only ever cuts: once it has cut the rate a hundredfold, more epochs run
    at that small rate. (The loss then stops shrinking too, which the rule below would blame on
    steps too large.)"""
    if spec.schedule != "plateau":
        return None
    final, start = _end_rates(run, spec)
    if final is None or not final <= start / 100:
        return None
    return (
        f"Reduce-on-plateau has cut the rate to {final:.3g} (from η = {start:.3g}): at that rate "
        "more epochs barely move the parameters. Try a larger factor or patience, or a fix from "
        "the Compare page."
    )


def plateau_ahead(spec: TrainSpec, run: Trajectory) -> str:
    """What more epochs mean under reduce-on-plateau: they run at whatever rate it leaves, and
    it cuts again whenever the loss stalls, so "try more epochs" would be a promise."""
    final, start = _end_rates(run, spec)
    so_far = ""
    if final is not None:
        cut = "not cut the rate yet" if final >= start else f"cut the rate to {final:.3g} so far"
        so_far = f"Reduce-on-plateau has {cut} (from η = {start:.3g}). "
    rule = (
        f"It multiplies the rate by {spec.drop:g} whenever the loss has gone more than "
        f"{spec.patience:,} epochs in a row without beating its best by a relative "
        f"{spec.threshold:g}"
    )
    if spec.cooldown:
        rule += f" (and waits {spec.cooldown:,} epochs after each cut)"
    if spec.min_lr > 0:
        rule += f", never below {spec.min_lr:g}"
    return (
        f"{so_far}{rule}, so more epochs may run at smaller rates: the Loss page draws the "
        "rate beside the loss."
    )


def _end_rates(run: Trajectory, spec: TrainSpec) -> tuple[float | None, float]:
    """(the rate in the run's last epoch, or None if not known; the starting rate)."""
    start = max(spec.lr_k, spec.lr_b)
    if run.rates is None or run.rates.empty:
        return None, start
    return float(run.rates.loc[run.rates.epoch == run.rates.epoch.max(), "rate"].max()), start


def at_rounding_zero(radius: np.ndarray) -> np.ndarray:
    """Spectral radii (or other contraction factors) with those within ROUNDING of 0 made 0.

    With standardised x the Hessian is 2·I and the rate ½ takes both modes to 0 in one step:
    ρ = 0, which the eigenvalue solver returns as 3.3e-16, and a student reads as a number."""
    radius = np.asarray(radius, dtype=float)
    return np.where(np.abs(radius) <= ROUNDING, 0.0, radius)


def radius_text(radius: float) -> str:
    """A spectral radius with the digits that tell it from 1, and 0 for one at rounding level."""
    if abs(radius) <= ROUNDING:
        return "0"
    gap = abs(1.0 - radius)
    digits = 6 if gap == 0 else max(6, int(np.ceil(-np.log10(gap))) + 2)
    return f"{radius:.{min(digits, 16)}g}"
