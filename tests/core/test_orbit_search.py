"""The verdict of linear runs from block bounds (gd_core/orbit_search.py) against judging every
epoch of their orbits (linear_sweep.every_epoch, itself held to train() in test_linear_sweep.py).

Runs of momentum and Nesterov with rates from crawling to diverging, μ from 0 to 0.995, on data
far from and near x = 0, ending inside, on and just past a block's edge; and train() itself on
the sweeps that decide from bounds.
"""

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import gd_core as gd
from gd_core import linear_sweep, orbit_search
from gd_core.model import excess_loss
from gd_core.verdict import divergence_threshold, settle_thresholds


def _problem(seed, name, epochs):
    rng = np.random.default_rng(seed)
    data = gd.make_dataset(50, 2.0, 1.0, float(rng.uniform(0.1, 2)), (rng.uniform(-3, 1), 4.0), 1)
    runs = 24
    mus = rng.uniform(0.01, 0.995, runs)
    limit = gd.analyze(data).max_stable_lr
    rates = limit * 10.0 ** rng.uniform(-3, 0.6, (2, runs))  # some past the limit: diverging
    rule = gd.make_optimizer(name, 1.0, momentum=mus)
    init = tuple(rng.uniform(-5, 5, 2))
    delta = (init[0] - data.slope_ols, init[1] - data.intercept_ols)
    hessian = (2.0 * data.x_sq_mean, 2.0 * data.x_mean, 2.0)
    matrices = linear_sweep.transition_matrices(hessian, rule, rates)
    start = np.zeros((matrices.shape[0], runs))
    start[0], start[1] = delta
    thresholds = settle_thresholds(data, init, 1e-3)
    first = excess_loss(data, *delta)
    limit = divergence_threshold(data.loss_ols + first) - data.loss_ols
    return data, matrices, start, epochs, thresholds, limit


def _rounding(problem):
    """Each run's relative tolerance for the final loss: block powers M^B and epoch-by-epoch
    products round differently, and along an orbit the difference grows with the epochs, the
    condition of M's eigenvectors (up to ~1e3 near critical damping, where the orbit swells
    before it decays) and the Hessian's, through which the loss reads the state."""
    data, matrices, epochs = problem[0], problem[1], problem[3]
    hessian = [[data.x_sq_mean, data.x_mean], [data.x_mean, 1.0]]
    eigenvectors = np.linalg.eig(matrices.transpose(2, 0, 1)).eigenvectors
    spread = np.linalg.cond(eigenvectors) * np.linalg.cond(hessian)
    return np.maximum(1e-9, 16 * max(epochs, 1) * np.finfo(float).eps * spread)


def _assert_same(judged, reference, resolved, problem):
    final, diverged, converged = (result[resolved] for result in judged)
    want_final, want_diverged, want_converged = (result[resolved] for result in reference)
    np.testing.assert_array_equal(diverged, want_diverged)
    np.testing.assert_array_equal(converged, want_converged)  # NaN where never settled
    live = ~want_diverged
    tolerance = _rounding(problem)[resolved][live]
    assert np.all(np.abs(final[live] - want_final[live]) <= tolerance * np.abs(want_final[live]))


@settings(max_examples=30, deadline=None)
@example(seed=306, name="momentum", epochs=257)  # κ ≈ 960: the losses differ by 1.0e-9
@given(
    seed=st.integers(0, 2**32 - 1),
    name=st.sampled_from(["momentum", "nesterov"]),
    epochs=st.one_of(
        st.integers(0, 3), st.sampled_from([63, 64, 65, 127, 128, 1000]), st.integers(4, 3000)
    ),
)
def test_decided_runs_equal_judging_every_epoch(seed, name, epochs):
    problem = _problem(seed, name, epochs)
    *judged, unresolved = orbit_search.judge(*problem)
    reference = linear_sweep.every_epoch(*problem)
    _assert_same(judged, reference, ~unresolved, problem)


@pytest.mark.parametrize("seed", [3, 11])
def test_very_long_runs_use_longer_blocks_and_still_equal_every_epoch(seed):
    epochs = 150_000  # past BLOCK × MAX_BLOCKS: blocks of 128 epochs
    assert orbit_search.block_length(epochs) > orbit_search.BLOCK
    problem = _problem(seed, "nesterov", epochs)
    *judged, unresolved = orbit_search.judge(*problem)
    _assert_same(judged, linear_sweep.every_epoch(*problem), ~unresolved, problem)


def test_runs_left_undecided_are_judged_every_epoch(monkeypatch):
    problem = _problem(7, "momentum", 2000)
    monkeypatch.setattr(orbit_search, "SEARCHES", 0)  # decide nothing by looking
    *_, unresolved = orbit_search.judge(*problem)
    assert unresolved.any()
    data, epochs = problem[0], problem[3]
    mus = np.linspace(0.05, 0.99, 24)
    swept = gd.sweep(data, "momentum", mus, "momentum", epochs, lr=0.02)
    for i in (0, 11, 23):
        run = gd.train(data, gd.momentum(0.02, float(mus[i])), epochs)
        settled = swept.epochs_to_converge[i]
        assert (np.isnan(settled) and run.converged_at is None) or settled == run.converged_at


@pytest.mark.parametrize("epochs", [0, 1, 64, 5000])
def test_a_sweep_decided_from_bounds_equals_train(epochs):
    data = gd.make_dataset(100, 2.0, 1.0, 1.0)
    mus = np.linspace(0.0, 0.99, 34)
    result = gd.sweep(data, "momentum", mus, "momentum", epochs, lr=0.01, init=(-1.0, 3.0))
    for i, mu in enumerate(mus):
        run = gd.train(data, gd.momentum(0.01, float(mu)), epochs, (-1.0, 3.0))
        assert result.diverged[i] == (run.status == "diverged")
        settled = result.epochs_to_converge[i]
        assert (np.isnan(settled) and run.converged_at is None) or settled == run.converged_at
        if run.status != "diverged":
            assert result.final_loss[i] == pytest.approx(run.loss[-1], rel=1e-9)


def test_many_runs_are_judged_a_group_at_a_time_with_the_same_results(monkeypatch):
    data = gd.make_dataset(100, 2.0, 1.0, 1.0)
    lr_k, lr_b = gd.rate_grid(data, 9)
    whole = gd.stability_map(data, lr_k, lr_b, 700, "nesterov", momentum=0.8, init=(2.0, -1.0))
    monkeypatch.setattr(linear_sweep, "GROUP", 10)  # 81 cells: nine groups, the last short
    grouped = gd.stability_map(data, lr_k, lr_b, 700, "nesterov", momentum=0.8, init=(2.0, -1.0))
    for field in ("final_loss", "diverged", "diverging", "epochs_to_converge"):
        np.testing.assert_array_equal(getattr(grouped, field), getattr(whole, field))
    assert whole.diverged.any() and np.isfinite(whole.epochs_to_converge).any()
