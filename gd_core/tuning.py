"""A fair race: each optimizer's own best rate (or pair of rates) on a log grid, found at once.

For every rate on the grid the run is what `train()` reports; the winner is the grid point
with the best score under the chosen metric:

- "epochs": the fewest epochs to converge (both parameters settled, as Run.converged_at);
  runs that never converge rank after those that do, and ties go to the lower final loss;
- "loss": the lowest loss after the run's epochs (pass epochs = E for "the loss at epoch E");
  diverged runs rank last, and ties go to the fewer epochs to converge: every rate that
  reaches the floor L* to rounding ends with exactly L*, and the slowest of them is no one's
  best.

Remaining ties go to the first grid point (the smallest rates). A single rate is swept along
the diagonal (sweeps.py), a pair over a stability map (sweep.py); both are vectorised. Runs
on mini-batches or standardised x are trained one by one, since their verdicts cannot share
steps.

For plain GD at a constant rate the grid also holds theory's fastest rate, 2/(λ_min + λ_max)
(the pair 1/H_kk, 1/H_bb): with standardised x that rate is ½ and reaches the optimum in one
step, which no point of a log grid hits (the grid's best, 0.4924, took 2); on the default data
over 1,000 epochs the grid's best, 0.0209, settles at epoch 680 and theory's 0.02485 at 610.
The winner is the best of every rate tried, all of them in the axes: the fewest epochs need
not sit at theory's rate (a rate between grid points, 0.02477, settles at 575), so "tuned" is
the best of these rates, not of every rate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from gd_core.data import Dataset
from gd_core.descent import mini_batch_size
from gd_core.optimizers import Optimizer
from gd_core.outcomes import single_rate_outcomes
from gd_core.standardize import standardized
from gd_core.sweep import stability_map
from gd_core.sweeps import sweep
from gd_core.training import start_point, train, whole_number
from gd_core.verdict import DEFAULT_TOL

METRICS = ("epochs", "loss")
SINGLE_POINTS, PAIR_POINTS = 40, 20  # grid sizes: a rate per 2 % of three decades, or a 20×20 map
SPAN = 1e-3  # the grid covers three decades below its top


@dataclass(frozen=True, eq=False)
class Tuning:
    """The grid, each point's outcome, and the chosen rates.

    `lr_k_values`, `lr_b_values` are the grid's axes, every rate tried in ascending order (the
    log grid of `points` rates and, for plain GD, theory's fastest rate when it lies inside);
    for a single rate they are equal and the outcome arrays are 1-D (point i trains at
    (lr_k_values[i], lr_k_values[i])); for a pair they are shaped (len(lr_b_values),
    len(lr_k_values)) like a stability map.
    """

    lr: tuple[float, float]
    pair: bool
    metric: str
    epochs: int
    lr_k_values: np.ndarray
    lr_b_values: np.ndarray
    epochs_to_converge: np.ndarray
    final_loss: np.ndarray
    converged_at: int | None  # the winner's, as train() reports it
    final: float  # the winner's final loss (NaN if it diverged)
    # How many rates the log grid spaces evenly per axis; an axis with one more has theory's
    # fastest rate (plain GD) sorted in.
    points: int = SINGLE_POINTS


def grid_top(data: Dataset, optimizer: Optimizer, init: tuple[float, float]) -> tuple[float, ...]:
    """The largest rate of the grid, for (η_k, η_b) and for one rate for both: a linear rule's
    exact limits (gain/H_kk, gain/H_bb, gain/λ_max); for an adaptive one, whose step is about
    its rate in the parameter's own units, ten times the start's largest distance from the
    optimum (a first step that long overshoots by far)."""
    if optimizer.gain is not None:
        gain = float(optimizer.gain)
        h_kk, h_bb = 2.0 * data.x_sq_mean, 2.0  # hessian(data)'s diagonal, bit for bit
        return gain / h_kk, gain / h_bb, gain / data.hessian_eigen[1]
    distance = max(abs(init[0] - data.slope_ols), abs(init[1] - data.intercept_ols))
    scale = 10.0 * distance if distance > 0 else 1.0
    return scale, scale, scale


def log_grid(low: float, high: float, count: int, rate: float | None = None) -> np.ndarray:
    """np.geomspace(low, high, count) for 0 < low, high, bit for bit, without its general
    (complex, negative, n-dimensional) handling, which costs more than a 40-point sweep; with
    `rate`, that rate sorted in as `_with` sorts it, in the same pass: its slot is found from
    its log among the exponents, where a search and a join of the finished grid cost 2 µs, a
    twentieth of an exact 40-rate tuning."""
    inside = rate is not None and low < rate < high  # one at an end is a grid point already
    logs = (low, high, rate) if inside else (low, high)
    log_low, log_high, *log_rate = np.log10(logs).tolist()  # one call: NumPy's floats either way
    step = (log_high - log_low) / (count - 1) if count > 1 else 0.0
    if not step or not (low > 0 and high > 0):
        grid = np.geomspace(low, high, count)
        return _with(grid, rate) if inside else grid
    # Point i goes to i below the rate's slot `at` and to i + 1 above it: the exponents of
    # count + 1 points, and the powers above the slot moved up by one (the last exponent is
    # high's twice, so the spare power is a finite number).
    at = min(max(math.ceil((log_rate[0] - log_low) / step), 1), count - 1) if inside else count
    exponents = np.arange(count + (at < count), dtype=np.float64)
    exponents *= step
    exponents += log_low
    exponents[count - 1 :] = log_high
    grid = np.power(10.0, exponents)
    grid[0] = low
    if at == count:
        grid[-1] = high
        return grid
    grid[at + 1 :] = grid[at:count]  # NumPy copies overlapping memory as if through a buffer
    grid[at], grid[-1] = rate, high
    # The slot from the logs is one off only where the rate is within rounding of a point
    # (or is one): there the search decides.
    return grid if grid[at - 1] < rate < grid[at + 1] else _with(log_grid(low, high, count), rate)


def fastest_rates(data: Dataset, pair: bool) -> tuple[float, float]:
    """Theory's fastest plain-GD rates on `data`: 1/H_kk, 1/H_bb for a pair (as analyze's
    best_rates), 2/(λ_min + λ_max) for one rate for both (its best_lr)."""
    if pair:
        return 1.0 / (2.0 * data.x_sq_mean), 1.0 / 2.0  # hessian(data)'s diagonal, bit for bit
    low, high = data.hessian_eigen[:2]
    return 2.0 / (low + high), 2.0 / (low + high)


def _with(grid: np.ndarray, rate: float) -> np.ndarray:
    """`grid` (ascending, distinct) with `rate` sorted in, if it lies within the grid's span.
    By one search and a join, not np.unique's sort: 2 µs against 5, a tenth of an exact
    40-rate tuning's own cost."""
    if not grid[0] <= rate <= grid[-1]:
        return grid
    at = int(np.searchsorted(grid, rate))
    return grid if grid[at] == rate else np.concatenate((grid[:at], (rate,), grid[at:]))


def _best(epochs: np.ndarray, loss: np.ndarray, metric: str) -> int:
    """The flattened grid's best index: by the metric, then the other score (lexsort's last
    key sorts first). lexsort puts NaN (never converged, diverged) after every number and is
    stable, so remaining ties go to the first point."""
    keys = (epochs.ravel(), loss.ravel()) if metric == "loss" else (loss.ravel(), epochs.ravel())
    return int(np.lexsort(keys)[0])


def tune(
    data: Dataset,
    optimizer: Optimizer,
    epochs: int,
    *,
    pair: bool = False,
    metric: str = "epochs",
    points: int | None = None,
    init: tuple[float, float] = (0.0, 0.0),
    tol: float = DEFAULT_TOL,
    batch_size: int | None = None,
    seed: int = 0,
    standardize: bool = False,
) -> Tuning:
    """The rate (or, with `pair`, the pair of rates) on a log grid that does best under
    `metric` within `epochs`; `optimizer`'s own rates are ignored."""
    if metric not in METRICS:
        raise ValueError(f"Unknown metric {metric!r}; choose one of {', '.join(METRICS)}.")
    if not isinstance(data, Dataset):
        raise TypeError("data must be a gd_core.Dataset (see gd_core.make_dataset).")
    if not isinstance(optimizer, Optimizer):
        raise TypeError("optimizer must come from a factory such as gd_core.sgd(0.01).")
    # train()'s checks, made once here: the grid's engines would otherwise run a negative
    # number of epochs or from a NaN start and report a "best" rate all the same.
    epochs, seed = whole_number(epochs, "epochs", 0), whole_number(seed, "seed", 0)
    if batch_size is not None:
        batch_size = whole_number(batch_size, "batch_size", 1)
    init = start_point(init)
    if not 0.0 <= tol < np.inf:
        raise ValueError(f"tol must be a finite number ≥ 0; got {tol!r}.")
    if points is not None:
        points = whole_number(points, "points", 1)
    count = points or (PAIR_POINTS if pair else SINGLE_POINTS)
    on = standardized(data) if standardize else data  # the data the rates apply to
    top_k, top_b, top = grid_top(on, optimizer, init)
    exact, fast_k, fast_b = optimizer.exact_map, None, None
    if exact:  # plain GD at a constant rate: theory's fastest rates are known
        fast_k, fast_b = fastest_rates(on, pair)
    lr_k = log_grid(SPAN * (top_k if pair else top), top_k if pair else top, count, fast_k)
    lr_b = log_grid(SPAN * top_b, top_b, count, fast_b) if pair else lr_k
    one_by_one = standardize or mini_batch_size(data.n, batch_size) is not None
    if one_by_one:
        pairs = [(k, b) for b in lr_b for k in lr_k] if pair else list(zip(lr_k, lr_k, strict=True))
        runs = [
            train(
                data,
                replace(optimizer, learning_rate=(float(k), float(b))),
                epochs,
                init,
                batch_size,
                seed,
                tol,
                standardize,
            )
            for k, b in pairs
        ]
        shape = (lr_b.size, lr_k.size) if pair else (lr_k.size,)
        converged = np.array([np.nan if r.converged_at is None else r.converged_at for r in runs])
        final = np.array([np.nan if r.status == "diverged" else r.loss[-1] for r in runs])
        converged, final = converged.reshape(shape), final.reshape(shape)
    elif pair:
        result = stability_map(data, lr_k, lr_b, epochs, optimizer, init=init, tol=tol)
        converged, final = result.epochs_to_converge, result.final_loss
    elif exact:  # straight to the modes: the grid is valid by construction
        final, converged = single_rate_outcomes(data, lr_k, epochs, init, tol)
    else:
        result = sweep(data, "lr", lr_k, optimizer, epochs, init=init, tol=tol)
        converged, final = result.epochs_to_converge, result.final_loss
    best = _best(converged, final, metric)
    # .item reads a flat index of either shape straight into a Python float.
    if pair:
        row, column = divmod(best, lr_k.size)
        chosen = (lr_k.item(column), lr_b.item(row))
    else:
        chosen = (lr_k.item(best), lr_k.item(best))
    won = converged.item(best)
    return Tuning(
        lr=chosen,
        pair=pair,
        metric=metric,
        epochs=int(epochs),
        lr_k_values=lr_k,
        lr_b_values=lr_b,
        epochs_to_converge=converged,
        final_loss=final,
        converged_at=None if won != won else int(won),  # NaN: never converged
        final=final.item(best),
        points=count,
    )
