"""View models: what the cached computations (ui/compute) hand to pages, captions and charts.

Small, frozen and plain: a few thousand rows at most, and the verdict fields a sentence needs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Trajectory:
    """A run reduced for display: tidy rows per shown epoch, and how the run ended."""

    frame: pd.DataFrame  # epoch, k, b, loss, excess (L − L*), dist_k, dist_b
    status: str
    message: str
    settled_at: tuple[int | None, int | None]
    converged_at: int | None
    diverged_at: int | None
    epochs: int
    spectral_radius: float | None
    growth: float | None  # the distance's factor per epoch in a diverging run
    start_gaps: tuple[float, float]  # |k0 − k*|, |b0 − b*|
    blown_up: str | None  # "k" or "b" when the run diverged

    @property
    def last(self) -> pd.Series:
        """The last epoch's row (the epoch of divergence for a diverged run)."""
        return self.frame.iloc[-1]

    def gap_left(self, parameter: str) -> float:
        """|θ − θ*| at the last epoch as a fraction of the start's (inf if it started there)."""
        gap = float(self.last[f"dist_{parameter}"])
        start = self.start_gaps["kb".index(parameter)]
        return gap / start if start > 0 else np.inf


@dataclass(frozen=True)
class StabilityView:
    """The rows a stability chart draws, and what the caption says about them."""

    cells: pd.DataFrame  # lr_k, lr_b, k_low, k_high, b_low, b_high, outcome, epochs, final_loss
    boundary: pd.DataFrame  # lr_k, lr_b along the edge of convergence (sgd, momentum, nesterov)
    marks: pd.DataFrame  # lr_k, lr_b, mark: the sidebar's rates and the fastest pair
    bands: dict[str, str]  # colour of each band of cells, fastest first
    epochs: int  # epochs each cell ran (the sidebar's, at most MAP_MAX_EPOCHS when stepped)
    exact: bool  # plain GD at a constant rate: computed from the modes, not stepped
