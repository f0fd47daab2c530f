"""Exact plain-GD sweeps and tuning at the edges, every point against train() for its setting.

The fast paths (one rate's modes from the data's own eigenvectors, the plainest crossing bound
first, a tuning grid without re-validation) must give what train() gives wherever a student
can take them: rates past 2/λ_max and exactly at it, subnormal rates, a parameter starting at
its optimum, zero, one and very many epochs, two points, noiseless data, x far from zero.
"""

import importlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gd_core as gd
from gd_core import settling
from gd_core.crossing_bound import last_outside_by_bound, last_outside_of_one, quick_last_outside
from gd_core.single_rate import single_rate_runs
from tests.core.test_crossings import arrays, brute_force, element
from tests.core.test_sweeps import assert_points_match_train

plain_gd = importlib.import_module("gd_core.sweep").plain_gd  # gd_core.sweep is also a function

DATA = gd.make_dataset(100, slope=2.0, intercept=1.0, noise=1.0)
LIMIT = gd.analyze(DATA).max_stable_lr  # 2/λ_max
OPTIMUM = (DATA.slope_ols, DATA.intercept_ols)
# Crawling, subnormal, around the best rate, exactly at 2/λ_max, and past it (diverging).
RATES = np.concatenate(
    [[1e-320, 1e-300, 1e-9], np.geomspace(0.05, 1.3, 12) * LIMIT, [LIMIT, 1.5 * LIMIT]]
)


@pytest.mark.parametrize("epochs", [0, 1, 2, 700, 60_000])
@pytest.mark.parametrize(
    "init", [(0.0, 0.0), (0.0, OPTIMUM[1]), (OPTIMUM[0], 5.0), OPTIMUM], ids=str
)
def test_a_single_rate_sweep_equals_train_at_the_edges(epochs, init):
    result = gd.sweep(DATA, "lr", RATES, "sgd", epochs, init=init)
    assert result.exact
    optimizers = [gd.sgd(rate) for rate in RATES]
    assert_points_match_train(result, optimizers, epochs=epochs, init=init)


def test_the_edges_have_every_outcome():
    # Otherwise the comparisons above could pass on rates where nothing happens.
    result = gd.sweep(DATA, "lr", RATES, "sgd", 700)
    assert result.diverged.any() and np.isfinite(result.epochs_to_converge).any()
    assert (~result.diverged & np.isnan(result.epochs_to_converge)).any()
    at_limit = int(np.flatnonzero(RATES == LIMIT)[0])
    assert not result.diverging[at_limit] and np.isnan(result.epochs_to_converge[at_limit])


@pytest.mark.parametrize(
    "data",
    [
        gd.Dataset([0.0, 1.0], [1.0, 3.0]),  # two points, an exact line
        gd.make_dataset(40, -3.0, 2.0, 0.0),  # noiseless: the floor is 0
        gd.make_dataset(60, 0.5, -1.0, 2.0, x_range=(1e4, 1e4 + 1.0)),  # x far from 0
    ],
    ids=["two points", "noiseless", "far x"],
)
@pytest.mark.parametrize("setting", ["lr", "lr_ratio"])
def test_odd_data_sweeps_equal_train(data, setting):
    limit = gd.analyze(data).max_stable_lr
    if setting == "lr":
        values = np.geomspace(1e-3, 1.2, 15) * limit
        optimizers = [gd.sgd(value) for value in values]
        lr = 0.01
    else:
        lr = 0.5 * gd.stability.single_parameter_limits(data)[0]
        values = np.geomspace(0.1, 3e3, 15)
        optimizers = [gd.sgd((lr, lr * value)) for value in values]
    result = gd.sweep(data, setting, values, "sgd", 3000, lr=lr)
    assert_points_match_train(result, optimizers, [data] * values.size, 3000)


def test_a_noise_sweep_from_sigma_zero_equals_train():
    noises = np.linspace(0.0, 4.0, 9)
    datasets = [gd.make_dataset(50, 2.0, 1.0, sigma, seed=3) for sigma in noises]
    datasets.append(gd.make_dataset(50, 2.0, 1.0, 1.0, x_range=(-5.0, 30.0), seed=3))
    rule = gd.sgd((0.002, 0.5))
    for init in [(0.0, 0.0), (2.0, 1.0)]:
        result = gd.sweep_datasets(datasets, rule, 900, init=init)
        assert_points_match_train(result, [rule] * len(datasets), datasets, 900, init)


def test_a_noise_sweep_with_one_dataset_starting_at_its_optimum_equals_train():
    # Only a start at a dataset's exact optimum has an excess loss of 0: the sweep looks for
    # such starts only then, and must still find this one. η_b past 2/H_bb = 1 makes every
    # other run diverge (ρ > 1), so it is found only by that look.
    datasets = [gd.make_dataset(40, 2.0, 1.0, sigma, seed=5) for sigma in (0.0, 0.5, 1.0)]
    init = (datasets[1].slope_ols, datasets[1].intercept_ols)
    rule = gd.sgd((0.01, 1.2))
    result = gd.sweep_datasets(datasets, rule, 500, init=init)
    assert result.epochs_to_converge[1] == 0 and not result.diverging[1]
    assert_points_match_train(result, [rule] * len(datasets), datasets, 500, init)


@pytest.mark.parametrize("epochs", [1, 300, 5_000])
@pytest.mark.parametrize("init", [(0.0, 0.0), (0.0, OPTIMUM[1])], ids=str)
@pytest.mark.parametrize("metric", ["epochs", "loss"])
def test_single_rate_tuning_is_the_grid_best_by_brute_force(epochs, init, metric):
    tuning = gd.tune(DATA, gd.sgd(1.0), epochs, metric=metric, init=init)
    scored = []
    for index, rate in enumerate(tuning.lr_k_values):
        run = gd.train(DATA, gd.sgd(rate), epochs, init=init)
        converged = np.nan if run.converged_at is None else run.converged_at
        final = np.nan if run.status == "diverged" else run.loss[-1]
        np.testing.assert_equal(tuning.epochs_to_converge[index], converged)
        assert tuning.final_loss[index] == pytest.approx(final, rel=1e-9, nan_ok=True)
        loss = np.inf if np.isnan(final) else final
        settled = np.inf if np.isnan(converged) else converged
        scored.append(((loss, settled) if metric == "loss" else (settled, loss)) + (index,))
    best = min(scored)[-1]
    assert tuning.lr == (tuning.lr_k_values[best], tuning.lr_k_values[best])


@pytest.mark.parametrize("epochs", [0, 1, 10, 401, 10**6])
def test_one_rate_runs_are_the_general_modes_runs(epochs):
    # single_rate.py's lean path against sweep.plain_gd with η_k = η_b (CoordinateModes.of):
    # the same settled epochs, and the same losses and radii to rounding.
    # (Subnormal rates are left out: the general modes lose digits there; the lean path's
    # are compared with train() in the sweeps above.)
    rates = np.concatenate([np.geomspace(1e-6, 1.4, 60) * LIMIT, [LIMIT]])
    init = (1.5, -2.0)
    delta = (init[0] - OPTIMUM[0], init[1] - OPTIMUM[1])
    limits = gd.verdict.settle_thresholds(DATA, init, 1e-3)
    final, diverged, converged, radius = single_rate_runs(DATA, rates, delta, epochs, limits, 1e9)
    general_final, general_converged, modes = plain_gd(DATA, rates, rates, delta, epochs, limits)
    np.testing.assert_array_equal(converged, general_converged)
    assert np.isfinite(converged).any() == (epochs == 10**6)  # the check has runs to compare
    np.testing.assert_allclose(final, general_final, rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose(radius, modes.spectral_radius, rtol=1e-13)
    np.testing.assert_array_equal(diverged, ~(general_final <= 1e9))


def test_the_quick_bound_broadcasts_and_agrees_with_brute_force():
    # Modes (2, 1, runs) against amplitudes (2, coordinates, runs) and thresholds per
    # coordinate, as CoordinateModes.converged passes them; each answer it is sure of must be
    # the brute-force one, and the flat bound must agree wherever both are sure.
    rng = np.random.default_rng(7)
    runs = 300
    logs = -(10.0 ** rng.uniform(-4.0, 0.5, (2, 1, runs)))
    signs = rng.choice([-1.0, 1.0], (2, 1, runs))
    amplitudes = rng.normal(size=(2, 2, runs)) * 10.0 ** rng.uniform(-3, 3, (2, 2, runs))
    limits = np.array([[1e-3], [4e-2]])
    last, sure = quick_last_outside(amplitudes, logs, signs, limits, 2000.0)
    assert last.shape == sure.shape == (2, runs) and sure.mean() > 0.5
    for coordinate in range(2):
        flat = (amplitudes[:, coordinate], logs[:, 0], signs[:, 0])
        threshold = np.full(runs, limits[coordinate, 0])
        expected, comparable = brute_force(*flat, threshold, 2000)
        check = sure[coordinate] & comparable
        np.testing.assert_array_equal(last[coordinate][check], expected[check])
        bound, bound_sure = last_outside_by_bound(*flat, threshold, 2000.0)
        both = sure[coordinate] & bound_sure
        np.testing.assert_array_equal(last[coordinate][both], bound[both])


@settings(max_examples=200, deadline=None)
@given(st.lists(element, min_size=1, max_size=8), st.sampled_from([0, 1, 2, 7, 60, 900, 4000]))
def test_one_element_in_python_floats_agrees_with_brute_force(elements, horizon):
    # The few-runs path (settling._few_last_outside) answers each element in Python floats:
    # where it is sure it must be the brute-force answer, and the NumPy bound's where both are.
    amplitudes, logs, signs, threshold = arrays(elements)
    expected, comparable = brute_force(amplitudes, logs, signs, threshold, horizon)
    bound, bound_sure = last_outside_by_bound(amplitudes, logs, signs, threshold, float(horizon))
    for i in range(threshold.size):
        found = last_outside_of_one(
            *amplitudes[:, i], *logs[:, i], signs[0, i] * signs[1, i], threshold[i], horizon
        )
        if np.isnan(found):
            continue
        if comparable[i]:
            assert found == expected[i]
        if bound_sure[i]:
            assert found == bound[i]


@pytest.mark.parametrize("rate", [1e-310, 1e-320, 5e-324])
def test_a_few_subnormal_rates_starting_next_to_the_optimum_equal_train(rate):
    # A handful of settling runs take the Python-float bound; at subnormal rates its Newton
    # step's slope rounds to 0 and must defer to the search, not divide by it.
    init = (float(np.nextafter(OPTIMUM[0], 9.0)), OPTIMUM[1])
    result = gd.sweep(DATA, "lr", [rate], "sgd", 10, init=init)
    assert_points_match_train(result, [gd.sgd(rate)], epochs=10, init=init)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(element, element), min_size=1, max_size=settling.FEW),
    st.sampled_from([0, 1, 2, 7, 60, 900, 4000]),
)
def test_a_few_runs_settle_in_python_floats_as_numpy_and_brute_force_say(pairs, horizon):
    # Up to FEW runs, converged_epochs answers in Python floats end to end when every bound
    # is sure: the same epochs as its NumPy path (FEW = 0) and as stepping every epoch.
    amplitudes_k, logs, signs, limit_k = arrays([k for k, _ in pairs])
    amplitudes_b, _, _, limit_b = arrays([b for _, b in pairs])  # b shares k's modes
    amplitudes = np.stack([amplitudes_k, amplitudes_b])  # [coordinate, mode, run]
    limits = np.stack([limit_k, limit_b])
    few = settling.converged_epochs(amplitudes, logs, signs, limits, horizon)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settling, "FEW", 0)
        general = settling.converged_epochs(amplitudes, logs, signs, limits, horizon)
    np.testing.assert_array_equal(few, general)
    last_k, comparable_k = brute_force(amplitudes_k, logs, signs, limit_k, horizon)
    last_b, comparable_b = brute_force(amplitudes_b, logs, signs, limit_b, horizon)
    latest = np.maximum(last_k, last_b)
    expected = np.where(latest < horizon, latest + 1.0, np.nan)
    check = comparable_k & comparable_b
    np.testing.assert_array_equal(few[check], expected[check])


def test_a_map_whose_runs_overflow_both_ways_warns_of_nothing():
    # Past the limit, a coordinate's two modes can overflow to +inf and −inf by the last epoch;
    # their sum is NaN (diverged) and must not leak numpy's "invalid value" warning (pytest
    # makes it an error here; the app would log it).
    data = gd.make_dataset(20, 2.0, 1.0, 1.0, x_range=(-2.0, 2.0))
    axis = np.geomspace(1e-3, 4.0, 7)
    result = gd.stability_map(data, axis / data.x_sq_mean, axis, 12_345)
    assert result.diverged.any()
