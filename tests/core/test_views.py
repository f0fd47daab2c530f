"""Helpers behind the charts: thinning, standardised training, stability limits, surfaces."""

import itertools

import numpy as np
import pytest

import gd_core as gd
from tests.core.reference import direct_loss

DATA = gd.make_dataset(100, slope=2.0, intercept=1.0, noise=1.0)


def test_short_series_are_kept_whole():
    values = np.arange(50.0)
    np.testing.assert_array_equal(gd.plot_indices([values], max_points=100), np.arange(50))


def test_thinning_keeps_the_ends_and_every_bucket_extreme():
    epochs = np.arange(1_000_000)
    oscillating = np.cos(epochs * 2.9) * np.exp(-epochs / 3e5)
    drifting = np.sqrt(epochs)
    kept = gd.plot_indices([oscillating, drifting], max_points=2000)
    assert kept[0] == 0 and kept[-1] == epochs[-1]
    assert len(kept) <= 2000 and np.all(np.diff(kept) > 0)
    assert oscillating[kept].max() == oscillating.max()
    assert oscillating[kept].min() == oscillating.min()
    # The envelope late in the run survives: the last 10% still shows its extremes.
    tail = epochs >= 900_000
    kept_tail = kept[kept >= 900_000]
    assert oscillating[kept_tail].max() == pytest.approx(oscillating[tail].max(), rel=0.05)
    assert oscillating[kept_tail].min() == pytest.approx(oscillating[tail].min(), rel=0.05)


def test_every_early_epoch_is_kept():
    kept = gd.plot_indices([np.random.default_rng(0).standard_normal(100_000)], max_points=3000)
    np.testing.assert_array_equal(kept[:100], np.arange(100))


def test_standardised_training_is_the_same_line_in_original_units():
    run = gd.train(DATA, gd.sgd(0.3), 60, init=(0.5, -1.0), standardize=True)
    assert (run.k[0], run.b[0]) == pytest.approx((0.5, -1.0), rel=1e-12)
    for epoch in (0, 1, 10, 60):
        assert run.loss[epoch] == pytest.approx(
            direct_loss(DATA.x, DATA.y, run.k[epoch], run.b[epoch]), rel=1e-9
        )
    assert run.status == "converged"
    assert (run.k[-1], run.b[-1]) == pytest.approx(gd.ols(DATA), rel=1e-5)
    assert gd.standardized(DATA).x_var == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("factory", "hyper"),
    [(gd.sgd, {}), (gd.momentum, {"momentum": 0.5}), (gd.nesterov, {"momentum": 0.5})],
)
@pytest.mark.parametrize("parameter", ["k", "b"])
def test_single_parameter_limits_separate_stable_from_divergent(factory, hyper, parameter):
    limits = gd.single_parameter_limits(
        DATA, momentum=hyper.get("momentum", 0.0), nesterov=factory is gd.nesterov
    )
    limit = limits[0] if parameter == "k" else limits[1]
    for factor, expected in ((0.98, False), (1.02, True)):
        rates = (factor * limit, 0.0) if parameter == "k" else (0.0, factor * limit)
        run = gd.train(DATA, factory(rates, **hyper), 20_000)
        assert (run.status == "diverged") is expected, (factor, run.message)
        if expected:
            assert gd.blown_up_parameter(DATA, run) == parameter


def test_loss_surface_matches_the_direct_loss():
    k, b, loss = gd.loss_surface(DATA, (0.0, 4.0), (-2.0, 3.0), resolution=7)
    assert k.shape == b.shape == loss.shape == (49,)
    for i in (0, 13, 48):
        assert loss[i] == pytest.approx(direct_loss(DATA.x, DATA.y, k[i], b[i]), rel=1e-12)


def test_view_window_frames_the_path_and_the_optimum():
    run = gd.train(DATA, gd.sgd(0.01), 50)
    (k_low, k_high), (b_low, b_high) = gd.view_window(DATA, run.k, run.b)
    assert k_low < min(run.k.min(), DATA.slope_ols) and k_high > max(run.k.max(), DATA.slope_ols)
    assert b_low < min(run.b.min(), DATA.intercept_ols) and b_high > DATA.intercept_ols


def test_cells_of_half_the_grid_spacing_tile_the_window():
    k, b, _ = gd.loss_surface(DATA, (0.0, 4.0), (-2.0, 3.0), resolution=5)
    k_half, b_half = gd.cell_half_widths((0.0, 4.0), (-2.0, 3.0), 5)
    assert np.diff(np.unique(k)) == pytest.approx(2 * k_half)
    assert np.diff(np.unique(b)) == pytest.approx(2 * b_half)


def test_steps_per_epoch_counts_the_last_partial_batch():
    assert gd.steps_per_epoch(100, None) == gd.steps_per_epoch(100, 100) == 1
    assert gd.steps_per_epoch(100, 32) == 4 and gd.steps_per_epoch(100, 1) == 100


def _thinned_bucket_by_bucket(series, max_points):
    """The definition, one bucket at a time: its first epoch, and each series' argmin and
    argmax in it (NumPy's: the first occurrence, a NaN counting as the extreme)."""
    length = len(series[0])
    if length <= max_points:
        return np.arange(length)
    edges = np.unique(np.geomspace(1, length - 1, max_points // (1 + 2 * len(series))))
    edges = np.unique(edges.astype(np.int64))
    keep = {0, length - 1, *edges.tolist()}
    for low, high in itertools.pairwise(edges):
        for values in series:
            keep |= {low + int(np.argmin(values[low:high])), low + int(np.argmax(values[low:high]))}
    return np.array(sorted(keep))


@pytest.mark.parametrize("length", [2_001, 5_001, 60_000])
@pytest.mark.parametrize("kind", ["noise", "ties", "nan", "inf", "flat"])
def test_thinning_finds_every_buckets_first_extreme(length, kind):
    rng = np.random.default_rng(length)
    series = [rng.standard_normal(length) for _ in range(3)]
    if kind == "ties":
        series = [np.round(values) for values in series]
    elif kind == "nan":
        series[1][rng.integers(0, length, 20)] = np.nan
    elif kind == "inf":
        series[0][rng.integers(0, length, 20)] = np.inf
        series[2][rng.integers(0, length, 20)] = -np.inf
    elif kind == "flat":
        series = [np.full(length, 0.25)]
    for max_points in (200, 2000):
        np.testing.assert_array_equal(
            gd.plot_indices(series, max_points), _thinned_bucket_by_bucket(series, max_points)
        )
