"""The loss over a grid of (k, b): the bowl a trajectory descends, for contour maps."""

from __future__ import annotations

import numpy as np

from gd_core.data import Dataset
from gd_core.model import mse


def view_window(
    data: Dataset, k: np.ndarray, b: np.ndarray, margin: float = 0.15
) -> tuple[tuple[float, float], tuple[float, float]]:
    """(k range, b range) that frames the finite part of a path and the optimum."""
    ranges = []
    for values, optimum in ((k, data.slope_ols), (b, data.intercept_ols)):
        finite = values[np.isfinite(values)]
        low = min(float(finite.min()), optimum) if finite.size else optimum
        high = max(float(finite.max()), optimum) if finite.size else optimum
        pad = margin * (high - low) or 1.0
        ranges.append((low - pad, high + pad))
    return ranges[0], ranges[1]


def cell_half_widths(
    k_range: tuple[float, float], b_range: tuple[float, float], resolution: int
) -> tuple[float, float]:
    """Half the spacing of `loss_surface`'s grid along k and b: shaded cells then tile it."""
    steps = max(resolution - 1, 1)
    return (k_range[1] - k_range[0]) / (2 * steps), (b_range[1] - b_range[0]) / (2 * steps)


def loss_surface(
    data: Dataset,
    k_range: tuple[float, float],
    b_range: tuple[float, float],
    resolution: int = 60,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Flat arrays k, b, loss over a resolution × resolution grid (cell centres)."""
    k_values = np.linspace(*k_range, resolution)
    b_values = np.linspace(*b_range, resolution)
    k_grid, b_grid = np.meshgrid(k_values, b_values)
    return k_grid.ravel(), b_grid.ravel(), np.asarray(mse(data, k_grid, b_grid)).ravel()


def surface_cells(
    data: Dataset,
    k_range: tuple[float, float],
    b_range: tuple[float, float],
    resolution: int = 60,
) -> dict[str, np.ndarray]:
    """`loss_surface` with each cell's bounds (k_low, k_high, b_low, b_high): cells that tile
    the window, ready for a shaded map."""
    k, b, loss = loss_surface(data, k_range, b_range, resolution)
    k_half, b_half = cell_half_widths(k_range, b_range, resolution)
    return {
        "k": k,
        "b": b,
        "loss": loss,
        "k_low": k - k_half,
        "k_high": k + k_half,
        "b_low": b - b_half,
        "b_high": b + b_half,
    }
