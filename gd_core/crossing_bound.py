"""The last epoch above a threshold, certified from a bound: crossings.py's quick answer.

v(t) = |A_1·r_1^t + A_2·r_2^t| with |r_i| ≤ 1. Take a candidate epoch T. If v(T − 1) is above
the threshold and nothing from T on can be, the last epoch above it is exactly T − 1. "Nothing
from T on" needs only values at T and T + 1: along every other epoch the terms keep their
relative sign and each term's size falls geometrically, so v there is their sum, which falls,
or their difference |S·q_S^k − B·q_B^k| (B the faster term, S the slower): B − S only shrinks
while B leads, S − B stays under S, and S − B rises at most once, so if it is falling at its
first epoch it falls ever after. So v(t) for every t ≥ T is at most the larger of v(T) and
v(T + 1), and of the slower term at either where a difference may still rise.

Candidates: Newton's method on log f(t) = log threshold for f the sum of the sizes, from each
term's own crossing (log f is convex and falling, so the step climbs towards the crossing
without passing it; a straight line when the ratios are equal); where that is not certified,
for terms that cancel, Newton's method on log B(t) = log(threshold + S(t)) (B the faster term,
S the slower) from B's own crossing, which is concave, so the steps come down to it from
above. Each candidate is checked with the epochs on either side of it: alternating signs make
v the sum only every other epoch, and a step short of the crossing can leave it one epoch
early.

Both checks keep a margin far above float64's rounding (RELATIVE_MARGIN), so the answer is the
same whatever order the terms are summed in, and crossings.py's search, which evaluates v in a
different form, would find the same epoch. Where no candidate is certified (a mode that does
not decay, the horizon before T − 1, NaN or inf, rarer shapes), the element is left to that
search. Everything is elementwise over flat arrays, the two terms on the first axis.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

# Rounding in exp(ℓ·t) is at most about 1500·2⁻⁵³ ≈ 2e-13 of a term for any crossing within
# float64's range; this margin is a thousand times that.
RELATIVE_MARGIN = 1e-10
# Newton steps: on the sum (from each term's own crossing, which is exact for one term or equal
# ratios) and on a cancelling difference; enough for every coordinate of the benchmarks' maps.
SUM_STEPS, DIFFERENCE_STEPS = 1, 3
# exp of anything lower is subnormal or 0, which NumPy computes ten times slower.
LOWEST_POWER = -700.0
# e^LOWEST_POWER·Σ|A_i| ≤ 1e-24·threshold wherever Σ|A_i|·CLIPPED_SHARE ≤ threshold.
CLIPPED_SHARE = 1e-280
# Candidates beyond this are left to the search (float64 counts whole epochs to 2^52).
MAX_CANDIDATE = 2.0**52
_INF = math.inf
_UNSURE = math.nan
# Epochs around a candidate, which of them differ from it in parity, and the answers tried.
_AROUND = np.array([[-1.0], [0.0], [1.0], [2.0], [3.0]])
_ODD_AROUND = np.array([[True], [False], [True], [False], [True]])
_OPTIONS = _AROUND[:3]


def last_outside_by_bound(
    amplitudes: np.ndarray,
    logs: np.ndarray,
    signs: np.ndarray,
    threshold: np.ndarray,
    horizon: float,
) -> tuple[np.ndarray, np.ndarray]:
    """(epoch, sure): the last epoch t ≤ horizon with v(t) > threshold (−1 if none), exact
    where `sure`; elsewhere undecided. `amplitudes`, `logs`, `signs` are (2, n): A_i,
    log|r_i|, sign(r_i); `threshold` is (n,)."""
    with np.errstate(all="ignore"):
        size = np.abs(amplitudes)
        candidate = _from_sum(size, logs, np.log(threshold))
        last, sure = _below_the_sum(amplitudes, logs, signs, threshold, horizon, candidate)
        if np.count_nonzero(sure) == sure.size:  # cheaper than .all() on small arrays
            return last, sure
        rest = (~sure).nonzero()[0]
        args = (amplitudes[:, rest], logs[:, rest], signs[:, rest], threshold[rest], horizon)
        last[rest], sure[rest] = _certified(*args, candidate[rest], size[:, rest])
        if np.count_nonzero(sure) < sure.size:
            rest = (~sure).nonzero()[0]
            args = (amplitudes[:, rest], logs[:, rest], signs[:, rest], threshold[rest], horizon)
            candidate = _from_difference(size[:, rest], logs[:, rest], threshold[rest])
            last[rest], sure[rest] = _certified(*args, candidate, size[:, rest])
    return last, sure


def quick_last_outside(
    amplitudes: np.ndarray,
    logs: np.ndarray,
    signs: np.ndarray,
    threshold: np.ndarray,
    horizon: float,
) -> tuple[np.ndarray, np.ndarray]:
    """(epoch, sure) from the plainest bound alone (_below_the_sum), in about fifty calls
    whatever the size: elementwise over arrays that broadcast, the terms on the first axis
    (a sweep's modes against both coordinates' thresholds at once, with no copies)."""
    with np.errstate(all="ignore"):
        candidate = _from_sum(np.abs(amplitudes), logs, np.log(threshold))
        return _below_the_sum(amplitudes, logs, signs, threshold, horizon, candidate)


def last_outside_of_one(
    a_0: float,
    a_1: float,
    log_0: float,
    log_1: float,
    relative_sign: float,
    threshold: float,
    horizon: float,
    exp: Callable[[float], float] = math.exp,
    log: Callable[[float], float] = math.log,
) -> float:
    """quick_last_outside for one element in Python floats: the same bound, about 1.5 µs
    where NumPy's fifty calls cost 25 µs whatever the size, so a handful of elements (the
    few runs of a tuning grid that settle) are answered this way. `relative_sign` is the
    ratios' signs' product. NaN where it is not sure (anything non-finite, a term that does
    not decay, a ratio of 0, terms that cancel), for the search."""
    size_0, size_1 = abs(a_0), abs(a_1)
    if not (
        LOWEST_POWER <= log_0 < 0.0  # False for NaN
        and LOWEST_POWER <= log_1 < 0.0
        and relative_sign != 0.0
        and 0.0 < size_0 + size_1 < _INF
        and 0.0 < threshold < _INF
    ):
        return _UNSURE
    # The first whole T with f(T) ≤ threshold, as _from_sum finds it: each term's own
    # crossing, then a Newton step on log f. (Conditionals, not max(): a call each costs
    # more than the comparison; each keeps max()'s answer, NaN included.)
    log_threshold = log(threshold)
    t = 0.0
    if size_0 > 0.0:
        alone = (log_threshold - log(size_0)) / log_0
        if alone > t:
            t = alone
    if size_1 > 0.0:
        alone = (log_threshold - log(size_1)) / log_1
        if alone > t:
            t = alone
    power_0, power_1 = log_0 * t, log_1 * t
    term_0 = size_0 * exp(LOWEST_POWER if power_0 < LOWEST_POWER else power_0)
    term_1 = size_1 * exp(LOWEST_POWER if power_1 < LOWEST_POWER else power_1)
    total = term_0 + term_1
    if not 0.0 < total < _INF:
        return _UNSURE
    slope = -(log_0 * term_0 + log_1 * term_1)
    if not slope > 0.0:  # ratios so close to 1 that the products round to 0 (subnormal rates)
        return _UNSURE
    t += (log(total) - log_threshold) * total / slope
    if not t < MAX_CANDIDATE:
        return _UNSURE
    candidate = math.ceil(t if t > 1.0 else 1.0) - 1
    # The terms at the candidate; at the epoch after, their sizes times the ratios' sizes.
    ratio_0, ratio_1 = exp(log_0), exp(log_1)
    now_0, now_1 = a_0 * exp(log_0 * candidate), a_1 * exp(log_1 * candidate)
    size_0, size_1 = abs(now_0), abs(now_1)
    if (size_0 * ratio_0 + size_1 * ratio_1) * (1.0 + RELATIVE_MARGIN) > threshold:
        return _UNSURE  # f may still be above after the candidate
    # The second term's sign relative to the first's flips every epoch when the ratios'
    # signs differ.
    flip = -1.0 if relative_sign < 0.0 and candidate % 2 else 1.0
    value = abs(now_0 + flip * now_1)
    slack = RELATIVE_MARGIN * (size_0 + size_1)
    if value > threshold + slack:
        return float(candidate) if candidate <= horizon else _UNSURE
    if value + slack > threshold or candidate - 1 > horizon:
        return _UNSURE
    if candidate == 0:
        return -1.0
    before_0, before_1 = now_0 / ratio_0, relative_sign * flip * now_1 / ratio_1
    slack = RELATIVE_MARGIN * (abs(before_0) + abs(before_1))
    return float(candidate - 1) if abs(before_0 + before_1) > threshold + slack else _UNSURE


def _below_the_sum(
    amplitudes: np.ndarray,
    logs: np.ndarray,
    signs: np.ndarray,
    threshold: np.ndarray,
    horizon: float,
    candidate: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(answer, sure) by the plainest bound: v is at most f(t) = Σ|A_i|·|r_i|^t, which never
    rises when |r_i| ≤ 1, so with f below the threshold at the epoch after the candidate, the
    last epoch above is the candidate if v is above there, else the epoch before if v is
    above there. Terms that cancel around the candidate are left to _certified."""
    # The candidate's epoch − 1, itself and + 1 on a new first axis; then the terms there.
    epochs = candidate + _OPTIONS.reshape(3, *(1,) * candidate.ndim)
    terms = amplitudes[:, np.newaxis] * np.exp(logs[:, np.newaxis] * epochs)
    # v(t) = |A_1·e^(ℓ_1·t) + (s_1·s_2)^t·A_2·e^(ℓ_2·t)|: the second term's sign relative to
    # the first's. A ratio of 0 (a sign of 0) is left to _certified.
    # (s_1·s_2)^t is 1 at even epochs, s_1·s_2 at odd ones: t/2 is whole at even t (exact for
    # every float; an infinite candidate counts as even, and is never sure). np.fmod costs ten
    # times these three calls, np.power more.
    relative = signs[0] * signs[1]
    half = 0.5 * epochs[:2]
    values = np.abs(terms[0, :2] + np.where(half != np.floor(half), relative, 1.0) * terms[1, :2])
    sizes = np.abs(terms, out=terms)
    sums = sizes[0] + sizes[1]
    slack = RELATIVE_MARGIN * sums  # far above the rounding of either form of v
    above = values > threshold + slack[:2]
    below_now = values[1] + slack[1] <= threshold
    ahead = (sums[2] + slack[2] <= threshold) & (np.maximum(logs[0], logs[1]) <= 0.0)
    before = below_now & (above[0] | (candidate == 0.0))  # the epoch before (−1: none)
    answer = candidate - before
    return answer, ahead & (above[1] | before) & (answer <= horizon) & (relative != 0.0)


def _from_sum(size: np.ndarray, logs: np.ndarray, log_threshold: np.ndarray) -> np.ndarray:
    """T − 1 for the first whole T with f(T) ≤ threshold, by Newton's method on log f."""
    # Each term alone is above the threshold before its own crossing, so f is too.
    alone = (log_threshold - np.log(size)) / logs
    t = np.fmax(np.fmax(alone[0], alone[1]), 0.0)  # fmax drops NaN (an empty term)
    for _ in range(SUM_STEPS):
        terms = size * np.exp(np.maximum(logs * t, LOWEST_POWER))
        total = terms[0] + terms[1]
        slope = logs * terms
        # (log f − log threshold)·f / −f′, with the signs moved (exactly) to save a call.
        t = t + (log_threshold - np.log(total)) * total / (slope[0] + slope[1])
    return np.ceil(np.fmax(t, 1.0)) - 1.0  # ≥ 0, so the epoch before is ≥ −1


def _from_difference(size: np.ndarray, logs: np.ndarray, threshold: np.ndarray) -> np.ndarray:
    """T − 1 for the last crossing of B(t) − S(t) = threshold, by Newton's method on
    φ(t) = log B(t) − log(threshold + S(t)) from B's own crossing."""
    first_faster = logs[0] <= logs[1]
    fast_size, slow_size = np.where(first_faster, size, size[::-1])
    fast_log, slow_log = np.where(first_faster, logs, logs[::-1])
    log_fast_size = np.log(fast_size)
    t = (np.log(threshold) - log_fast_size) / fast_log
    for _ in range(DIFFERENCE_STEPS):
        slow = slow_size * np.exp(np.maximum(slow_log * t, LOWEST_POWER))
        level = threshold + slow
        value = log_fast_size + fast_log * t - np.log(level)
        t = t - value / (fast_log - slow_log * slow / level)
    return np.ceil(np.fmax(t, 1.0)) - 1.0


def _certified(
    amplitudes: np.ndarray,
    logs: np.ndarray,
    signs: np.ndarray,
    threshold: np.ndarray,
    horizon: float,
    candidate: np.ndarray,
    size: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(answer, sure): the candidate, the epoch before or the one after it, where one of them
    is exactly the last epoch ≤ horizon above the threshold (see the module's docstring)."""
    # The terms at the candidate's epoch − 1 … + 3 on the second axis.
    # r^t ≥ e^LOWEST_POWER stands in for smaller powers: the bounds stay bounds.
    powers = np.exp(np.maximum(logs[:, np.newaxis] * (candidate + _AROUND), LOWEST_POWER))
    terms = amplitudes[:, np.newaxis] * powers
    # The second term's sign relative to the first's flips every epoch when the ratios'
    # signs differ (a ratio of 0 counts as positive).
    half = 0.5 * candidate
    flips = (signs[0] * signs[1] < 0.0) & ((half != np.floor(half)) ^ _ODD_AROUND)
    values = np.abs(terms[0] + (1.0 - 2.0 * flips) * terms[1])
    sizes = np.abs(terms, out=terms)
    sums = sizes[0] + sizes[1]
    # Along every other epoch from each (the module's docstring): v itself for a sum or a
    # difference the slower term S leads that is falling already, else the larger of v and
    # S. S·q_S^k − B·q_B^k with q_B ≤ q_S rises at most once, so falling at k = 0 is falling
    # for good.
    first_faster = logs[0] <= logs[1]
    fast, slow = np.where(first_faster, sizes, sizes[::-1])
    fast_log, slow_log = np.minimum(logs[0], logs[1]), np.maximum(logs[0], logs[1])
    difference = ((amplitudes[0] < 0.0) != (amplitudes[1] < 0.0)) ^ flips
    falling = (slow >= fast) & (slow * slow_log <= (1.0 + RELATIVE_MARGIN) * fast * fast_log)
    bounds = np.where(difference & ~falling, np.fmax(values, slow), values)
    ahead = np.fmax(bounds[1:4], bounds[2:]) + RELATIVE_MARGIN * sums[1:4] <= threshold
    above = values[:3] > threshold + RELATIVE_MARGIN * sums[:3]
    # Powers raised to e^LOWEST_POWER moved v by at most e^LOWEST_POWER·Σ|A_i|: negligible.
    usable = (slow_log <= 0.0) & ((size[0] + size[1]) * CLIPPED_SHARE <= threshold)
    # The epoch before the candidate (≥ 0), the candidate, the one after (−1: nothing above).
    # At most one of them can be the last epoch above.
    answers = candidate + _OPTIONS
    ok = usable & ahead & (above | (answers == -1.0)) & (answers <= horizon)
    return candidate - 1.0 + ok[1] + 2.0 * ok[2], ok[0] | ok[1] | ok[2]
