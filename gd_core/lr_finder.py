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
from gd_core.descent import epoch_batches, mini_batch_size
from gd_core.model import excess_loss, hessian
from gd_core.training import start_point, whole_number

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


def _rate(value: object, name: str) -> float:
    if isinstance(value, str | bytes | bool):
        raise ValueError(f"{name} must be a number; got {value!r}.")
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number; got {value!r}.") from None


def _checked(data: Dataset, lr_min: object, lr_max: object) -> tuple[float, float]:
    if not isinstance(data, Dataset):
        raise TypeError("data must be a gd_core.Dataset (see gd_core.make_dataset).")
    low, high = _rate(lr_min, "lr_min"), _rate(lr_max, "lr_max")
    if not (0.0 < low < high < np.inf):
        raise ValueError(f"Need 0 < lr_min < lr_max, both finite; got {lr_min!r}, {lr_max!r}.")
    return low, high


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
    lr_min, lr_max = _checked(data, lr_min, lr_max)
    steps = whole_number(steps, "steps", 2)
    seed = whole_number(seed, "seed", 0)
    if batch_size is not None:
        batch_size = whole_number(batch_size, "batch_size", 1)
    k0, b0 = start_point(init)
    schedule = lr_min * (lr_max / lr_min) ** (np.arange(steps) / (steps - 1))
    dk, db = k0 - data.slope_ols, b0 - data.intercept_ols
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
            # NaN compares False; an infinite loss stops it even when it is the first (best).
            if not loss <= STOP_FACTOR * best or loss == np.inf:
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
        batch_size=mini_batch_size(data.n, batch_size),
        seed=seed,
    )


def _batches(data: Dataset, batch_size: int | None, seed: int):
    """Each step's batch as (a, c, p, q) (descent.epoch_batches), pass after pass of a
    seeded shuffle, or None for the full batch."""
    if mini_batch_size(data.n, batch_size) is None:
        return None
    epochs = epoch_batches(data, batch_size, np.random.default_rng(seed))
    return (batch for epoch in epochs for batch in zip(*epoch, strict=True))


def _read_only(values: np.ndarray) -> np.ndarray:
    values = np.ascontiguousarray(values, dtype=np.float64)
    values.setflags(write=False)
    return values
