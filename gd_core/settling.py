"""When plain GD's parameters settle, predicted from two geometric modes per coordinate.

Plain GD at constant rates D = diag(η_k, η_b) maps δ = (k − k*, b − b*) to (I − D·H)·δ. In the
orthonormal eigenbasis of S = D^½·H·D^½ (theory.py), with w = D^(−½)·δ, each coordinate is a
sum of two geometric sequences:

    δθ_t = A_θ,1·r_1^t + A_θ,2·r_2^t,    r_i = 1 − s_i,

so whether |δθ_t| is above a threshold at epoch t is known without stepping, and the last
epoch it is (crossings.py) gives the settled epoch. Everything works elementwise on arrays (a
whole grid of rates at once), and ratios are kept as logarithms (log1p for the slow mode of a
small rate), so an answer of fifty million epochs is still exact to the epoch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from gd_core.crossing_bound import RELATIVE_MARGIN, last_outside_of_one, quick_last_outside
from gd_core.crossings import last_epoch_outside
from gd_core.data import Dataset
from gd_core.theory import _scaled_eigen, radius_of

# Up to this many runs to settle, their crossings are found in Python floats: 1.5 µs an
# element against NumPy's 25 µs a call sequence (crossing_bound.last_outside_of_one).
FEW = 6
# Beyond this many runs, converged_epochs takes one flat pass (a stability map's cells).
MANY = 256
# Ratios whose logs agree to this share of either are the same size for few_settled's order.
SAME_SIZE = 1e-6
# exp(2u·_LOG_ZERO) is 1 at u = 0 and 0 after: a ratio r = 0 without log(0).
_LOG_ZERO = -700.0


def log_ratios(s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(log|1 − s|, sign(1 − s)), the log accurate for s near 0 and near 2."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return unguarded_log_ratios(s)


def unguarded_log_ratios(
    s: np.ndarray, ratios: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """log_ratios for a caller that already ignores floating-point errors (one errstate
    around its whole block: each costs about a NumPy call); `ratios` is 1 − s if it has it."""
    log = np.log1p(np.maximum(-s, s - 2.0))  # |1 − s| = 1 + max(−s, s − 2)
    return np.maximum(log, _LOG_ZERO, out=log), np.sign(1.0 - s if ratios is None else ratios)


def mode_amplitudes(p: Any, q: Any, w: tuple[Any, Any], roots: tuple[Any, Any]) -> np.ndarray:
    """A_θ,i, [coordinate, mode]: each coordinate's component of D^½·u_i·(u_i·w), with the
    unit eigenvectors (p, q)/‖·‖ of the fast mode and (−q, p)/‖·‖ of the slow one. hypot
    keeps them unit where p² + q² would underflow (subnormal rates), so the amplitudes of a
    coordinate still sum to its start: a run too slow to move ends where it began."""
    return np.array(mode_amplitude_terms(p, q, w, roots))


def mode_amplitude_terms(
    p: Any, q: Any, w: tuple[Any, Any], roots: tuple[Any, Any]
) -> tuple[tuple[Any, Any], tuple[Any, Any]]:
    """mode_amplitudes' entries as ((k's slow, k's fast), (b's slow, b's fast)), for a caller
    that also reads them as Python floats (single_rate.py: which term is 0)."""
    norm = math.hypot(p, q) if type(p) is float and type(q) is float else np.hypot(p, q)
    cos, sin = p / norm, q / norm
    along_fast, along_slow = cos * w[0] + sin * w[1], cos * w[1] - sin * w[0]
    root_k, root_b = roots
    return (
        (root_k * -sin * along_slow, root_k * cos * along_fast),
        (root_b * cos * along_slow, root_b * sin * along_fast),
    )


def _spread(values: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """`values` broadcast to `shape`, as an array of its own (a third of np.broadcast_to's
    cost, which checks more than this needs)."""
    if values.shape == shape:
        return values
    spread = np.empty(shape)
    spread[...] = values
    return spread


@dataclass(frozen=True, eq=False)
class CoordinateModes:
    """δk_t and δb_t of plain GD as two geometric modes each, elementwise over rates.

    amplitudes[c, i] is A_θ,i for coordinate c (0 = k, 1 = b) and mode i (0 = slow, 1 = fast);
    logs[i] = log|r_i| and signs[i] = sign(r_i).
    """

    amplitudes: np.ndarray
    logs: np.ndarray
    signs: np.ndarray
    eigenvalues: np.ndarray  # (s_slow, s_fast) of D·H: r_i = 1 − s_i
    # The spectral radius where it is known already (one pair of modes for every run).
    known_radius: np.ndarray | None = None

    @classmethod
    def of(
        cls, data: Dataset, lr_k: np.ndarray, lr_b: np.ndarray, delta: tuple[float, float]
    ) -> CoordinateModes:
        """The modes from δ = (k0 − k*, b0 − b*), for rates > 0 (arrays broadcast)."""
        if type(lr_k) is float and type(lr_b) is float and type(data.x_var) is float:
            return cls._of_one_pair(data, lr_k, lr_b, delta)
        lr_k, lr_b = np.asarray(lr_k, float), np.asarray(lr_b, float)
        root_k, root_b = np.sqrt(lr_k), np.sqrt(lr_b)
        low, high, p, q = _scaled_eigen(data, lr_k, lr_b, (root_k, root_b))
        # Rates so small that these underflow give non-finite amplitudes: never settled.
        with np.errstate(all="ignore"):
            w = (delta[0] / root_k, delta[1] / root_b)
            amplitudes = mode_amplitudes(p, q, w, (root_k, root_b))
            eigenvalues = np.array([low, high])  # (slow, fast) on the first axis
            logs, signs = unguarded_log_ratios(eigenvalues)
        shape = amplitudes.shape[2:]
        if logs.shape[1:] != shape:  # a grid whose modes vary along one axis only, or runs
            # on different data whose modes are the same
            shape = np.broadcast_shapes(shape, logs.shape[1:])
            amplitudes = _spread(amplitudes, (2, 2, *shape))
            logs, signs, eigenvalues = (_spread(v, (2, *shape)) for v in (logs, signs, eigenvalues))
        return cls(amplitudes, logs, signs, eigenvalues)

    @classmethod
    def _of_one_pair(
        cls, data: Dataset, lr_k: float, lr_b: float, delta: tuple[Any, Any]
    ) -> CoordinateModes:
        """`of` for one pair of rates on one dataset's sums, the starts δ one per run or not
        (every run of a noise sweep: the same x, so the same Hessian): the eigenvectors,
        ratios and spectral radius are worked out once, in floats, and only the amplitudes
        per run. The same floats as `of` per run: sqrt is correctly rounded in math and NumPy
        alike, and hypot and the logs are still NumPy's."""
        root_k, root_b = math.sqrt(lr_k), math.sqrt(lr_b)
        low, high, p, q = _scaled_eigen(data, lr_k, lr_b, (root_k, root_b))
        with np.errstate(all="ignore"):
            w = (delta[0] / root_k, delta[1] / root_b)
            amplitudes = mode_amplitudes(np.float64(p), np.float64(q), w, (root_k, root_b))
            eigenvalues = np.array([low, high])
            logs, signs = unguarded_log_ratios(eigenvalues)
        shape = amplitudes.shape[2:]
        column = (2, *(1,) * len(shape))  # each mode's value on the first axis, for all runs
        logs, signs, eigenvalues = (
            _spread(v.reshape(column), (2, *shape)) for v in (logs, signs, eigenvalues)
        )
        # theory.radius_of's np.maximum of the two sizes, NaN kept, in floats.
        slow, fast = abs(1.0 - low), abs(1.0 - high)
        radius = slow if slow >= fast or slow != slow else fast
        return cls(amplitudes, logs, signs, eigenvalues, np.full(shape, radius))

    @property
    def spectral_radius(self) -> np.ndarray:
        """max|1 − s_i|, as theory.spectral_radius computes it for these rates, bit for bit."""
        if self.known_radius is not None:
            return self.known_radius
        return radius_of(self.eigenvalues[0], self.eigenvalues[1])

    @property
    def radius(self) -> np.ndarray:
        """The spectral radius max|r_i|: above 1, a run moves away from the optimum."""
        return np.exp(np.max(self.logs, axis=0))

    def at(self, epoch: float) -> np.ndarray:
        """(δk, δb) after `epoch` epochs, stacked on the first axis (inf/NaN past overflow)."""
        with np.errstate(over="ignore", invalid="ignore"):  # inf − inf included
            return self.unguarded_at(epoch)

    def unguarded_at(self, epoch: float) -> np.ndarray:
        """`at` for a caller that already ignores floating-point errors (sweep.plain_gd: one
        errstate for the whole block, each costs about a NumPy call)."""
        terms = self.amplitudes * np.exp(self.logs * epoch)
        if epoch % 2:
            terms = terms * self.signs
        if np.count_nonzero(self.amplitudes) < self.amplitudes.size:
            # A term of amplitude 0 is 0 however far its mode has grown (0·∞ is NaN): a
            # coordinate at its optimum, uncoupled from the other, stays there.
            terms = np.where(self.amplitudes == 0.0, 0.0, terms)
        return terms[:, 0] + terms[:, 1]

    def settled(
        self, thresholds: tuple[float, float] | np.ndarray, horizon: float = np.inf
    ) -> tuple[np.ndarray, np.ndarray]:
        """The epoch each parameter settles (NaN for never), as `Run.settled_at` counts it
        for a run of `horizon` epochs: one past the last epoch outside its threshold, and
        never if that is the run's last epoch."""
        shape = self.logs.shape[1:]
        amplitudes = self.amplitudes.reshape(2, 2, -1)
        logs, signs = self.logs.reshape(2, -1), self.signs.reshape(2, -1)
        size = logs.shape[1]
        # One threshold per coordinate, or one per coordinate and run (runs on different data).
        limits = np.asarray(thresholds, dtype=float).reshape(2, -1)
        if limits.shape[1] != size:
            limits = limits.repeat(size, axis=1)
        last = _last_outside(amplitudes, logs, signs, limits, horizon)
        # inf (never inside) is not before the horizon either.
        epochs = np.where(last < horizon, last + 1.0, np.nan)
        return epochs[0].reshape(shape), epochs[1].reshape(shape)

    def converged(self, thresholds: tuple[Any, Any], horizon: int, end: np.ndarray) -> np.ndarray:
        """The epoch both parameters have settled in runs of `horizon` epochs, as
        Run.converged_at counts it (NaN where one has not); `end` is at(horizon).

        A run outside a threshold at its last epoch has not settled: only the others are
        worked out (converged_epochs).
        """
        limits = np.asarray(thresholds, dtype=float).reshape(2, -1)  # per run on a Stack
        inside = np.abs(end.reshape(2, -1)) <= limits
        amplitudes = self.amplitudes.reshape(2, 2, -1)  # [coordinate, mode, run]
        logs, signs = self.logs.reshape(2, -1), self.signs.reshape(2, -1)
        if np.count_nonzero(inside) == inside.size:  # every run (a noise sweep's): no copy
            epochs = converged_epochs(amplitudes, logs, signs, limits, horizon)
            return epochs.reshape(self.logs.shape[1:])
        todo = (inside[0] & inside[1]).nonzero()[0]
        epochs = np.full(inside.shape[1], np.nan)
        if todo.size:
            # Only those (copies cost more than views).
            amplitudes, logs, signs = amplitudes[:, :, todo], logs[:, todo], signs[:, todo]
            limits = limits[:, todo] if limits.shape[1] > 1 else limits
            epochs[todo] = converged_epochs(amplitudes, logs, signs, limits, horizon)
        return epochs.reshape(self.logs.shape[1:])


def converged_epochs(
    amplitudes: np.ndarray,
    logs: np.ndarray,
    signs: np.ndarray,
    limits: np.ndarray,
    horizon: int,
    lasts: np.ndarray | None = None,
) -> np.ndarray:
    """For runs inside both thresholds at their last epoch: the epoch both parameters have
    settled (NaN if one has not after all). amplitudes [coordinate, mode, run or 1 shared by
    all], logs and signs [mode, run], limits [coordinate, run or 1]. `lasts`, (2, runs) of
    NaN if given, is filled with each coordinate's last epoch outside wherever a path works
    out both (a sweep's late settles read them: late_modes.py); few_settled leaves it NaN.

    Both coordinates are answered at once by the plainest bound (crossing_bound.py), for a
    few runs in Python floats; only what it leaves undecided is searched (crossings.py).
    """
    if logs.shape[1] <= FEW:
        settled = few_settled(amplitudes, logs, signs, limits, float(horizon))
        if settled is not None:
            return np.array(settled)
        found = _few_last_outside(amplitudes, logs, signs, limits, float(horizon))
        if not any(value != value for row in found for value in row):  # all sure (no NaN)
            if lasts is not None:
                lasts[...] = found
            # np.maximum and np.where's answer in Python floats, without four NumPy calls.
            return np.array([_settled(k, b, horizon) for k, b in zip(*found, strict=True)])
        last = np.array(found)
    elif logs.shape[1] > MANY:
        # A map's thousands of runs: one flat pass of the bound, its certificates and the
        # search. The broadcast quick pass first costs more here than it saves, since its
        # stride-0 operands stop NumPy's fast loops and the map's hard cells go round twice.
        runs = logs.shape[1]
        every = _spread(amplitudes, (2, 2, runs))
        last = _last_outside(every, logs, signs, _spread(limits, (2, runs)), horizon)
        if lasts is not None:
            lasts[...] = last
        return _both_settled(last, horizon)
    else:
        # Modes first, then k's runs and b's in one flat row, the logs and signs once for
        # each: with every operand contiguous and of one shape NumPy takes its fast loops,
        # where a broadcast or strided one costs twice as much a call (copies cost less).
        runs = logs.shape[1]
        modes = (
            _spread(amplitudes, (2, 2, runs)).transpose(1, 0, 2).reshape(2, -1),
            np.concatenate([logs, logs], axis=1),
            np.concatenate([signs, signs], axis=1),
        )
        limit = _spread(limits, (2, runs)).reshape(-1)
        last, sure = quick_last_outside(*modes, limit, float(horizon))
        last, sure = last.reshape(2, runs), sure.reshape(2, runs)
        if np.count_nonzero(sure) == sure.size:  # the usual case: nothing to search
            if lasts is not None:
                lasts[...] = last
            return _both_settled(last, horizon)
        last[~sure] = np.nan
    unsure = np.isnan(last)
    if np.count_nonzero(unsure):
        coordinate, run = unsure.nonzero()
        every = np.broadcast_to(amplitudes, (2, 2, unsure.shape[1]))
        last[coordinate, run] = last_epoch_outside(
            every[coordinate, :, run].T,
            logs[:, run],
            signs[:, run],
            np.broadcast_to(limits, unsure.shape)[coordinate, run],
            horizon,
        )
    if lasts is not None:
        lasts[...] = last
    return _both_settled(last, horizon)


def _both_settled(last: np.ndarray, horizon: float) -> np.ndarray:
    """Each run's epoch both have settled from (coordinate, run) last epochs outside."""
    latest = np.maximum(last[0], last[1])
    return np.where(latest < horizon, latest + 1.0, np.nan)


def _settled(last_k: float, last_b: float, horizon: float) -> float:
    """One run's epoch both have settled from each one's last epoch outside (not NaN)."""
    latest = last_k if last_k > last_b else last_b
    return latest + 1.0 if latest < horizon else math.nan


def few_settled(
    amplitudes: np.ndarray,
    logs: np.ndarray,
    signs: np.ndarray,
    limits: np.ndarray,
    horizon: float,
    runs: list[int] | None = None,
) -> list[float] | None:
    """Each run's epoch both have settled, for a few runs in Python floats; None if a bound is
    not sure of one (then converged_epochs' other paths answer). Arguments as converged_epochs
    takes them (amplitudes may also be [coordinate, mode], shared by all); `runs` picks the
    columns (of logs, signs, and of amplitudes and limits where they have one per run) to
    answer, all of them if None: a caller with a few settling runs among many passes their
    indices rather than copies of their columns.

    Only the later of the two crossings matters, so the coordinate likelier to settle last is
    answered first (crossing_bound.last_outside_of_one, ~1-2 µs), and the other only where
    its bound f(t) = Σ|A_i|·|r_i|^t, which never rises once both modes decay, is not already
    inside at the epoch after: then its last epoch outside is earlier and cannot change the
    answer. Likelier to settle last: the coordinate whose slower term is the larger against
    its threshold, as a rule; where the two ratios are the same size (theory's fastest single
    rate 2/(λ_min + λ_max), which every plain-GD tuning tries) which term is "slower" is
    decided by rounding, and f is (|A_1| + |A_2|)·|r|^t, so the sums decide instead (by the
    slower terms, a third of those runs had answered the wrong coordinate first, and then
    both).
    """
    # Each run's log and sign read as a Python float (.item): a tuning grid's few settling
    # runs need 4 of its 160 values, and listing them all cost more.
    log_of, sign_of = logs.item, signs.item
    (k_0s, k_1s), (b_0s, b_1s) = amplitudes.tolist()
    if amplitudes.ndim == 2:  # [coordinate, mode]: one rate's modes, the same for every run
        (k_0s, k_1s), (b_0s, b_1s) = ([k_0s], [k_1s]), ([b_0s], [b_1s])
    limit_ks, limit_bs = limits.tolist()
    shared, shared_limit = len(k_0s) == 1, len(limit_ks) == 1
    margin, exp = 1.0 + RELATIVE_MARGIN, math.exp
    settled = []
    for run in range(logs.shape[1]) if runs is None else runs:
        l_0, l_1 = log_of(0, run), log_of(1, run)
        j, t = 0 if shared else run, 0 if shared_limit else run
        k_0, k_1, b_0, b_1 = k_0s[j], k_1s[j], b_0s[j], b_1s[j]
        limit_k, limit_b = limit_ks[t], limit_bs[t]
        if abs(l_0 - l_1) <= SAME_SIZE * abs(l_0):
            weight_k, weight_b = abs(k_0) + abs(k_1), abs(b_0) + abs(b_1)
        elif l_0 > l_1:
            weight_k, weight_b = abs(k_0), abs(b_0)
        else:
            weight_k, weight_b = abs(k_1), abs(b_1)
        first, other = (k_0, k_1, limit_k), (b_0, b_1, limit_b)
        if weight_b * limit_k > weight_k * limit_b:  # b's is the larger, relatively
            first, other = other, first
        (first_0, first_1, first_limit), (other_0, other_1, other_limit) = first, other
        relative = sign_of(0, run) * sign_of(1, run)
        last = last_outside_of_one(first_0, first_1, l_0, l_1, relative, first_limit, horizon)
        if last != last:
            return None
        after = last + 1.0
        bound = abs(other_0) * exp(l_0 * after) + abs(other_1) * exp(l_1 * after)
        if not (l_0 <= 0.0 and l_1 <= 0.0 and bound * margin <= other_limit):
            later = last_outside_of_one(other_0, other_1, l_0, l_1, relative, other_limit, horizon)
            if later != later:
                return None
            last = later if later > last else last
        settled.append(last + 1.0 if last < horizon else math.nan)
    return settled


def _few_last_outside(
    amplitudes: np.ndarray, logs: np.ndarray, signs: np.ndarray, limits: np.ndarray, horizon: float
) -> list[list[float]]:
    """[coordinate][run]: the last epoch outside, NaN where not sure, for a few runs one
    element at a time in Python floats (crossing_bound.last_outside_of_one), which costs less
    than NumPy's calls up to FEW runs. Arguments as converged_epochs takes them."""
    runs = logs.shape[1]
    (log_0, log_1), (sign_0, sign_1) = logs.tolist(), signs.tolist()
    relative = [s_0 * s_1 for s_0, s_1 in zip(sign_0, sign_1, strict=True)]

    def each_run(values: list[float]) -> list[float]:  # one shared by all, or one a run
        return values * runs if len(values) == 1 else values

    a, limit = amplitudes.tolist(), limits.tolist()
    return [
        list(
            map(
                last_outside_of_one,
                each_run(a[c][0]),
                each_run(a[c][1]),
                log_0,
                log_1,
                relative,
                each_run(limit[c]),
                [horizon] * runs,
            )
        )
        for c in (0, 1)
    ]


def _last_outside(
    amplitudes: np.ndarray, logs: np.ndarray, signs: np.ndarray, limits: np.ndarray, horizon: float
) -> np.ndarray:
    """(2, runs): the last epoch ≤ horizon each coordinate is outside its limit, for flat
    amplitudes [coordinate, mode, run], logs and signs [mode, run], limits [coordinate, run]."""
    # Both coordinates go in one flat problem, k's runs then b's: each step is then one pass.
    last = last_epoch_outside(
        np.concatenate([amplitudes[0], amplitudes[1]], axis=1),
        np.concatenate([logs, logs], axis=1),  # np.tile costs 5× this
        np.concatenate([signs, signs], axis=1),
        limits.reshape(-1),
        horizon,
    )
    return last.reshape(2, -1)


def one_mode_settled(s: float, delta: float, threshold: float) -> float:
    """Settled epoch of δ_t = (1 − s)^t·δ, one parameter descending its parabola alone."""
    logs, signs = log_ratios(np.array([s, s]))
    last = last_epoch_outside(np.array([delta, 0.0]), logs, signs, threshold)
    return float("nan") if np.isinf(last) else float(last) + 1.0
