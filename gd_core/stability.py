"""Why a run blew up: each rate against the largest rate its parameter tolerates alone.

Along one parameter with the other held fixed, the loss is a parabola of curvature H_ii, and
gradient descent on it is stable exactly when lr·H_ii < 2: lr_k < 1/mean(x²) and lr_b < 1.
Heavy-ball momentum μ widens that to lr·H_ii < 2(1 + μ); Nesterov to 2(1 + μ)/(1 + 2μ).
Both rates can be below their own limits and still diverge together, because the two
directions are coupled through mean(x); the full answer is the spectral radius in theory.py.
"""

from __future__ import annotations

import numpy as np

from gd_core.data import Dataset
from gd_core.model import hessian
from gd_core.optimizers import Optimizer, stable_gain
from gd_core.run import Run

__all__ = [
    "blown_up_parameter",
    "parameter_limits",
    "rate_sides",
    "single_parameter_limits",
    "stable_gain",
]


def single_parameter_limits(
    data: Dataset, momentum: float = 0.0, nesterov: bool = False
) -> tuple[float, float]:
    """(largest stable lr_k, largest stable lr_b), each parameter trained on its own."""
    gain = stable_gain(momentum, nesterov)
    h = hessian(data)
    return gain / h[0, 0], gain / h[1, 1]


def parameter_limits(data: Dataset, optimizer: Optimizer) -> tuple[float, float] | None:
    """`optimizer`'s own (largest stable lr_k, largest stable lr_b), each parameter alone, from
    its gain; None for a rule with no exact limit (the adaptive ones)."""
    if optimizer.gain is None:
        return None
    h = hessian(data)
    return optimizer.gain / h[0, 0], optimizer.gain / h[1, 1]


def rate_sides(
    data: Dataset, optimizer: Optimizer, lr_k: float, lr_b: float
) -> tuple[int, int] | None:
    """Per parameter (k, b), which side of the limit it tolerates alone its rate is on: -1
    below (alone it converges), 0 exactly at it (alone it swings back and forth at a constant
    size, neither closing in nor growing), 1 above (alone it grows); None for a rule with no
    exact limit (the adaptive ones).

    Decided as the theory states it, lr·H_ii against the gain, not lr against gain/H_ii: the
    quotient is rounded, so a rate printed as the limit could land one ulp either side of it.
    """
    if optimizer.gain is None:
        return None
    h = hessian(data)
    sides = (np.sign(lr_k * h[0, 0] - optimizer.gain), np.sign(lr_b * h[1, 1] - optimizer.gain))
    return int(sides[0]), int(sides[1])


def blown_up_parameter(data: Dataset, run: Run) -> str:
    """'k' or 'b': whichever moved further from its optimum, relative to where it started."""
    with np.errstate(all="ignore"):
        growth = []
        for values, optimum in ((run.k, data.slope_ols), (run.b, data.intercept_ols)):
            finite = values[np.isfinite(values)]
            start = abs(values[0] - optimum) + 1e-12 * (1 + abs(optimum))
            growth.append(np.max(np.abs(finite - optimum)) / start if finite.size else np.inf)
    return "k" if growth[0] >= growth[1] else "b"
