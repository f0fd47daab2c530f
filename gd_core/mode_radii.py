"""Many linear runs' spectral radii from their modes, LAPACK's floats to 1e-12 without LAPACK.

train() takes a linear run's ρ from LAPACK: the largest |eigenvalue| of its 4 × 4 transition
matrix (closed_form.spectral_radius). For a hundred runs that one batched call of geev was a
quarter of a momentum sweep's cost, and the matrices have structure it does not use.

For a rule whose step is the rate times a linear function of (g, state), and whose one state
slot follows (g, state) without the rate (heavy-ball momentum, Nesterov), scaling the state by
the rates E = diag(η_k, η_b) leaves only E·H in the recurrence; E·H is similar to the symmetric
E^½·H·E^½, so it has two real eigenvalues ν ≥ 0, and in its eigenbasis each mode is the rule
in one dimension at rate 1 and curvature ν: a 2 × 2 matrix, read off the rule's own `update`
(nothing about a rule is written twice), whose eigenvalues solve λ² − tr·λ + det = 0. The
radius is the largest root's modulus over both modes.

Where that is well conditioned it matches LAPACK far inside 1e-12 (3e-14 at most over 60,000
random runs, with rates five decades apart: tests/core/test_mode_radii.py). It is not near a
double root (critical damping, where LAPACK's own eigenvalues move by √eps), so those runs,
and any whose radius is within NEAR_ONE of 1 (where "diverging" is decided at 1 + 1e-12),
take LAPACK's value as train() does.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gd_core.optimizers import Optimizer

# A mode's roots are this close to double (|tr² − 4·det| relative to the larger of tr², 4·|det|)
# or closer: LAPACK decides. The largest difference from LAPACK, 3e-14 at 1e-4, grew to 2e-13
# below it, on the way to √eps at a double root.
DOUBLE_ROOT = 1e-4
# A radius this close to 1: LAPACK decides, so that ρ > 1 + 1e-12 ("diverging") is its verdict.
NEAR_ONE = 1e-9


def spectral_radii(
    data: Any, rule: Optimizer, rates: np.ndarray, matrices: np.ndarray
) -> np.ndarray:
    """Each run's ρ, to 1e-12 of LAPACK's from `matrices` (size, size, runs), which are only
    read for the runs LAPACK decides (all of them for a rule without this structure)."""
    runs = rates.shape[1]
    if len(rule.init(0.0)) != 1 or rule.schedule is not None:
        return _lapack(matrices)
    with np.errstate(all="ignore"):
        modes = _mode_eigenvalues(data, rates)  # (2, runs): ν_high, ν_low
        ones = np.ones_like(modes)
        # The rule in one dimension at rate 1: columns δ = 1 and state = 1.
        step_d, (state_d,) = rule.update(modes, (0.0 * ones,), 1.0)
        step_s, (state_s,) = rule.update(0.0 * ones, (ones,), 1.0)
        a, b, c, d = 1.0 - step_d, -step_s, state_d, state_s
        trace, det = a + d, a * d - b * c
        disc = trace * trace - 4.0 * det
        scale = np.maximum(trace * trace, 4.0 * np.abs(det))
        real = (np.abs(trace) + np.sqrt(np.maximum(disc, 0.0))) / 2.0
        modulus = np.where(disc >= 0.0, real, np.sqrt(np.abs(det)))
        radius = np.broadcast_to(modulus.max(axis=0), (runs,)).copy()
        doubtful = ~(np.abs(disc) > DOUBLE_ROOT * scale).all(axis=0)
        doubtful |= ~(np.abs(radius - 1.0) > NEAR_ONE)  # NaN too
    chosen = np.flatnonzero(doubtful)
    if chosen.size:
        radius[chosen] = _lapack(matrices[..., chosen])
    return radius


def _mode_eigenvalues(data: Any, rates: np.ndarray) -> np.ndarray:
    """(ν_high, ν_low) of E·H per run: the larger from the trace and the discriminant, the
    smaller as det/ν_high, det(H) = 4·x_var read from the data (no cancellation)."""
    lr_k, lr_b = rates
    a, d = lr_k * (2.0 * data.x_sq_mean), lr_b * 2.0
    coupling = lr_k * lr_b * (2.0 * data.x_mean) ** 2
    high = 0.5 * (a + d) + np.sqrt(0.25 * (a - d) ** 2 + coupling)
    low = np.where(high > 0.0, lr_k * lr_b * 4.0 * data.x_var / high, 0.0)
    return np.array([high, low])


def _lapack(matrices: np.ndarray) -> np.ndarray:
    """max|eigenvalue| of each (size, size, runs) matrix by LAPACK's geev, as train() takes it:
    one batched call runs the same routine on the same floats for every matrix."""
    return np.max(np.abs(np.linalg.eigvals(matrices.transpose(2, 0, 1))), axis=-1)
