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

import math
from dataclasses import dataclass

import numpy as np

from gd_core.data import Dataset
from gd_core.model import hessian
from gd_core.stability import stable_gain

# (1 − s)^(2t) for s = 1 is 0 for t ≥ 1; a finite stand-in for log 0 keeps exp(ℓ·0) = 1.
_LOG_ZERO = -1e3
_TINY = float(np.finfo(np.float64).tiny)
# Newton steps toward the epoch of convergence: quadratic, so 4 leave it within a rounding error.
_NEWTON_STEPS = 4


def eigen_2x2(
    a: np.ndarray, b: np.ndarray, c: np.ndarray, det: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(low, high, p, q) for the symmetric [[a, b], [b, c]] with determinant `det`, elementwise.

    (p, q) is a non-zero eigenvector of `high`, not normalised. The low eigenvalue is det/high
    rather than a difference of nearly equal numbers, so it keeps its digits when x is far from
    zero. No trigonometry or square roots beyond one: this runs on whole grids of rates.
    """
    if type(a) is float and type(b) is float and type(c) is float and type(det) is float:
        return _eigen_of_floats(a, b, c, det)
    half_gap = 0.5 * (a - c)
    radius = np.sqrt(half_gap * half_gap + b * b)
    high = 0.5 * (a + c) + radius
    low = det / np.maximum(high, _TINY)  # 0 when both rates are 0
    # (high − c, b) and (b, high − a) both lie along the eigenvector; the first is the longer
    # when a ≥ c, so nothing cancels. It is (0, 0) only for a multiple of I: any will do then.
    wide = a >= c
    p = np.where(wide, high - c, b)
    q = np.where(wide, b, high - a)
    if np.count_nonzero(b) < np.size(b):  # only then can both be 0
        p = p + ((p == 0) & (q == 0))
    return low, high, p, q


def _eigen_of_floats(a: float, b: float, c: float, det: float) -> tuple[float, ...]:
    """eigen_2x2 of one matrix in Python floats: the same operations, so the same floats
    (sqrt is correctly rounded in math and NumPy alike), at a tenth of NumPy's scalar cost."""
    half_gap = 0.5 * (a - c)
    radius = math.sqrt(half_gap * half_gap + b * b)
    high = 0.5 * (a + c) + radius
    low = det / (high if high >= _TINY or high != high else _TINY)  # np.maximum's, NaN kept
    p, q = (high - c, b) if a >= c else (b, high - a)
    if b == 0.0:  # np.where's p + ((p == 0) & (q == 0)): a multiple of I, or −0 made +0
        p = p + (1.0 if p == 0.0 and q == 0.0 else 0.0)
    return low, high, p, q


def _scaled_eigen(
    data: Dataset,
    lr_k: np.ndarray,
    lr_b: np.ndarray,
    roots: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """eigen_2x2 of S = D^(1/2)·H·D^(1/2), elementwise over rates; `roots` may pass
    (√η_k, √η_b) if the caller has them.

    H's entries are read from the data's sums rather than from `hessian(data)`, so `data` may
    also be a stack of datasets' sums (sweeps.Stack), one per run, as arrays.
    """
    h_kk, h_kb = 2.0 * data.x_sq_mean, 2.0 * data.x_mean  # hessian(data)'s entries, bit for bit
    det_h = 4.0 * data.x_var  # det H = 4·(mean(x²) − x̄²), without the cancellation
    # Written so that a row of η_k against a column of η_b (a grid) does most work per axis.
    if roots is not None:
        root_k, root_b = roots
    elif type(lr_k) is float and type(lr_b) is float:  # one pair of rates, in floats
        root_k, root_b = math.sqrt(lr_k), math.sqrt(lr_b)
    else:
        root_k, root_b = np.sqrt(lr_k), np.sqrt(lr_b)
    return eigen_2x2(lr_k * h_kk, root_k * (root_b * h_kb), lr_b * 2.0, (lr_k * det_h) * lr_b)


def spectral_radius(
    data: Dataset, lr_k: np.ndarray | float, lr_b: np.ndarray | float
) -> np.ndarray:
    """max|eigenvalue of I − diag(η_k, η_b)·H|: plain GD converges from every start iff < 1."""
    low, high, _, _ = _scaled_eigen(data, np.asarray(lr_k, float), np.asarray(lr_b, float))
    return radius_of(low, high)


def radius_of(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """max|1 − s| over the eigenvalues s of D·H: the spectral radius of plain GD's step."""
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


def stability_edge(
    data: Dataset,
    lr_k: np.ndarray,
    lr_b: np.ndarray,
    momentum: float = 0.0,
    nesterov: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """The whole edge of convergence as points (η_k, η_b), η_k ascending: the edge's η_b at
    each rate in `lr_k` and its η_k at each rate in `lr_b` (the same equation solved for η_k).

    On log axes the edge is flat at its top (η_b → g/H_bb as η_k → 0) and falls steeply at its
    foot (η_b → 0 as η_k → g/H_kk): rates sampled along η_k alone trace the top but leave the
    foot's last point far above a map's bottom edge; those along η_b trace the foot.
    """
    edge_b = stability_boundary(data, lr_k, momentum, nesterov)
    g = stable_gain(momentum, nesterov)
    h = hessian(data)
    lr_b = np.asarray(lr_b, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        edge_k = g * (g - lr_b * h[1, 1]) / (g * h[0, 0] - lr_b * 4.0 * data.x_var)
    edge_k = np.where((lr_b > 0) & (lr_b < g / h[1, 1]), edge_k, np.nan)
    k = np.concatenate([np.asarray(lr_k, dtype=np.float64), edge_k])
    b = np.concatenate([edge_b, lr_b])
    keep = np.isfinite(k) & np.isfinite(b) & (k > 0) & (b > 0)
    order = np.argsort(k[keep], kind="stable")
    return k[keep][order], b[keep][order]


@dataclass(frozen=True)
class Modes:
    """Excess loss exp(ℓ₁·t + w₁) + exp(ℓ₂·t + w₂) of plain GD runs, elementwise.

    w_i = log a_i (−inf for an empty mode) and ℓ_i = 2·log|1 − s_i|. Kept in logs so that an
    empty mode stays 0 even where its growth would overflow, without a branch.
    """

    log_weights: tuple[np.ndarray, np.ndarray]
    logs: tuple[np.ndarray, np.ndarray]

    @property
    def weights(self) -> tuple[np.ndarray, np.ndarray]:
        """a_i ≥ 0, summing to the starting excess loss."""
        return np.exp(self.log_weights[0]), np.exp(self.log_weights[1])

    def excess(self, epoch: np.ndarray | float) -> np.ndarray:
        """L − L* after `epoch` epochs (inf once a growing mode overflows)."""
        return _mode_sum(*self.log_weights, *self.logs, epoch)

    def first_epoch_below(
        self,
        target: np.ndarray | float,
        limit: float = np.inf,
        *,
        excess_at_limit: np.ndarray | None = None,
    ) -> np.ndarray:
        """The first whole epoch ≤ `limit` with excess ≤ `target`, else NaN.

        Each decaying mode alone above the target puts the answer after it; both at or under
        half the target put it before. Newton's method from that lower bound climbs to the
        crossing without overshooting (the sum is convex and falling there), so after a few
        steps the first whole epoch is its ceiling; the rare run not yet settled is bisected.
        Runs still above the target at `limit` (or, with no limit, with a mode that does not
        decay) are left out first, so the work is on the runs that converge; pass
        `excess_at_limit` if it is known already.
        """
        shape = np.broadcast_shapes(*(np.shape(v) for v in (*self.log_weights, *self.logs)))
        w1, w2, l1, l2, target = (
            np.ravel(np.broadcast_to(v, shape)) for v in (*self.log_weights, *self.logs, target)
        )
        if not np.isfinite(limit):
            candidates = np.maximum(l1, l2) < 0
        elif excess_at_limit is None:
            candidates = _mode_sum(w1, w2, l1, l2, limit) <= target
        else:
            candidates = np.ravel(np.broadcast_to(excess_at_limit, shape)) <= target
        answer = np.full(candidates.shape, np.nan)
        index = np.flatnonzero(candidates)
        w1, w2, l1, l2, target = (v[index] for v in (w1, w2, l1, l2, target))
        done = _mode_sum(w1, w2, l1, l2, 0.0) <= target
        answer[index[done]] = 0.0
        index, w1, w2, l1, l2, target = (v[~done] for v in (index, w1, w2, l1, l2, target))
        with np.errstate(divide="ignore"):
            log_target = np.log(target)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            low = np.fmax(*((log_target - w) / ell for w, ell in ((w1, l1), (w2, l2))))
            high = np.fmax(*((log_target - np.log(2) - w) / ell for w, ell in ((w1, l1), (w2, l2))))
            high = np.minimum(np.ceil(high) + 1.0, limit)
            t = np.clip(np.nan_to_num(low, neginf=0.0), 0.0, high)
            for _ in range(_NEWTON_STEPS):
                term1, term2 = np.exp(l1 * t + w1), np.exp(l2 * t + w2)
                step = (term1 + term2 - np.exp(log_target)) / -(l1 * term1 + l2 * term2)
                t = np.minimum(t + np.fmax(step, 0.0), high)
        low = np.ceil(t)
        target = np.exp(log_target)
        settled = _mode_sum(w1, w2, l1, l2, low) <= target
        answer[index[settled]] = low[settled]
        index, low, high, w1, w2, l1, l2, target = (
            v[~settled] for v in (index, low, high, w1, w2, l1, l2, target)
        )
        while index.size:  # bisection, with excess(low) > target ≥ excess(high)
            middle = np.floor(0.5 * (low + high))
            # Beyond 2**53 epochs floats run out of whole numbers: stop there too.
            moves = (low < middle) & (middle < high)
            below = _mode_sum(w1, w2, l1, l2, middle) <= target
            high = np.where(below, middle, high)
            low = np.where(below, low, middle)
            still = moves & (high - low > 1)
            answer[index[~still]] = high[~still]
            index, low, high, w1, w2, l1, l2, target = (
                v[still] for v in (index, low, high, w1, w2, l1, l2, target)
            )
        return answer.reshape(shape)


def _mode_sum(
    w1: np.ndarray, w2: np.ndarray, l1: np.ndarray, l2: np.ndarray, epoch: np.ndarray | float
) -> np.ndarray:
    with np.errstate(over="ignore", invalid="ignore"):
        return np.exp(l1 * epoch + w1) + np.exp(l2 * epoch + w2)


def modes(
    data: Dataset, lr_k: np.ndarray | float, lr_b: np.ndarray | float, delta: tuple[float, float]
) -> Modes:
    """Plain GD's two modes from δ = (k0 − k*, b0 − b*), for rates > 0 (arrays broadcast)."""
    lr_k, lr_b = np.asarray(lr_k, float), np.asarray(lr_b, float)
    low, high, p, q = _scaled_eigen(data, lr_k, lr_b)
    w_k, w_b = delta[0] / np.sqrt(lr_k), delta[1] / np.sqrt(lr_b)  # the start, w = D^(−1/2)·δ
    # a_i = ½·s_i·z_i², with z the start's coordinates along the unit eigenvectors.
    along_high, along_low, length = p * w_k + q * w_b, p * w_b - q * w_k, p * p + q * q
    # A subnormal rate (1e-320) makes the start's coordinates overflow and 0·inf or inf/inf a
    # NaN weight: a mode with no known size, which the callers read as unsettled.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        log_weights = (
            np.log(0.5 * low * along_low * along_low / length),
            np.log(0.5 * high * along_high * along_high / length),
        )
    return Modes(log_weights=log_weights, logs=(_log_factor(low), _log_factor(high)))


def _log_factor(s: np.ndarray) -> np.ndarray:
    """2·log|1 − s|, accurate for s near 0 (the slow mode of a small rate).

    |1 − s| = 1 + x with x = −s below 1 and x = s − 2 above, which is max(−s, s − 2): log1p
    keeps the digits of a small s.
    """
    with np.errstate(divide="ignore"):
        return np.maximum(2.0 * np.log1p(np.maximum(-s, s - 2.0)), _LOG_ZERO)
