"""The last epoch above a threshold, certified from a bound: crossings.py's quick answer.

v(t) = |A_1·r_1^t + A_2·r_2^t| with |r_i| ≤ 1. Take a candidate epoch T. If v(T − 1) is above
the threshold and nothing from T on can be, the last epoch above it is exactly T − 1. "Nothing
from T on" needs only values at T and T + 1: along every other epoch the terms keep their
relative sign and each term's size falls geometrically, so v there is their sum, which falls,
or their difference |S·q_S^k − B·q_B^k| (B the faster term, S the slower): B − S only shrinks
while B leads, S − B stays under S, and S − B rises at most once, so if it is falling at its
first epoch it falls ever after. So v(t) for every t ≥ T is at most the larger of v(T) and
v(T + 1), and of the slower term at either where a difference may still rise.

Candidates, each tried on what the one before left undecided: Newton's method on
log f(t) = log threshold for f the sum of the sizes, from each term's own crossing (log f is
convex and falling, so the steps climb to the crossing without passing it; a straight line
when the ratios are equal); the epoch before that (alternating signs make v the sum only
every other epoch); and, for terms that cancel, Newton's method on
log B(t) = log(threshold + S(t)) (B the faster term, S the slower) from B's own crossing, which
is concave, so the steps come down to it from above.

Both checks keep a margin far above float64's rounding (RELATIVE_MARGIN), so the answer is the
same whatever order the terms are summed in, and crossings.py's search, which evaluates v in a
different form, would find the same epoch. Where no candidate is certified (a mode that does
not decay, the horizon before T − 1, NaN or inf, rarer shapes), the element is left to that
search. Everything is elementwise over flat arrays, the two terms on the first axis.
"""

from __future__ import annotations

import numpy as np

# Rounding in exp(ℓ·t) is at most about 1500·2⁻⁵³ ≈ 2e-13 of a term for any crossing within
# float64's range; this margin is a thousand times that.
RELATIVE_MARGIN = 1e-10
NEWTON_STEPS = 2  # from each term's own crossing: within an epoch for all but a few
# exp of anything lower is subnormal or 0, which NumPy computes ten times slower.
LOWEST_POWER = -700.0
# e^LOWEST_POWER·Σ|A_i| ≤ 1e-24·threshold wherever Σ|A_i|·CLIPPED_SHARE ≤ threshold.
CLIPPED_SHARE = 1e-280


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
        last = _from_sum(size, logs, np.log(threshold))
        sure = _certified(amplitudes, logs, signs, threshold, horizon, last, size)
        for candidate in (_one_before, _from_difference):
            if sure.all():
                break
            rest = (~sure).nonzero()[0]
            args = (amplitudes[:, rest], logs[:, rest], signs[:, rest], threshold[rest])
            again = candidate(size[:, rest], logs[:, rest], threshold[rest], last[rest])
            last[rest] = again
            sure[rest] = _certified(*args, horizon, again, size[:, rest])
    return last, sure


def _from_sum(size: np.ndarray, logs: np.ndarray, log_threshold: np.ndarray) -> np.ndarray:
    """T − 1 for the first whole T with f(T) ≤ threshold, by Newton's method on log f."""
    # Each term alone is above the threshold before its own crossing, so f is too.
    alone = (log_threshold - np.log(size)) / logs
    t = np.fmax(np.fmax(alone[0], alone[1]), 0.0)  # fmax drops NaN (an empty term)
    for _ in range(NEWTON_STEPS):
        terms = size * np.exp(np.maximum(logs * t, LOWEST_POWER))
        total = terms[0] + terms[1]
        slope = logs * terms
        t = t + (np.log(total) - log_threshold) * total / -(slope[0] + slope[1])
    return np.ceil(np.fmax(t, 0.0)) - 1.0


def _from_difference(
    size: np.ndarray, logs: np.ndarray, threshold: np.ndarray, _: np.ndarray
) -> np.ndarray:
    """T − 1 for the last crossing of B(t) − S(t) = threshold, by Newton's method on
    φ(t) = log B(t) − log(threshold + S(t)) from B's own crossing."""
    first_faster = logs[0] <= logs[1]
    fast_size, slow_size = np.where(first_faster, size, size[::-1])
    fast_log, slow_log = np.where(first_faster, logs, logs[::-1])
    log_fast_size = np.log(fast_size)
    t = (np.log(threshold) - log_fast_size) / fast_log
    for _ in range(NEWTON_STEPS + 1):
        slow = slow_size * np.exp(np.maximum(slow_log * t, LOWEST_POWER))
        level = threshold + slow
        value = log_fast_size + fast_log * t - np.log(level)
        t = t - value / (fast_log - slow_log * slow / level)
    return np.ceil(np.fmax(t, 0.0)) - 1.0


def _one_before(_: np.ndarray, __: np.ndarray, ___: np.ndarray, last: np.ndarray) -> np.ndarray:
    """The epoch before the sum's: when the terms' relative sign alternates, v is the sum
    only every other epoch, so the last epoch above can be one before f's crossing."""
    return last - 1.0


def _along(
    sizes: np.ndarray,
    value: np.ndarray,
    difference: np.ndarray,
    first_faster: np.ndarray,
    logs: np.ndarray,
) -> np.ndarray:
    """The largest v can be at this epoch and every other epoch after it: v itself for a sum
    or a difference the slower term leads that is falling already; otherwise v or the slower
    term S, whichever is larger (B − S only shrinks, S − B stays under S)."""
    fast, slow = np.where(first_faster, sizes, sizes[::-1])
    fast_log, slow_log = np.where(first_faster, logs, logs[::-1])
    # S·q_S^k − B·q_B^k with q_B ≤ q_S rises at most once, so falling at k = 0 is falling.
    falling = (slow >= fast) & (slow * slow_log <= (1.0 + RELATIVE_MARGIN) * fast * fast_log)
    return np.where(difference & ~falling, np.fmax(value, slow), value)


def _certified(
    amplitudes: np.ndarray,
    logs: np.ndarray,
    signs: np.ndarray,
    threshold: np.ndarray,
    horizon: float,
    last: np.ndarray,
    size: np.ndarray,
) -> np.ndarray:
    """Where `last` is exactly the last epoch ≤ horizon above the threshold (see above)."""
    decays = (logs[0] <= 0.0) & (logs[1] <= 0.0)  # NaN fails here
    # r^t ≥ e^LOWEST_POWER stands in for smaller powers: the bounds stay bounds.
    before = amplitudes * np.exp(np.maximum(logs * last, LOWEST_POWER))
    ratios = np.exp(logs)
    after = before * ratios
    later = after * ratios
    # The second term's sign relative to the first's flips every epoch when the ratios'
    # signs differ (a ratio of 0 counts as positive).
    alternating = (signs[0] < 0.0) != (signs[1] < 0.0)
    half = 0.5 * last
    flips = alternating & (half != np.floor(half))
    flip_after = alternating ^ flips
    value_before = np.abs(before[0] + (1.0 - 2.0 * flips) * before[1])
    value_after = np.abs(after[0] + (1.0 - 2.0 * flip_after) * after[1])
    value_later = np.abs(later[0] + (1.0 - 2.0 * flips) * later[1])
    np.abs(before, out=before)
    np.abs(after, out=after)
    np.abs(later, out=later)
    sum_before, sum_after = before[0] + before[1], after[0] + after[1]
    # Along every other epoch from T and from T + 1 (see the module's docstring).
    first_faster = logs[0] <= logs[1]
    opposite = (amplitudes[0] < 0.0) != (amplitudes[1] < 0.0)
    bound_after = np.fmax(
        _along(after, value_after, opposite ^ flip_after, first_faster, logs),
        _along(later, value_later, opposite ^ flips, first_faster, logs),
    )
    inside_after = bound_after + RELATIVE_MARGIN * sum_after <= threshold
    outside_at = value_before > threshold + RELATIVE_MARGIN * sum_before
    # Powers raised to e^LOWEST_POWER moved v by at most e^LOWEST_POWER·Σ|A_i|: negligible.
    unclipped = (size[0] + size[1]) * CLIPPED_SHARE <= threshold
    sure = decays & inside_after & unclipped & (outside_at | (last < 0.0))
    sure &= last <= horizon
    return sure
