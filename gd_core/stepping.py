"""Many runs stepped together: every update rule's operation one NumPy call for all runs.

A sweep or a stability map of any rule but plain GD at a constant rate (whose runs come from
their modes, sweep.plain_gd) steps its runs on one (2, runs) array: row 0 is δk, row 1 δb,
the rule's hyperparameters a number or one value per run, the data one dataset's sums or a
stack of one per run (sweeps.Stack). Linear rules at constant rates go to their closed forms
(linear_sweep.py), as train() does. Each chunk of epochs is judged at once (chunks.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gd_core import packed as packed_rules
from gd_core.chunks import BLOCK, ChunkVerdict
from gd_core.descent import rate_multipliers
from gd_core.linear_sweep import orbits
from gd_core.model import excess_loss
from gd_core.optimizers import Optimizer
from gd_core.plateau import ReduceOnPlateau
from gd_core.shared_adam import SharedAdamEpochs

# Deviations a chunk of stepped epochs holds before it is judged: ~1 MB, so that the rows
# written stay in cache until the verdict reads them (with 2**20, at most 256 epochs, a
# 400-run map spent 15 % longer stepping, and its verdict read the rows back from memory).
HISTORY_VALUES = 2**17
# ... and whole packed epochs, whose ring of rows must stay in cache beside them: ~2 MB,
# with no cap on the epochs (a 40-run sweep of 1,000 epochs is judged once, not four times).
PACKED_HISTORY_VALUES = 2**18
# ... and Adam's shared-β loop's (δk, δb, δk) rows, ~640 KB: a 400-run tuning in chunks of 64
# epochs took 2 % less than in chunks of 96, 4 % less than of 192, 9 % less than of 256 (CPU
# time, paired, on a loaded machine: the smaller the chunk, the likelier it is still in cache
# when the verdict reads it, though each chunk's verdict costs the same).
SHARED_HISTORY_VALUES = 10 * 2**13


def simulate(
    data: Any,
    rule: Optimizer,
    rates: np.ndarray,
    delta: tuple[Any, Any],
    epochs: int,
    thresholds: tuple[Any, Any],
    excess_limit: Any,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Final excess loss, divergence and convergence epoch of runs, stepped all together.

    `rates` is (2, runs): row 0 is η_k, row 1 η_b, so each update-rule operation is a single
    NumPy call for every run. `data`, `delta`, `thresholds` and `excess_limit` are one dataset's
    or hold one value per run (a stack of datasets' sums, sweeps.Stack); so may the rule's
    hyperparameters. Each parameter has settled one epoch after the last epoch it was outside
    its threshold, if it is inside at the end.
    """
    if rule.closed_form:  # linear at constant rates: from the closed form, as train() does
        return orbits(data, rule, rates, delta, epochs, thresholds, excess_limit)
    return stepped(data, rule, rates, delta, epochs, thresholds, excess_limit).result()


def recorded_excess(
    data: Any,
    rule: Optimizer,
    rates: np.ndarray,
    delta: tuple[Any, Any],
    epochs: int,
    first: int,
) -> np.ndarray:
    """(epochs − first + 1, runs): every run's excess loss over epochs first … epochs, as
    train() computes it from its losses (what verdict.quarters_growth reads), stepped as
    `simulate` steps them, for a rule without a closed form. `data` and `delta` as there."""
    record = (first, epochs, data.loss_ols)
    unset = (np.inf, np.inf)  # nothing settles, nothing is judged diverged: only recorded
    verdict = stepped(data, rule, rates, delta, epochs, unset, np.inf, record)
    return verdict.recorded  # type: ignore[return-value]


def stepped(
    data: Any,
    rule: Optimizer,
    rates: np.ndarray,
    delta: tuple[Any, Any],
    epochs: int,
    thresholds: tuple[Any, Any],
    excess_limit: Any,
    record: tuple[int, int, Any] | None = None,
    stays: bool = False,
) -> ChunkVerdict:
    """`simulate` for a rule without a closed form: the verdict of its runs, stepped (with
    the excess losses of `record`'s epochs kept, if asked, and with `stays` what tells a late
    settle: chunks.ChunkVerdict)."""
    # Reduce-on-plateau gives each run its own rates, from that run's losses (plateau.py).
    plateau = rule.schedule if isinstance(rule.schedule, ReduceOnPlateau) else None
    # Whole packed epochs pay off for a few hundred runs at most (packed.WHOLE_EPOCHS says why),
    # Adam's with β shared by every run for a few thousand (packed.shared_adam).
    if (
        rule.packed_epochs is not None
        and plateau is None
        and (
            rates.shape[1] < packed_rules.WHOLE_EPOCHS
            or packed_rules.shared_adam(rule, rates.shape[1])
        )
    ):
        return packed_epochs(
            data, rule, rates, delta, epochs, thresholds, excess_limit, record, stays
        )
    runs = rates.shape[1]
    # The full-batch gradient is H·δ, exactly, whatever the number of points, with hessian(data)'s
    # entries bit for bit (H_bb is 2 for every dataset), as two products and an add:
    # - up to LARGE runs, where a call costs its overhead, on contiguous operands of one shape
    #   (packed.py says why): each epoch's deviations are kept as (δk, δb, δk), rows 0–1 times
    #   (H_kk, H_bb) plus rows 1–2 times (H_kb, H_kb) is (H_kk·δk + H_kb·δb, H_bb·δb + H_kb·δk),
    #   the same floats as train()'s (a + b is b + a exactly);
    # - from LARGE runs on, where a call costs its memory traffic, δk times the column
    #   (H_kk, H_kb) plus δb times (H_kb, H_bb), without the copy of δk.
    small = runs < packed_rules.LARGE
    with np.errstate(all="ignore"):
        h_kk, h_kb = 2.0 * data.x_sq_mean, 2.0 * data.x_mean
        if small:
            first = np.array([np.broadcast_to(h_kk, (runs,)), np.full(runs, 2.0)])
            second = np.array(np.broadcast_to(h_kb, (2, runs)))
        else:
            first = np.array(np.broadcast_arrays(h_kk, h_kb)).reshape(2, -1)
            second = np.array(np.broadcast_arrays(h_kb, 2.0)).reshape(2, -1)
    # ... but never fewer epochs than ~8 MB holds, up to 64: each chunk's judging costs about
    # the same whatever its length, and a 100 × 100 Adam map in the 6-epoch chunks that ~1 MB
    # gives took 25 % longer than in 52-epoch ones.
    chunk = max(min(256, HISTORY_VALUES // (2 * runs)), min(64, 2**20 // (2 * runs)), 1)
    history = np.empty((chunk, 3 if small else 2, runs))  # the chunk's epochs, judged at once
    # Views made once (sliced for all rows, then listed: a tenth of slicing row by row):
    # δ, the two factors of the products, δk and its copy.
    if small:
        views = (history[:, :2], history[:, :2], history[:, 1:], history[:, 0], history[:, 2])
        rows = list(zip(*views, strict=True))
    else:
        none = [None] * chunk
        rows = list(zip(history, history[:, 0], history[:, 1], none, none, strict=True))
    start = np.empty((3, runs))
    start[0], start[1] = delta
    start[2] = start[0]
    dev = start[:2]
    along_first, along_second = (dev, start[1:]) if small else (dev[0], dev[1])
    state = rule.init(np.zeros((2, runs)))
    packed = rule.packed_steps(runs) if rule.packed_steps is not None else None
    optimum = (data.slope_ols, data.intercept_ols)  # distances as train() reads them
    verdict = ChunkVerdict(
        data, dev, thresholds, excess_limit, excess_loss(data, *dev), optimum, record, stays
    )
    along, across = np.empty((2, runs)), np.empty((2, runs))
    gradient, step = np.empty((2, runs)), np.empty((2, runs))
    multiply, add, subtract, copy = np.multiply, np.add, np.subtract, np.copyto
    constant = rule.schedule is None
    watched, loss = None, None
    x_var, x_mean = data.x_var, data.x_mean
    with np.errstate(all="ignore"):
        for begin in range(0, epochs, chunk):
            stop = min(begin + chunk, epochs)
            scale = [1.0] * (stop - begin) if plateau else rate_multipliers(rule, begin, stop)
            for i, multiplier in enumerate(scale if plateau else scale.tolist()):
                if plateau is not None:
                    watched = plateau.advance(watched, begin + i, rates, loss, np.where)
                    given = np.stack(plateau.rates(watched, begin + i, rates))
                else:  # without a schedule every multiplier is 1: the rates as they are
                    given = rates if constant else rates * multiplier
                multiply(along_first, first, along)
                multiply(along_second, second, across)
                add(along, across, gradient)
                if packed is not None:
                    packed(gradient, given, step)
                else:
                    step, state = rule.update(gradient, state, given)
                previous = dev
                dev, along_first, along_second, dev_k, again_k = rows[i]
                subtract(previous, step, dev)
                if again_k is not None:
                    copy(again_k, dev_k)
                if plateau is not None:  # the loss it reads next, as run.finish_run computes it
                    offset = x_mean * dev[0] + dev[1]
                    loss = x_var * dev[0] * dev[0] + offset * offset + data.loss_ols
            verdict.add(begin, history[: stop - begin, :2])
    return verdict


def packed_epochs(
    data: Any,
    rule: Optimizer,
    rates: np.ndarray,
    delta: tuple[Any, Any],
    epochs: int,
    thresholds: tuple[Any, Any],
    excess_limit: Any,
    record: tuple[int, int, Any] | None = None,
    stays: bool = False,
) -> ChunkVerdict:
    """As `stepped`, for a rule that steps whole epochs itself (rule.packed_epochs: Adam,
    RMSProp), a chunk of epochs at a time, each chunk's deviations judged at once."""
    runs = rates.shape[1]
    with np.errstate(all="ignore"):  # hessian(data)'s entries, as simulate takes them
        hessian = (2.0 * data.x_sq_mean, 2.0 * data.x_mean, 2.0)
        stepper = rule.packed_epochs(hessian, delta, rates)
    if isinstance(stepper, SharedAdamEpochs):
        # Its history is read by the verdict right after, so it is kept small
        # (SHARED_HISTORY_VALUES) to be still in cache then (in cache, the verdict's passes
        # over it cost next to nothing; over 1,000 epochs they added 20 % to the stepping), in
        # whole blocks of the verdict's, and at most 256 epochs (the loop lists views of every
        # row of a chunk, ~60 ns each: for 1,000 epochs at 40 runs 0.25 ms, more than judging
        # four chunks); but never fewer epochs than ~8 MB holds, up to 64 (see stepped).
        values = min(SHARED_HISTORY_VALUES // (3 * runs), 256) // BLOCK * BLOCK
        chunk = max(values, min(64, 2**20 // (2 * runs)), 1)
    else:
        chunk = max(1, PACKED_HISTORY_VALUES // (2 * runs))
    start = np.empty((2, runs))
    start[0], start[1] = delta
    optimum = (data.slope_ols, data.intercept_ols)  # distances as train() reads them
    verdict = ChunkVerdict(
        data, start, thresholds, excess_limit, excess_loss(data, *start), optimum, record, stays
    )
    with np.errstate(all="ignore"):
        for begin in range(0, epochs, chunk):
            stop = min(begin + chunk, epochs)
            scale = None if rule.schedule is None else rate_multipliers(rule, begin, stop)
            verdict.add(begin, stepper.steps(stop - begin, scale))
    return verdict
