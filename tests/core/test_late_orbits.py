"""The late settles of linear runs read off train()'s own orbits (gd_core/late_orbits.py):
the batched orbits are closed_form.orbit's to the last bit, run by run, and each run's answer
is progress.late_settlers' on train()'s run, for momentum, Nesterov and plain GD, swept over
rates, μ and datasets, with epoch counts that end runs just after they settle."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import gd_core as gd
from gd_core import closed_form, late_orbits
from gd_core.linear_sweep import transition_matrices
from gd_core.progress import late_settlers, longest_stay


def _data(seed):
    rng = np.random.default_rng(seed)
    low = float(rng.uniform(-5, 2))
    return rng, gd.make_dataset(
        int(rng.integers(5, 40)), 2.0, 1.0, float(rng.uniform(0, 2)), x_range=(low, 7.0), seed=seed
    )


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from(["momentum", "nesterov", "sgd"]))
def test_the_batched_orbits_are_trains_own_floats(seed, name):
    rng, data = _data(seed)
    top = gd.analyze(data).max_stable_lr
    hyper = {} if name == "sgd" else {"momentum": rng.uniform(0.0, 0.99, 6)}
    rates = rng.uniform(0.01, 1.0, (2, 6)) * top
    rule = gd.make_optimizer(name, 0.1, **hyper)
    h = (2.0 * data.x_sq_mean, 2.0 * data.x_mean, 2.0)
    matrices = transition_matrices(h, rule, rates)
    delta = (float(rng.uniform(-3, 3)), float(rng.uniform(-3, 3)))
    epochs = int(rng.integers(1, 600))
    starts = np.zeros((6, matrices.shape[0]))
    starts[:, 0], starts[:, 1] = delta
    rows = late_orbits._orbits(np.ascontiguousarray(matrices.transpose(2, 0, 1)), starts, epochs)
    for run in range(6):
        one = {} if name == "sgd" else {"momentum": float(hyper["momentum"][run])}
        optimizer = gd.make_optimizer(name, (float(rates[0, run]), float(rates[1, run])), **one)
        matrix = closed_form.transition_matrix(data, optimizer)
        assert np.array_equal(matrix, matrices[..., run])
        want = closed_form.orbit(matrix, starts[run], epochs)
        assert np.array_equal(want, rows[run], equal_nan=True)


def _by_every_epoch(deltas, limits, epochs):
    """progress.late_settlers on each parameter's |δ| against its threshold, one at a time
    (a parameter that has not settled is not late; the sweep asks only converged runs)."""
    late = False
    for values, limit in zip(deltas, limits, strict=True):
        inside = np.abs(values) <= limit
        if not inside[-1]:
            continue
        outside = np.flatnonzero(~inside)
        settled = int(outside[-1]) + 1 if outside.size else 0
        stayed = longest_stay(inside, settled)
        late |= bool(late_settlers((settled, None), (stayed, None), epochs))
    return late


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_the_stays_read_at_once_are_progress_rule(seed):
    rng = np.random.default_rng(seed)
    runs, epochs = int(rng.integers(1, 5)), int(rng.integers(1, 300))
    t = np.arange(epochs + 1.0)
    # Damped oscillations and decays: stays in and out of the band, NaN now and then.
    rows = np.empty((runs, epochs + 1, 4))
    for run in range(runs):
        for c in (0, 1):
            rate, turn = rng.uniform(0.0, 0.05), rng.uniform(0.0, 1.0)
            rows[run, :, c] = rng.normal() * np.exp(-rate * t) * np.cos(turn * t + rng.normal())
    rows[..., 2:] = 0.0
    if rng.random() < 0.1:
        rows[0, int(rng.integers(epochs + 1)), 0] = np.nan
    limits = rng.uniform(0.01, 0.5, (runs, 2))
    got = late_orbits._late_in(rows, limits, epochs)
    for run in range(runs):
        want = _by_every_epoch(rows[run, :, :2].T, limits[run], epochs)
        assert got[run] == want, (seed, run)


def _late_by_train(data, optimizer, epochs, init):
    run = gd.train(data, optimizer, epochs, init)
    return run.converged_at is not None and bool(gd.progress(data, run).late)


def _ends(settled, rng):
    found = settled[np.isfinite(settled)]
    if not found.size:
        return []
    picks = np.percentile(found, [20, 60, 95]) / rng.uniform(0.6, 0.99, 3)
    return sorted({max(2, math.ceil(p)) for p in picks})


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from(["momentum", "nesterov"]))
def test_momentum_and_nesterov_sweeps_are_late_where_train_is(seed, name):
    rng, data = _data(seed)
    init = (float(rng.uniform(-3, 3)), float(rng.uniform(-3, 3)))
    if seed % 2:  # k a hair from its optimum, pulled off by b and back
        init = (data.slope_ols + 1e-5, init[1])
    lr = float(rng.uniform(0.05, 0.5)) * gd.analyze(data).max_stable_lr
    mus = np.sort(rng.uniform(0.0, 0.99, 12))
    settled = gd.sweep(data, "momentum", mus, name, 20_000, lr=lr, init=init)
    for epochs in _ends(settled.epochs_to_converge, rng):
        swept = gd.sweep(data, "momentum", mus, name, epochs, lr=lr, init=init)
        for mu, late in zip(mus, swept.late, strict=True):
            want = _late_by_train(
                data, gd.make_optimizer(name, lr, momentum=float(mu)), epochs, init
            )
            assert late == want, (seed, name, mu, epochs, init)
    rates = np.geomspace(0.01, 0.9, 10) * gd.analyze(data).max_stable_lr
    over = gd.sweep(data, "lr", rates, name, 20_000, init=init, momentum=0.5)
    for epochs in _ends(over.epochs_to_converge, rng):
        swept = gd.sweep(data, "lr", rates, name, epochs, init=init, momentum=0.5)
        for rate, late in zip(rates, swept.late, strict=True):
            optimizer = gd.make_optimizer(name, float(rate), momentum=0.5)
            assert late == _late_by_train(data, optimizer, epochs, init), (seed, rate, epochs)


def test_a_momentum_noise_sweep_is_late_where_train_is_and_some_are():
    seen = 0
    for seed in range(6):
        datasets = [
            gd.make_dataset(20, 2.0, 1.0, s, x_range=(1.0, 6.0), seed=seed)
            for s in np.linspace(0.0, 2.0, 8)
        ]
        init = (datasets[0].slope_ols + 1e-5, -2.0)
        rule = gd.momentum(0.3 * gd.analyze(datasets[0]).max_stable_lr, momentum=0.9)
        settled = gd.sweep_datasets(datasets, rule, 20_000, init=init).epochs_to_converge
        for epochs in _ends(settled, np.random.default_rng(seed)):
            swept = gd.sweep_datasets(datasets, rule, epochs, init=init)
            for data, late in zip(datasets, swept.late, strict=True):
                assert late == _late_by_train(data, rule, epochs, init), (seed, epochs)
            seen += int(swept.late.sum())
    assert seen > 0
