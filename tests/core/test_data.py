"""Dataset validation and make_dataset."""

import numpy as np
import pytest

import gd_core as gd


def test_make_dataset_is_reproducible_and_follows_the_line():
    a = gd.make_dataset(2000, slope=2.0, intercept=-3.0, noise=0.5, x_range=(1.0, 4.0), seed=7)
    b = gd.make_dataset(2000, slope=2.0, intercept=-3.0, noise=0.5, x_range=(1.0, 4.0), seed=7)
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.y, b.y)
    assert a.x.min() >= 1.0 and a.x.max() <= 4.0
    noise = a.y - (2.0 * a.x - 3.0)
    assert abs(noise.std() - 0.5) < 0.05 and abs(noise.mean()) < 0.05


def test_different_seeds_give_different_points():
    a = gd.make_dataset(10, 1.0, 0.0, 1.0, seed=1)
    b = gd.make_dataset(10, 1.0, 0.0, 1.0, seed=2)
    assert not np.array_equal(a.y, b.y)


def test_arrays_are_read_only_copies():
    x, y = np.array([0.0, 1.0, 2.0]), np.array([1.0, 3.0, 5.0])
    data = gd.Dataset(x, y)
    x[0] = 99.0
    assert data.x[0] == 0.0
    with pytest.raises(ValueError, match="read-only"):
        data.y[0] = 1.0


def test_centred_statistics_match_numpy():
    data = gd.make_dataset(500, 3.0, 2.0, 1.0, x_range=(-5.0, 20.0))
    assert data.n == len(data) == 500
    assert data.x_mean == pytest.approx(np.mean(data.x), rel=1e-14)
    assert data.x_var == pytest.approx(np.var(data.x), rel=1e-12)
    assert data.x_sq_mean == pytest.approx(np.mean(data.x**2), rel=1e-12)


@pytest.mark.parametrize(
    ("x", "y", "message"),
    [
        ([1.0, 2.0, 3.0], [1.0, 2.0], "x has 3 values but y has 2"),
        ([1.0], [2.0], "at least 2 points"),
        ([], [], "at least 2 points"),
        ([1.0, np.nan, 3.0], [1.0, 2.0, 3.0], r"x\[1\] is nan"),
        ([1.0, 2.0, 3.0], [1.0, np.inf, 3.0], r"y\[1\] is inf"),
        ([4.0, 4.0, 4.0], [1.0, 2.0, 3.0], "Every x equals 4"),
        ([0.0, 7e-183], [1.0, 2.0], "differ by only 7e-183"),  # the spread squared underflows
        ([0.0, 1e-160], [1.0, 2.0], "differ by only 1e-160"),  # ... or is subnormal
        (["a", "b"], [1.0, 2.0], "only numbers"),
        ([[1.0, 2.0]], [[1.0, 2.0]], "flat list"),
        ([1.0, 2.0], [1e200, 2.0], "overflow"),
    ],
)
def test_bad_data_raises_a_data_error_that_says_what_to_do(x, y, message):
    with pytest.raises(gd.DataError, match=message):
        gd.Dataset(x, y)


def test_data_error_is_a_value_error():
    assert issubclass(gd.DataError, ValueError)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 1}, "at least 2"),
        ({"n": 2.5}, "whole number"),
        ({"noise": -1.0}, "cannot be negative"),
        ({"slope": float("nan")}, "slope must be a finite"),
        ({"x_range": (3.0, 3.0)}, "low < high"),
    ],
)
def test_make_dataset_rejects_bad_parameters(kwargs, message):
    args = {"n": 10, "slope": 1.0, "intercept": 0.0, "noise": 1.0} | kwargs
    with pytest.raises(gd.DataError, match=message):
        gd.make_dataset(**args)
