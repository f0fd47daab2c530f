"""View models: what the cached computations (ui/compute) hand to pages, captions and charts.

Small, frozen and plain: a few thousand rows at most, and the verdict fields a sentence needs.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

import gd_core as gd
from gd_core.momentum_optimum import MomentumOptimum
from ui.plain.player_frames import Frames


@dataclass(frozen=True)
class Trajectory:
    """A run reduced for display: tidy rows per shown epoch, and how the run ended."""

    frame: pd.DataFrame  # epoch, k, b, loss, excess (L − L*), dist_k, dist_b
    status: str
    settled_at: tuple[int | None, int | None]
    converged_at: int | None
    diverged_at: int | None
    epochs: int
    spectral_radius: float | None
    growth: float | None  # the distance's factor per epoch in a diverging run
    start_gaps: tuple[float, float]  # |k0 − k*|, |b0 − b*|
    progress: gd.Progress  # how far each parameter got, from the run's full arrays
    frames: Frames  # the epochs the player stops at
    # The arrows' ends per frame (ui/plain/receipts.py, without the panel's lines); None for a
    # mini-batch run or one trained on standardised x, whose steps the per-epoch positions do
    # not show.
    steps: pd.DataFrame | None = None
    # The update panel's lines per frame (columns line0 … line{panel_lines − 1}) as the Arrow
    # bytes its chart dataset is sent as: converted once with the run, not selected from a
    # frame and fingerprinted again on every rerun of Fit and Parameters. None with `steps`.
    # Each line's tail per frame, joined in the chart to its head: the one row of `panel_heads`
    # (ui/plain/panel_heads.py).
    panel: bytes | None = None
    panel_heads: bytes | None = None
    panel_lines: int = 0
    # epoch, "rate of" ("η", or "η_k" and "η_b"), rate: the rate of each epoch; None at a
    # constant rate. Not thinned with the run's rows: a plateau's drops must stay in place.
    rates: pd.DataFrame | None = None
    # The stretch at the end whose rates the schedule made negligible and where every
    # unsettled parameter stood still (gd_core.frozen_stretch, on the full arrays); None if
    # the run has none, or a constant rate.
    frozen: gd.FrozenStretch | None = None

    @functools.cached_property  # read several times a rerun (alt texts, captions, metrics)
    def last(self) -> pd.Series:
        """The last epoch's row (the epoch of divergence for a diverged run)."""
        return self.frame.iloc[-1]

    def gap_left(self, parameter: str) -> float:
        """|θ − θ*| at the last epoch as a fraction of the start's (inf if it started there)."""
        return self.progress.left["kb".index(parameter)]

    def swing(self, parameter: str) -> float:
        """The largest |θ − θ*| over the last tenth of the run, as a fraction of the start's."""
        return self.progress.swing["kb".index(parameter)]

    def started_near(self, parameter: str) -> bool:
        """It started at its optimum, or so near it that the run pulled it more than
        gd_core.progress.PULLED times its starting distance away: a share of that gap says
        little, and its settling band is a sliver of it (gd_core.Progress.pulled)."""
        index = "kb".index(parameter)
        return self.start_gaps[index] == 0.0 or self.progress.pulled[index]

    def near_starts(self) -> list[str]:
        """The parameters that started at or near their optimum (`started_near`)."""
        return [p for p in "kb" if self.started_near(p)]

    def closed_most(self, parameter: str) -> int | None:
        """The first epoch within 10 % of its starting distance, if any."""
        return self.progress.closed_most["kb".index(parameter)]

    def held_most(self, parameter: str) -> int | None:
        """The first epoch from which it stays within 10 % of its starting distance, if any."""
        return self.progress.held_most["kb".index(parameter)]


@dataclass(frozen=True)
class StabilityView:
    """The rows a stability chart draws, and what the caption says about them."""

    cells: pd.DataFrame  # lr_k, lr_b, k_low, k_high, b_low, b_high, outcome, epochs, final_loss
    boundary: pd.DataFrame  # lr_k, lr_b along the edge of convergence (sgd, momentum, nesterov)
    marks: pd.DataFrame  # lr_k, lr_b, mark: the sidebar's rates and the fastest pair
    bands: dict[str, str]  # colour of each band of cells, fastest first
    epochs: int  # epochs each cell ran (the sidebar's, at most MAP_MAX_EPOCHS when stepped)
    exact: bool  # plain GD at a constant rate: computed from the modes, not stepped


@dataclass(frozen=True)
class AdaptiveRates:
    """An adaptive optimizer's effective rate per parameter and epoch, for Theory's chart."""

    frame: pd.DataFrame  # epoch, parameter ("k" or "b"), rate (NaN while it has none)
    optimizer: str
    epochs: int
    # (k, b): the first epochs in which that parameter's gradient was exactly 0, so the rule
    # took no step and had no rate (gd_core.effective_rates); `epochs` when it never moved.
    idle: tuple[int, int] = (0, 0)

    def positive(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(epoch, parameter, rate) of the rows whose rate is finite and above zero, in order:
        as NumPy arrays, since two texts read them on every Theory rerun (3 ms in pandas)."""
        rate = self.frame["rate"].to_numpy(dtype=float)
        keep = np.isfinite(rate) & (rate > 0)
        epoch, parameter = self.frame["epoch"].to_numpy(), self.frame["parameter"].to_numpy()
        return epoch[keep], parameter[keep].astype(str), rate[keep]


@dataclass(frozen=True)
class SweepView:
    """A sweep of one setting, per optimizer, ready to draw and describe."""

    points: pd.DataFrame  # value, optimizer, epochs, final_loss, radius, outcome, settles
    theory: pd.DataFrame  # value, epochs: plain GD's exact epochs at many values (may be empty)
    mark: float | None  # the sidebar's own value of the setting, if it has one
    floor: float  # the least-squares floor of the sidebar's data
    setting: str
    epochs: dict[str, int]  # epochs each optimizer ran (fewer than the sidebar's when capped)
    exact: tuple[str, ...]  # optimizers whose points came from the modes, without stepping
    one_by_one: bool  # trained point by point (mini-batches), not all together
    # Optimizers whose points came from powers of their update's matrix (momentum, Nesterov at a
    # constant rate on the full batch), not stepped epoch by epoch.
    closed: tuple[str, ...] = ()
    # A momentum sweep whose ρ is exact (constant rates, full batch): theory's μ of smallest ρ
    # at the sidebar's rates, and Polyak's best rate and μ together (gd_core.momentum_optimum).
    optimum: MomentumOptimum | None = None
    polyak: MomentumOptimum | None = None


@dataclass(frozen=True)
class FinderView:
    """Learning-rate range tests (one per seed) with fastai's suggestions, graded."""

    curve: pd.DataFrame  # seed, step, lr, loss, read (a step the rules read)
    suggestions: pd.DataFrame  # seed 0's: rule, lr, point_lr (= lr), point_loss (on the curve)
    grades: pd.DataFrame  # per rule (median over seeds): rule, lr, of_limit, of_best, …
    exact: pd.DataFrame  # name, lr: 2/λ_max and 2/(λ_min + λ_max)
    seeds: int
    stopped: tuple[int | None, ...]  # each seed's stopped_at
    limit: float
    best: float
    read: tuple[int, int] = (0, 0)  # seed 0's steps [start, stop) that the rules read
    lowest: tuple[int, float, float] | None = None  # seed 0's lowest recorded (step, lr, loss)
    read_low: tuple[float, float] | None = None  # the lowest point the rules read: (lr, loss)
    kappa: float = 1.0  # λ_max/λ_min of the data the test ran on
    standardized: bool = False  # the test and the exact rates are for standardised x
