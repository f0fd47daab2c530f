"""The model y ≈ k·x + b, its loss L(k, b) = mean((k·x + b − y)²), gradient and Hessian.

With δk = k − k*, δb = b − b* measured from the least-squares optimum (k*, b*), the loss is
exactly

    L(k, b) = L* + var(x)·δk² + (x̄·δk + δb)²,

and its gradient is H·(δk, δb) with the constant Hessian H = 2·[[mean(x²), x̄], [x̄, 1]].
Written this way neither loss nor gradient subtracts two large numbers, so the excess loss stays
accurate to the last digits even near the optimum and for x far from zero.

`k` and `b` may be floats or arrays of one shape (many runs at once).
"""

from __future__ import annotations

import numpy as np

from gd_core.data import Dataset

ArrayLike = float | np.ndarray


def ols(data: Dataset) -> tuple[float, float]:
    """The least-squares slope and intercept (k*, b*): the point every optimizer aims for."""
    return data.slope_ols, data.intercept_ols


def hessian(data: Dataset) -> np.ndarray:
    """H = 2·[[mean(x²), mean(x)], [mean(x), 1]]; it is the same at every (k, b)."""
    return 2.0 * np.array([[data.x_sq_mean, data.x_mean], [data.x_mean, 1.0]])


def excess_loss(data: Dataset, dk: ArrayLike, db: ArrayLike) -> ArrayLike:
    """L − L* at k = k* + dk, b = b* + db; never negative."""
    if type(dk) is float and type(db) is float and type(data.x_var) is float:
        offset = data.x_mean * dk + db  # Python floats never warn: no errstate to enter
        return data.x_var * dk * dk + offset * offset
    with np.errstate(all="ignore"):
        offset = data.x_mean * dk + db
        return data.x_var * dk * dk + offset * offset


def mse(data: Dataset, k: ArrayLike, b: ArrayLike) -> ArrayLike:
    """Mean squared error L(k, b) = mean((k·x + b − y)²) over all points."""
    return data.loss_ols + excess_loss(data, k - data.slope_ols, b - data.intercept_ols)


def gradient(data: Dataset, k: ArrayLike, b: ArrayLike) -> tuple[ArrayLike, ArrayLike]:
    """(dL/dk, dL/db) = (2·mean(x·r), 2·mean(r)) with r = k·x + b − y, taken as H·(δk, δb)."""
    dk, db = k - data.slope_ols, b - data.intercept_ols
    with np.errstate(all="ignore"):
        offset = data.x_mean * dk + db
        return 2.0 * (data.x_var * dk + data.x_mean * offset), 2.0 * offset


def distance_to_optimum(data: Dataset, k: ArrayLike, b: ArrayLike) -> tuple[ArrayLike, ArrayLike]:
    """(|k − k*|, |b − b*|): how far each parameter still is from least squares."""
    with np.errstate(all="ignore"):
        return np.abs(k - data.slope_ols), np.abs(b - data.intercept_ols)
