"""The exact trajectory of a linear optimizer at a constant rate, with no per-epoch loop.

For SGD, momentum and Nesterov the full-batch step is linear in z = (δk, δb, optimizer state):
z_{t+1} = M·z_t with a constant matrix M. M is read off the optimizer's own update rule by
applying one step to each basis vector (so no update rule is written twice), and the whole
orbit z_0 … z_T follows by doubling: once z_0 … z_{m−1} are known, z_m … z_{2m−1} = M^m·(z_0 …
z_{m−1}), and M^{2m} = (M^m)². That is about log2(T) small matrix products over blocks.
"""

from __future__ import annotations

import numpy as np

from gd_core.data import Dataset
from gd_core.model import hessian
from gd_core.optimizers import Optimizer


def transition_matrix(
    data: Dataset,
    optimizer: Optimizer,
    rates: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """M with z_{t+1} = M·z_t for z = (δk, δb, state of k…, state of b…); needs `linear`.

    With `rates` (arrays of η_k and η_b of one shape S) instead of the optimizer's own, one
    matrix per pair, shaped S + M's shape: the update rules are coordinate-wise, so they apply
    to every pair at once.
    """
    if not optimizer.linear:
        raise ValueError(f"{optimizer.name} is not linear in its state; it has no closed form.")
    size = len(optimizer.init(0.0))
    basis = np.eye(2 + 2 * size)  # column j is the j-th basis state
    dk, db = basis[0], basis[1]
    state_k = tuple(basis[2 : 2 + size])
    state_b = tuple(basis[2 + size :])
    h = hessian(data)
    grad_k = h[0, 0] * dk + h[0, 1] * db
    grad_b = h[1, 0] * dk + h[1, 1] * db
    lr_k, lr_b = optimizer.learning_rate
    if rates is not None:  # a trailing axis for the basis
        lr_k, lr_b = (np.asarray(rate, dtype=np.float64)[..., np.newaxis] for rate in rates)
    step_k, state_k = optimizer.update(grad_k, state_k, lr_k)
    step_b, state_b = optimizer.update(grad_b, state_b, lr_b)
    rows = [dk - step_k, db - step_b, *state_k, *state_b]
    shape = np.broadcast_shapes(*(np.shape(row) for row in rows))
    return np.stack([np.broadcast_to(row, shape) for row in rows], axis=-2)


def spectral_radius(
    data: Dataset,
    optimizer: Optimizer,
    rates: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray | float:
    """max|eigenvalue| of the transition matrix (one per pair of `rates`, if given).

    Above 1, a run moves away from the optimum by that factor per epoch, once the growing
    mode dominates.
    """
    matrices = transition_matrix(data, optimizer, rates)
    # A rate so large that η·H overflows (1e300 on x near 1e4) has entries of ±inf or NaN, on
    # which LAPACK raises: such a run leaves the optimum faster than any float, radius inf.
    finite = np.isfinite(matrices).all(axis=(-2, -1))
    values = np.linalg.eigvals(np.where(finite[..., None, None], matrices, 0.0))
    radius = np.where(finite, np.max(np.abs(values), axis=-1), np.inf)
    return float(radius) if rates is None else radius


def dominant_eigenvalue(data: Dataset, optimizer: Optimizer) -> complex:
    """The transition matrix's eigenvalue of largest modulus (the spectral radius is its size).

    Its direction tells two runs apart that a radius of 1 alone does not: near +1 the slowest
    mode barely shrinks (a rate tiny against the flattest curvature, the run crawls); near −1,
    or complex on the unit circle, the run swings on the stability boundary.
    """
    matrix = transition_matrix(data, optimizer)
    if not np.isfinite(matrix).all():  # overflowed: as spectral_radius, beyond any float
        return complex(np.inf)
    values = np.linalg.eigvals(matrix)
    return complex(values[np.argmax(np.abs(values))])


def orbit(matrix: np.ndarray, start: np.ndarray, steps: int) -> np.ndarray:
    """Rows start, M·start, …, M^steps·start, by repeated squaring (overflow gives inf/NaN)."""
    rows = np.empty((steps + 1, start.size))
    rows[0] = start
    power, known = matrix, 1
    with np.errstate(all="ignore"):
        while known <= steps:
            take = min(known, steps + 1 - known)
            np.matmul(rows[:take], power.T, out=rows[known : known + take])
            if not np.isfinite(rows[known + take - 1]).all():
                rows[known + take :] = np.nan  # diverged; nothing after this is read
                break
            power = power @ power
            known += take
    return rows


def linear_descent(
    data: Dataset, optimizer: Optimizer, epochs: int, delta: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray]:
    """(δk, δb) for epochs 0…`epochs` of full-batch training, from the closed form.

    A start at the optimum stays there, as every step from it is 0: its orbit is not computed,
    since the powers of M for a rate past the limit overflow, and 0·∞ is NaN, not 0.
    """
    if delta == (0.0, 0.0):
        return np.zeros(epochs + 1), np.zeros(epochs + 1)
    matrix = transition_matrix(data, optimizer)
    start = np.zeros(matrix.shape[0])
    start[:2] = delta
    rows = orbit(matrix, start, epochs)
    return rows[:, 0].copy(), rows[:, 1].copy()
