"""gd.dominant_eigenvalue against transition matrices written out by hand from raw sums."""

import numpy as np
import pytest

import gd_core as gd

DATA = gd.make_dataset(100, slope=2.0, intercept=1.0, noise=1.0)
FAR = gd.make_dataset(100, slope=10.0, intercept=-10.0, noise=5.0, x_range=(-1e4, -9999.0))


def hessian_by_hand(data):
    x = data.x
    return 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])


def largest(values):
    return values[np.argmax(np.abs(values))]


@pytest.mark.parametrize("lr", [1e-4, 0.01, 0.024, 0.03])
def test_plain_gd_is_the_largest_eigenvalue_of_i_minus_eta_h(lr):
    expected = largest(np.linalg.eigvals(np.eye(2) - lr * hessian_by_hand(DATA)))
    assert gd.dominant_eigenvalue(DATA, gd.sgd(lr)) == pytest.approx(expected, rel=1e-9)


def test_momentum_is_the_largest_eigenvalue_of_the_heavy_ball_matrix():
    # torch.optim.SGD(momentum=μ): v ← μ·v + g, θ ← θ − η·v, so z = (δ, v) maps by
    # [[I − ηH, −ημI], [H, μI]].
    lr, mu, h = 0.01, 0.9, hessian_by_hand(DATA)
    matrix = np.block([[np.eye(2) - lr * h, -lr * mu * np.eye(2)], [h, mu * np.eye(2)]])
    expected = largest(np.linalg.eigvals(matrix))
    got = gd.dominant_eigenvalue(DATA, gd.momentum(lr, mu))
    assert abs(got) == pytest.approx(abs(expected), rel=1e-9)
    assert got.real == pytest.approx(expected.real, rel=1e-9)


def test_a_tiny_rate_crawls_on_the_plus_side_and_the_single_rate_limit_swings_on_the_minus():
    crawl = gd.dominant_eigenvalue(FAR, gd.sgd(1e-9))
    assert crawl.imag == 0 and 0 < 1 - crawl.real < 1e-12
    limit = 2 / max(np.linalg.eigvalsh(hessian_by_hand(DATA)))
    assert gd.dominant_eigenvalue(DATA, gd.sgd(limit)).real == pytest.approx(-1, abs=1e-9)
