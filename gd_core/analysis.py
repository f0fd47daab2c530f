"""The Hessian's account of a dataset and of a pair of rates, before anything runs."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from gd_core.data import Dataset
from gd_core.model import hessian
from gd_core.settling import CoordinateModes, one_mode_settled
from gd_core.theory import spectral_radius
from gd_core.verdict import DEFAULT_TOL, diverging_radius, settle_thresholds


@dataclass(frozen=True)
class Analysis:
    """The Hessian's account of one dataset, and of per-parameter rates when given.

    `max_stable_lr` (2/λ_max) is the largest single rate for which plain GD converges; `best_lr`
    (2/(λ_min + λ_max)) converges fastest, shrinking the error by (κ − 1)/(κ + 1) per epoch;
    `best_rates` (1/H_kk, 1/H_bb) are the per-parameter rates that converge fastest, shrinking it
    by |x̄|/√mean(x²). With rates `lr`: the spectral radius of I − diag(lr)·H, whether it is below
    1, and, for plain full-batch GD from `init`, the epochs train() will report as `settled_at`
    (`predicted_settled_at`) and `converged_at` (`predicted_epochs`) for a run long enough to
    see them; None where that parameter, or the run, never gets there.
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
    predicted_settled_at: tuple[int | None, int | None] | None = None
    tol: float = DEFAULT_TOL


def curvatures(data: Dataset) -> tuple[np.ndarray, float, float]:
    """(H, λ_min, λ_max), as `analyze` reports them, without the rest of its work."""
    low, high, _, _ = data.hessian_eigen
    return hessian(data), low, high


def analyze(
    data: Dataset,
    lr: tuple[float, float] | None = None,
    tol: float = DEFAULT_TOL,
    init: tuple[float, float] = (0.0, 0.0),
) -> Analysis:
    """What plain full-batch GD will do on `data`, before running it (see `Analysis`)."""
    h = hessian(data)
    low, high, p, q = data.hessian_eigen
    cos, sin = p / np.hypot(p, q), q / np.hypot(p, q)
    analysis = Analysis(
        hessian=h,
        eigenvalues=np.array([low, high]),
        eigenvectors=np.array([[-sin, cos], [cos, sin]]),
        condition_number=high / low,
        max_stable_lr=2.0 / high,
        best_lr=2.0 / (low + high),
        best_rates=(float(1.0 / h[0, 0]), float(1.0 / h[1, 1])),
        tol=tol,
    )
    if lr is None:
        return analysis
    lr_k, lr_b = (float(rate) for rate in lr)
    if not (0.0 <= lr_k < np.inf and 0.0 <= lr_b < np.inf):
        raise ValueError(f"Learning rates must be finite numbers ≥ 0; got {lr!r}.")
    if not (0.0 <= tol < np.inf):
        raise ValueError(f"tol must be a finite number ≥ 0; got {tol!r}.")
    radius = float(spectral_radius(data, lr_k, lr_b))
    settled = _predicted_settled(data, (lr_k, lr_b), init, tol, radius)
    return dataclasses.replace(
        analysis,
        lr=(lr_k, lr_b),
        spectral_radius=radius,
        converges=radius < 1.0,
        predicted_settled_at=settled,
        predicted_epochs=None if None in settled else max(settled),  # type: ignore[type-var]
    )


def _predicted_settled(
    data: Dataset,
    lr: tuple[float, float],
    init: tuple[float, float],
    tol: float,
    radius: float,
) -> tuple[int | None, int | None]:
    """`Run.settled_at` of plain GD run long enough, from the modes of each coordinate."""
    delta = (init[0] - data.slope_ols, init[1] - data.intercept_ols)
    thresholds = settle_thresholds(data, init, tol)
    if delta == (0.0, 0.0):
        return 0, 0  # already at the optimum: nothing moves
    if diverging_radius(radius):
        return None, None  # train() calls it diverging, whatever each coordinate does
    if min(lr) > 0.0:
        epochs = CoordinateModes.of(data, *lr, delta).settled(thresholds)
        return tuple(None if np.isnan(e) else int(e) for e in epochs)  # type: ignore[return-value]
    # A rate of 0 freezes its parameter; the other then descends its own parabola alone, which
    # reaches its optimum only when the frozen one sits exactly at its own.
    h = hessian(data)
    frozen = 0 if lr[0] == 0.0 else 1
    moving = 1 - frozen
    out: list[int | None] = [None, None]
    out[frozen] = 0 if abs(delta[frozen]) <= thresholds[frozen] else None
    if delta[frozen] == 0.0 and lr[moving] > 0.0:
        epoch = one_mode_settled(lr[moving] * h[moving, moving], delta[moving], thresholds[moving])
        out[moving] = None if np.isnan(epoch) else int(epoch)
    elif abs(delta[moving]) <= thresholds[moving] and lr[moving] == 0.0:
        out[moving] = 0
    return out[0], out[1]
