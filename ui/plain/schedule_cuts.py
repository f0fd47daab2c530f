"""What a schedule did to the rate by the end of the run, and what the rates a decay has left
can still do: exactly for plain full-batch GD, by a bound on the travel of the rules whose
steps have one (gd_core.decay_reach). Each sentence is the run's own, and claims no more than
the exact reach or the bound proves."""

from __future__ import annotations

import numpy as np

import gd_core as gd
from ui import registry
from ui.config import TrainSpec, build_optimizer
from ui.plain.figures import percent, starting_gaps
from ui.plain.parameter_progress import unsettled
from ui.plain.views import Trajectory

# The Epochs slider's top stop: a banner never tells a run already there to try more epochs,
# and a decay's reach is worked out up to here (`decay_spent`).
MOST_EPOCHS = max(registry.EPOCH_CHOICES)
EPS = gd.reduce_on_plateau().eps  # torch's: a cut that changes a rate by no more is skipped


def decay_cut(spec: TrainSpec, run: Trajectory) -> str | None:
    """schedule_cut for a decay that does not span the run (step, exponential, inverse-time):
    more epochs run at ever smaller rates, so "try more epochs" is no sure advice."""
    entry = registry.SCHEDULES[spec.schedule]
    if entry.spans_run or spec.schedule == "plateau":
        return None
    return schedule_cut(spec, run)


# Up to a million epochs of a schedule's multipliers (about 30 ms for an inverse-time decay):
# once per run, not on every rerun of each page that shows the banner. The key is what the
# answer reads: the sidebar, how the run ended, and the data by its id() only. The entry holds
# no reference to the data, and cached datasets age out, so an id can be reused by other data:
# a wrong hit would also need the same sidebar and the very same end point (k, b, starting
# gaps and settle epochs, all as floats), which different data does not give in practice.
# Script threads share this dict: a lookup reads it once and returns what it read or wrote,
# so another thread's clear() in between cannot make it raise.
_REACH: dict[tuple, tuple[bool, str] | None] = {}
_MISSING = object()


def decay_spent(spec: TrainSpec, run: Trajectory, data: gd.Dataset | None) -> str | None:
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
    reach = _REACH.get(key, _MISSING)
    if reach is _MISSING:
        reach = _decay_reach_now(spec, run, data)
        if len(_REACH) >= 64:
            _REACH.clear()
        _REACH[key] = reach
    return reach


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
    lagging = [p for p in unsettled(run) if 0.0 < run.gap_left(p) < np.inf]
    if not lagging:
        return None
    optimum = np.array([data.slope_ols, data.intercept_ols])
    now = np.array([float(run.last.k), float(run.last.b)]) - optimum
    head = f"{decayed[0].upper()}{decayed[1:]}"
    tol = percent(gd.DEFAULT_TOL)

    def settle(parameters: list[str]) -> str:
        return f"the {tol} of {starting_gaps(parameters)} that settling needs"

    run_on = f"Run on to {MOST_EPOCHS:,} epochs (the sidebar's most)"
    if optimizer.name == "sgd" and not spec.batch:
        # Every decay_cut schedule (step, exponential, inverse-time) only falls after epoch
        # `epochs` (a warm-up ends before it), so the reach may stop once the rest is nothing.
        end = gd.plain_reach(
            data, optimizer.learning_rate, optimizer.schedule, spec.epochs, MOST_EPOCHS, now, True
        )
        ends = {p: abs(end["kb".index(p)]) / run.start_gaps["kb".index(p)] for p in lagging}
        short = [p for p in lagging if not ends[p] <= gd.DEFAULT_TOL]
        named = short or lagging  # the ones it leaves short, or all that get there
        takes = (
            f"{run_on}, the rates it has left shrink each direction of the update by the "
            "product of its factors, which takes "
            + " and ".join(_from_to(p, run.gap_left(p), ends[p]) for p in named)
            + f" of {starting_gaps(named)}, "
        )
        if not short:
            return False, (
                f"{takes}within {settle(named)}: more epochs get there, at ever smaller rates."
            )
        return True, (
            f"{head}. {takes}short of {settle(named)}: more epochs will not get there; a "
            "slower decay lets them get closer."
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


def schedule_cut(spec: TrainSpec, run: Trajectory) -> str | None:
    """What the schedule did to the rate, if it ended at a tenth of its start or less: then a
    stalled loss means steps too small, and lowering the rates would stall it further."""
    final, start = end_rates(run, spec)
    if final is None or not final <= start / 10:
        return None
    name = registry.SCHEDULES[spec.schedule].label.lower()
    return (
        f"the {name} schedule has lowered the rate to {final:.3g} by the last epoch "
        f"(from η = {start:.3g})"
    )


def plateau_ahead(spec: TrainSpec, run: Trajectory) -> str:
    """What more epochs mean under reduce-on-plateau: they run at whatever rate it leaves, and
    it cuts again whenever the loss stalls, so "try more epochs" would be a promise."""
    final, start = end_rates(run, spec)
    if final is not None and not plateau_can_cut(spec, last_rates(run)):
        return _plateau_done(spec, final, start)
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


def _plateau_done(spec: TrainSpec, final: float, start: float) -> str:
    """plateau_ahead for a run whose rates no cut can lower any more: the floor (min_lr) is at
    or above them, or a cut would move them by no more than torch's eps, which it skips."""
    why = uncuttable(spec, final)
    if final >= start:
        return (
            f"Reduce-on-plateau cannot cut the rate in this run (η = {start:.3g}): {why}. So "
            "every epoch runs at η, and more epochs would too."
        )
    return (
        f"Reduce-on-plateau has cut the rate to {final:.3g} (from η = {start:.3g}) and can cut it "
        f"no further: {why}. So more epochs would run at {final:.3g}."
    )


def uncuttable(spec: TrainSpec, rate: float) -> str:
    """Why the plateau rule cannot lower `rate` (one it cannot cut, `plateau_can_cut`)."""
    if spec.min_lr >= rate:
        return f"its smallest rate, {spec.min_lr:g}, is at or above it"
    return f"a cut would change it by {EPS:g} or less, which the rule skips"


def plateau_can_cut(spec: TrainSpec, rates: tuple[float, ...]) -> bool:
    """Some rate of `rates` can still be lowered by the sidebar's plateau rule (gd_core's
    ReduceOnPlateau.can_cut, torch's min_lr and eps)."""
    rule = gd.reduce_on_plateau(
        spec.drop, spec.patience, spec.threshold, spec.cooldown, spec.min_lr
    )
    return any(rule.can_cut(rate) for rate in rates)


def plateau_stuck(spec: TrainSpec, rates: tuple[float, ...]) -> bool:
    """The sidebar's plateau rule can never cut these (positive) starting rates: the rate
    chart's caption and the note under Smallest rate both ask this."""
    return max(rates) > 0 and not plateau_can_cut(spec, rates)


def plateau_floor_note(values: dict) -> str | None:
    """Under the sidebar's Smallest rate: a floor at or above the rates means no cut can ever
    happen, so the schedule would leave the run at η."""
    rates = (values["lr_k"], values["lr_b"])
    spec = TrainSpec(drop=values["drop"], min_lr=values["min_lr"])
    if not plateau_stuck(spec, rates):
        return None
    return (
        f"At or above η ({max(rates):g}): no cut can happen, so the rate stays at η. Set it "
        "below η to let the schedule cut."
    )


def last_rates(run: Trajectory) -> tuple[float, ...]:
    """Each rate (η, or η_k and η_b) in the run's last epoch; () when it took no step."""
    if run.rates is None or run.rates.empty:
        return ()
    return tuple(run.rates.loc[run.rates.epoch == run.rates.epoch.max(), "rate"].tolist())


def end_rates(run: Trajectory, spec: TrainSpec) -> tuple[float | None, float]:
    """(the rate in the run's last epoch, or None if not known; the starting rate)."""
    start = max(spec.lr_k, spec.lr_b)
    if run.rates is None or run.rates.empty:
        return None, start
    return float(run.rates.loc[run.rates.epoch == run.rates.epoch.max(), "rate"].max()), start


def unfinished_warmup(spec: TrainSpec, run: Trajectory) -> tuple[float, float] | None:
    """(the largest rate the run used, the η it was warming up to) for a run that ended while
    still warming up: its warm-up lasts at least as many epochs as the run, so the rate never
    reached η. None otherwise."""
    if not spec.warmup or spec.warmup < run.epochs:
        return None
    peak, target = _peak_rate(run), max(spec.lr_k, spec.lr_b)
    if peak is None or not peak < target:
        return None
    return peak, target


def warming(spec: TrainSpec, run: Trajectory) -> str | None:
    """The banner's words for a run that ended while still warming up, and the fix that fits:
    more epochs reach η only once the warm-up ends; a shorter warm-up lets this run reach it."""
    rates = unfinished_warmup(spec, run)
    if rates is None:
        return None
    peak, target = rates
    return (
        f"The warm-up lasts {spec.warmup:,} epochs, longer than this run's {run.epochs:,}, so "
        f"the run ended while still warming up: the rate never got above {peak:.3g}, "
        f"{percent(peak / target)} of the η = {target:.3g} you set. More epochs run at η only "
        f"past epoch {spec.warmup:,}: try a warm-up well under {run.epochs:,} epochs, or a fix "
        "from the Compare page."
    )


def _peak_rate(run: Trajectory) -> float | None:
    if run.rates is None or run.rates.empty:
        return None
    return float(run.rates.rate.max())
