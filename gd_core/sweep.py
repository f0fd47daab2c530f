"""Many runs at once: a grid of (η_k, η_b), every cell trained for the same epochs.

Plain GD at a constant rate needs no simulation: its excess loss is a sum of two exponential
modes (theory.py), so every cell's final loss, divergence and epoch of convergence follow in a
few vectorised operations, whatever the number of epochs. Every other optimizer steps all cells
together (stepping.py): the coordinate-wise update rules of optimizers.py run on a (2, cells)
array, one NumPy call per operation for the whole grid, with no Python loop per run.

Cells mean what train() means for one run: `diverged` when the loss passes DIVERGENCE_FACTOR
times its start, `epochs_to_converge` the epoch both parameters have settled (verdict.py), and
no epoch where the run is diverging. Plain GD's settled epochs come from the two modes of each
coordinate (settling.py); stepped cells record the last epoch each parameter was outside.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from gd_core.closed_form import spectral_radius
from gd_core.data import Dataset
from gd_core.model import excess_loss
from gd_core.optimizers import Optimizer, make_optimizer
from gd_core.settling import CoordinateModes
from gd_core.stability import single_parameter_limits
from gd_core.stepping import simulate
from gd_core.verdict import (
    DEFAULT_TOL,
    RADIUS_ROUNDING,
    divergence_threshold,
    settle_thresholds,
)


@dataclass(frozen=True, eq=False)
class StabilityMap:
    """Outcome of full-batch training for every (η_k, η_b); arrays shaped (len(lr_b), len(lr_k)).

    `final_loss` is the loss after the last epoch (NaN where the run diverged);
    `epochs_to_converge` the epoch train() reports as converged_at (NaN where it is None);
    `diverging` where train() reports "diverging" for a linear update (plain GD, momentum,
    Nesterov at a constant rate: the spectral radius is above 1); False for other optimizers,
    whose trend rule needs the whole trajectory of each cell.
    """

    lr_k: np.ndarray
    lr_b: np.ndarray
    final_loss: np.ndarray
    diverged: np.ndarray
    diverging: np.ndarray
    epochs_to_converge: np.ndarray
    epochs: int
    optimizer: str
    exact: bool  # from the modes at any epoch count (plain GD at a constant rate), not stepped

    def cells(self) -> dict[str, np.ndarray]:
        """Every cell flattened (row by row): its rates and its bounds on log axes, so that
        cells tile the map when drawn as rectangles (`rate_grid` spaces rates evenly in log)."""
        grid_k, grid_b = (grid.ravel() for grid in np.meshgrid(self.lr_k, self.lr_b))
        half_k = np.sqrt(self.lr_k[1] / self.lr_k[0]) if self.lr_k.size > 1 else 1.0
        half_b = np.sqrt(self.lr_b[1] / self.lr_b[0]) if self.lr_b.size > 1 else 1.0
        return {
            "lr_k": grid_k,
            "lr_b": grid_b,
            "k_low": grid_k / half_k,
            "k_high": grid_k * half_k,
            "b_low": grid_b / half_b,
            "b_high": grid_b * half_b,
        }


def rate_grid(
    data: Dataset, resolution: int = 40, span: tuple[float, float] = (1e-3, 4.0)
) -> tuple[np.ndarray, np.ndarray]:
    """Log-spaced η_k and η_b from span[0] to span[1] times each parameter's own limit.

    The limits (1/mean(x²) for k, 1 for b) put the stability boundary inside the grid whatever
    the data, and a span of three decades shows the slow corner, the fast valley and blow-up.
    """
    limit_k, limit_b = single_parameter_limits(data)
    factors = np.geomspace(span[0], span[1], resolution)
    return factors * limit_k, factors * limit_b


def _rate_axis(values: Any, name: str) -> np.ndarray:
    axis = np.asarray(values, dtype=np.float64)
    if axis.ndim != 1 or axis.size == 0 or not (np.isfinite(axis) & (axis > 0)).all():
        raise ValueError(f"{name} must be a non-empty list of finite rates > 0.")
    return axis


def stability_map(
    data: Dataset,
    lr_k_values: Any,
    lr_b_values: Any,
    epochs: int,
    optimizer: Optimizer | str = "sgd",
    *,
    init: tuple[float, float] = (0.0, 0.0),
    tol: float = DEFAULT_TOL,
    **hyper: Any,
) -> StabilityMap:
    """Train `optimizer` on every pair of rates; its own rates are ignored (the grid's are used).

    `optimizer` is an Optimizer such as `adam(1.0, betas=(0.8, 0.99))`, or a name from
    OPTIMIZERS with `hyper` for its factory. The result says whether it is `exact` (plain GD at
    a constant rate, from the modes) or stepped.
    """
    lr_k, lr_b = _rate_axis(lr_k_values, "lr_k_values"), _rate_axis(lr_b_values, "lr_b_values")
    if isinstance(epochs, bool) or not isinstance(epochs, int | np.integer) or epochs < 0:
        raise ValueError(f"epochs must be a whole number ≥ 0; got {epochs!r}.")
    if isinstance(optimizer, Optimizer):
        if hyper:
            raise TypeError("Pass hyperparameters to the optimizer's factory, not here.")
        rule = optimizer
    else:
        rule = make_optimizer(optimizer, 1.0, **hyper)  # the rates come from the grid
    # A row of η_k against a column of η_b: broadcasting makes the grid, and per-axis work
    # stays per axis.
    grid_k, grid_b = lr_k[np.newaxis, :], lr_b[:, np.newaxis]
    delta = (init[0] - data.slope_ols, init[1] - data.intercept_ols)
    start = float(excess_loss(data, *delta))
    excess_limit = divergence_threshold(data.loss_ols + start) - data.loss_ols
    thresholds = settle_thresholds(data, init, tol)
    if rule.exact_map:
        final, converged, modes = plain_gd(data, grid_k, grid_b, delta, epochs, thresholds)
        diverged = ~(final <= excess_limit)
        diverging = modes.radius > 1.0 + RADIUS_ROUNDING
    else:
        shape = (lr_b.size, lr_k.size)
        rates = np.empty((2, *shape))  # η_k and η_b of every cell, row by row
        rates[0], rates[1] = grid_k, grid_b
        rates = rates.reshape(2, -1)
        final, diverged, converged = (
            result.reshape(shape)
            for result in simulate(data, rule, rates, delta, epochs, thresholds, excess_limit)
        )
        diverging = np.zeros_like(diverged)
        if rule.closed_form:
            # As train() judges a linear run: diverging from the first epoch when ρ > 1.
            radius = spectral_radius(data, rule, np.broadcast_arrays(grid_k, grid_b))
            diverging = radius > 1.0 + RADIUS_ROUNDING
    diverging &= delta != (0.0, 0.0)  # a start at the optimum stays there
    if delta == (0.0, 0.0):
        converged = np.zeros_like(final)  # at the optimum already: nothing moves
    return StabilityMap(
        lr_k=lr_k,
        lr_b=lr_b,
        final_loss=np.where(diverged, np.nan, data.loss_ols + final),
        diverged=diverged,
        diverging=diverging & ~diverged,
        epochs_to_converge=np.where(diverged | diverging, np.nan, converged),
        epochs=int(epochs),
        optimizer=rule.name,
        exact=rule.exact_map,
    )


def plain_gd(
    data: Any,
    lr_k: np.ndarray,
    lr_b: np.ndarray,
    delta: tuple[Any, Any],
    epochs: int,
    thresholds: tuple[Any, Any],
) -> tuple[np.ndarray, np.ndarray, CoordinateModes]:
    """Final excess loss and convergence epoch from the modes, with no stepping; and the
    modes themselves (their spectral radius says which runs are diverging).

    Elementwise over the rates, and over runs on different data when `data` is a stack of
    datasets' sums (sweeps.Stack) and `delta` and `thresholds` hold one value per run (one
    rate for both parameters on one dataset has a leaner path: single_rate.py). The
    excess loss is a sum of two terms each growing or shrinking geometrically, so its largest
    value over 0…epochs is at an end: checking the last epoch for divergence checks them all.
    """
    modes = CoordinateModes.of(data, lr_k, lr_b, delta)
    with np.errstate(all="ignore"):
        end = modes.unguarded_at(epochs)
        offset = data.x_mean * end[0] + end[1]
        final = data.x_var * end[0] * end[0] + offset * offset
    return final, modes.converged(thresholds, epochs, end), modes
