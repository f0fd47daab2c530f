"""Tuning: the chosen rate is the grid's best, found by training every grid point."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gd_core as gd
from gd_core.tuning import _with as with_rate

DATA = gd.make_dataset(100, slope=2.0, intercept=1.0, noise=1.0)


def brute_force(tuning, optimizer, epochs, metric, **train_options):
    """Train every grid point with train() and rank them as the metric says."""
    if tuning.pair:
        pairs = [(k, b) for b in tuning.lr_b_values for k in tuning.lr_k_values]
    else:
        pairs = [(k, k) for k in tuning.lr_k_values]
    scored = []
    for index, (k, b) in enumerate(pairs):
        factory = gd.OPTIMIZERS[optimizer.name]
        hyper = {"momentum": optimizer.momentum} if optimizer.momentum else {}
        run = gd.train(DATA, factory((k, b), **hyper), epochs, **train_options)
        loss = np.inf if run.status == "diverged" else run.loss[-1]
        settled = np.inf if run.converged_at is None else run.converged_at
        scored.append(((loss, settled) if metric == "loss" else (settled, loss)) + (index,))
    best = min(scored)[-1]
    return pairs[best]


@pytest.mark.parametrize(
    ("optimizer", "pair", "metric", "epochs"),
    [
        (gd.sgd(1.0), False, "epochs", 450),
        (gd.sgd(1.0), True, "epochs", 450),
        (gd.momentum(1.0, 0.9), False, "epochs", 450),
        (gd.adam(1.0), False, "epochs", 300),
        (gd.adam(1.0), True, "loss", 100),
        (gd.adam(1.0), True, "epochs", 500),  # past 1 − β1^t = 1 (epoch 356 on)
        (gd.rmsprop(1.0), False, "loss", 50),
    ],
)
def test_the_chosen_rate_is_the_grid_best_by_brute_force(optimizer, pair, metric, epochs):
    points = 12 if pair else 25
    tuning = gd.tune(DATA, optimizer, epochs, pair=pair, metric=metric, points=points)
    assert tuning.lr == pytest.approx(brute_force(tuning, optimizer, epochs, metric), rel=1e-15)
    run = gd.train(DATA, gd.OPTIMIZERS[optimizer.name](tuning.lr), epochs)
    assert tuning.converged_at == run.converged_at


def test_standardised_x_is_tuned_on_its_own_verdict():
    tuning = gd.tune(DATA, gd.sgd(1.0), 100, points=15, standardize=True)
    assert tuning.lr == brute_force(tuning, gd.sgd(1.0), 100, "epochs", standardize=True)
    assert tuning.converged_at is not None and tuning.converged_at < 10


@pytest.mark.parametrize(
    ("optimizer", "options"),
    [(gd.sgd(1.0), {"standardize": True}), (gd.adam(1.0), {})],
    ids=["standardised x", "adam"],
)
def test_rates_that_reach_the_floor_alike_tie_and_the_one_that_settles_first_wins(
    optimizer, options
):
    """Compare's "tune each" by final loss (E's walkthrough): every rate that reaches L* to
    rounding ends with exactly L*; the smallest of them settled at 139 where another does at
    1 (standardised x), and Adam's at 273 where another does at 141."""
    tuning = gd.tune(DATA, optimizer, 450, metric="loss", **options)
    factory = gd.OPTIMIZERS[optimizer.name]
    runs = [gd.train(DATA, factory(float(lr)), 450, **options) for lr in tuning.lr_k_values]
    finals = [run.loss[-1] for run in runs]
    tied = [run for run, final in zip(runs, finals, strict=True) if final == min(finals)]
    assert len(tied) > 1  # a real tie, at the floor
    fastest = min(run.converged_at for run in tied)
    assert tuning.converged_at == fastest < tied[0].converged_at
    first = next(
        lr
        for lr, run in zip(tuning.lr_k_values, runs, strict=True)
        if run in tied and run.converged_at == fastest
    )
    assert tuning.lr == (first, first)  # among those, the smaller rate


def test_mini_batch_tuning_trains_each_rate_on_the_same_batches():
    tuning = gd.tune(DATA, gd.sgd(1.0), 20, metric="loss", points=8, batch_size=20, seed=2)
    assert tuning.lr == brute_force(tuning, gd.sgd(1.0), 20, "loss", batch_size=20, seed=2)


def test_the_linear_grid_ends_at_the_exact_limit_and_finds_the_fastest_single_rate():
    tuning = gd.tune(DATA, gd.sgd(1.0), 10**6, points=200)
    exact = gd.analyze(DATA)
    assert tuning.lr_k_values[-1] == pytest.approx(exact.max_stable_lr, rel=1e-12)
    # The grid point nearest 2/(λ_min + λ_max) from below or above wins.
    spacing = tuning.lr_k_values[1] / tuning.lr_k_values[0]
    assert abs(np.log(tuning.lr[0] / exact.best_lr)) <= np.log(spacing)


def test_an_unknown_metric_is_refused():
    with pytest.raises(ValueError, match="Unknown metric"):
        gd.tune(DATA, gd.sgd(1.0), 10, metric="speed")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"epochs": -1}, "epochs must be"),
        ({"epochs": 2.5}, "epochs must be"),
        ({"points": -3}, "points must be"),
        ({"points": 2.5}, "points must be"),
        ({"init": (np.nan, 0.0)}, "init must be two finite numbers"),
        ({"tol": -1.0}, "tol must be"),
        ({"tol": np.nan}, "tol must be"),
        ({"batch_size": 0}, "batch_size must be"),
        ({"seed": None}, "seed must be"),
    ],
)
def test_bad_arguments_are_refused_as_train_refuses_them(arguments, message):
    # Each was run before: a negative epoch count or a NaN start still named a "best" rate.
    call = {"epochs": 50} | arguments
    with pytest.raises(ValueError, match=message):
        gd.tune(DATA, gd.sgd(1.0), **call)
    with pytest.raises(TypeError, match="optimizer"):
        gd.tune(DATA, "sgd", 50)


def test_plain_gd_tries_theorys_fastest_rate_beside_its_40_point_grid():
    """The walkthrough's 1,000-epoch race: the 40-point grid's best, 0.0209, settles at 680;
    theory's fastest rate 0.0248 at 610, and it is tried, so the tuned rate does no worse; it
    is still the best of every rate tried, by brute force."""
    epochs = 1000
    tuning = gd.tune(DATA, gd.sgd(1.0), epochs)
    assert tuning.lr == brute_force(tuning, gd.sgd(1.0), epochs, "epochs")
    exact = gd.analyze(DATA)
    coarse = gd.tuning.log_grid(gd.tuning.SPAN * exact.max_stable_lr, exact.max_stable_lr, 40)
    assert np.isin(coarse, tuning.lr_k_values).all() and exact.best_lr in tuning.lr_k_values
    settled = [gd.train(DATA, gd.sgd(rate), epochs).converged_at or np.inf for rate in coarse]
    theory = gd.train(DATA, gd.sgd(exact.best_lr), epochs).converged_at
    assert tuning.converged_at == min(theory, *settled) < min(settled)


def test_theorys_fastest_rate_is_tried_and_with_standardised_x_wins_in_one_step():
    tuning = gd.tune(DATA, gd.sgd(1.0), 100, standardize=True)
    assert tuning.lr == brute_force(tuning, gd.sgd(1.0), 100, "epochs", standardize=True)
    assert tuning.lr == (0.5, 0.5) and tuning.converged_at == 1  # H = 2·I: ½ is one step
    pair = gd.tune(DATA, gd.sgd(1.0), 100, pair=True, points=6)
    best_k, best_b = gd.analyze(DATA).best_rates
    assert best_k in pair.lr_k_values and best_b in pair.lr_b_values
    assert pair.lr == brute_force(pair, gd.sgd(1.0), 100, "epochs")


@settings(deadline=None)  # a grid per example; a busy machine is not a failure
@given(
    st.lists(st.floats(1e-9, 10.0), min_size=1, max_size=50, unique=True),
    st.floats(1e-10, 20.0),
    st.booleans(),
)
def test_a_rate_is_sorted_into_the_grid_as_a_set_union_would(rates, rate, on_the_grid):
    grid = np.sort(np.array(rates))
    if on_the_grid:
        rate = float(grid[len(grid) // 2])
    expected = np.unique(np.append(grid, rate)) if grid[0] <= rate <= grid[-1] else grid
    np.testing.assert_array_equal(with_rate(grid, rate), expected)
