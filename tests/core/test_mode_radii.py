"""Linear runs' spectral radii from their modes (gd_core/mode_radii.py) against train()'s,
LAPACK's eigvals of each run's own 4 × 4 transition matrix (closed_form.spectral_radius).

Rates from crawling to far past the limit and five decades apart for k and b, μ from 0 (a
singular matrix) to 0.999, data near and far from x = 0; critical damping placed exactly, where
the mode formula is ill-conditioned and LAPACK must decide.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gd_core as gd
from gd_core import closed_form, linear_sweep, mode_radii


def _radii(data, name, mus, rates):
    rule = gd.make_optimizer(name, 1.0, momentum=mus)
    matrices = linear_sweep._matrices(data, rule, rates)
    return mode_radii.spectral_radii(data, rule, rates, matrices)


def _trains(data, name, mu, lr_k, lr_b):
    return closed_form.spectral_radius(data, gd.make_optimizer(name, (lr_k, lr_b), momentum=mu))


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), name=st.sampled_from(["momentum", "nesterov"]))
def test_every_radius_is_trains_to_1e_12_and_says_diverging_as_train_does(seed, name):
    rng = np.random.default_rng(seed)
    low = rng.uniform(-6, 3)
    data = gd.make_dataset(40, 2.0, 1.0, 1.0, (low, low + rng.uniform(0.1, 8)), int(seed % 97))
    runs = 60
    lowest = 0.0 if name == "momentum" else 1e-3  # Nesterov needs μ > 0
    mus = np.concatenate([[lowest, 0.999], rng.uniform(lowest, 0.999, runs - 2)])
    limit = gd.analyze(data).max_stable_lr
    rates = limit * 10.0 ** rng.uniform(-4, 1, (2, runs))
    radii = _radii(data, name, mus, rates)
    for i in range(runs):
        expected = _trains(data, name, mus[i], rates[0, i], rates[1, i])
        assert radii[i] == pytest.approx(expected, rel=1e-12, abs=0)
        assert (radii[i] > 1.0 + gd.verdict.RADIUS_ROUNDING) == (
            expected > 1.0 + gd.verdict.RADIUS_ROUNDING
        )


def test_at_critical_damping_lapack_decides_bit_for_bit():
    # Heavy-ball momentum's slow mode has a double root where (1 + μ − ν)² = 4μ, i.e.
    # μ = (1 − √ν)²: there the eigenvalues move by √eps, and only LAPACK's are train()'s.
    data = gd.make_dataset(50, 2.0, 1.0, 1.0, (-1.0, 3.0), 3)
    rate = 0.01
    h = np.array([[2 * data.x_sq_mean, 2 * data.x_mean], [2 * data.x_mean, 2.0]])
    slow, fast = np.linalg.eigvalsh(rate * h)
    mus = np.array([(1 - np.sqrt(slow)) ** 2, (1 - np.sqrt(fast)) ** 2, 0.5])
    rates = np.full((2, mus.size), rate)
    radii = _radii(data, "momentum", mus, rates)
    for i, mu in enumerate(mus[:2]):
        assert radii[i] == _trains(data, "momentum", mu, rate, rate)  # bit for bit


def test_a_radius_at_the_divergence_line_is_lapacks():
    # Plain GD's limit for b alone: ρ is 1 up to rounding, where "diverging" is decided.
    data = gd.make_dataset(50, 2.0, 1.0, 1.0, (-1.0, 1.0), 5)
    h = np.array([[2 * data.x_sq_mean, 2 * data.x_mean], [2 * data.x_mean, 2.0]])
    limit = 2.0 * (1 + 0.3) / np.linalg.eigvalsh(h)[-1]  # heavy-ball's at μ = 0.3
    rates = np.full((2, 3), limit) * np.array([1 - 1e-14, 1.0, 1 + 1e-14])
    radii = _radii(data, "momentum", np.full(3, 0.3), rates)
    for i in range(3):
        assert radii[i] == _trains(data, "momentum", 0.3, rates[0, i], rates[1, i])
