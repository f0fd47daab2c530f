"""Plain GD at one rate η for both parameters, many rates at once, in the fewest NumPy calls.

With D = η·I, D·H = η·H: the modes' ratios are r_i = 1 − η·λ_i and their eigenvectors are H's
own, so each coordinate's amplitudes (settling.py) are the data's whatever η, and only the
ratios vary from run to run. A sweep of the rate or a tuning grid (tuning.py) is then a few
dozen calls on (2, rates) arrays, plus the crossings of the runs that settle. This is the
path the benchmarks hold against train() one by one (issue 17: at least 100×): on a 40-point
grid a NumPy call costs about what a run's arithmetic does, so every call counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from gd_core.data import Dataset
from gd_core.settling import (
    FEW,
    converged_epochs,
    few_settled,
    mode_amplitude_terms,
    unguarded_log_ratios,
)
from gd_core.verdict import RADIUS_ROUNDING


@dataclass(frozen=True)
class RateModes:
    """What single_rate_runs_with_modes worked out on the way that a sweep's late settles read
    again (late_modes.py): amplitudes [coordinate, mode, 1] (the data's whatever η), logs and
    signs [mode, run], and `last` (2, runs), each coordinate's last epoch outside its threshold
    where the settled epochs' search found both, else NaN."""

    amplitudes: np.ndarray
    logs: np.ndarray
    signs: np.ndarray
    last: np.ndarray


def single_rate_runs_with_modes(
    data: Dataset,
    lr: np.ndarray,
    delta: tuple[float, float],
    epochs: int,
    thresholds: tuple[float, float],
    excess_limit: Any,
) -> tuple[np.ndarray, Any, np.ndarray, Any, RateModes]:
    """single_rate_runs with its verdicts, and the modes and last epochs outside it found."""
    return _runs(data, lr, delta, epochs, thresholds, excess_limit, True, True)


def single_rate_runs(
    data: Dataset,
    lr: np.ndarray,
    delta: tuple[float, float],
    epochs: int,
    thresholds: tuple[float, float],
    excess_limit: Any,
    verdicts: bool = True,
) -> tuple[np.ndarray, Any, np.ndarray, Any]:
    """(final excess loss, diverged, epoch both settled or NaN, spectral radius) of plain GD
    at each rate of the 1-D `lr` (> 0) for both parameters, from δ = (k0 − k*, b0 − b*): what
    sweep.plain_gd and the modes' radius give for η_k = η_b, to rounding.

    With `verdicts` False (a tuning, which reads the final loss and the settled epoch alone)
    diverged and the radius are None, and the settled epoch is already NaN where train()
    reports none for a diverged or diverging run, as outcomes() makes it: only the runs that
    settle are judged, which leaves out four of the forty calls of a 40-rate grid."""
    return _runs(data, lr, delta, epochs, thresholds, excess_limit, verdicts, False)[:4]


def _runs(
    data: Dataset,
    lr: np.ndarray,
    delta: tuple[float, float],
    epochs: int,
    thresholds: tuple[float, float],
    excess_limit: Any,
    verdicts: bool,
    modes: bool,
) -> tuple[np.ndarray, Any, np.ndarray, Any, RateModes | None]:
    low, high, p, q = data.hessian_eigen
    terms = mode_amplitude_terms(p, q, delta, (1.0, 1.0))  # [coordinate, mode], floats
    amplitudes = np.array(terms)
    radius = None
    with np.errstate(all="ignore"):  # one for the whole block
        # (slow, fast) × runs: np.multiply.outer's floats, without its Python. η·λ may
        # overflow (η = 1e300 on x near 1e4): inf, a run that diverged, and no warning.
        s = np.multiply(((low,), (high,)), lr)
        ratios = 1.0 - s
        logs, signs = unguarded_log_ratios(s, ratios)
        if verdicts:
            size = np.abs(ratios)
            radius = np.maximum(size[0], size[1])  # theory.radius_of's floats
        powers = np.exp(logs * epochs)
        if epochs % 2:
            powers *= signs
        end = amplitudes @ powers  # (δk, δb) after the last epoch
        if 0.0 in terms[0] or 0.0 in terms[1]:  # count_nonzero's answer, without a call
            end = _without_empty_terms(amplitudes, powers)
        offset = data.x_mean * end[0] + end[1]
        final = data.x_var * end[0] * end[0] + offset * offset
    limits = np.array(((thresholds[0],), (thresholds[1],)))
    inside = np.abs(end) <= limits
    todo = (inside[0] & inside[1]).nonzero()[0]  # a run outside at its end has not settled
    converged = np.empty(lr.size)
    converged.fill(np.nan)  # np.full's work without its Python
    last = None
    if modes:
        last = np.empty((2, lr.size))
        last.fill(np.nan)
    if todo.size:
        # A few settling runs (a tuning grid's) are answered in Python floats from their
        # columns' indices, without copying the columns out.
        runs = todo.tolist()
        few = len(runs) <= FEW and few_settled(amplitudes, logs, signs, limits, float(epochs), runs)
        if few:
            # few_settled answers a run only where both modes decay (|r_i| < 1), so none is
            # diverging; diverged, without verdicts, is its own loss past the limit.
            final_of = final.item
            for run, epoch in zip(runs, few, strict=True):
                diverged = not verdicts and not final_of(run) <= excess_limit
                converged[run] = math.nan if diverged else epoch
        else:
            shared = amplitudes[:, :, np.newaxis]  # the same for every run
            lasts = None if last is None else np.full((2, todo.size), np.nan)
            settled = converged_epochs(shared, logs[:, todo], signs[:, todo], limits, epochs, lasts)
            if lasts is not None:
                last[:, todo] = lasts
            if not verdicts:  # outcomes()'s rules, for the runs that settle alone
                size = np.abs(ratios[:, todo])
                diverging = np.maximum(size[0], size[1]) > 1.0 + RADIUS_ROUNDING
                judged = diverging | ~(final[todo] <= excess_limit)
                settled = np.where(judged, np.nan, settled)
            converged[todo] = settled
    kept = RateModes(amplitudes[:, :, np.newaxis], logs, signs, last) if modes else None
    if not verdicts:
        return final, None, converged, None, kept
    return final, ~(final <= excess_limit), converged, radius, kept


def _without_empty_terms(amplitudes: np.ndarray, powers: np.ndarray) -> np.ndarray:
    """amplitudes @ powers with a term of amplitude 0 counted as 0 however far its mode has
    grown (0·∞ is NaN): a coordinate that starts at its optimum, uncoupled from the other
    (mean(x) = 0) or with both at the optimum, stays there, as train() keeps it."""
    terms = amplitudes[:, :, np.newaxis] * powers
    return np.where(amplitudes[:, :, np.newaxis] == 0.0, 0.0, terms).sum(axis=1)
