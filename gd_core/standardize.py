"""Training on standardised x, reported in the original units.

With z = (x − x̄)/s, the Hessian becomes 2·[[1, 0], [0, 1]]: k and b decouple and share one
curvature, so one rate suits both. The line k'·z + b' is the same line as k·x + b with
k = k'/s and b = b' − k'·x̄/s, so losses are identical and only the coordinates change.
"""

from __future__ import annotations

import numpy as np

from gd_core.data import Dataset
from gd_core.optimizers import Optimizer
from gd_core.run import Run, judge
from gd_core.training import train
from gd_core.verdict import DEFAULT_TOL


def standardized(data: Dataset) -> Dataset:
    """The same points with x replaced by (x − x̄)/std(x)."""
    return Dataset(data.x_centred / np.sqrt(data.x_var), data.y)


def train_standardized(
    data: Dataset,
    optimizer: Optimizer,
    epochs: int,
    init: tuple[float, float] = (0.0, 0.0),
    batch_size: int | None = None,
    seed: int = 0,
    tol: float = DEFAULT_TOL,
) -> Run:
    """`train` on standardised x, with k and b mapped back to the original x.

    The verdict is judged again in the original units, where the student reads k and b: a
    parameter settles when the original k or b is within `tol` of its starting distance. The
    map back is a fixed change of coordinates, so the spectral radius is the same.
    """
    scale, shift = float(np.sqrt(data.x_var)), data.x_mean
    k0, b0 = init
    run = train(
        standardized(data), optimizer, epochs, (k0 * scale, b0 + k0 * shift), batch_size, seed, tol
    )
    with np.errstate(all="ignore"):
        k = run.k / scale
        b = run.b - run.k * (shift / scale)
    k[0], b[0] = k0, b0  # the round trip may change the start in its last bit
    return judge(data, k, b, np.array(run.loss), epochs, tol, run.spectral_radius)
