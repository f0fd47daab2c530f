"""Sweeps of one setting: every point is what train() reports for that setting."""

import numpy as np
import pytest

import gd_core as gd

DATA = gd.make_dataset(100, slope=2.0, intercept=1.0, noise=1.0)
RATES = np.geomspace(1e-4, 0.05, 21)  # from crawling to past 2/λ_max ≈ 0.025


def assert_points_match_train(result, optimizers, datasets=None, epochs=400, init=(0.0, 0.0)):
    datasets = datasets or [DATA] * len(optimizers)
    for i, (optimizer, data) in enumerate(zip(optimizers, datasets, strict=True)):
        run = gd.train(data, optimizer, epochs, init=init)
        where = f"{result.setting}={result.values[i]:.4g}"
        assert result.diverged[i] == (run.status == "diverged"), where
        if run.spectral_radius is not None:  # exact for linear updates, as train() says
            assert result.diverging[i] == (run.status == "diverging"), where
            assert result.spectral_radius[i] == pytest.approx(run.spectral_radius, rel=1e-12)
        if run.converged_at is None:
            assert np.isnan(result.epochs_to_converge[i]), where
        else:
            assert result.epochs_to_converge[i] == run.converged_at, where
        if run.status == "diverged":
            assert np.isnan(result.final_loss[i]), where
        else:
            assert result.final_loss[i] == pytest.approx(run.loss[-1], rel=1e-9), where


@pytest.mark.parametrize(
    ("name", "hyper"),
    [
        ("sgd", {}),
        ("sgd", {"schedule": gd.exponential_decay(0.995)}),
        ("momentum", {"momentum": 0.9}),
        ("nesterov", {"momentum": 0.5}),
        ("rmsprop", {"alpha": 0.9}),
        ("adam", {"betas": (0.8, 0.99)}),
        ("adam", {"schedule": gd.exponential_decay(0.995)}),
    ],
)
def test_a_rate_sweep_equals_train_at_every_rate(name, hyper):
    result = gd.sweep(DATA, "lr", RATES, name, 400, **hyper)
    assert result.exact == (name == "sgd" and not hyper)
    assert_points_match_train(result, [gd.make_optimizer(name, rate, **hyper) for rate in RATES])


def test_the_sweep_shows_converged_unfinished_and_diverged_points():
    # Otherwise the comparisons could pass on a range where nothing happens.
    result = gd.sweep(DATA, "lr", RATES, "momentum", 400, momentum=0.9)
    assert result.diverged.any() and np.isfinite(result.epochs_to_converge).any()
    assert (np.isnan(result.epochs_to_converge) & ~result.diverged).any()


def test_a_ratio_sweep_trains_eta_b_as_the_ratio_times_eta_k():
    ratios = np.geomspace(0.5, 200, 15)
    result = gd.sweep(DATA, "lr_ratio", ratios, "sgd", 500, lr=0.01)
    assert_points_match_train(result, [gd.sgd((0.01, 0.01 * r)) for r in ratios], epochs=500)


def test_a_momentum_sweep_steps_every_mu_together_and_finds_an_optimum_inside():
    mus = np.linspace(0.0, 0.99, 34)
    result = gd.sweep(DATA, "momentum", mus, "momentum", 600, lr=0.01)
    assert_points_match_train(result, [gd.momentum(0.01, mu) for mu in mus], epochs=600)
    best = int(np.nanargmin(result.epochs_to_converge))
    assert 0 < best < mus.size - 1  # too little μ crawls, too much swings


@pytest.mark.parametrize(("setting", "name"), [("beta1", "adam"), ("beta2", "adamax")])
def test_a_beta_sweep_equals_train_for_each_beta(setting, name):
    betas = np.linspace(0.0, 0.95, 8) if setting == "beta1" else np.linspace(0.9, 0.9999, 8)
    result = gd.sweep(DATA, setting, betas, name, 300, lr=0.1)
    pairs = [(beta, 0.999) if setting == "beta1" else (0.9, beta) for beta in betas]
    factory = gd.OPTIMIZERS[name]
    assert_points_match_train(result, [factory(0.1, betas=p) for p in pairs], epochs=300)


def test_a_batch_size_sweep_trains_each_size_with_its_own_batches():
    sizes = [1, 7, 32, 100]
    result = gd.sweep(DATA, "batch_size", sizes, "sgd", 40, lr=0.01)
    for i, size in enumerate(sizes):
        run = gd.train(DATA, gd.sgd(0.01), 40, batch_size=size)
        assert result.final_loss[i] == pytest.approx(run.loss[-1], rel=1e-12)
        converged = result.epochs_to_converge[i]
        assert (np.isnan(converged) and run.converged_at is None) or converged == run.converged_at


def test_a_rate_sweep_on_mini_batches_is_each_rate_trained_on_them():
    rates = [0.001, 0.01, 0.03]
    result = gd.sweep(DATA, "lr", rates, "adam", 30, batch_size=16, seed=4)
    for i, rate in enumerate(rates):
        run = gd.train(DATA, gd.adam(rate), 30, batch_size=16, seed=4)
        assert result.final_loss[i] == pytest.approx(run.loss[-1], rel=1e-12)


@pytest.mark.parametrize(
    "optimizer",
    [gd.sgd((0.0001, 0.5)), gd.momentum(0.00005, 0.9), gd.rmsprop(0.02), gd.adam((0.05, 0.3))],
)
def test_a_data_sweep_steps_every_dataset_together(optimizer):
    offsets = [0.0, 5.0, 20.0, 100.0]
    datasets = [gd.make_dataset(60, -1.0, 3.0, 0.5, (o, 10.0 + o), seed=2) for o in offsets]
    result = gd.sweep_datasets(datasets, optimizer, 3000, values=offsets, init=(1.0, -2.0))
    np.testing.assert_array_equal(result.values, offsets)
    assert_points_match_train(result, [optimizer] * 4, datasets, 3000, init=(1.0, -2.0))


def test_a_noise_sweep_keeps_the_points_x_and_moves_only_the_floor():
    noises = [0.0, 0.5, 2.0]
    datasets = [gd.make_dataset(100, 2.0, 1.0, sigma) for sigma in noises]
    result = gd.sweep_datasets(datasets, gd.sgd((0.02, 0.2)), 450, values=noises)
    assert_points_match_train(result, [gd.sgd((0.02, 0.2))] * 3, datasets, 450)
    assert result.final_loss[0] < result.final_loss[1] < result.final_loss[2]


def test_an_n_sweep_with_a_batch_between_its_smallest_and_largest_n_is_each_points_train():
    # train() takes mini-batches wherever n > batch and the full batch elsewhere; the sweep
    # trained every dataset full batch as soon as one n was at most the batch (?sweep=n&batch=32).
    sizes = [20, 32, 50, 200]
    datasets = [gd.make_dataset(n, 2.0, 1.0, 1.0) for n in sizes]
    result = gd.sweep_datasets(datasets, gd.sgd(0.005), 100, values=sizes, batch_size=32, seed=4)
    for i, data in enumerate(datasets):
        run = gd.train(data, gd.sgd(0.005), 100, batch_size=32, seed=4)
        assert result.final_loss[i] == run.loss[-1], sizes[i]
        settled = result.epochs_to_converge[i]
        assert (np.isnan(settled) and run.converged_at is None) or settled == run.converged_at


def test_the_exact_sweep_matches_the_theory_of_analyze_at_a_thousand_rates():
    rates = np.geomspace(1e-4, 0.0249, 1000)
    result = gd.sweep(DATA, "lr", rates, "sgd", 10**6)
    for i in range(0, 1000, 97):
        predicted = gd.analyze(DATA, (rates[i], rates[i])).predicted_epochs
        expected = np.nan if predicted is None else predicted
        np.testing.assert_equal(result.epochs_to_converge[i], expected)


def test_starting_at_the_optimum_every_point_has_converged_at_epoch_zero():
    start = (DATA.slope_ols, DATA.intercept_ols)
    result = gd.sweep(DATA, "lr", RATES, "momentum", 50, init=start)
    assert (result.epochs_to_converge == 0).all() and not result.diverging.any()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"setting": "lr", "values": [0.0, 0.1]}, "must be > 0"),
        ({"setting": "momentum", "values": [-0.1]}, "must be ≥ 0"),
        ({"setting": "beta1", "values": [1.0]}, r"must be in \[0, 1\)"),
        ({"setting": "batch_size", "values": [2.5]}, "whole numbers"),
        ({"setting": "lr", "values": []}, "non-empty"),
        ({"setting": "colour", "values": [1.0]}, "Unknown setting"),
    ],
)
def test_bad_sweeps_are_refused_clearly(arguments, message):
    with pytest.raises(ValueError, match=message):
        gd.sweep(DATA, optimizer="sgd", epochs=10, **arguments)


def test_sweeping_a_hyperparameter_needs_the_optimizer_by_name():
    with pytest.raises(TypeError, match="pass its name"):
        gd.sweep(DATA, "momentum", [0.5], gd.momentum(0.01), 10)


def test_an_adam_sweep_into_chaos_equals_train_at_every_rate():
    # Rates up to 10: far past any sensible step, where Adam's steps swing without settling.
    rates = np.geomspace(1e-3, 10.0, 24)
    result = gd.sweep(DATA, "lr", rates, "adam", 700, init=(3.0, -4.0))
    assert_points_match_train(
        result, [gd.adam(rate) for rate in rates], epochs=700, init=(3.0, -4.0)
    )
    unsettled = np.isnan(result.epochs_to_converge) & ~result.diverged
    assert unsettled.any() and np.isfinite(result.epochs_to_converge).any()
