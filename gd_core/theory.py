"""What the Hessian predicts for plain gradient descent, before anything runs.

Plain GD with rates D = diag(η_k, η_b) maps δ = (k − k*, b − b*) to (I − D·H)·δ each epoch.
With w = D^(−1/2)·δ this is w ← (I − S)·w for the symmetric S = D^(1/2)·H·D^(1/2), whose
eigenvalues s₁ ≤ s₂ are those of D·H. In S's orthonormal eigenbasis the excess loss
L − L* = ½·δᵀHδ = ½·wᵀSw splits into two independent modes:

    L(t) − L* = a₁·(1 − s₁)^(2t) + a₂·(1 − s₂)^(2t),    a_i = ½·s_i·z_i²,

z being the start's coordinates in that basis. So the loss shrinks for every start exactly when
the spectral radius max|1 − s_i| is below 1; both terms are ≥ 0 and, when it is, decreasing,
so the first epoch below a tolerance is found exactly by bisection on whole epochs.

Everything below works on arrays of rates too (many runs at once), which `sweep.py` uses.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from gd_core.data import Dataset
from gd_core.model import excess_loss, hessian
from gd_core.stability import stable_gain

# (1 − s)^(2t) for s = 1 is 0 for t ≥ 1; a finite stand-in for log 0 keeps exp(ℓ·0) = 1.
_LOG_ZERO = -1e3


def _eigen_2x2(
    a: np.ndarray, b: np.ndarray, c: np.ndarray, det: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(low, high, θ) for the symmetric [[a, b], [b, c]] with determinant `det`, elementwise.

    The high eigenvector is (cos θ, sin θ). The low eigenvalue is det/high rather than a
    difference of nearly equal numbers, so it keeps its digits when x is far from zero.
    """
    high = 0.5 * (a + c) + np.hypot(0.5 * (a - c), b)
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.where(high > 0, det / high, 0.0)
    return low, high, 0.5 * np.arctan2(2.0 * b, a - c)


def _scaled_eigen(
    data: Dataset, lr_k: np.ndarray, lr_b: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Eigenvalues (s₁, s₂) and angle θ of S = D^(1/2)·H·D^(1/2), elementwise over rates."""
    h = hessian(data)
    det_h = 4.0 * data.x_var  # det H = 4·(mean(x²) − x̄²), without the cancellation
    return _eigen_2x2(
        lr_k * h[0, 0], np.sqrt(lr_k * lr_b) * h[0, 1], lr_b * h[1, 1], lr_k * lr_b * det_h
    )


def spectral_radius(
    data: Dataset, lr_k: np.ndarray | float, lr_b: np.ndarray | float
) -> np.ndarray:
    """max|eigenvalue of I − diag(η_k, η_b)·H|: plain GD converges from every start iff < 1."""
    low, high, _ = _scaled_eigen(data, np.asarray(lr_k, float), np.asarray(lr_b, float))
    return np.maximum(np.abs(1.0 - low), np.abs(1.0 - high))


def stability_boundary(
    data: Dataset, lr_k: np.ndarray, momentum: float = 0.0, nesterov: bool = False
) -> np.ndarray:
    """For each η_k, the η_b at which GD (or momentum, Nesterov) stops converging; NaN if none.

    Each mode of S is stable while s < g, with g = 2 for plain GD, 2(1 + μ) for heavy-ball
    momentum and 2(1 + μ)/(1 + 2μ) for Nesterov; the edge is det(g·I − S) = 0, solved for η_b.
    """
    g = stable_gain(momentum, nesterov)
    h = hessian(data)
    lr_k = np.asarray(lr_k, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        lr_b = g * (g - lr_k * h[0, 0]) / (g * h[1, 1] - lr_k * 4.0 * data.x_var)
    return np.where((lr_k > 0) & (lr_k < g / h[0, 0]), lr_b, np.nan)


@dataclass(frozen=True)
class Modes:
    """The excess loss a₁·exp(ℓ₁·t) + a₂·exp(ℓ₂·t) of plain GD runs, elementwise."""

    weights: tuple[np.ndarray, np.ndarray]  # a_i ≥ 0, summing to the starting excess loss
    logs: tuple[np.ndarray, np.ndarray]  # ℓ_i = 2·log|1 − s_i|

    def excess(self, epoch: np.ndarray | float) -> np.ndarray:
        """L − L* after `epoch` epochs (inf once a growing mode overflows)."""
        with np.errstate(over="ignore", invalid="ignore"):
            terms = [
                np.where(a > 0, a * np.exp(ell * epoch), 0.0)
                for a, ell in zip(self.weights, self.logs, strict=True)
            ]
        return terms[0] + terms[1]

    def first_epoch_below(self, target: np.ndarray | float, limit: float = np.inf) -> np.ndarray:
        """The first whole epoch ≤ `limit` with excess ≤ `target`, else NaN; decaying modes only.

        Each term alone above the target bounds the answer from below; both terms at or under
        half the target bound it from above. Bisection closes the gap, which is a few times
        1/|ℓ| wide, in a handful of vectorised steps.
        """
        target = np.asarray(target, dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            pairs = list(zip(self.weights, self.logs, strict=True))
            alone = [np.log(target / a) / ell for a, ell in pairs]
            halves = [np.log(0.5 * target / a) / ell for a, ell in pairs]
        low = np.maximum(np.floor(np.fmax(*alone)) - 1.0, 0.0)
        high = np.minimum(np.ceil(np.fmax(*halves)) + 1.0, limit)
        low, high = np.broadcast_arrays(np.nan_to_num(low), np.fmax(high, 0.0))
        low, high = low.copy(), high.copy()
        reached = self.excess(high) <= target
        done = self.excess(0.0) <= target
        high[done] = 0.0
        open_ = ~done & reached & (high - low > 1)
        while open_.any():
            middle = np.floor(0.5 * (low + high))
            open_ &= (low < middle) & (middle < high)  # beyond 2**53 epochs, floats run out
            below = self.excess(middle) <= target
            high = np.where(open_ & below, middle, high)
            low = np.where(open_ & ~below, middle, low)
            open_ &= high - low > 1
        return np.where(done | reached, high, np.nan)


def modes(
    data: Dataset, lr_k: np.ndarray | float, lr_b: np.ndarray | float, delta: tuple[float, float]
) -> Modes:
    """Plain GD's two modes from δ = (k0 − k*, b0 − b*), for rates > 0 (arrays broadcast)."""
    lr_k, lr_b = np.asarray(lr_k, float), np.asarray(lr_b, float)
    low, high, angle = _scaled_eigen(data, lr_k, lr_b)
    w_k, w_b = delta[0] / np.sqrt(lr_k), delta[1] / np.sqrt(lr_b)
    cos, sin = np.cos(angle), np.sin(angle)
    z_high, z_low = cos * w_k + sin * w_b, cos * w_b - sin * w_k
    weights = (0.5 * low * z_low * z_low, 0.5 * high * z_high * z_high)
    return Modes(weights=weights, logs=(_log_factor(low), _log_factor(high)))


def _log_factor(s: np.ndarray) -> np.ndarray:
    """2·log|1 − s|, accurate for s near 0 (the slow mode of a small rate)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(s < 1.0, np.log1p(-np.minimum(s, 1.0)), np.log(np.abs(s - 1.0)))
    return np.maximum(2.0 * value, _LOG_ZERO)


@dataclass(frozen=True)
class Analysis:
    """The Hessian's account of one dataset, and of per-parameter rates when given.

    `max_stable_lr` (2/λ_max) is the largest single rate for which plain GD converges; `best_lr`
    (2/(λ_min + λ_max)) converges fastest, shrinking the error by (κ − 1)/(κ + 1) per epoch;
    `best_rates` (1/H_kk, 1/H_bb) are the per-parameter rates that converge fastest, shrinking it
    by |x̄|/√mean(x²). With rates `lr`: the spectral radius of I − diag(lr)·H, whether it is below
    1, and the epoch at which train() will first report convergence from `init`.
    """

    hessian: np.ndarray
    eigenvalues: np.ndarray  # ascending
    eigenvectors: np.ndarray  # column i belongs to eigenvalues[i]
    condition_number: float
    max_stable_lr: float
    best_lr: float
    best_rates: tuple[float, float]
    lr: tuple[float, float] | None = None
    spectral_radius: float | None = None
    converges: bool | None = None
    predicted_epochs: int | None = None


def analyze(
    data: Dataset,
    lr: tuple[float, float] | None = None,
    tol: float = 1e-6,
    init: tuple[float, float] = (0.0, 0.0),
) -> Analysis:
    """What plain full-batch GD will do on `data`, before running it.

    `predicted_epochs` counts as `train()` counts `converged_at`: the first epoch whose excess
    loss is at most `tol` times the starting one. None when the rates do not converge.
    """
    h = hessian(data)
    low, high, angle = (float(v) for v in _eigen_2x2(h[0, 0], h[0, 1], h[1, 1], 4.0 * data.x_var))
    cos, sin = np.cos(angle), np.sin(angle)
    analysis = Analysis(
        hessian=h,
        eigenvalues=np.array([low, high]),
        eigenvectors=np.array([[-sin, cos], [cos, sin]]),
        condition_number=high / low,
        max_stable_lr=2.0 / high,
        best_lr=2.0 / (low + high),
        best_rates=(float(1.0 / h[0, 0]), float(1.0 / h[1, 1])),
    )
    if lr is None:
        return analysis
    lr_k, lr_b = (float(rate) for rate in lr)
    if not (0.0 <= lr_k < np.inf and 0.0 <= lr_b < np.inf):
        raise ValueError(f"Learning rates must be finite numbers ≥ 0; got {lr!r}.")
    radius = float(spectral_radius(data, lr_k, lr_b))
    delta = (init[0] - data.slope_ols, init[1] - data.intercept_ols)
    start = float(excess_loss(data, *delta))
    predicted: int | None = None
    if start == 0.0:
        predicted = 0  # already at the optimum
    elif radius < 1.0:
        epoch = modes(data, lr_k, lr_b, delta).first_epoch_below(tol * start)
        predicted = None if np.isnan(epoch) else int(epoch)
    return dataclasses.replace(
        analysis,
        lr=(lr_k, lr_b),
        spectral_radius=radius,
        converges=radius < 1.0,
        predicted_epochs=predicted,
    )
