"""The data a line is fitted to, checked once, with the sums every epoch needs.

Full-batch loss and gradient depend on the data only through a few centred sums, so a
`Dataset` computes them once, in one pass, and every epoch after that costs O(1) whatever n is.
They are centred (x − x̄, y − ȳ) because x far from zero (say x ≈ 1e4) makes raw sums such as
Σx² swallow the digits that matter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

# Squares of larger values overflow float64 long before training starts.
MAX_ABS_VALUE = 1e100
# x is squared once more than y: the Hessian's entries are 2·mean(x²) and 2·x̄, and its
# eigenvalues (theory.eigen_2x2) square half their gap, ~mean(x²)². With |x| ≤ 1e75 those
# entries stay ≤ 2e150 even times a rate of 10 (the sidebar's largest), so every square is
# ≤ 4e302 < 1.8e308: λ_min, λ_max and 2/λ_max are exact where 1e77 would overflow to NaN.
MAX_ABS_X = 1e75
# What each column's values overflow past its limit, for the message that asks to rescale.
OVERFLOWS = {"x": "the loss's curvature (its Hessian's eigenvalues)", "y": "the squared error"}

# Points on one line (noise 0, a constant y, two points) leave a floor L* of rounding alone:
# each residual slope·(x − x̄) − (y − ȳ) is then off by a few ulps of the values it is made of,
# |y| and |slope·x|, and L* by the square of that (7.9e-32 for noise 0). On a log axis such a
# floor would stretch the axis thirty decades below the curve, so it reads, and is drawn, as 0.
# The bound is squared ulps, not ulps, of the loss's scale: a real floor of 1e-12 under y ≈ 6000
# stays (it is 25 decades above rounding). Exact lines of every size, offset and rounding of x
# (tests/core/test_floor_rounding.py) leave at most 18 squared ulps; 16² keeps a margin of 14.
FLOOR_ULPS = 16.0


def floor_within_rounding(loss_ols: float, scale: float) -> float:
    """`loss_ols`, or 0.0 where it is within (FLOOR_ULPS ulps)² of `scale`, mean(y²) +
    slope²·mean(x²): the size of the squared values a residual is made of."""
    return 0.0 if loss_ols <= rounding_of(scale) else loss_ols  # an overflowing scale: kept


def rounding_of(scale: float) -> float:
    """(FLOOR_ULPS ulps)² of `scale`: a loss (or loss above the floor) this small is rounding."""
    ulp = FLOOR_ULPS * float(np.finfo(np.float64).eps)
    return ulp * ulp * scale


class DataError(ValueError):
    """Data that no line can be fitted to; the message says what is wrong and how to fix it."""


def _as_column(values: object, name: str, limit: float = MAX_ABS_VALUE) -> np.ndarray:
    try:
        column = np.array(values, dtype=np.float64, copy=True)
    except (TypeError, ValueError):
        raise DataError(
            f"{name} must contain only numbers; convert text or empty cells before fitting."
        ) from None
    if column.ndim != 1:
        raise DataError(f"{name} must be a flat list of numbers, got shape {column.shape}.")
    bad = np.flatnonzero(~np.isfinite(column))
    if bad.size:
        raise DataError(
            f"{name}[{bad[0]}] is {column[bad[0]]}: every value must be a finite number; "
            f"remove or fix {bad.size} such row(s)."
        )
    too_big = np.flatnonzero(np.abs(column) > limit)
    if too_big.size:
        raise DataError(
            f"{name}[{too_big[0]}] is {column[too_big[0]]:.3g}: values this large overflow "
            f"{OVERFLOWS[name]}; rescale the data so that |{name}| ≤ {limit:.0e}."
        )
    column.setflags(write=False)
    return column


@dataclass(frozen=True, eq=False)
class Dataset:
    """Points (x, y) as read-only float64 arrays, validated on construction.

    Raises `DataError` for different lengths, fewer than 2 points, non-finite or overflowing
    values, and an x that never changes (no slope can be fitted then).
    """

    x: np.ndarray
    y: np.ndarray
    n: int = field(init=False)
    x_mean: float = field(init=False)
    y_mean: float = field(init=False)
    x_var: float = field(init=False)  # mean((x − x̄)²)
    slope_ols: float = field(init=False)
    intercept_ols: float = field(init=False)
    loss_ols: float = field(init=False)  # the least-squares floor of the MSE (0 up to rounding)

    def __post_init__(self) -> None:
        x = _as_column(self.x, "x", MAX_ABS_X)
        y = _as_column(self.y, "y")
        if x.size != y.size:
            raise DataError(
                f"x has {x.size} values but y has {y.size}; give exactly one y for each x."
            )
        if x.size < 2:
            raise DataError(f"A line needs at least 2 points; got {x.size}.")
        x_mean, y_mean = float(x.mean()), float(y.mean())
        u, v = x - x_mean, y - y_mean
        x_var = float(np.mean(u * u))
        if np.ptp(x) == 0.0:
            raise DataError(
                f"Every x equals {x[0]:g}, so the slope is undefined; "
                "use data with at least two different x values."
            )
        # The spread squared underflows (or is subnormal, so that 1/curvature overflows): no
        # slope can be told apart.
        if x_var < np.finfo(np.float64).tiny:
            raise DataError(
                f"The x values differ by only {np.ptp(x):.3g}, too little for a slope to be "
                "computed in floating point; rescale x (multiply it by a power of ten)."
            )
        slope = float(np.mean(u * v)) / x_var
        residual = slope * u - v
        scale = float(np.mean(y * y)) + slope * slope * (x_var + x_mean * x_mean)
        floor = floor_within_rounding(float(np.mean(residual * residual)), scale)
        for name, value in (("x", x), ("y", y)):
            object.__setattr__(self, name, value)
        for name, value in (
            ("n", int(x.size)),
            ("x_mean", x_mean),
            ("y_mean", y_mean),
            ("x_var", x_var),
            ("slope_ols", slope),
            ("intercept_ols", y_mean - slope * x_mean),
            ("loss_ols", floor),
        ):
            object.__setattr__(self, name, value)

    @property
    def x_sq_mean(self) -> float:
        """mean(x²), the curvature of the loss along k (half the Hessian's top-left entry)."""
        return self.x_var + self.x_mean * self.x_mean

    @cached_property
    def loss_rounding(self) -> float:
        """The loss above the floor that is float64 rounding, as `floor_within_rounding` judges
        the floor itself: (FLOOR_ULPS ulps)² of mean(y²) + k*²·mean(x²). A run whose L − L*
        falls this low has k and b at k* and b* to their last few digits."""
        with np.errstate(over="ignore"):
            scale = float(np.mean(self.y * self.y)) + self.slope_ols**2 * self.x_sq_mean
        # Values near the limits overflow the scale: then only an exact 0 counts as rounding.
        return rounding_of(scale) if np.isfinite(scale) else 0.0

    @cached_property
    def sums(self) -> tuple[float, float, float, float, float]:
        """(x_mean, x_var, slope_ols, intercept_ols, loss_ols): all a full-batch run reads of
        the data, in one tuple, for stacking many datasets (sweeps.Stack)."""
        return self.x_mean, self.x_var, self.slope_ols, self.intercept_ols, self.loss_ols

    @cached_property
    def packed_sums(self) -> bytes:
        """`sums` as five float64s in bytes: a stack of datasets (sweeps.Stack) is then one
        join and one buffer, a third of the cost of reading 5 floats from each dataset."""
        return np.array(self.sums, dtype=np.float64).tobytes()

    @cached_property
    def hessian_eigen(self) -> tuple[float, float, float, float]:
        """(λ_min, λ_max, p, q) of the loss's Hessian, (p, q) along λ_max's eigenvector (not
        normalised), as theory.eigen_2x2 gives them: kept, since sweeps and tuning on the same
        data read them on every call."""
        from gd_core.theory import eigen_2x2  # theory reads Dataset: imported on first use

        h_kk, h_kb = 2.0 * self.x_sq_mean, 2.0 * self.x_mean  # hessian(self)'s entries
        low, high, p, q = eigen_2x2(h_kk, h_kb, 2.0, 4.0 * self.x_var)
        return float(low), float(high), float(p), float(q)

    @cached_property
    def x_centred(self) -> np.ndarray:
        """x − x̄, kept for mini-batch sums."""
        return self.x - self.x_mean

    @cached_property
    def ols_residual(self) -> np.ndarray:
        """k*·x + b* − y per point; a batch gradient is affine in (k − k*, b − b*) plus this."""
        return self.slope_ols * self.x_centred - (self.y - self.y_mean)

    def __len__(self) -> int:
        return self.n

    def __repr__(self) -> str:
        return f"Dataset(n={self.n}, x̄={self.x_mean:.4g}, ȳ={self.y_mean:.4g})"


def make_dataset(
    n: int,
    slope: float,
    intercept: float,
    noise: float,
    x_range: tuple[float, float] = (0.0, 10.0),
    seed: int = 0,
) -> Dataset:
    """n points with x uniform on `x_range` and y = slope·x + intercept + N(0, noise²).

    The same arguments always give the same points (NumPy's PCG64 generator seeded by `seed`).
    """
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 2:
        raise DataError(f"n must be a whole number of points, at least 2; got {n!r}.")
    values = {"slope": slope, "intercept": intercept, "noise": noise}
    for name, value in values.items():
        if not np.isfinite(value):
            raise DataError(f"{name} must be a finite number; got {value!r}.")
    if noise < 0:
        raise DataError(f"noise is a standard deviation and cannot be negative; got {noise}.")
    low, high = (float(v) for v in x_range)
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise DataError(f"x_range must be two finite numbers, low < high; got {x_range!r}.")
    rng = np.random.default_rng(seed)
    x = rng.uniform(low, high, int(n))
    y = slope * x + intercept + noise * rng.standard_normal(int(n))
    return Dataset(x, y)
