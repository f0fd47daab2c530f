"""How every run of a sweep ends, as train() would report each: one engine per kind of rule.

Plain GD at a constant rate from its modes (one rate for both: single_rate.py; else
sweep.plain_gd), momentum and Nesterov from their closed forms (linear_sweep.py), every other
rule stepped (stepping.py). A Stack of datasets' sums (sweeps.Stack) gives one run per
dataset. Where an engine's arithmetic alone would part from train()'s verdict, the verdict is
train()'s: a start at the optimum stays there whatever the rate, a rate of 0 leaves its
parameter where it starts, a parameter at its optimum uncoupled from the other (mean(x) = 0)
stays there, and a stepped run is "diverging" when train()'s trend rule says so (`trending`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from gd_core.data import Dataset
from gd_core.late_blocks import late_from_blocks
from gd_core.late_modes import late_from_modes
from gd_core.late_orbits import late_from_orbits
from gd_core.linear_sweep import orbits, orbits_radii_and_matrices, transition_matrices
from gd_core.model import excess_loss
from gd_core.optimizers import Optimizer
from gd_core.orbit_search import Blocks
from gd_core.progress import HOLD_SHARE
from gd_core.run import Run
from gd_core.single_rate import single_rate_runs, single_rate_runs_with_modes
from gd_core.stepping import recorded_excess, stepped
from gd_core.sweep import plain_gd
from gd_core.verdict import (
    MIN_TREND_EPOCHS,
    RADIUS_ROUNDING,
    divergence_threshold,
    quarters_growth,
    read_thresholds,
    settle_thresholds,
    trend_window,
)

if TYPE_CHECKING:  # sweeps.py imports this module
    from gd_core.sweeps import Stack

# Up to this many epochs a run train() must settle itself (`retrain`) is trained: ~50 MB.
TRAINED = 10**6
# Excess losses kept at once for the trend rule (`trending`): 32 MB.
RECORDED_VALUES = 2**22


def outcomes(
    data: Dataset | Stack,
    single_rates: np.ndarray | None,
    rule: Optimizer,
    rates: np.ndarray | None,
    epochs: int,
    init: tuple[float, float],
    tol: float,
    rule_of: Callable[[np.ndarray], Optimizer] | None = None,
    retrain: Callable[[int], Run] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """`judged_outcomes` without the late settles (a stability map's, a tuning's view)."""
    args = (data, single_rates, rule, rates, epochs, init, tol, rule_of, retrain)
    return judged_outcomes(*args, stays=False)[:5]


def judged_outcomes(
    data: Dataset | Stack,
    single_rates: np.ndarray | None,
    rule: Optimizer,
    rates: np.ndarray | None,
    epochs: int,
    init: tuple[float, float],
    tol: float,
    rule_of: Callable[[np.ndarray], Optimizer] | None = None,
    retrain: Callable[[int], Run] | None = None,
    stays: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(final loss, diverged, diverging, epochs to converge, spectral radius, late) of every
    run, where `late` (with `stays`) marks a converged run that has not shown that it stays
    settled, by progress.late_settlers's rule, as a single run's banner reads it (`_late`);
    the first five are
    as a Sweep carries them: `single_rates` is one rate for both parameters per run, for
    plain GD on one dataset (single_rate.py), else `rates` (2, runs). `rule_of(chosen)` is
    the rule of the chosen runs alone, where the rule holds a hyperparameter per run;
    `retrain(i)` is train() of run i, asked where no threshold on the engines' own δ says
    what train() reads (verdict.read_thresholds: θ* by a power of two, a start next to it)."""
    stats: Any = data  # one dataset, or a Stack of one per point
    delta, start, thresholds, uneven, excess_limit = _judged_by(stats, init, tol, rule.closed_form)
    radius, late, modes, matrices, tables = None, None, None, None, None
    if single_rates is not None:
        # With the late settles to tell, the modes and each coordinate's last epoch outside
        # come along: late_modes.py reads them again rather than working them out twice.
        final, diverged, converged, radius, kept = single_rate_runs_with_modes(
            stats, single_rates, delta, epochs, thresholds, excess_limit
        )
        modes = (kept.amplitudes, kept.logs, kept.signs, kept.last)
    elif rule.exact_map:
        final, converged, pair_modes = plain_gd(
            *_one_hessian(stats, rates), delta, epochs, thresholds
        )
        diverged = ~(final <= excess_limit)
        radius = pair_modes.spectral_radius  # theory.spectral_radius's floats
        modes = (pair_modes.amplitudes, pair_modes.logs, pair_modes.signs, None)
        # The modes need both rates > 0; a rate of 0 (an η_b that underflowed: η_k times a
        # tiny ratio) leaves its parameter where it starts, which the closed form follows.
        if np.count_nonzero(rates) < rates.size:  # rates are ≥ 0
            idle = np.flatnonzero(~((rates[0] > 0.0) & (rates[1] > 0.0)))
            some, (*some_delta, limit_k, limit_b, limit) = _take(
                stats, idle, *delta, *thresholds, excess_limit
            )
            final[idle], diverged[idle], converged[idle] = orbits(
                some, rule, rates[:, idle], some_delta, epochs, (limit_k, limit_b), limit
            )
            modes = None  # not these runs' modes: their late settles are walked
    elif rule.closed_form:
        final, diverged, converged, radius, matrices, tables = orbits_radii_and_matrices(
            stats, rule, rates, delta, epochs, thresholds, excess_limit
        )
        idle = _idle_rates(stats, rates, delta)
        if idle is not rates:
            matrices, tables = None, None  # the late settles build the rates' own (as before)
            final, diverged, converged = orbits(
                stats, rule, idle, delta, epochs, thresholds, excess_limit
            )
    else:  # stepped: the stays are read while stepping
        verdict = stepped(stats, rule, rates, delta, epochs, thresholds, excess_limit, None, stays)
        final, diverged, converged = verdict.result()
        late = verdict.late(HOLD_SHARE).any(axis=0) if stays else None
        changes = (rule_of or (lambda chosen: rule), rates, delta, epochs)
        diverging = trending(stats, changes, start, final, diverged, converged)
    if radius is not None:
        diverging = radius > 1.0 + RADIUS_ROUNDING
    else:
        radius = np.full(final.size, np.nan)
    # Nothing moves from the optimum: converged at epoch 0 with the floor's loss, never
    # diverging, whatever overflowing powers of a rate past the limit would make of 0.
    if isinstance(stats, Dataset):
        if delta == (0.0, 0.0):  # every run
            nothing = np.zeros(final.size)
            diverging, diverged, converged, final = nothing != 0, nothing != 0, nothing, nothing
    elif np.count_nonzero(start) < start.size:  # a start at the optimum has 0 excess loss
        at_optimum = (delta[0] == 0.0) & (delta[1] == 0.0)
        diverging, diverged = diverging & ~at_optimum, diverged & ~at_optimum
        converged = np.where(at_optimum, 0.0, converged)
        final = np.where(at_optimum, 0.0, final)
    diverging = np.greater(diverging, diverged)  # diverging & ~diverged, in one call
    final_loss = np.where(diverged, np.nan, stats.loss_ols + final)
    converged = np.where(diverged | diverging, np.nan, converged)
    flagged = uneven[0] | uneven[1]  # a bool for one dataset, one per run for a Stack
    if retrain is not None and flagged is not False and epochs <= TRAINED:
        asked = np.broadcast_to(flagged, final.shape) & ~(diverged | diverging)
        for run in np.flatnonzero(asked):
            trained = retrain(int(run))
            converged[run] = np.nan if trained.converged_at is None else trained.converged_at
            final_loss[run] = trained.loss[-1]
    if not stays:
        return final_loss, diverged, diverging, converged, radius, np.zeros(final.size, bool)
    if late is None:  # a linear engine: no epoch by epoch to read the stays from
        linear = rates if rates is not None else np.array([single_rates, single_rates])
        # Runs train() settled itself (`retrain`) are walked: their modes' epochs are not it.
        walked = flagged if retrain is not None else False  # a bool, or one per run
        rules = rule_of or (lambda chosen: rule)
        built = (matrices, tables)
        late = _late(
            stats, rules, linear, delta, epochs, thresholds, converged, modes, walked, built
        )
    return final_loss, diverged, diverging, converged, radius, late & (converged >= 0)


def _late(
    data: Dataset | Stack,
    rule_of: Callable[[np.ndarray], Optimizer],
    rates: np.ndarray,
    delta: tuple[Any, Any],
    epochs: int,
    thresholds: tuple[Any, Any],
    converged: np.ndarray,
    modes: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None] | None = None,
    walked: Any = False,
    built: tuple[np.ndarray | None, Blocks | None] = (None, None),
) -> np.ndarray:
    """Which converged runs of a linear rule (plain GD, momentum, Nesterov at a constant rate)
    are late settlers: from plain GD's `modes` (amplitudes [coordinate, mode, run or 1], logs
    and signs [mode, run], and each coordinate's last epoch outside (2, runs; NaN where not
    known) or None; late_modes.py) where given, else (and for the runs in `walked`, or
    that rounding could decide there) from every epoch of their orbits, train()'s own
    (late_orbits.py).

    Only runs that converged past half their epochs can be: a late parameter had an earlier
    stay, then at least one epoch outside, then its final stay; that final stay is at most a
    tenth of the run (HOLD_SHARE), or no longer than the earlier one, so at most half of
    it. Beyond TRAINED epochs (plain GD's theory curve) the orbits are not walked. `built`:
    every run's transition matrices (size, size, runs) and their block tables
    (orbit_search.Blocks), where already built (else None); from the tables, only runs with
    an epoch within rounding of a band walk train()'s orbits (late_blocks.py)."""
    late = np.zeros(converged.size, bool)
    candidates = (converged > epochs / 2).nonzero()[0]
    if not candidates.size or epochs > TRAINED:
        return late
    if modes is not None:
        amplitudes, logs, signs, last = modes
        if amplitudes.shape[2] > 1:  # one per run (pairs of rates, or a Stack)
            amplitudes = amplitudes[..., candidates]
        limits = [limit[candidates] if getattr(limit, "ndim", 0) else limit for limit in thresholds]
        late[candidates], unsure = late_from_modes(
            amplitudes,
            logs[:, candidates],
            signs[:, candidates],
            limits,
            converged[candidates],
            epochs,
            None if last is None else last[:, candidates],
        )
        if isinstance(walked, np.ndarray):
            unsure |= walked[candidates]
        elif walked:
            unsure[:] = True
        if not np.count_nonzero(unsure):
            return late
        candidates = candidates[unsure]
    matrices, tables = built
    if tables is not None:
        limits = [limit[candidates] if getattr(limit, "ndim", 0) else limit for limit in thresholds]
        late[candidates], unsure = late_from_blocks(tables, candidates, limits, epochs)
        if not np.count_nonzero(unsure):
            return late
        candidates = candidates[unsure]
    some, (delta_k, delta_b, limit_k, limit_b) = _take(data, candidates, *delta, *thresholds)
    if matrices is not None:
        matrices = matrices[..., candidates]
    else:
        chosen = np.ascontiguousarray(rates[:, candidates])
        hessian = (2.0 * some.x_sq_mean, 2.0 * some.x_mean, 2.0)  # stepping.simulate's
        matrices = transition_matrices(hessian, rule_of(candidates), chosen)
    start = np.zeros((matrices.shape[0], candidates.size))
    start[0], start[1] = delta_k, delta_b
    late[candidates] = late_from_orbits(matrices, start, (limit_k, limit_b), epochs)
    return late


def single_rate_outcomes(
    data: Dataset, lr: np.ndarray, epochs: int, init: tuple[float, float], tol: float
) -> tuple[np.ndarray, np.ndarray]:
    """(final loss, epochs to converge) of plain GD at each rate of the 1-D `lr` for both
    parameters on `data`, as outcomes() gives them, without the diverged, diverging and
    spectral-radius rows a Sweep also carries: a tuning reads these two alone, and leaving the
    others out saves a tenth of an exact 40-rate tuning (single_rate_runs' `verdicts`)."""
    delta, _, thresholds, _, excess_limit = _judged_by(data, init, tol, closed_form=True)
    if delta == (0.0, 0.0):  # nothing moves: outcomes()'s rule for a start at the optimum
        return np.full(lr.size, data.loss_ols + 0.0), np.zeros(lr.size)
    final, _, converged, _ = single_rate_runs(
        data, lr, delta, epochs, thresholds, excess_limit, verdicts=False
    )
    return np.where(final <= excess_limit, data.loss_ols + final, np.nan), converged


def _judged_by(
    data: Dataset | Stack, init: tuple[float, float], tol: float, closed_form: bool
) -> tuple[tuple[Any, Any], Any, tuple[Any, Any], tuple[Any, Any], Any]:
    """(δ, the start's excess loss, settle thresholds, uneven, excess loss of divergence): what
    every run's verdict is read against. For a rule with a closed form the engines work out δ
    themselves, so the thresholds are on |δ| as train() reads it, with `uneven` marking where
    no one threshold says that (verdict.read_thresholds)."""
    k0, b0 = init
    delta = (k0 - data.slope_ols, b0 - data.intercept_ols)
    start = excess_loss(data, *delta)
    thresholds = settle_thresholds(data, init, tol, start, delta)  # one per run of a Stack
    excess_limit = divergence_threshold(data.loss_ols + start) - data.loss_ols
    uneven: tuple[Any, Any] = (False, False)
    if closed_form:
        thresholds, uneven = read_thresholds(data, thresholds)
    return delta, start, thresholds, uneven, excess_limit


def _one_hessian(data: Dataset | Stack, rates: np.ndarray) -> tuple[Any, Any, Any]:
    """(data, η_k, η_b) for the modes: one dataset's sums and one pair of rates where every
    run has them (a noise sweep: the same x, so the same Hessian, at one optimizer's rates),
    so the eigenvectors and ratios are worked out once, in floats, not once per run; the
    runs' starts, thresholds and floors stay per run. The same floats either way."""
    one = None if isinstance(data, Dataset) else data.one_x
    if one is not None and not np.count_nonzero(rates != rates[:, :1]):
        lr_k, lr_b = rates[:, 0].tolist()
        return one, lr_k, lr_b
    return data, rates[0], rates[1]


def _take(data: Dataset | Stack, runs: np.ndarray, *values: Any) -> tuple[Any, list[Any]]:
    """The data of the chosen runs (a Stack's rows; one dataset is everyone's), and each of
    `values` for them: one per run, or one shared by all."""
    some = data if isinstance(data, Dataset) else data.take(runs)
    return some, [value if np.ndim(value) == 0 else value[runs] for value in values]


def _idle_rates(data: Dataset | Stack, rates: np.ndarray, delta: tuple[Any, Any]) -> np.ndarray:
    """The rates, with 0 for a parameter that starts at its optimum uncoupled from the other
    (mean(x) = 0: H_kb = 0): every step leaves it there whatever its rate, and with its own
    rate past the limit the powers of the transition matrix would overflow in its entries and
    make the other's orbit NaN (0·∞). `rates` itself where no parameter is idle."""
    if isinstance(data, Dataset) and data.x_mean != 0.0:  # one dataset's, coupled
        return rates
    idle = [(data.x_mean == 0.0) & (part == 0.0) for part in delta]
    if not (np.any(idle[0]) or np.any(idle[1])):
        return rates
    return np.where(np.array(idle).reshape(2, -1), 0.0, rates)


def trending(
    data: Dataset | Stack,
    changes: tuple[Callable[[np.ndarray], Optimizer], np.ndarray, tuple[Any, Any], int],
    start: Any,
    final: np.ndarray,
    diverged: np.ndarray,
    converged: np.ndarray,
) -> np.ndarray:
    """Where train() says "diverging" of a stepped run (no transition matrix): verdict.py's
    trend rule, on the excess losses train() would hold.

    The rule reads a run only if it has MIN_TREND_EPOCHS epochs, has not settled and ends above
    its start (as train() rounds its losses): only those runs are stepped again, their last
    two quarters' excess losses kept, a group at a time within RECORDED_VALUES. `changes` is
    (the chosen runs' rule, rates (2, runs), δ, epochs).
    """
    rule_of, rates, delta, epochs = changes
    diverging = np.zeros(final.shape, dtype=bool)
    if epochs < MIN_TREND_EPOCHS:
        return diverging
    floor = data.loss_ols
    with np.errstate(all="ignore"):
        rises = (floor + final) - floor > (floor + start) - floor
    chosen = np.flatnonzero(rises & ~diverged & np.isnan(converged))
    first = trend_window(epochs)
    group = max(1, RECORDED_VALUES // (epochs - first + 1))
    for begin in range(0, chosen.size, group):
        runs = chosen[begin : begin + group]
        some, deltas = _take(data, runs, *delta)
        window = recorded_excess(some, rule_of(runs), rates[:, runs], deltas, epochs, first)
        for column, run in enumerate(runs):
            diverging[run] = quarters_growth(window[:, column]) is not None
    return diverging
