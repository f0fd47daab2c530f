"""The late settles of linear runs read off their verdict's block tables (gd_core/late_blocks.py):
the tables' orbits stay within a few eps of train()'s own (closed_form.orbit), far inside the
margin the reading keeps; where no epoch is within that margin of a band the answer is the one
train()'s own orbits give (late_orbits.py) and the runs it doubts are marked; and a sweep of μ
or of the rate, ending just after its runs settle, is late point by point where train() is,
also when every run is doubted and walked."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import gd_core as gd
from gd_core import closed_form, late_blocks, late_orbits, orbit_search
from gd_core.linear_sweep import transition_matrices
from gd_core.mode_radii import _mode_eigenvalues


def _runs(seed, runs=8):
    """Random data, rules, rates and starts; every third case near critical damping (a double
    root, where M's eigenvectors are worst conditioned) and some starts next to an optimum."""
    rng = np.random.default_rng(seed)
    low = float(rng.uniform(-5, 2))
    data = gd.make_dataset(
        int(rng.integers(5, 40)), 2.0, 1.0, float(rng.uniform(0, 2)), (low, 7.0), seed % 1000
    )
    name = ("momentum", "nesterov")[seed % 2]
    rates = gd.analyze(data).max_stable_lr * 10.0 ** rng.uniform(-3, 0, (2, runs))
    mus = rng.uniform(0.0, 0.999, runs)
    if seed % 3 == 0:
        nu = _mode_eigenvalues(data, rates)[seed % 2]
        mus = (1 - np.sqrt(nu)) ** 2 * (1 + 10.0 ** rng.uniform(-12, -3, runs))
        name = "momentum"
    rule = gd.make_optimizer(name, 1.0, momentum=mus)
    matrices = transition_matrices((2 * data.x_sq_mean, 2 * data.x_mean, 2.0), rule, rates)
    delta = tuple(rng.uniform(-3, 3, 2))
    if seed % 4 == 1:
        delta = (1e-5, delta[1])
    start = np.zeros((matrices.shape[0], runs))
    start[0], start[1] = delta
    return rng, matrices, start


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([3, 40, 700, 5000]))
def test_the_tables_orbits_are_within_a_thousandth_of_the_margin_of_trains(seed, epochs):
    _, matrices, start = _runs(seed)
    tables = orbit_search.block_tables(matrices, start, epochs)
    runs = np.arange(start.shape[1])
    deviations = tables.deviations(runs)[:, :, : epochs + 1]
    scale = tables.bounds.max(axis=(1, 2))
    for run in runs:
        want = closed_form.orbit(matrices[..., run], start[:, run], epochs)[:, :2].T
        if not (np.isfinite(want).all() and np.isfinite(scale[run])):
            continue  # a diverged run: never a candidate for a late settle
        gap = np.abs(deviations[run] - want).max()
        assert gap <= late_blocks.ROUNDING / 1000 * np.finfo(float).eps * scale[run]


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 3000))
def test_where_sure_the_answer_is_trains_own_orbits(seed, epochs):
    rng, matrices, start = _runs(seed)
    runs = start.shape[1]
    limits = tuple(rng.uniform(1e-4, 0.3, (2, runs)) * np.abs(start[:2]).max())
    tables = orbit_search.block_tables(matrices, start, epochs)
    late, unsure = late_blocks.late_from_blocks(tables, np.arange(runs), limits, epochs)
    want = late_orbits.late_from_orbits(matrices, start, limits, epochs)
    np.testing.assert_array_equal(late[~unsure], want[~unsure])
    assert not late[unsure].any()  # a doubted run is the caller's to answer


def test_a_run_with_an_epoch_on_its_band_is_doubted():
    _, matrices, start = _runs(5, runs=1)
    epochs = 300
    orbit = closed_form.orbit(matrices[..., 0], start[:, 0], epochs)
    limits = (abs(float(orbit[150, 0])), 1e-300)  # k's band through epoch 150 exactly
    tables = orbit_search.block_tables(matrices, start, epochs)
    _, unsure = late_blocks.late_from_blocks(tables, np.array([0]), limits, epochs)
    assert unsure[0]


def _late_by_train(data, optimizer, epochs, init):
    run = gd.train(data, optimizer, epochs, init)
    return run.converged_at is not None and bool(gd.progress(data, run).late)


@settings(max_examples=12, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from(["momentum", "nesterov"]), st.booleans())
def test_sweeps_ending_just_after_settling_are_late_where_train_is(seed, name, doubt_all):
    rng = np.random.default_rng(seed)
    low = float(rng.uniform(-5, 2))
    data = gd.make_dataset(int(rng.integers(5, 40)), 2.0, 1.0, 1.0, (low, 7.0), seed % 1000)
    init = (float(rng.uniform(-3, 3)), float(rng.uniform(-3, 3)))
    lr = float(rng.uniform(0.05, 0.9)) * gd.analyze(data).max_stable_lr
    mus = np.sort(rng.uniform(0.0, 0.99, 10))
    settled = gd.sweep(data, "momentum", mus, name, 20_000, lr=lr, init=init)
    found = settled.epochs_to_converge[np.isfinite(settled.epochs_to_converge)]
    ends = {max(2, math.ceil(at / rng.uniform(0.55, 0.99))) for at in found[::3]}
    original = late_blocks.ROUNDING
    try:
        if doubt_all:  # every run walks train()'s orbits instead
            late_blocks.ROUNDING = math.inf
        for epochs in sorted(ends):
            swept = gd.sweep(data, "momentum", mus, name, epochs, lr=lr, init=init)
            for mu, late in zip(mus, swept.late, strict=True):
                optimizer = gd.make_optimizer(name, lr, momentum=float(mu))
                assert late == _late_by_train(data, optimizer, epochs, init), (mu, epochs)
    finally:
        late_blocks.ROUNDING = original
