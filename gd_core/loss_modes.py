"""Plain GD's excess loss as two independent modes, each a straight line on a log axis.

With rates D = diag(η_k, η_b), plain GD maps δ = (k − k*, b − b*) to (I − D·H)·δ. D·H has two
eigenvalues s₁ ≤ s₂ (those of the rate-scaled Hessian D^½·H·D^½) with eigenvectors v₁, v₂
that are H-orthogonal (v₁ᵀ·H·v₂ = 0), so writing the start as δ₀ = c₁·v₁ + c₂·v₂ splits the
excess loss L − L* = ½·δᵀ·H·δ into two terms with no cross term:

    L(t) − L* = a₁·(1 − s₁)^(2t) + a₂·(1 − s₂)^(2t),    a_i = ½·c_i²·v_iᵀ·H·v_i.

Each mode falls (or grows) by the factor (1 − s_i)² per epoch: on a log axis a straight line
of slope 2·log|1 − s_i|. A rate of 0 freezes its parameter: its mode then has s = 0 and stays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gd_core.data import Dataset
from gd_core.model import hessian
from gd_core.optimizers import _rates
from gd_core.theory import _log_factor, _scaled_eigen, modes


@dataclass(frozen=True)
class LossMode:
    """One of plain GD's two modes: its eigenvalue s of D·H, the distance's factor per epoch
    |1 − s|, the loss's (1 − s)², its direction in (k, b) (a unit vector), the parameter it
    mostly moves (the larger component of that direction), and its share of the starting
    excess loss."""

    s: float
    factor: float
    loss_factor: float
    direction: tuple[float, float]
    mostly: str  # "k" or "b"
    start: float


def _shape(data: Dataset, lr: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    """(s ascending, right eigenvectors of D·H as columns), H-orthogonal, for any rates ≥ 0."""
    lr_k, lr_b = lr
    h = hessian(data)
    if lr_k > 0.0 and lr_b > 0.0:
        # S = D^½·H·D^½ = m·S' for D' = D/m: its determinant η_k·η_b·det H underflows below
        # rates of about 1e-155 (a link's lr_k=1e-200), which made s₁ = 0 and the modes' split
        # of the start wrong; S' has the same eigenvectors and m times smaller eigenvalues.
        scale = max(lr_k, lr_b) if lr_k * lr_b < np.finfo(float).tiny else 1.0
        low, high, p, q = (float(v) for v in _scaled_eigen(data, lr_k / scale, lr_b / scale))
        low, high = low * scale, high * scale
        root_k, root_b = np.sqrt(lr_k), np.sqrt(lr_b)
        # The unit eigenvectors of S = D^½·H·D^½ are (p, q) and (−q, p), normalised; D^½·u is
        # the matching eigenvector of D·H.
        vectors = np.array([[-q * root_k, p * root_k], [p * root_b, q * root_b]])
        if np.all(np.hypot(*vectors) > 0.0) and np.isfinite(vectors).all():
            return np.array([low, high]), vectors
        # A rate so small (1e-320) that the eigenvectors underflow: in float64 it is a rate
        # of 0 (1 − s is 1 either way), so its parameter's mode is the frozen one below.
        lr = (0.0, lr_b) if lr_k < lr_b else (lr_k, 0.0)
        lr_k, lr_b = lr
    if lr_k == 0.0 and lr_b == 0.0:  # nothing moves: split the start along H's own axes
        _, vectors = np.linalg.eigh(h)
        return np.zeros(2), vectors
    moving = 0 if lr_k > 0.0 else 1
    frozen = 1 - moving
    # The frozen parameter's mode: the moving one at its own optimum given the frozen one.
    still = np.zeros(2)
    still[frozen], still[moving] = 1.0, -h[moving, frozen] / h[moving, moving]
    along = np.zeros(2)
    along[moving] = 1.0
    return np.array([0.0, lr[moving] * h[moving, moving]]), np.column_stack([still, along])


def _weights(data: Dataset, vectors: np.ndarray, delta: tuple[float, float]) -> np.ndarray:
    """a_i = ½·c_i²·v_iᵀ·H·v_i for the start δ₀ = c₁·v₁ + c₂·v₂."""
    # a_i does not depend on v_i's length; at tiny rates (1e-200) D^½ makes it ~1e-100, so
    # c_i² would overflow: unit columns keep c and the curvatures near the data's own scale.
    vectors = vectors / np.hypot(*vectors)
    c = np.linalg.solve(vectors, np.asarray(delta, dtype=float))
    curvature = np.einsum("ji,jk,ki->i", vectors, hessian(data), vectors)
    return 0.5 * c * c * curvature


def loss_modes(
    data: Dataset, lr: float | tuple[float, float], init: tuple[float, float] = (0.0, 0.0)
) -> tuple[LossMode, LossMode]:
    """Plain GD's two modes at rates `lr` (one rate or (η_k, η_b)) from `init`, s ascending."""
    rates = _rates(lr)
    s, vectors = _shape(data, rates)
    delta = (init[0] - data.slope_ols, init[1] - data.intercept_ols)
    weights = np.full(2, np.nan)
    if min(rates) > 0.0:
        # From theory.modes, as mode_losses: for a tiny rate D·H's eigenvectors are nearly
        # parallel, and solving for the start's coordinates along them is singular.
        with np.errstate(over="ignore"):
            weights = np.exp(np.array(modes(data, rates[0], rates[1], delta).log_weights))
    if not np.isfinite(weights).all():  # a rate of 0, or one too small for the modes' sums
        weights = _weights(data, vectors, delta)
    found = []
    for index in range(2):
        v = vectors[:, index] / np.hypot(*vectors[:, index])
        v = v if v[np.argmax(np.abs(v))] > 0 else -v  # point the larger component up
        factor = abs(1.0 - float(s[index]))
        found.append(
            LossMode(
                s=float(s[index]),
                factor=factor,
                loss_factor=factor * factor,
                direction=(float(v[0]), float(v[1])),
                mostly="k" if abs(v[0]) >= abs(v[1]) else "b",
                start=float(weights[index]),
            )
        )
    return found[0], found[1]


def mode_losses(
    data: Dataset,
    lr: float | tuple[float, float],
    epochs: int,
    init: tuple[float, float] = (0.0, 0.0),
) -> np.ndarray:
    """Plain GD's excess loss split by mode: shape (2, epochs + 1), row i the mode of the i-th
    smallest eigenvalue s_i of the rate-scaled Hessian, entry t its part of L − L* after t
    epochs. The columns sum to the run's L − L*; row i has log-slope 2·log|1 − s_i|.

    `lr` is one rate for both parameters or a pair (η_k, η_b), as for `sgd`. A mode that grows
    past the largest float is inf, as the run's loss would be.
    """
    if isinstance(epochs, bool) or not isinstance(epochs, int | np.integer) or epochs < 0:
        raise ValueError(f"epochs must be a whole number ≥ 0; got {epochs!r}.")
    start = np.asarray(init, dtype=np.float64)
    if start.shape != (2,) or not np.isfinite(start).all():
        raise ValueError(f"init must be two finite numbers (k0, b0); got {init!r}.")
    rates = _rates(lr)
    delta = (float(start[0]) - data.slope_ols, float(start[1]) - data.intercept_ols)
    t = np.arange(int(epochs) + 1, dtype=np.float64)
    if min(rates) > 0.0:
        # theory.modes keeps each mode in logs, accurate for x far from zero and tiny rates.
        found = modes(data, rates[0], rates[1], delta)
        log_weights, logs = np.array(found.log_weights), np.array(found.logs)
    else:
        s, vectors = _shape(data, rates)
        with np.errstate(divide="ignore"):
            log_weights = np.log(_weights(data, vectors, delta))
        logs = _log_factor(s)
    with np.errstate(over="ignore", invalid="ignore"):
        return np.exp(logs[:, np.newaxis] * t + log_weights[:, np.newaxis])
