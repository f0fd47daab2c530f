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

from dataclasses import dataclass

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


@dataclass(frozen=True, eq=False)
class CoordinateModes:
    """δk_t and δb_t of plain GD as two geometric modes each, elementwise over rates.

    amplitudes[c, i] is A_θ,i for coordinate c (0 = k, 1 = b) and mode i (0 = slow, 1 = fast);
    logs[i] = log|r_i| and signs[i] = sign(r_i).
    """

    amplitudes: np.ndarray
    logs: np.ndarray
    signs: np.ndarray

    @classmethod
    def of(
        cls, data: Dataset, lr_k: np.ndarray, lr_b: np.ndarray, delta: tuple[float, float]
    ) -> CoordinateModes:
        """The modes from δ = (k0 − k*, b0 − b*), for rates > 0 (arrays broadcast)."""
        lr_k, lr_b = np.asarray(lr_k, float), np.asarray(lr_b, float)
        low, high, p, q = _scaled_eigen(data, lr_k, lr_b)
        root_k, root_b = np.sqrt(lr_k), np.sqrt(lr_b)
        # Rates so small that these underflow give non-finite amplitudes: never settled.
        with np.errstate(all="ignore"):
            w_k, w_b = delta[0] / root_k, delta[1] / root_b
            length = p * p + q * q
            # Unit eigenvectors (p, q)/‖·‖ for the fast mode and (−q, p)/‖·‖ for the slow
            # one; each coordinate's amplitude is its component of D^½·u_i·(u_i·w).
            along_fast, along_slow = (p * w_k + q * w_b) / length, (p * w_b - q * w_k) / length
            amplitudes = np.array(
                [
                    [root_k * -q * along_slow, root_k * p * along_fast],
                    [root_b * p * along_slow, root_b * q * along_fast],
                ]
            )
        (log_slow, sign_slow), (log_fast, sign_fast) = _log_ratio(low), _log_ratio(high)
        shape = np.broadcast_shapes(amplitudes.shape[2:], np.shape(low))
        return cls(
            np.broadcast_to(amplitudes, (2, 2, *shape)),
            np.broadcast_to(np.array([log_slow, log_fast]), (2, *shape)),
            np.broadcast_to(np.array([sign_slow, sign_fast]), (2, *shape)),
        )

    @property
    def radius(self) -> np.ndarray:
        """The spectral radius max|r_i|: above 1, a run moves away from the optimum."""
        return np.exp(np.max(self.logs, axis=0))

    def at(self, epoch: float) -> np.ndarray:
        """(δk, δb) after `epoch` epochs, stacked on the first axis (inf/NaN past overflow)."""
        with np.errstate(over="ignore", invalid="ignore"):
            terms = self.amplitudes * np.exp(self.logs * epoch)
            if epoch % 2:
                terms = terms * self.signs
        return terms[:, 0] + terms[:, 1]

    def settled(
        self,
        thresholds: tuple[float, float],
        horizon: float = np.inf,
        *,
        converged_only: bool = False,
        end: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """The epoch each parameter settles (NaN for never), as `Run.settled_at` counts it
        for a run of `horizon` epochs: one past the last epoch outside its threshold, and
        never if that is the run's last epoch.

        With `converged_only`, only runs where both settle are worked out (the others are
        NaN in both): a map needs no more. `end` may pass `at(horizon)` if it is known.
        """
        shape = self.logs.shape[1:]
        flat_amplitudes = self.amplitudes.reshape(2, 2, -1)
        logs, signs = self.logs.reshape(2, -1), self.signs.reshape(2, -1)
        size = logs.shape[1]
        todo = np.arange(size)
        if converged_only and np.isfinite(horizon):
            # A run outside at its last epoch has not settled: one evaluation rules it out.
            final = (self.at(horizon) if end is None else end).reshape(2, -1)
            inside = np.abs(final) <= np.reshape(thresholds, (2, 1))
            todo = np.flatnonzero(inside[0] & inside[1])
        # Both coordinates go in one flat problem: each search step is then one pass.
        last = last_epoch_outside(
            flat_amplitudes[:, :, todo].transpose(1, 0, 2).reshape(2, -1),
            np.tile(logs[:, todo], 2),
            np.tile(signs[:, todo], 2),
            np.repeat(np.asarray(thresholds, dtype=float), todo.size),
            horizon,
        ).reshape(2, -1)
        out = np.full((2, size), np.nan)
        with np.errstate(invalid="ignore"):
            out[:, todo] = np.where(np.isinf(last) | (last >= horizon), np.nan, last + 1)
        if converged_only:
            out[:, np.isnan(out).any(axis=0)] = np.nan
        return out[0].reshape(shape), out[1].reshape(shape)


def _value(a1, a2, l1, l2, u):
    with np.errstate(over="ignore", invalid="ignore"):
        return np.abs(a1 * np.exp(l1 * u) + a2 * np.exp(l2 * u))


def _breakpoints(a1, a2, l1, l2):
    """(zero, turning point) of a1·e^(l1·u) + a2·e^(l2·u) over real u; NaN where there is none.

    Both exist only when the terms have opposite signs (else the sum is monotone).
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        both = (a1 * a2 < 0) & (l1 != l2)
        zero = np.where(both, np.log(-a2 / a1) / (l1 - l2), np.nan)
        turn = np.where(both, np.log(-a2 * l2 / (a1 * l1)) / (l1 - l2), np.nan)
    return zero, turn


def _bisect(a1, a2, l1, l2, threshold, low, high):
    """The last whole u in [low, high) outside, given outside at low and inside at high."""
    while True:
        open_ = high - low > 1
        if not open_.any():
            return low
        middle = np.floor(0.5 * (low + high))
        out = _value(a1, a2, l1, l2, middle) > threshold
        low = np.where(open_ & out, middle, low)
        high = np.where(open_ & ~out, middle, high)


def _search_pieces(a1, a2, l1, l2, threshold, last):
    """Largest whole u in [0, last] outside, by bisection on each monotone piece; −1 if none."""
    zero, turn = _breakpoints(a1, a2, l1, l2)
    inner = [np.clip(np.nan_to_num(v, nan=0.0), 0.0, last) for v in (zero, turn)]
    edges = np.sort(np.stack([np.zeros_like(last), *inner, last]), axis=0)
    found = np.full(last.shape, -1.0)
    for j in range(3):
        low, high = np.ceil(edges[j]), np.floor(edges[j + 1])
        valid = low <= high
        end_out = valid & (_value(a1, a2, l1, l2, high) > threshold)
        found = np.where(end_out, np.maximum(found, high), found)
        search = valid & ~end_out & (_value(a1, a2, l1, l2, low) > threshold)
        if search.any():
            pick = np.flatnonzero(search)
            args = (v[pick] for v in (a1, a2, l1, l2, threshold))
            crossing = _bisect(*args, low[pick], high[pick])
            found[pick] = np.maximum(found[pick], crossing)
    return found


def _last_above(a1, a2, l1, l2, threshold, last):
    """Largest whole u in [0, last] with |a1·e^(l1·u) + a2·e^(l2·u)| > threshold, else −1.

    Flat arrays of one length. Most answers lie on the last monotone stretch (after the
    turning point), where the slower term alone predicts the crossing to within an epoch: that
    guess is checked at two epochs, and only the rest are bisected. Points before the last
    stretch are searched only where nothing on it is outside.
    """
    found = np.full(last.shape, -1.0)
    zero, turn = _breakpoints(a1, a2, l1, l2)
    start = np.minimum(np.ceil(np.nan_to_num(np.fmax(np.fmax(zero, turn), 0.0), nan=0.0)), last)
    at_end = _value(a1, a2, l1, l2, last) > threshold
    found[at_end] = last[at_end]
    on_stretch = ~at_end & (_value(a1, a2, l1, l2, start) > threshold)
    if on_stretch.any():
        pick = np.flatnonzero(on_stretch)
        b1, b2, m1, m2, limit, low, high = (
            v[pick] for v in (a1, a2, l1, l2, threshold, start, last)
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            alone = np.fmax(np.log(limit / np.abs(b1)) / m1, np.log(limit / np.abs(b2)) / m2)
        guess = np.clip(np.floor(np.nan_to_num(alone, nan=0.0)), low, high - 1)
        out = _value(b1, b2, m1, m2, guess) > limit
        next_out = _value(b1, b2, m1, m2, guess + 1) > limit
        hit = out & ~next_out
        answer = guess.copy()
        miss = np.flatnonzero(~hit)  # bracket the rest by the guess, then bisect them
        low = np.where(out, guess + 1, low)[miss]
        high = np.where(out, high, guess)[miss]
        answer[miss] = _bisect(*(v[miss] for v in (b1, b2, m1, m2, limit)), low, high)
        found[pick] = answer
    before = ~at_end & ~on_stretch & (start > 0)
    if before.any():
        pick = np.flatnonzero(before)
        args = (v[pick] for v in (a1, a2, l1, l2, threshold))
        found[pick] = _search_pieces(*args, start[pick] - 1)
    # A breakpoint computed in floating point may sit an epoch off: look around each, where
    # an answer could still lie there.
    near = np.flatnonzero(np.isfinite(zero) & (found < start + 2) & (np.fmax(zero, turn) > -2))
    if near.size:
        b1, b2, m1, m2, limit, top = (v[near] for v in (a1, a2, l1, l2, threshold, last))
        for point in (zero[near], turn[near]):
            below = np.floor(np.nan_to_num(point, nan=-10.0, posinf=-10.0, neginf=-10.0))
            for shift in (-1.0, 0.0, 1.0, 2.0):
                u = below + shift
                fits = (u >= 0) & (u <= top)
                hit = fits & (_value(b1, b2, m1, m2, np.where(fits, u, 0.0)) > limit)
                found[near] = np.where(hit, np.maximum(found[near], u), found[near])
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
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
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
    # With both ratios positive, epochs need no split by parity; the others get one problem
    # per parity. All go in one flat problem, so each search step is one pass.
    split = np.ravel((s1 < 0) | (s2 < 0))
    a1, a2, l1, l2, s1, s2, threshold, end = (
        np.ravel(v) for v in (a1, a2, l1, l2, s1, s2, threshold, end)
    )
    whole, odd = np.flatnonzero(~split), np.flatnonzero(split)
    # r^(2u + p) = r^p·e^(2u·log|r|): the odd epochs' r goes into the amplitude.
    parts = [
        (a1[whole], a2[whole], l1[whole], l2[whole], threshold[whole], end[whole]),
        (a1[odd], a2[odd], 2 * l1[odd], 2 * l2[odd], threshold[odd], np.floor(end[odd] / 2)),
        (
            (a1 * s1 * np.exp(l1))[odd],
            (a2 * s2 * np.exp(l2))[odd],
            2 * l1[odd],
            2 * l2[odd],
            threshold[odd],
            np.floor((end[odd] - 1) / 2),
        ),
    ]
    b1, b2, m1, m2, limit, last = (np.concatenate(v) for v in zip(*parts, strict=True))
    u = _last_above(b1, b2, m1, m2, limit, np.maximum(last, 0.0))
    u = np.where((last >= 0) & (u >= 0), u, -1.0)
    n_whole, n_odd = whole.size, odd.size
    result = np.full(end.shape, -1.0)
    result[whole] = u[:n_whole]
    even_t = np.where(u[n_whole : n_whole + n_odd] >= 0, 2 * u[n_whole : n_whole + n_odd], -1.0)
    odd_t = np.where(u[n_whole + n_odd :] >= 0, 2 * u[n_whole + n_odd :] + 1, -1.0)
    result[odd] = np.maximum(even_t, odd_t)
    result = result.reshape(shape)
    never = never.reshape(shape)
    return np.where(never, np.inf, result)


def one_mode_settled(s: float, delta: float, threshold: float) -> float:
    """Settled epoch of δ_t = (1 − s)^t·δ, one parameter descending its parabola alone."""
    logs, signs = _log_ratio(np.array([s, s]))
    last = last_epoch_outside(np.array([delta, 0.0]), logs, signs, threshold)
    return float("nan") if np.isinf(last) else float(last) + 1.0
