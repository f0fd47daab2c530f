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

Before any of that, each parameter is judged from five epochs of its envelopes, given its own
L (`_from_envelopes`, or `_one_envelope` in Python floats for a sweep's few candidates, with
the L the settled search found passed in by the caller): that decides nearly all of them, and
the passes above read only the rest. A 100-rate sweep of 1,000 epochs spent 190 µs here of
its 390; now about 15.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from gd_core.crossing_bound import LOWEST_POWER, RELATIVE_MARGIN, last_outside_of_one
from gd_core.crossings import last_epoch_outside
from gd_core.progress import HOLD_SHARE

# Up to this many last epochs outside are found one element at a time in Python floats.
FEW = 12
# Up to this many runs are judged from their envelopes in Python floats (_one_envelope, a
# few µs a parameter) rather than in NumPy (_from_envelopes: some sixty calls whatever the
# size, each about a µs): a sweep's few runs that converge past half their epochs.
FEW_RUNS = 12
_NOT_LATE, _LATE, _UNDECIDED = 0, 1, -1
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
    known: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(late, unsure) of runs that converged at `converged` (finite, ≤ epochs): amplitudes
    [coordinate, mode, run or 1], logs and signs [mode, run], limits (k's, b's), each one
    or one per run; `known`, each coordinate's last epoch outside (2, runs), NaN where the
    caller does not know it (then it is found here). `unsure`
    marks runs whose answer rounding could decide: the caller walks those."""
    runs = converged.size
    if runs <= FEW_RUNS:
        answer = _few_late(amplitudes, logs, signs, limits, converged, epochs, known)
        if answer is not None:
            return answer, np.zeros(runs, bool)
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
        if known is None:
            before = np.concatenate([converged, converged]) - 1.0  # the run's last outside
            last = _last_outside(a, ell, sign, limit, before, float(epochs))  # each one's own
        else:
            last = known.reshape(-1)  # a copy: known is a column pick
            unknown = np.flatnonzero(np.isnan(last))
            if unknown.size:
                before = np.concatenate([converged, converged])[unknown] - 1.0
                last[unknown] = _last_outside(
                    a[:, unknown],
                    ell[:, unknown],
                    sign[:, unknown],
                    limit[unknown],
                    before,
                    float(epochs),
                )
        late, decided = _from_envelopes(a, ell, sign, limit, last, epochs)
        todo = np.flatnonzero(~decided)
        if not todo.size:
            return late[:runs] | late[runs:], np.zeros(runs, bool)
        a, ell, sign, limit, last = a[:, todo], ell[:, todo], sign[:, todo], limit[todo], last[todo]
        rest = np.flatnonzero(~_shown_to_stay(a, ell, sign, limit, last, epochs))
        if not rest.size:
            return late[:runs] | late[runs:], np.zeros(runs, bool)
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


def _few_late(
    amplitudes: np.ndarray,
    logs: np.ndarray,
    signs: np.ndarray,
    limits: np.ndarray,
    converged: np.ndarray,
    epochs: int,
    known: np.ndarray | None,
) -> np.ndarray | None:
    """late_from_modes' late for a few runs, each parameter from its envelopes in Python
    floats (_one_envelope); None where one is undecided (then the NumPy paths answer all)."""
    runs = converged.size
    (k_0, k_1), (b_0, b_1) = amplitudes.tolist()  # each one per run, or one for all
    (log_0, log_1), (sign_0, sign_1) = logs.tolist(), signs.tolist()
    bands = [
        limit.tolist() if getattr(limit, "ndim", 0) else [float(limit)] * runs for limit in limits
    ]
    lasts = known.tolist() if known is not None else [[math.nan] * runs] * 2
    horizon, share = float(epochs), HOLD_SHARE * epochs
    late = []
    for run in range(runs):
        relative = sign_0[run] * sign_1[run]
        answer = False
        for c, (first, second) in enumerate(((k_0, k_1), (b_0, b_1))):
            a_0, a_1 = (first[run], second[run]) if len(first) > 1 else (first[0], second[0])
            band, last = bands[c][run], lasts[c][run]
            if last != last:  # not known: this element's own, in floats
                last = last_outside_of_one(
                    a_0, a_1, log_0[run], log_1[run], relative, band, horizon
                )
            verdict = _one_envelope(
                a_0, a_1, log_0[run], log_1[run], relative, band, last, horizon, share
            )
            if verdict == _UNDECIDED:
                return None
            answer = answer or verdict == _LATE
        late.append(answer)
    return np.array(late, dtype=bool)


def _one_envelope(
    a_0: float,
    a_1: float,
    log_0: float,
    log_1: float,
    relative: float,
    band: float,
    last: float,
    epochs: float,
    share: float,
    exp: Callable[[float], float] = math.exp,
) -> int:
    """_from_envelopes for one parameter in Python floats (its docstring says why each step
    holds): _LATE, _NOT_LATE or _UNDECIDED. `relative` is the ratios' signs' product, `last`
    the parameter's last epoch outside, `share` HOLD_SHARE of the run's `epochs`."""
    if last < 1.0 or last < 0.5 * epochs:
        return _NOT_LATE  # no stay before L, or a final stay longer than any before it
    if not (log_0 <= 0.0 and log_1 <= 0.0 and relative != 0.0 and last < epochs):  # NaN too
        return _UNDECIDED
    size_0, size_1 = abs(a_0), abs(a_1)
    opposite_ratios, opposite_terms = relative < 0.0, a_0 * a_1 < 0.0
    final = epochs - last
    short = final <= share or final <= 1.0
    end = last - 1.0
    if opposite_ratios or not opposite_terms:  # f has epochs: all outside before L?
        power_0, power_1 = log_0 * end, log_1 * end
        f = size_0 * exp(LOWEST_POWER if power_0 < LOWEST_POWER else power_0)
        f += size_1 * exp(LOWEST_POWER if power_1 < LOWEST_POWER else power_1)
        if not f - RELATIVE_MARGIN * (f + band) > band:
            return _UNDECIDED
        if not opposite_terms and not opposite_ratios:
            return _NOT_LATE  # f at every epoch
        if opposite_ratios and not short:
            return _NOT_LATE  # stays of one epoch, a final stay longer than that
    step = 2.0 if opposite_ratios else 1.0
    offset = 1.0 if opposite_ratios and not opposite_terms else 0.0
    final_g = end - (end - offset) % step  # g's last epoch ≤ end
    if final_g < offset:
        return _NOT_LATE  # no epoch of g's before L, f's all outside
    below = offset
    if size_0 > 0.0 and size_1 > 0.0 and log_0 != log_1:
        zero = math.log(size_1 / size_0) / (log_0 - log_1)  # S = B there
        if zero >= final_g:
            below = final_g
        elif zero > offset:  # False for NaN
            below = zero - (zero - offset) % step
    after = below + step
    points = (offset, below, after if after < final_g else final_g, final_g)
    inside = unsure = False
    for t in points:
        power_0, power_1 = log_0 * t, log_1 * t
        term_0 = size_0 * exp(LOWEST_POWER if power_0 < LOWEST_POWER else power_0)
        term_1 = size_1 * exp(LOWEST_POWER if power_1 < LOWEST_POWER else power_1)
        g, slack = abs(term_0 - term_1), RELATIVE_MARGIN * (term_0 + term_1 + band)
        if g + slack < band:
            inside = True
        elif not g - slack > band:
            unsure = True
    if inside and short:
        return _LATE
    if unsure:
        return _UNDECIDED
    if not inside:
        return _NOT_LATE
    if opposite_ratios:
        return _UNDECIDED  # f's epochs not all outside: stays may be longer than one
    # The one stay around z, between two epochs outside 2·H + 2 ≤ F + 1 apart (H as in
    # _from_envelopes), is shorter than the final stay.
    half = math.floor(0.5 * (final - 1.0))
    for t in (max(below - half, 0.0), min(below + 1.0 + half, end)):
        power_0, power_1 = log_0 * t, log_1 * t
        term_0 = size_0 * exp(LOWEST_POWER if power_0 < LOWEST_POWER else power_0)
        term_1 = size_1 * exp(LOWEST_POWER if power_1 < LOWEST_POWER else power_1)
        if not abs(term_0 - term_1) - RELATIVE_MARGIN * (term_0 + term_1 + band) > band:
            return _UNDECIDED
    return _NOT_LATE


def _from_envelopes(
    a: np.ndarray,
    ell: np.ndarray,
    sign: np.ndarray,
    limit: np.ndarray,
    last: np.ndarray,
    epochs: int,
) -> tuple[np.ndarray, np.ndarray]:
    """(late, decided) per element from five epochs, given its own last epoch outside L.

    With both modes decaying, the terms' sizes S(t), B(t) bound |δ_t| between g = |S − B| and
    f = S + B, and at each epoch it is one of the two: f where the terms agree in sign, g where
    they oppose; which is fixed (ratios of one sign) or alternates with the parity of t. f
    falls, so once f(L − 1) is outside every epoch of f's before L is. g falls to the epoch
    z where S = B, then rises and falls once (a sum of two exponentials turns at most once),
    so its smallest value over its own epochs in 0 … L − 1 is at the first, the last, or the
    two either side of z. Hence, read off five values:

    - f's epochs all outside and g's too: no earlier stay, not late;
    - one of g's inside: an earlier stay, late if the final stay (epochs − L) is at most
      HOLD_SHARE of the run (or one epoch);
    - ratios of opposite signs with f's epochs all outside: every earlier stay is one epoch,
      so a final stay longer than that share (and than one epoch) is not late;
    - ratios of one sign, terms opposed: the one earlier stay is the epochs around z where g is
      inside; outside at ⌊z⌋ − H and ⌊z⌋ + 1 + H (2·H < F), it is shorter than the final stay.

    Anything within RELATIVE_MARGIN of the terms' sizes and the band (where rounding could
    decide), a growing mode or a ratio of 0 is left undecided, for the modes' other paths."""
    size = np.abs(a)
    opposite_ratios = sign[0] * sign[1] < 0.0
    opposite_terms = a[0] * a[1] < 0.0  # a term of 0: f = g, either will do
    # g's epochs: every epoch with ratios of one sign (if the terms oppose), else those of one
    # parity, the first of them `offset`, `step` apart.
    step = np.where(opposite_ratios, 2.0, 1.0)
    offset = (opposite_ratios & ~opposite_terms).astype(float)
    end = last - 1.0  # the last epoch before L
    final_g = offset + step * np.floor((end - offset) / step)  # g's last epoch ≤ end
    zero = (np.log(size[1]) - np.log(size[0])) / (ell[0] - ell[1])  # S = B there
    below = offset + step * np.floor((zero - offset) / step)
    final = epochs - last
    half = np.floor(0.5 * (final - 1.0))
    t = np.empty((a.shape[1], 7))
    t[:, 0] = end  # f is smallest at its last epoch before L, and never below its value here
    t[:, 1], t[:, 2], t[:, 3], t[:, 4] = offset, below, below + step, final_g
    t[:, 5], t[:, 6] = below - half, below + 1.0 + half  # g's epochs, step 1, around z
    np.fmin(np.fmax(t[:, 1:], offset[:, np.newaxis]), final_g[:, np.newaxis], out=t[:, 1:])
    terms = np.maximum(ell[:, :, np.newaxis] * t, LOWEST_POWER)
    np.exp(terms, out=terms)
    terms *= size[:, :, np.newaxis]
    f = terms[0] + terms[1]
    g = np.abs(terms[0] - terms[1])
    slack = RELATIVE_MARGIN * (f + limit[:, np.newaxis])
    band = limit[:, np.newaxis]
    has_g = (opposite_ratios | opposite_terms) & (final_g >= offset)
    f_outside = (f[:, 0] - slack[:, 0] > band[:, 0]) | ~(opposite_ratios | ~opposite_terms)
    outside = g - slack > band
    g_outside = ~has_g | outside[:, 1:5].all(axis=1)
    g_inside = has_g & (g[:, 1:5] + slack[:, 1:5] < band).any(axis=1)
    short = (final <= HOLD_SHARE * epochs) | (final <= 1.0)
    # Within [0, L − 1] the two epochs either side of the stay are 2·H + 2 ≤ F + 1 apart: the
    # stay between them is shorter than F (one clipped to 0 or L − 1 only brings them closer,
    # and such an end epoch outside bounds the stay as well).
    one_stay = ~opposite_ratios & opposite_terms & outside[:, 5] & outside[:, 6]
    usable = (ell[0] <= 0.0) & (ell[1] <= 0.0) & (sign[0] * sign[1] != 0.0) & (last >= 1.0)
    usable &= last < epochs
    late = usable & g_inside & short
    shorter = (opposite_ratios & f_outside) | one_stay  # every earlier stay shorter than F
    decided = usable & ((f_outside & g_outside) | late | (shorter & ~short))
    # Never outside, or only at the start: no stay before L. Before half the run: the final
    # stay, epochs − L, is longer than every stay within the L epochs before it, and than
    # HOLD_SHARE of the run.
    decided |= (last < 1.0) | (last < 0.5 * epochs)
    return late, decided


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
