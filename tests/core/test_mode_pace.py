"""Which mode carries each parameter's error and how fast each shrinks (gd_core.mode_pace),
against the eigen-decomposition of I − D·H written out here with numpy.linalg, and against
which parameter a real run settles first."""

import numpy as np
import pytest

import gd_core as gd

DATA = gd.make_dataset(100, slope=2.0, intercept=1.0, noise=1.0)


def reference(lr, init):
    h = 2 * np.array([[np.mean(DATA.x**2), np.mean(DATA.x)], [np.mean(DATA.x), 1.0]])
    values, vectors = np.linalg.eig(np.diag(lr) @ h)
    order = np.argsort(values.real)  # (along the valley, across it)
    values, vectors = values.real[order], vectors.real[:, order]
    delta = np.array([init[0] - DATA.slope_ols, init[1] - DATA.intercept_ols])
    amplitudes = vectors * np.linalg.solve(vectors, delta)  # [coordinate, mode]
    sizes = np.abs(amplitudes)
    cancel = np.abs(amplitudes.sum(axis=1)) < 0.5 * sizes.sum(axis=1)  # the start, δ, is small
    return np.abs(1 - values), sizes[:, 1] / sizes.sum(axis=1), tuple(bool(c) for c in cancel)


@pytest.mark.parametrize(
    ("lr", "init", "swapped"),
    [
        ((0.01, 0.01), (0.0, 0.0), False),
        ((0.0249, 0.0249), (0.0, 0.0), True),
        ((0.02, 0.2), (0.0, 0.0), False),
        ((0.01, 0.01), (5.0, -3.0), False),
        ((0.0245, 0.9), (0.0, 0.0), True),
    ],
)
def test_mode_pace_matches_the_eigenvectors_of_the_update(lr, init, swapped):
    pace = gd.mode_pace(DATA, lr, init)
    factors, across, cancel = reference(lr, init)
    np.testing.assert_allclose(pace.factors, factors, rtol=1e-9)
    np.testing.assert_allclose(pace.across, across, rtol=1e-7)
    assert pace.swapped is swapped
    assert pace.cancel == cancel


@pytest.mark.parametrize(
    ("init", "cancel"),
    [
        ((0.0, 0.9925437), (False, True)),
        ((1.98687, 0.0), (True, False)),
        ((0.0, 0.0), (False, False)),
    ],
)
def test_a_start_near_one_optimum_is_where_its_two_parts_cancel(init, cancel):
    pace = gd.mode_pace(DATA, (0.01, 0.01), init)
    assert pace.cancel == reference((0.01, 0.01), init)[2] == cancel


@pytest.mark.parametrize("lr", [0.01, 0.02, 0.0249], ids=str)
def test_the_parameter_mostly_in_the_faster_mode_settles_first_in_a_real_run(lr):
    pace = gd.mode_pace(DATA, (lr, lr), (0.0, 0.0))
    run = gd.train(DATA, gd.sgd(lr), 5_000)
    faster = 0 if pace.swapped else 1  # the mode that shrinks most per epoch
    home = [int(share >= 0.5) for share in pace.across]  # k across (1), b along (0)
    first = 0 if run.settled_at[0] < run.settled_at[1] else 1
    assert home[first] == faster and home[1 - first] != faster
