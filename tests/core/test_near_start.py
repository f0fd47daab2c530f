"""A parameter that starts at or very near its optimum: how far the run pulled it, the band it
must settle in, and whether it counts as "near", each checked against loops over the run's
arrays written here (gd_core.progress)."""

import math

import numpy as np
import pytest

import gd_core as gd

DATA = gd.make_dataset(100, slope=2.0, intercept=1.0, noise=1.0)


def farthest(values, optimum):
    far = 0.0
    for value in values:
        far = max(far, abs(float(value) - optimum))
    return far


@pytest.mark.parametrize(
    ("init", "near"),
    [
        ((0.0, DATA.intercept_ols + 3.7e-6), (False, True)),
        ((0.0, DATA.intercept_ols + 2e-8), (False, True)),
        ((DATA.slope_ols - 5.75e-5, 0.0), (True, False)),
        ((0.0, 0.0), (False, False)),  # the seed story: b's gap is a twelfth of k's, not tiny
        ((0.0, DATA.intercept_ols - 0.3), (False, False)),  # pulled, but its gap is not tiny
    ],
    ids=["b 3.7e-6 off", "b 2e-8 off", "k 5.75e-5 off", "seed", "b 0.3 off"],
)
def test_progress_measures_the_pull_and_the_band_in_the_parameters_units(init, near):
    run = gd.train(DATA, gd.sgd(0.01), 450, init=init)
    progress = gd.progress(DATA, run)
    optima = (DATA.slope_ols, DATA.intercept_ols)
    for i, values in enumerate((run.k, run.b)):
        start = abs(init[i] - optima[i])
        assert progress.start[i] == pytest.approx(start, rel=1e-9, abs=1e-15)
        assert progress.farthest[i] == farthest(values, optima[i])
        # The band is tol of the starting gap wherever float64 resolves that.
        assert progress.band[i] == pytest.approx(gd.DEFAULT_TOL * start, rel=1e-6)
        # near: a gap under 1 % of the other's (by the loss each costs alone: gap·sqrt(H/2))
        # that the run then multiplied by more than ten.
        scale = (math.sqrt(DATA.x_sq_mean), 1.0)
        other = abs(init[1 - i] - optima[1 - i]) * scale[1 - i]
        expected = start * scale[i] < 0.01 * other and farthest(values, optima[i]) > 10 * start
        assert progress.pulled[i] == expected == near[i]


def test_a_start_on_the_optimum_is_pulled_once_it_moves_and_not_when_nothing_moves():
    moved = gd.progress(DATA, gd.train(DATA, gd.sgd(0.01), 100, init=(0.0, DATA.intercept_ols)))
    assert moved.pulled == (False, True)
    still = gd.train(DATA, gd.sgd(0.01), 100, init=(DATA.slope_ols, DATA.intercept_ols))
    assert gd.progress(DATA, still).pulled == (False, False)


def test_a_diverging_run_pulls_nothing_it_moves_everything_away():
    run = gd.train(DATA, gd.sgd(0.0255), 450, init=(0.0, DATA.intercept_ols + 1e-6))
    assert run.status in ("diverged", "diverging")
    assert gd.progress(DATA, run).pulled == (False, False)
    assert np.isfinite(gd.progress(DATA, run).start).all()
