"""Plain GD at one rate η for both parameters, many rates at once, in the fewest NumPy calls.

With D = η·I, D·H = η·H: the modes' ratios are r_i = 1 − η·λ_i and their eigenvectors are H's
own, so each coordinate's amplitudes (settling.py) are the data's whatever η, and only the
ratios vary from run to run. A sweep of the rate or a tuning grid (tuning.py) is then a few
dozen calls on (2, rates) arrays, plus the crossings of the runs that settle. This is the
path the benchmarks hold against train() one by one (issue 17: at least 100×): on a 40-point
grid a NumPy call costs about what a run's arithmetic does, so every call counts.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gd_core.data import Dataset
from gd_core.settling import (
    FEW,
    converged_epochs,
    few_settled,
    mode_amplitudes,
    unguarded_log_ratios,
)


def single_rate_runs(
    data: Dataset,
    lr: np.ndarray,
    delta: tuple[float, float],
    epochs: int,
    thresholds: tuple[float, float],
    excess_limit: Any,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(final excess loss, diverged, epoch both settled or NaN, spectral radius) of plain GD
    at each rate of the 1-D `lr` (> 0) for both parameters, from δ = (k0 − k*, b0 − b*): what
    sweep.plain_gd and the modes' radius give for η_k = η_b, to rounding."""
    low, high, p, q = data.hessian_eigen
    amplitudes = mode_amplitudes(p, q, delta, (1.0, 1.0))  # [coordinate, mode]
    s = np.multiply.outer((low, high), lr)  # (slow, fast) × runs
    with np.errstate(all="ignore"):  # one for the whole block
        ratios = 1.0 - s
        logs, signs = unguarded_log_ratios(s, ratios)
        size = np.abs(ratios)
        radius = np.maximum(size[0], size[1])  # theory.radius_of's floats
        powers = np.exp(logs * epochs)
        if epochs % 2:
            powers *= signs
        end = amplitudes @ powers  # (δk, δb) after the last epoch
        if np.count_nonzero(amplitudes) < amplitudes.size:
            end = _without_empty_terms(amplitudes, powers)
        offset = data.x_mean * end[0] + end[1]
        final = data.x_var * end[0] * end[0] + offset * offset
    limits = np.array([[thresholds[0]], [thresholds[1]]])
    inside = np.abs(end) <= limits
    todo = (inside[0] & inside[1]).nonzero()[0]  # a run outside at its end has not settled
    converged = np.empty(lr.size)
    converged.fill(np.nan)  # np.full's work without its Python
    if todo.size:
        shared = amplitudes[:, :, np.newaxis]  # the same for every run
        # A few settling runs (a tuning grid's) are answered in Python floats from their
        # columns' indices, without copying the columns out.
        few = todo.size <= FEW and few_settled(
            shared, logs, signs, limits, float(epochs), todo.tolist()
        )
        if few:
            converged[todo] = few
        else:
            converged[todo] = converged_epochs(
                shared, logs[:, todo], signs[:, todo], limits, epochs
            )
    return final, ~(final <= excess_limit), converged, radius


def _without_empty_terms(amplitudes: np.ndarray, powers: np.ndarray) -> np.ndarray:
    """amplitudes @ powers with a term of amplitude 0 counted as 0 however far its mode has
    grown (0·∞ is NaN): a coordinate that starts at its optimum, uncoupled from the other
    (mean(x) = 0) or with both at the optimum, stays there, as train() keeps it."""
    terms = amplitudes[:, :, np.newaxis] * powers
    return np.where(amplitudes[:, :, np.newaxis] == 0.0, 0.0, terms).sum(axis=1)
