"""When plain GD's parameters settle, predicted from two geometric modes per coordinate.

Plain GD at constant rates D = diag(η_k, η_b) maps δ = (k − k*, b − b*) to (I − D·H)·δ. In the
orthonormal eigenbasis of S = D^½·H·D^½ (theory.py), with w = D^(−½)·δ, each coordinate is a
sum of two geometric sequences:

    δθ_t = A_θ,1·r_1^t + A_θ,2·r_2^t,    r_i = 1 − s_i,

so whether |δθ_t| is above a threshold at epoch t is known without stepping. Splitting t by
parity (t = 2u + p) makes both ratios positive, r_i^t = r_i^p·(r_i²)^u, and a sum of two
decaying exponentials in u has at most one zero and one turning point: between those
breakpoints |δθ| is monotone, so the last epoch above the threshold is found by bisection on
at most three pieces. Everything works elementwise on arrays (a whole grid of rates at once),
and ratios are kept as logarithms (log1p for the slow mode of a small rate), so an answer of
fifty million epochs is still exact to the epoch.
"""

from __future__ import annotations

import numpy as np

from gd_core.data import Dataset
from gd_core.theory import _scaled_eigen

# exp(2u·_LOG_ZERO) is 1 at u = 0 and 0 after: a ratio r = 0 without log(0).
_LOG_ZERO = -700.0
# Beyond this, float64 has no whole numbers left to count epochs with.
MAX_EPOCH = 2.0**52


def _log_ratio(s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(log|1 − s|, sign(1 − s)), the log accurate for s near 0 and near 2."""
    with np.errstate(divide="ignore"):
        log = np.log1p(np.maximum(-s, s - 2.0))  # |1 − s| = 1 + max(−s, s − 2)
    return np.maximum(log, _LOG_ZERO), np.sign(1.0 - s)


def coordinate_modes(
    data: Dataset, lr_k: np.ndarray, lr_b: np.ndarray, delta: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(amplitudes, log ratios, signs) of plain GD from δ for rates > 0, elementwise.

    amplitudes[c, i] is A_θ,i for coordinate c (0 = k, 1 = b) and mode i (0 = slow, 1 = fast);
    log ratios[i] = log|r_i| and signs[i] = sign(r_i).
    """
    lr_k, lr_b = np.asarray(lr_k, float), np.asarray(lr_b, float)
    low, high, p, q = _scaled_eigen(data, lr_k, lr_b)
    root_k, root_b = np.sqrt(lr_k), np.sqrt(lr_b)
    # Rates so small that these underflow give non-finite amplitudes: "never settles" below.
    with np.errstate(all="ignore"):
        w_k, w_b = delta[0] / root_k, delta[1] / root_b
        length = p * p + q * q
        # Unit eigenvectors (p, q)/‖·‖ for the fast mode and (−q, p)/‖·‖ for the slow one;
        # each coordinate's amplitude is its component of D^½·u_i·(u_i·w).
        along_fast, along_slow = (p * w_k + q * w_b) / length, (p * w_b - q * w_k) / length
        amplitudes = np.array(
            [
                [root_k * -q * along_slow, root_k * p * along_fast],
                [root_b * p * along_slow, root_b * q * along_fast],
            ]
        )
    (log_slow, sign_slow), (log_fast, sign_fast) = _log_ratio(low), _log_ratio(high)
    return amplitudes, np.array([log_slow, log_fast]), np.array([sign_slow, sign_fast])


def _value(a1, a2, l1, l2, u):
    with np.errstate(over="ignore", invalid="ignore"):
        return np.abs(a1 * np.exp(l1 * u) + a2 * np.exp(l2 * u))


def _last_above(a1, a2, l1, l2, threshold, last):
    """Largest whole u in [0, last] with |a1·e^(l1·u) + a2·e^(l2·u)| > threshold, else −1.

    l1, l2 < 0 (decaying); arrays of one shape. See the module's docstring for the method.
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        opposite = a1 * a2 < 0
        apart = l1 != l2
        zero = np.where(opposite & apart, np.log(-a2 / a1) / (l1 - l2), np.nan)
        turn = np.where(opposite & apart, np.log(-a2 * l2 / (a1 * l1)) / (l1 - l2), np.nan)
    inner = [
        np.clip(np.nan_to_num(v, nan=0.0, posinf=0.0, neginf=0.0), 0.0, last) for v in (zero, turn)
    ]
    edges = np.sort(np.stack([np.zeros_like(last), *inner, last]), axis=0)
    found = np.full(last.shape, -1.0)

    def outside(u):
        return _value(a1, a2, l1, l2, u) > threshold

    for j in range(3):
        low, high = np.ceil(edges[j]), np.floor(edges[j + 1])
        valid = low <= high
        end_out = valid & outside(high)
        found = np.where(end_out, np.maximum(found, high), found)
        search = valid & ~end_out & outside(low)
        while search.any():  # |value| falls on the piece: outside at low, inside at high
            middle = np.floor(0.5 * (low + high))
            out = outside(middle)
            low = np.where(search & out, middle, low)
            high = np.where(search & ~out, middle, high)
            done = search & (high - low <= 1)
            found = np.where(done, np.maximum(found, low), found)
            search &= ~done
    # A breakpoint computed in floating point may sit an epoch off: look around each.
    for point in (zero, turn):
        for shift in (-1.0, 0.0, 1.0, 2.0):
            u = np.floor(np.nan_to_num(point, nan=-10.0)) + shift
            fits = (u >= 0) & (u <= last)
            hit = fits & outside(np.where(fits, u, 0.0))
            found = np.where(hit, np.maximum(found, u), found)
    return found


def last_epoch_outside(
    amplitudes: np.ndarray,
    logs: np.ndarray,
    signs: np.ndarray,
    threshold: np.ndarray | float,
    horizon: float = np.inf,
) -> np.ndarray:
    """The last epoch t ≤ horizon with |A_1·r_1^t + A_2·r_2^t| > threshold (−1 if none).

    `amplitudes`, `logs`, `signs` hold the two modes along their first axis. inf where the
    coordinate never stays inside (a mode that does not decay, or past MAX_EPOCH).
    """
    a1, a2 = amplitudes
    l1, l2 = logs
    shape = np.broadcast_shapes(a1.shape, l1.shape, np.shape(threshold))
    a1, a2, l1, l2, s1, s2, threshold = (
        np.broadcast_to(v, shape).astype(float) for v in (a1, a2, l1, l2, *signs, threshold)
    )
    # Each term alone is ≤ threshold/2 after `bound` epochs, so nothing is outside after it.
    with np.errstate(divide="ignore", invalid="ignore"):
        bound = np.fmax(
            *(
                np.where(a == 0, 0.0, np.log(2 * np.abs(a) / threshold) / -ell)
                for a, ell in ((a1, l1), (a2, l2))
            )
        )
    stuck = ((l1 >= 0) & (a1 != 0)) | ((l2 >= 0) & (a2 != 0))
    end = np.minimum(np.ceil(np.nan_to_num(np.maximum(bound, 0.0), nan=0.0)), horizon)
    lost = ~(np.isfinite(a1) & np.isfinite(a2))
    never = (stuck & ~np.isfinite(horizon)) | (end > MAX_EPOCH) | lost
    end = np.where(never | stuck, np.minimum(horizon, MAX_EPOCH), end)
    result = np.full(shape, -1.0)
    for parity in (0, 1):
        last = np.floor((end - parity) / 2)
        has = last >= 0
        # r^(2u + p) = r^p·e^(2u·log|r|): the odd epochs' r goes into the amplitude.
        b1 = a1 * s1 * np.exp(l1) if parity else a1
        b2 = a2 * s2 * np.exp(l2) if parity else a2
        u = _last_above(b1, b2, 2 * l1, 2 * l2, threshold, np.where(has, last, 0.0))
        t = np.where(has & (u >= 0), 2 * u + parity, -1.0)
        result = np.maximum(result, t)
    return np.where(never, np.inf, result)


def predicted_settled(
    data: Dataset,
    lr_k: np.ndarray | float,
    lr_b: np.ndarray | float,
    delta: tuple[float, float],
    thresholds: tuple[float, float],
    horizon: float = np.inf,
) -> tuple[np.ndarray, np.ndarray]:
    """The epoch each parameter of plain GD settles (NaN for never), for rates > 0.

    As `Run.settled_at` counts it for a run of `horizon` epochs: one past the last epoch
    outside the threshold, and never if that is the run's last epoch.
    """
    amplitudes, logs, signs = coordinate_modes(data, lr_k, lr_b, delta)
    out = []
    for coordinate in (0, 1):
        last = last_epoch_outside(
            amplitudes[coordinate], logs, signs, thresholds[coordinate], horizon
        )
        with np.errstate(invalid="ignore"):
            settled = np.where(np.isinf(last) | (last >= horizon), np.nan, last + 1)
        out.append(settled)
    return out[0], out[1]


def one_mode_settled(s: float, delta: float, threshold: float) -> float:
    """Settled epoch of δ_t = (1 − s)^t·δ, one parameter descending its parabola alone."""
    logs, signs = _log_ratio(np.array([s, s]))
    last = last_epoch_outside(np.array([delta, 0.0]), logs, signs, threshold)
    return float("nan") if np.isinf(last) else float(last) + 1.0
