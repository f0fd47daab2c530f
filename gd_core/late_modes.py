"""Which plain-GD runs settle too late to be shown to stay, from their modes, without walking.

progress.late_settlers calls a parameter late when it was in its band before its last epoch
outside L, left, and its final stay (epochs − L epochs) is at most HOLD_SHARE of the run or no
longer than the longest stay before L. With δ_t = A_1·r_1^t + A_2·r_2^t (settling.py), each
parity of t is a sum of two exponentials, whose size is monotone between its zero and its
turning point (crossings._breakpoints) and falls after the turning point. So:

- a final stay of at most HOLD_SHARE of the run is late iff any epoch before L is inside: the
  smallest size over 0 … L − 1 is at 0, at L − 1 or L − 2, or next to a parity's zero;
- a longer final stay is late iff some earlier stay lasts at least as long, and a stay that
  long holds one of the epochs L − 1, L − 1 − final, L − 1 − 2·final, … (fewer than ten).

Only where one of those few epochs is inside (or within RELATIVE_MARGIN of the band, where
rounding could decide) are the epochs before L read one by one, from the modes; where one of
those is that close to the band, the run is left to the caller's walk (`unsure`). Walking every
epoch of every candidate cost more than the exact sweep itself (issue 17's bars).
"""

from __future__ import annotations

import numpy as np

from gd_core.crossing_bound import LOWEST_POWER, RELATIVE_MARGIN, last_outside_of_one
from gd_core.crossings import last_epoch_outside
from gd_core.progress import HOLD_SHARE

# Up to this many last epochs outside are found one element at a time in Python floats.
FEW = 12
# Sizes read at once where an element's epochs are read one by one (32 MB of floats).
READ_VALUES = 2**22
# Epochs around a parity's zero (in its own steps) where its smallest size may fall.
_AROUND_ZERO = np.array([-2.0, 0.0, 2.0, 4.0])  # in epochs: 2·(−1, 0, 1, 2)


def late_from_modes(
    amplitudes: np.ndarray,
    logs: np.ndarray,
    signs: np.ndarray,
    limits: np.ndarray,
    converged: np.ndarray,
    epochs: int,
) -> tuple[np.ndarray, np.ndarray]:
    """(late, unsure) of runs that converged at `converged` (finite, ≤ epochs): amplitudes
    [coordinate, mode, run or 1], logs and signs [mode, run], limits (k's, b's), each one
    or one per run. `unsure`
    marks runs whose answer rounding could decide: the caller walks those."""
    runs = converged.size
    with np.errstate(all="ignore"):  # one for the whole block: each costs about a call
        # One flat problem, k's runs then b's, the modes on the first axis.
        a = np.empty((2, 2, runs))  # [mode, coordinate, run]: amplitudes may be shared
        a[...] = amplitudes.transpose(1, 0, 2)
        a = a.reshape(2, 2 * runs)
        ell = np.concatenate([logs, logs], axis=1)
        sign = np.concatenate([signs, signs], axis=1)
        limit = np.empty((2, runs))  # one per coordinate, or one per coordinate and run
        limit[0], limit[1] = limits
        limit = limit.reshape(-1)
        before = np.concatenate([converged, converged]) - 1.0  # the run's last epoch outside
        todo = np.flatnonzero(~_shown_to_stay(a, ell, sign, limit, before, epochs))
        if not todo.size:
            return np.zeros(runs, bool), np.zeros(runs, bool)
        a, ell, sign, limit = a[:, todo], ell[:, todo], sign[:, todo], limit[todo]
        last = _last_outside(a, ell, sign, limit, before[todo], float(epochs))
        # Again with each element's own final stay, longer than its run's where it settled
        # first: its dip may now be too short to matter.
        rest = np.flatnonzero(~_shown_to_stay(a, ell, sign, limit, last, epochs))
        if not rest.size:
            return np.zeros(runs, bool), np.zeros(runs, bool)
        todo, last = todo[rest], last[rest]
        a, ell, sign, limit = a[:, rest], ell[:, rest], sign[:, rest], limit[rest]
        final = epochs - last  # epochs of the final stay
        points = _long_stay_samples(last, final)
        short = final <= HOLD_SHARE * epochs
        if np.count_nonzero(short):
            points[short] = _lowest_candidates(
                a[:, short], ell[:, short], sign[:, short], last[short]
            )
        np.clip(points, 0.0, np.maximum(last - 1.0, 0.0)[:, np.newaxis], out=points)
        inside = _sizes(a, ell, sign, points) <= (limit * (1.0 + RELATIVE_MARGIN))[:, np.newaxis]
    # A parameter never outside (−1) had no earlier stay; one at its run's end never settled.
    maybe = inside.any(axis=1) & (last >= 1.0) & (last < epochs)
    late = np.zeros(2 * runs, bool)
    unsure = np.zeros(2 * runs, bool)
    maybe = todo[maybe]
    if maybe.size:
        # A few elements at a time, so that their epochs stay a few MB however long the run.
        chosen = np.flatnonzero(np.isin(todo, maybe))  # among todo's elements
        group = max(1, READ_VALUES // int(last[chosen].max()))
        for first in range(0, chosen.size, group):
            some = chosen[first : first + group]
            late[todo[some]], unsure[todo[some]] = _read_every_epoch(
                a[:, some], ell[:, some], sign[:, some], limit[some], last[some], epochs
            )
    return late[:runs] | late[runs:], unsure[:runs] | unsure[runs:]


def _shown_to_stay(
    a: np.ndarray,
    ell: np.ndarray,
    sign: np.ndarray,
    limit: np.ndarray,
    before: np.ndarray,
    epochs: int,
) -> np.ndarray:
    """Elements that cannot be late, from sixteen epochs each; `before` is at or after each
    one's last epoch outside L (its run's, or its own), F = epochs − `before` ≤ its final stay.

    Each parity of t (or all t, with both ratios positive) follows b_1·e^(uℓ_1) + b_2·e^(uℓ_2)
    in its own steps u: |δ| falls to its zero z (if any, u > 0), rises to the turning point,
    then falls for good. Outside at the start and next to z, nothing but the final fall can
    be inside, and with both ratios positive that is all (no earlier stay). With a negative
    ratio the parities fall apart: outside at L and L − 1 as well, no epoch before L is inside.
    Or every final stay is longer than HOLD_SHARE of the run and than F, and each dip lies
    between two epochs outside H steps either side of z, so no stay before L is as long."""
    steps = np.empty((a.shape[1], 16))
    steps[:, 0], steps[:, 1] = 0.0, 1.0
    steps[:, 2], steps[:, 3] = before, before - 1.0
    span = epochs - before
    # With every ratio positive (small rates: a long sweep's candidates) the parities are one
    # fall: their columns are left out (a third of the calls).
    positive = np.count_nonzero(sign > 0.0) == sign.size
    for column, parity in ((4, None),) if positive else ((4, None), (8, 0.0), (12, 1.0)):
        if parity is None:  # every epoch one step: H from 2·H < F
            b, ratio, half, scale = a, ell, np.floor(0.5 * (span - 1.0)), 1.0
        else:  # t = 2u + parity, r^t = r^parity·e^(2u·ℓ): a stay holds 2·(2·H) + 1 < F epochs
            b = a * (sign * np.exp(ell)) if parity else a
            ratio, half, scale = 2.0 * ell, np.floor(0.25 * (span - 2.0)), 2.0
        zero = np.log(-b[1] / b[0]) / (ratio[0] - ratio[1])  # NaN where the terms agree
        at = np.floor(np.fmax(zero, 0.0))  # fmax drops NaN
        offset = parity or 0.0
        steps[:, column] = scale * at + offset
        steps[:, column + 1] = scale * (at + 1.0) + offset
        steps[:, column + 2] = scale * np.fmax(at - half, 0.0) + offset
        steps[:, column + 3] = scale * (at + 1.0 + half) + offset
    if positive:
        steps = steps[:, :8]
    outside = _sizes(a, ell, sign, steps) > (limit * (1.0 + RELATIVE_MARGIN))[:, np.newaxis]
    long_final = span > np.maximum(HOLD_SHARE * epochs, 1.0)
    no_dip, short_dip = outside[:, 4::4] & outside[:, 5::4], outside[:, 6::4] & outside[:, 7::4]
    rising = (sign[0] > 0.0) & (sign[1] > 0.0) & outside[:, 0]
    one_fall = rising & (no_dip[:, 0] | (short_dip[:, 0] & long_final))
    if positive:
        return one_fall
    parities = outside[:, 0] & outside[:, 1]
    no_stay = parities & no_dip[:, 1] & no_dip[:, 2] & outside[:, 2] & outside[:, 3]
    short_stays = parities & long_final & ((no_dip | short_dip)[:, 1:].all(axis=1))
    return one_fall | no_stay | short_stays


def _sizes(a: np.ndarray, ell: np.ndarray, sign: np.ndarray, t: np.ndarray) -> np.ndarray:
    """|A_1·r_1^t + A_2·r_2^t| at whole epochs t (element, k), r^t as sign^t·e^(t·log|r|);
    a term of amplitude 0 is 0 however its mode grows.
    Floating-point errors ignored."""
    terms = ell[:, :, np.newaxis] * t
    # Subnormal powers cost exp ten times as much; e^LOWEST_POWER·|A| is far below any band.
    np.maximum(terms, LOWEST_POWER, out=terms)
    np.exp(terms, out=terms)
    terms *= a[:, :, np.newaxis]
    terms *= np.where(np.fmod(t, 2.0) == 1.0, sign[:, :, np.newaxis], 1.0)
    if np.count_nonzero(a) < a.size:
        terms[np.broadcast_to((a == 0.0)[:, :, np.newaxis], terms.shape)] = 0.0
    return np.abs(terms[0] + terms[1])


def _last_outside(
    a: np.ndarray,
    ell: np.ndarray,
    sign: np.ndarray,
    limit: np.ndarray,
    before: np.ndarray,
    horizon: float,
) -> np.ndarray:
    """Each element's last epoch outside: its run's (`before`) where it is outside there,
    else found as settling.py finds it (in floats for a few, by search otherwise)."""
    outside = _sizes(a, ell, sign, before[:, np.newaxis])[:, 0] > limit
    last = np.where(outside, before, np.nan)
    rest = np.flatnonzero(~outside)
    if not rest.size:
        return last
    if rest.size <= FEW:
        a_0, a_1, log_0, log_1 = (v.tolist() for v in (a[0], a[1], ell[0], ell[1]))
        relative, bands = (sign[0] * sign[1]).tolist(), limit.tolist()
        last[rest] = [
            last_outside_of_one(a_0[i], a_1[i], log_0[i], log_1[i], relative[i], bands[i], horizon)
            for i in rest.tolist()
        ]
        rest = rest[np.isnan(last[rest])]  # where the floats' bound was not sure
        if not rest.size:
            return last
    last[rest] = last_epoch_outside(a[:, rest], ell[:, rest], sign[:, rest], limit[rest], horizon)
    return last


def _lowest_candidates(
    a: np.ndarray, ell: np.ndarray, sign: np.ndarray, last: np.ndarray
) -> np.ndarray:
    """(element, 11) epochs before `last` among which each size is smallest: 0, the last two
    before `last`, and each parity's epochs next to its zero (monotone pieces in between)."""
    points = np.empty((last.size, 11))
    points[:, 0] = 0.0
    points[:, 1] = last - 1.0
    points[:, 2] = last - 2.0
    for parity in (0, 1):
        # t = 2u + parity: r^t = r^parity·e^(2u·log|r|), a zero of b_1·e^(2u·ℓ_1) + b_2·…
        b = a * (sign * np.exp(ell)) if parity else a
        zero = np.log(-b[1] / b[0]) / (2.0 * (ell[0] - ell[1]))  # NaN: no zero
        below = np.floor(np.minimum(np.fmax(zero, 0.0), last))  # fmax drops NaN
        # 2·(⌊zero⌋ + shift) + parity for shift −1 … 2, in one broadcast
        points[:, 3 + 4 * parity : 7 + 4 * parity] = (2.0 * below + parity)[:, np.newaxis]
        points[:, 3 + 4 * parity : 7 + 4 * parity] += _AROUND_ZERO
    return points


def _long_stay_samples(last: np.ndarray, final: np.ndarray) -> np.ndarray:
    """(element, 11) epochs L − 1 − j·final, j = 0 … 10: every stay before L of at least
    `final` epochs holds one (final > HOLD_SHARE of the run, so L < 10·final)."""
    steps = np.arange(11.0)
    return (last - 1.0)[:, np.newaxis] - steps * np.maximum(final, 1.0)[:, np.newaxis]


def _read_every_epoch(
    a: np.ndarray, ell: np.ndarray, sign: np.ndarray, limit: np.ndarray, last: np.ndarray, epochs
) -> tuple[np.ndarray, np.ndarray]:
    """(late, unsure) per element from every epoch 0 … L − 1: its longest stay there against
    its final stay, as progress.late_settlers reads them."""
    t = np.arange(float(last.max()))[np.newaxis, :]
    with np.errstate(all="ignore"):
        sizes = _sizes(a, ell, sign, t)
    before = t < last[:, np.newaxis]
    band = limit[:, np.newaxis]
    unsure = (before & (np.abs(sizes - band) <= RELATIVE_MARGIN * band)).any(axis=1)
    inside = before & (sizes <= band)
    padded = np.zeros((inside.shape[0], inside.shape[1] + 2), np.int8)
    padded[:, 1:-1] = inside
    change = np.diff(padded, axis=1)
    row, opened = np.nonzero(change == 1)  # row-major: each row's stays in order
    _, closed = np.nonzero(change == -1)
    longest = np.zeros(last.size)
    np.maximum.at(longest, row, closed - opened)
    final = epochs - last
    late = (longest > 0) & ((final <= HOLD_SHARE * epochs) | (final <= longest))
    return late, unsure
