"""Sweep points at the edges where train()'s verdict used to part from the sweep's.

Each point must say exactly what train() says for its setting: the status (diverged,
diverging, converged or still on its way) and the epoch it converged, whatever the optimizer.
The edges: a start exactly at the optimum with a rate past the limit (the powers of the
transition matrix overflow, and 0·∞ is NaN), a parameter at its optimum uncoupled from the
other (mean(x) = 0), a rate that underflowed to 0, stepped rules whose "diverging" comes from
train()'s trend rule, and starts so close to the optimum that the thresholds are a few ulps.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gd_core as gd

BIG_N = gd.make_dataset(20_000, 2.0, 1.0, 1.0, x_range=(100.0, 110.0))
DATA = gd.make_dataset(100, slope=2.0, intercept=1.0, noise=1.0)
# mean(x) exactly 0: k and b do not pull on each other.
SYMMETRIC = gd.Dataset(np.linspace(-2.0, 2.0, 5), 2.0 * np.linspace(-2.0, 2.0, 5) + 1.0)


def status_of(result: gd.Sweep, i: int) -> str:
    if result.diverged[i]:
        return "diverged"
    if result.diverging[i]:
        return "diverging"
    return "converged" if np.isfinite(result.epochs_to_converge[i]) else "max_epochs"


def assert_as_train(result, runs, exact_loss=True):
    """Every point's status and epoch are train()'s; its final loss too (bit for bit where the
    sweep steps the runs as train() does, else within the docstring's bound)."""
    for i, run in enumerate(runs):
        where = f"{result.setting}={result.values[i]!r}"
        assert status_of(result, i) == run.status, where
        expected = np.nan if run.converged_at is None else run.converged_at
        np.testing.assert_equal(result.epochs_to_converge[i], expected, err_msg=where)
        if run.status == "diverged":
            assert np.isnan(result.final_loss[i]), where
        elif exact_loss:
            assert result.final_loss[i] == run.loss[-1], where
        else:
            assert result.final_loss[i] == pytest.approx(run.loss[-1], rel=1e-9), where


def at_optimum(data):
    return (data.slope_ols, data.intercept_ols)


@pytest.mark.parametrize("epochs", [100, 2_000])
@pytest.mark.parametrize("name", ["sgd", "momentum", "nesterov", "adam"])
def test_train_from_the_optimum_stays_there_past_the_limit(name, epochs):
    # η = 1 is ten thousand times 2/λ_max here: the closed form's matrix powers overflow by
    # epoch 128, and a start at the optimum used to read as "diverged at epoch 128".
    run = gd.train(BIG_N, gd.make_optimizer(name, 1.0), epochs, at_optimum(BIG_N))
    assert run.status == "converged" and run.converged_at == 0
    np.testing.assert_array_equal(run.loss, BIG_N.loss_ols)


@pytest.mark.parametrize("epochs", [1, 100, 2_000])
def test_every_sweep_setting_from_the_optimum_is_converged_at_zero(epochs):
    data, start = BIG_N, at_optimum(BIG_N)
    limit = gd.analyze(data).max_stable_lr
    cases = [
        ("lr", [0.5 * limit, 3.0 * limit, 1.0], "sgd", {}),
        ("lr", [3.0 * limit, 1.0], "momentum", {}),
        ("lr_ratio", [1.0, 1e4, 1e8], "sgd", {"lr": 3.0 * limit}),
        ("lr_ratio", [1.0, 1e8], "nesterov", {"lr": 3.0 * limit}),
        ("momentum", [0.0, 0.5, 0.99], "momentum", {"lr": 1.0}),
        ("beta1", [0.0, 0.9], "adam", {"lr": 10.0}),
        ("beta2", [0.5, 0.999], "adamax", {"lr": 10.0}),
    ]
    for setting, values, name, keywords in cases:
        result = gd.sweep(data, setting, values, name, epochs, init=start, **keywords)
        assert not result.diverged.any() and not result.diverging.any(), (setting, name)
        np.testing.assert_array_equal(result.epochs_to_converge, 0.0)
        np.testing.assert_array_equal(result.final_loss, data.loss_ols)
    # A mini-batch's gradient at the optimum is not 0: train() one by one, as it says.
    result = gd.sweep(data, "batch_size", [7, 20_000], "sgd", epochs, lr=1.0, init=start)
    runs = [gd.train(data, gd.sgd(1.0), epochs, start, size) for size in (7, 20_000)]
    assert_as_train(result, runs)


@pytest.mark.parametrize("epochs", [100, 2_000])
@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_a_data_sweep_with_one_dataset_at_its_optimum_past_the_limit_equals_train(name, epochs):
    # Noise σ, n or an x offset swept: the start is one dataset's optimum, and η = 1 is far
    # past every dataset's limit.
    datasets = [BIG_N, gd.make_dataset(50, 2.0, 1.0, 0.5, (100.0, 110.0)), DATA]
    rule = gd.make_optimizer(name, 1.0)
    start = at_optimum(BIG_N)
    result = gd.sweep_datasets(datasets, rule, epochs, init=start)
    assert result.epochs_to_converge[0] == 0 and result.final_loss[0] == BIG_N.loss_ols
    assert_as_train(result, [gd.train(d, rule, epochs, start) for d in datasets])


@pytest.mark.parametrize("name", ["sgd", "momentum", "nesterov"])
@pytest.mark.parametrize("start", [(2.0, 0.0), (0.0, 1.0)], ids=["k at k*", "b at b*"])
def test_an_uncoupled_parameter_at_its_optimum_stays_there(name, start):
    # mean(x) = 0: the parameter at its optimum never moves, whatever its own rate. Past that
    # rate's limit train() is "diverging" (ρ > 1) with a finite loss, as a plain loop steps it,
    # at any epoch count, and so is the sweep.
    assert SYMMETRIC.x_mean == 0.0 and at_optimum(SYMMETRIC) == (2.0, 1.0)
    rates = [0.3, 0.4, 0.9]  # λ_k = 4, λ_b = 2: 0.9 is past k's limit, not b's
    for epochs in (50, 3_000):
        runs = [gd.train(SYMMETRIC, gd.make_optimizer(name, r), epochs, start) for r in rates]
        result = gd.sweep(SYMMETRIC, "lr", rates, name, epochs, init=start)
        assert_as_train(result, runs, exact_loss=False)
        if start == (2.0, 0.0) and name == "sgd":  # k's gradient is H_kk·0 + 0·δb = 0
            assert runs[-1].status == "diverging" and np.isfinite(runs[-1].loss[-1])
            np.testing.assert_array_equal(runs[-1].k, 2.0)


@pytest.mark.parametrize("name", ["sgd", "momentum", "nesterov", "rmsprop", "adam"])
def test_a_ratio_whose_eta_b_underflows_to_zero_is_trained_at_zero(name):
    # η_k = 1e-8 times a ratio of 1e-320 is 0 in float64: b never moves, as train() keeps it.
    ratios = [1e-320, 0.5]
    for start in [(0.0, 0.0), (1.0, DATA.intercept_ols)]:
        result = gd.sweep(DATA, "lr_ratio", ratios, name, 300, lr=1e-8, init=start)
        rules = [gd.make_optimizer(name, (1e-8, 1e-8 * r)) for r in ratios]
        runs = [gd.train(DATA, rule, 300, start) for rule in rules]
        assert runs[0].loss.size == 301 and runs[0].status != "diverged"
        assert_as_train(result, runs, exact_loss=name not in ("sgd", "momentum", "nesterov"))


def test_stepped_sweeps_say_diverging_where_train_does():
    # RMSProp's and AdaGrad's steps of size η swing around the optimum: from a start near it,
    # a large rate ends ever farther, which train()'s trend rule calls diverging.
    rates = np.geomspace(0.01, 60.0, 12)
    start = (DATA.slope_ols + 0.01, DATA.intercept_ols - 0.01)
    for name in ["rmsprop", "adagrad"]:
        result = gd.sweep(DATA, "lr", rates, name, 400, init=start)
        runs = [gd.train(DATA, gd.make_optimizer(name, r), 400, start) for r in rates]
        assert_as_train(result, runs)
        if name == "rmsprop":
            assert result.diverging.any() and (~result.diverging & ~result.diverged).any()


optimizers = st.sampled_from(
    [
        ("adam", {}),
        ("adamax", {}),
        ("adagrad", {}),
        ("rmsprop", {"alpha": 0.9}),
        ("sgd", {"schedule": gd.step_decay(50, 0.5)}),
        ("momentum", {"schedule": gd.linear_warmup(5)}),
    ]
)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 50),
    optimizer=optimizers,
    epochs=st.sampled_from([0, 7, 8, 9, 63, 250]),
    offset=st.sampled_from([0.0, 1e-300, 1e-12, 0.01, 3.0]),
    scale=st.floats(-3.0, 2.0),
)
def test_a_stepped_sweep_is_train_at_every_point(seed, optimizer, epochs, offset, scale):
    # Stepped runs are train()'s floats: the sweep must give its status (diverging by the
    # trend rule included), its epoch (distances read from θ* + δ rounded, as train() reads
    # them, which decides where the thresholds are a few ulps) and its last loss, bit for bit.
    name, hyper = optimizer
    data = gd.make_dataset(int(seed % 5) * 10 + 3, 1.0 + seed, -2.0, seed % 3, seed=seed)
    start = (data.slope_ols + offset, float(np.nextafter(data.intercept_ols, 9.0)))
    rates = 10.0 ** (scale + np.linspace(-1.0, 1.0, 5))
    result = gd.sweep(data, "lr", rates, name, epochs, init=start, **hyper)
    runs = [gd.train(data, gd.make_optimizer(name, r, **hyper), epochs, start) for r in rates]
    assert_as_train(result, runs)


def test_a_tie_in_exact_arithmetic_is_the_only_way_to_settle_an_epoch_apart():
    # η_b = 0.45 on mean(x) = 0 data with b* = 1 exactly, from b = 0: δb_t = −0.1^t, so at
    # t = 3 the distance is the threshold 1e-3 itself in real numbers. The modes put it a hair
    # inside, train()'s rounded orbit a hair outside: one epoch apart, and only because the
    # distance is within half a float spacing of b* of the threshold (the Sweep docstring).
    rule = gd.sgd((0.5, 0.45))
    run = gd.train(SYMMETRIC, rule, 50, (2.0, 0.0))
    result = gd.sweep(SYMMETRIC, "lr_ratio", [0.9], "sgd", 50, lr=0.5, init=(2.0, 0.0))
    settled = result.epochs_to_converge[0]
    assert abs(settled - run.converged_at) <= 1
    if settled != run.converged_at:
        disputed = int(min(settled, run.converged_at))
        threshold = 1e-3 * abs(0.0 - SYMMETRIC.intercept_ols)
        gap = abs(abs(run.b[disputed] - SYMMETRIC.intercept_ols) - threshold)
        assert gap <= np.spacing(SYMMETRIC.intercept_ols)  # a tie the last bit decides
