"""A noise sweep's runs share one Hessian: its modes are worked out once, in floats.

Datasets with the same x (a noise σ sweep: new noise in y only) have the same Hessian, so at
one pair of rates every run has the same eigenvectors and ratios (sweeps.Stack.one_x,
outcomes._one_hessian). The floats must be those of working them out once per run, and every
point must still be train()'s.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gd_core as gd
from gd_core import sweeps, theory
from gd_core.settling import CoordinateModes
from tests.core.test_sweeps import assert_points_match_train

entries = st.one_of(
    st.just(0.0),
    st.just(-0.0),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.floats(1e-300, 1e-290),
    st.floats(1e290, 1e300),
)


def same_bits(a, b):
    return np.array_equal(np.asarray(a).view(np.uint64), np.asarray(b).view(np.uint64))


@settings(max_examples=300, deadline=None)
@given(entries, entries, entries, entries)
def test_eigen_of_one_matrix_in_floats_is_numpys(a, b, c, det):
    # The float path against the same formulas on one-element arrays, bit for bit (−0 and
    # NaN included: overflowing entries make inf − inf).
    floats = theory.eigen_2x2(a, b, c, det)
    with np.errstate(all="ignore"):  # the huge entries overflow, in floats as in arrays
        arrays = theory.eigen_2x2(*(np.array([v]) for v in (a, b, c, det)))
    assert all(type(v) is float for v in floats)
    for mine, numpys in zip(floats, arrays, strict=True):
        assert same_bits(mine, numpys[0]), (a, b, c, det)


def noise_datasets(n, sigmas, seed, low):
    return [gd.make_dataset(n, 2.0, 1.0, s, x_range=(low, low + 4.0), seed=seed) for s in sigmas]


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 50),
    st.lists(st.floats(0.0, 3.0), min_size=1, max_size=20),
    st.integers(0, 5),
    st.floats(-3.0, 3.0),
    st.floats(1e-3, 1.5),
    st.floats(1e-3, 1.5),
    st.tuples(st.floats(-5.0, 5.0), st.floats(-5.0, 5.0)),
)
def test_one_pair_of_modes_equals_one_per_run(n, sigmas, seed, low, share_k, share_b, init):
    datasets = noise_datasets(n, sigmas, seed, low)
    stack = sweeps.Stack.of(datasets)
    assert stack.one_x is datasets[0]
    lr_k, lr_b = share_k / datasets[0].x_sq_mean, share_b  # up to 1.5× each one's limit
    delta = (init[0] - stack.slope_ols, init[1] - stack.intercept_ols)
    once = CoordinateModes.of(stack.one_x, lr_k, lr_b, delta)
    each = CoordinateModes.of(
        stack, np.full(len(datasets), lr_k), np.full(len(datasets), lr_b), delta
    )
    for field in ("amplitudes", "logs", "signs", "eigenvalues"):
        mine, per_run = getattr(once, field), getattr(each, field)
        assert mine.shape == per_run.shape and same_bits(mine, per_run), field
    assert same_bits(once.spectral_radius, each.spectral_radius)
    # And as the theory works them out for one run.
    radius = theory.spectral_radius(datasets[0], lr_k, lr_b)
    assert once.spectral_radius[0] == radius


def test_only_datasets_sharing_x_share_the_modes():
    assert sweeps.Stack.of(noise_datasets(30, [0.0, 1.0], 0, 0.0)).one_x is not None
    different = [gd.make_dataset(30, 2.0, 1.0, 1.0, seed=seed) for seed in (0, 1)]
    assert sweeps.Stack.of(different).one_x is None
    moved = [gd.make_dataset(30, 2.0, 1.0, 1.0, x_range=(v, v + 10.0)) for v in (0.0, 1.0)]
    assert sweeps.Stack.of(moved).one_x is None
    stack = sweeps.Stack.of(noise_datasets(30, [0.0, 1.0, 2.0], 0, 0.0))
    assert stack.take(np.array([0, 2])).one_x is stack.one_x


@settings(max_examples=25, deadline=None)
@given(
    st.integers(2, 40),
    st.lists(st.floats(0.0, 3.0), min_size=1, max_size=8),
    st.floats(-3.0, 3.0),
    st.floats(0.05, 1.1),
    st.sampled_from([0.05, 0.5, 1.02]),
    st.sampled_from([1, 2, 51, 700]),
    st.sampled_from([(0.0, 0.0), (2.0, 1.0), (-1.0, 4.0)]),
)
def test_a_noise_sweep_on_one_x_equals_train(n, sigmas, low, share_k, lr_b, epochs, init):
    # Every point is train()'s on its own dataset, and the sweep is the one that works the
    # modes out per run (one_x switched off), bit for bit.
    datasets = noise_datasets(n, sigmas, 3, low)
    rule = gd.sgd((share_k / datasets[0].x_sq_mean, lr_b))
    result = gd.sweep_datasets(datasets, rule, epochs, values=sigmas, init=init)
    assert_points_match_train(result, [rule] * len(datasets), datasets, epochs, init)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sweeps.Stack, "of", lambda sets: _per_run(sets))
        per_run = gd.sweep_datasets(datasets, rule, epochs, values=sigmas, init=init)
    for field in ("final_loss", "diverged", "diverging", "epochs_to_converge", "spectral_radius"):
        mine, theirs = getattr(result, field), getattr(per_run, field)
        assert np.array_equal(mine, theirs, equal_nan=True), field
        if mine.dtype.kind == "f":
            assert same_bits(np.nan_to_num(mine), np.nan_to_num(theirs)), field


def _per_run(datasets):
    sums = np.array([data.sums for data in datasets]).T.copy()
    return sweeps.Stack(*sums)  # no one_x: the modes once per run


def test_the_float_path_of_sqrt_is_numpys():
    # CoordinateModes.of takes √η in math for one pair of rates: correctly rounded, as NumPy.
    rng = np.random.default_rng(0)
    values = 10.0 ** rng.uniform(-320, 300, 2000)
    assert all(
        math.sqrt(v) == r for v, r in zip(values.tolist(), np.sqrt(values).tolist(), strict=True)
    )
