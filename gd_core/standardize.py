"""Training on standardised x, reported in the original units: `train(..., standardize=True)`.

With z = (x − x̄)/s, the Hessian becomes 2·[[1, 0], [0, 1]]: k and b decouple and share one
curvature, so one rate suits both. The line k'·z + b' is the same line as k·x + b with
k = k'/s and b = b' − k'·x̄/s, so losses are identical and only the coordinates change.
"""

from __future__ import annotations

import numpy as np

from gd_core.data import Dataset
from gd_core.run import Run, judge


def standardized(data: Dataset) -> Dataset:
    """The same points with x replaced by (x − x̄)/std(x)."""
    return Dataset(data.x_centred / np.sqrt(data.x_var), data.y)


def standardized_start(data: Dataset, init: tuple[float, float]) -> tuple[float, float]:
    """(k0, b0) on x as (k0', b0') on standardised x: the same line."""
    k0, b0 = init
    return k0 * float(np.sqrt(data.x_var)), b0 + k0 * data.x_mean


def in_original_units(
    data: Dataset, run: Run, init: tuple[float, float], epochs: int, tol: float
) -> Run:
    """A run on standardised x with k and b mapped back to the original x, judged again there.

    The verdict is judged in the original units, where the student reads k and b: a parameter
    settles when the original k or b is within `tol` of its starting distance. The map back is
    a fixed change of coordinates, so the spectral radius is the same. The map back rounds
    b by steps of |k·x̄|, which b's settling band allows for (Run.rounding).
    """
    scale, shift = float(np.sqrt(data.x_var)), data.x_mean
    with np.errstate(all="ignore"):
        k = run.k / scale
        b = run.b - run.k * (shift / scale)
    k[0], b[0] = init  # the round trip may change the start in its last bit
    # b is read back as a difference of b' and k'·x̄/s = k·x̄: at b*, a few rounding steps of
    # |k·x̄| from it (7e-15 for the default data), which is no distance the run travelled.
    rounding = (0.0, abs(shift) * (abs(init[0]) + abs(data.slope_ols)))
    return judge(data, k, b, np.array(run.loss), epochs, tol, run.spectral_radius, rounding)
