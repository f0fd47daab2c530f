"""The last epoch at which a sum of two geometric sequences is above a threshold, exactly.

|A_1·r_1^t + A_2·r_2^t| over whole epochs t: split by parity (t = 2u + p), both ratios become
positive, r^t = r^p·(r²)^u, and a sum of two exponentials in u has at most one zero and one
turning point. Between those breakpoints its size is monotone, so the last epoch above the
threshold is found by a check and a short bisection per piece. Everything is elementwise over
flat arrays (a whole grid of runs at once), with ratios kept as logarithms.
"""

from __future__ import annotations

import numpy as np

from gd_core.crossing_bound import last_outside_by_bound

# Beyond this, float64 has no whole numbers left to count epochs with.
MAX_EPOCH = 2.0**52
# The log of a ratio of 0, as settling.py sends it.
LOG_ZERO = -700.0
# Up to this many epochs before the last monotone stretch are checked one by one, at once.
EARLY = 64


def _float_array(value, shape):
    """`value` as float64 of `shape`, copied only when it has to be (nothing writes to it)."""
    array = np.asarray(value, dtype=np.float64)
    return array if array.shape == shape else np.broadcast_to(array, shape)


def _value(a1, a2, l1, l2, u):
    with np.errstate(over="ignore", invalid="ignore"):
        return np.abs(a1 * np.exp(l1 * u) + a2 * np.exp(l2 * u))


def _breakpoints(a1, a2, l1, l2):
    """(zero, turning point) of a1·e^(l1·u) + a2·e^(l2·u) over real u; NaN where there is none.

    Both exist only when the terms have opposite signs (else the sum is monotone).
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # By sign bits: a1·a2 of amplitudes below ~1e-154 rounds to ±0 and would hide a sign.
        both = (np.signbit(a1) != np.signbit(a2)) & (a1 != 0) & (a2 != 0) & (l1 != l2)
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
    """Largest whole u in [0, last] outside, by bisection on each monotone piece; −1 if none.

    The three pieces of every element are searched as one flat problem, one pass per step.
    """
    zero, turn = _breakpoints(a1, a2, l1, l2)
    inner = [np.minimum(np.fmax(v, 0.0), last) for v in (zero, turn)]  # fmax drops NaN
    edges = np.sort(np.stack([np.zeros_like(last), *inner, last]), axis=0)
    low, high = np.ceil(edges[:3]).ravel(), np.floor(edges[1:]).ravel()
    b1, b2, m1, m2, limit = (np.tile(v, 3) for v in (a1, a2, l1, l2, threshold))
    valid = low <= high
    end_out = valid & (_value(b1, b2, m1, m2, high) > limit)
    found = np.where(end_out, high, -1.0)
    search = np.flatnonzero(valid & ~end_out & (_value(b1, b2, m1, m2, low) > limit))
    if search.size:
        args = (v[search] for v in (b1, b2, m1, m2, limit))
        found[search] = _bisect(*args, low[search], high[search])
    return found.reshape(3, -1).max(axis=0)


def _last_above(a1, a2, l1, l2, threshold, last):
    """Largest whole u in [0, last] with |a1·e^(l1·u) + a2·e^(l2·u)| > threshold, else −1.

    Flat arrays of one length. Most answers lie on the last monotone stretch (after the
    turning point), where the slower term alone predicts the crossing to within an epoch: that
    guess is checked at two epochs, and only the rest are bisected. Points before the last
    stretch are searched only where nothing on it is outside.
    """
    found = np.full(last.shape, -1.0)
    zero, turn = _breakpoints(a1, a2, l1, l2)
    # fmax drops NaN (no breakpoint): np.nan_to_num costs several times a ufunc.
    start = np.minimum(np.ceil(np.fmax(np.fmax(zero, turn), 0.0)), last)
    at_end = _value(a1, a2, l1, l2, last) > threshold
    found[at_end] = last[at_end]
    on_stretch = ~at_end & (_value(a1, a2, l1, l2, start) > threshold)
    if on_stretch.any():
        pick = np.flatnonzero(on_stretch)
        b1, b2, m1, m2, limit, low, high = (
            v[pick] for v in (a1, a2, l1, l2, threshold, start, last)
        )
        # A subnormal amplitude (a rate like 1e-313) overflows limit/|b|: +inf, then a guess
        # clipped to the stretch, which the checks below settle.
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            alone = np.fmax(np.log(limit / np.abs(b1)) / m1, np.log(limit / np.abs(b2)) / m2)
        guess = np.clip(np.floor(np.fmax(alone, 0.0)), low, high - 1)  # low ≥ 0
        out = _value(b1, b2, m1, m2, guess) > limit
        next_out = _value(b1, b2, m1, m2, guess + 1) > limit
        hit = out & ~next_out
        answer = guess.copy()
        miss = np.flatnonzero(~hit)  # bracket the rest by the guess, then bisect them
        low = np.where(out, guess + 1, low)[miss]
        high = np.where(out, high, guess)[miss]
        answer[miss] = _bisect(*(v[miss] for v in (b1, b2, m1, m2, limit)), low, high)
        found[pick] = answer
    # Before the last stretch (where nothing on it is outside), and around breakpoints that
    # floating point may have put an epoch off: early epochs are simply all checked at once;
    # a stretch that starts late is searched piece by piece and around each breakpoint.
    before = ~at_end & ~on_stretch & (start > 0)
    near = np.isfinite(zero) & (found < start + 2) & (np.fmax(zero, turn) > -2)
    early = np.flatnonzero((before | near) & (start <= EARLY))
    if early.size:
        top = np.minimum(start[early] + 2, last[early])
        u = np.arange(EARLY + 3, dtype=np.float64)
        args = (v[early, np.newaxis] for v in (a1, a2, l1, l2))
        outside = (_value(*args, u) > threshold[early, np.newaxis]) & (u <= top[:, np.newaxis])
        latest = np.where(outside, u, -1.0).max(axis=1)
        found[early] = np.maximum(found[early], latest)
    late = (start > EARLY) & ~at_end
    pick = np.flatnonzero(before & late)
    if pick.size:
        args = (v[pick] for v in (a1, a2, l1, l2, threshold))
        found[pick] = _search_pieces(*args, start[pick] - 1)
    near = np.flatnonzero(near & late)
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
    coordinate never stays inside (a mode that does not decay, or past MAX_EPOCH). A ratio of
    0 may come as a log of −inf: it is read as e^−700, which is 1 at epoch 0 and 0 after.

    Within a finite horizon, most answers are read off a decreasing bound (crossing_bound.py)
    with no search; only the elements it leaves undecided are searched.
    """
    # exp(−inf·0) would be NaN at epoch 0 (settling.py sends e^−700 for the same reason).
    logs = np.maximum(logs, LOG_ZERO)
    flat = amplitudes.ndim == 2 and amplitudes.shape == logs.shape == signs.shape
    if flat and np.shape(threshold) == logs.shape[1:] and horizon <= MAX_EPOCH:
        epochs, sure = last_outside_by_bound(amplitudes, logs, signs, threshold, horizon)
        if np.count_nonzero(sure) == sure.size:
            return epochs
        rest = (~sure).nonzero()[0]
        epochs[rest] = _searched(
            amplitudes[:, rest], logs[:, rest], signs[:, rest], threshold[rest], horizon
        )
        return epochs
    return _searched(amplitudes, logs, signs, threshold, horizon)


def _searched(
    amplitudes: np.ndarray,
    logs: np.ndarray,
    signs: np.ndarray,
    threshold: np.ndarray | float,
    horizon: float,
) -> np.ndarray:
    """last_epoch_outside by the search of the module's docstring, for any element."""
    a1, a2 = amplitudes
    l1, l2 = logs
    shape = np.broadcast_shapes(a1.shape, l1.shape, np.shape(threshold))
    a1, a2, l1, l2, s1, s2, threshold = (
        _float_array(v, shape) for v in (a1, a2, l1, l2, *signs, threshold)
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
    end = np.minimum(np.ceil(np.fmax(bound, 0.0)), horizon)  # NaN → 0
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
