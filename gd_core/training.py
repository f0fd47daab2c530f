"""`train()`: one entry point for every optimizer, schedule and batch size."""

from __future__ import annotations

import math
import numbers

import numpy as np

from gd_core import closed_form, descent
from gd_core.data import Dataset
from gd_core.model import mse
from gd_core.optimizers import Optimizer
from gd_core.run import Run, divergence_threshold, finish_run
from gd_core.standardize import in_original_units, standardized, standardized_start
from gd_core.verdict import DEFAULT_TOL

_PLAIN = (float, int)  # start_point's usual types, read without NumPy


def whole_number(value: object, name: str, minimum: int) -> int:
    """`value` as an int, or ValueError naming `name` if it is not a whole number ≥ minimum."""
    if type(value) is int and value >= minimum:  # the usual case, without the ABC check
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be a whole number ≥ {minimum}; got {value!r}.")
    return int(value)


def start_point(init: object) -> tuple[float, float]:
    """`init` as (k0, b0) floats, or ValueError if it is not two finite numbers."""
    if (
        type(init) is tuple
        and len(init) == 2
        and type(init[0]) in _PLAIN
        and type(init[1]) in _PLAIN
    ):
        # The usual start, in Python: NumPy's array and checks cost ~5 µs, a twentieth of a
        # whole tuned grid of plain GD (bench_sweeps.py). The same floats and the same errors.
        k0, b0 = float(init[0]), float(init[1])
        if math.isfinite(k0) and math.isfinite(b0):
            return k0, b0
    try:
        start = np.asarray(init, dtype=np.float64)
    except (TypeError, ValueError):
        start = np.empty(0)
    if start.shape != (2,) or not np.isfinite(start).all():
        raise ValueError(f"init must be two finite numbers (k0, b0); got {init!r}.")
    k0, b0 = start.tolist()
    return k0, b0


def train(
    data: Dataset,
    optimizer: Optimizer,
    epochs: int,
    init: tuple[float, float] = (0.0, 0.0),
    batch_size: int | None = None,
    seed: int = 0,
    tol: float = DEFAULT_TOL,
    standardize: bool = False,
) -> Run:
    """Fit y ≈ k·x + b to `data` with `optimizer` for `epochs` epochs from `init` = (k0, b0).

    With `standardize=True` it trains on (x − x̄)/std(x) and reports k, b and the verdict in the
    original units of x (standardize.py); the rates then apply to the standardised problem.

    An epoch is one full-batch step when `batch_size` is None or at least n; otherwise one
    pass over a fresh seeded shuffle in batches of `batch_size`, one step per batch
    (`batch_size=1` is classic stochastic gradient descent). Loss is always the full-data MSE.

    Full-batch SGD, momentum and Nesterov without a schedule use their exact closed form; every
    other case steps in O(1) per full-batch epoch. A diverging run is a result, never an
    exception: see `Run`, whose verdict (settled, converged, diverging) uses `tol` as verdict.py
    says. Never prints a warning.
    """
    if not isinstance(data, Dataset):
        raise TypeError("data must be a gd_core.Dataset (see gd_core.make_dataset).")
    if not isinstance(optimizer, Optimizer):
        raise TypeError("optimizer must come from a factory such as gd_core.sgd(0.01).")
    epochs = whole_number(epochs, "epochs", 0)
    seed = whole_number(seed, "seed", 0)
    if batch_size is not None:
        batch_size = whole_number(batch_size, "batch_size", 1)
    k0, b0 = start_point(init)
    if not (0.0 <= tol < np.inf):
        raise ValueError(f"tol must be a finite number ≥ 0; got {tol!r}.")
    if standardize:
        start = standardized_start(data, (k0, b0))
        run = train(standardized(data), optimizer, epochs, start, batch_size, seed, tol)
        return in_original_units(data, run, (k0, b0), epochs, float(tol))

    delta = (k0 - data.slope_ols, b0 - data.intercept_ols)
    threshold = divergence_threshold(float(mse(data, k0, b0)))
    radius = None
    if descent.mini_batch_size(data.n, batch_size) is not None:
        dk, db = descent.mini_batch(data, optimizer, epochs, delta, threshold, batch_size, seed)
    elif optimizer.closed_form:
        dk, db = closed_form.linear_descent(data, optimizer, epochs, delta)
        radius = closed_form.spectral_radius(data, optimizer)
        if data.x_mean == 0.0 and 0.0 in delta and not np.isfinite(dk[-1] + db[-1]):
            # k and b are uncoupled (H_kb = 0) and one starts at its optimum, where every step
            # leaves it; the other's orbit went through powers of M that overflowed in the
            # idle one's entries (0·∞ is NaN): step instead, which keeps the idle one at 0.
            dk, db = descent.full_batch(data, optimizer, epochs, delta, threshold)
    else:
        dk, db = descent.full_batch(data, optimizer, epochs, delta, threshold)
    return finish_run(data, (k0, b0), dk, db, epochs, float(tol), radius)
