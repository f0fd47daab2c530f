"""The learning-rate range test (fastai's `lr_find`), on plain gradient descent with one rate.

One run from `init` whose rate grows geometrically, one step per rate, recording the full-data
loss after each step:

    lrs[i] = lr_min·(lr_max/lr_min)^(i/(steps − 1)),   i = 0 … steps − 1,

the exponential schedule of pytorch-lr-finder's `ExponentialLR`, which ends at lr_max (fastai's
`SchedExp` uses i/steps and stops one step short of it). As in fastai's `LRFinder`, the test
stops at the first step whose loss is above 4 times the smallest loss recorded so far, that
step included: `stopped_at` is its 0-based index into `lrs` and `losses`, so a stopped test has
`len(lrs) == stopped_at + 1`. A loss that is not finite stops it too.

fastai records the smoothed loss of one mini-batch before its step; here every loss is the
full-data loss after the step, exact, so nothing needs smoothing. With `batch_size` below n,
each step uses the next batch of a seeded shuffle, reshuffled after every pass as in train().
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gd_core.data import Dataset
from gd_core.descent import epoch_batches
from gd_core.model import excess_loss, hessian

STOP_FACTOR = 4.0  # fastai's LRFinder: stop once the loss is above 4 × its minimum


@dataclass(frozen=True, eq=False)
class RangeTest:
    """A learning-rate range test: the rate and the full-data loss after each step taken.

    `lrs` and `losses` have one entry per step taken; `stopped_at` is the index of the step
    whose loss passed STOP_FACTOR × the minimum (its entry included), or None if all `steps`
    ran. `steps` is how many were asked for.
    """

    lrs: np.ndarray
    losses: np.ndarray
    stopped_at: int | None
    steps: int
    lr_min: float
    lr_max: float
    batch_size: int | None
    seed: int


def _check(data: Dataset, lr_min: float, lr_max: float, steps: int) -> None:
    if not isinstance(data, Dataset):
        raise TypeError("data must be a gd_core.Dataset (see gd_core.make_dataset).")
    if not (0.0 < lr_min < lr_max < np.inf):
        raise ValueError(f"Need 0 < lr_min < lr_max, both finite; got {lr_min!r}, {lr_max!r}.")
    if isinstance(steps, bool) or not isinstance(steps, int | np.integer) or steps < 2:
        raise ValueError(f"steps must be a whole number ≥ 2; got {steps!r}.")


def lr_range_test(
    data: Dataset,
    lr_min: float,
    lr_max: float,
    steps: int,
    batch_size: int | None = None,
    seed: int = 0,
    init: tuple[float, float] = (0, 0),
) -> RangeTest:
    """Plain gradient descent from `init`, one step at each of `steps` geometric rates from
    `lr_min` to `lr_max` (see the module's docstring), stopped once the loss passes 4 × its
    minimum; full batch unless `batch_size` < n."""
    _check(data, lr_min, lr_max, steps)
    schedule = lr_min * (lr_max / lr_min) ** (np.arange(steps) / (steps - 1))
    dk, db = float(init[0]) - data.slope_ols, float(init[1]) - data.intercept_ols
    batches = _batches(data, batch_size, seed)
    (h_kk, h_kb), (_, h_bb) = hessian(data).tolist()
    losses: list[float] = []
    best = np.inf
    stopped_at = None
    with np.errstate(all="ignore"):
        for step, rate in enumerate(schedule.tolist()):
            if batches is None:  # the full-batch gradient is H·δ, exactly
                grad_k, grad_b = h_kk * dk + h_kb * db, h_kb * dk + h_bb * db
            else:
                a, c, p, q = next(batches)
                grad_k, grad_b = a * dk + c * db + p, c * dk + 2.0 * db + q
            dk, db = dk - rate * grad_k, db - rate * grad_b
            loss = data.loss_ols + float(excess_loss(data, dk, db))
            losses.append(loss)
            best = min(best, loss)
            if not loss <= STOP_FACTOR * best:  # NaN compares False: it stops the test too
                stopped_at = step
                break
    taken = len(losses)
    return RangeTest(
        lrs=_read_only(schedule[:taken]),
        losses=_read_only(np.array(losses)),
        stopped_at=stopped_at,
        steps=int(steps),
        lr_min=float(lr_min),
        lr_max=float(lr_max),
        batch_size=batch_size if batch_size is not None and batch_size < data.n else None,
        seed=int(seed),
    )


def _batches(data: Dataset, batch_size: int | None, seed: int):
    """Each step's batch as (a, c, p, q) (descent.epoch_batches), pass after pass of a
    seeded shuffle, or None for the full batch."""
    if batch_size is None or batch_size >= data.n:
        return None
    if isinstance(batch_size, bool) or not isinstance(batch_size, int | np.integer):
        raise ValueError(f"batch_size must be a whole number ≥ 1; got {batch_size!r}.")
    if batch_size < 1:
        raise ValueError(f"batch_size must be a whole number ≥ 1; got {batch_size!r}.")
    epochs = epoch_batches(data, batch_size, np.random.default_rng(seed))
    return (batch for epoch in epochs for batch in zip(*epoch, strict=True))


def _read_only(values: np.ndarray) -> np.ndarray:
    values = np.ascontiguousarray(values, dtype=np.float64)
    values.setflags(write=False)
    return values
