"""Loss, gradient, Hessian and least squares against direct computations on the points."""

import numpy as np
import pytest

import gd_core as gd
from tests.core.reference import direct_gradient, direct_loss

DATASETS = {
    "default": gd.make_dataset(200, 2.0, 1.0, 1.0),
    "offset x": gd.make_dataset(200, 2.0, 1.0, 1.0, x_range=(1e4, 1e4 + 10)),
    "negative x, no noise": gd.make_dataset(50, -0.5, 4.0, 0.0, x_range=(-8.0, -1.0)),
}
POINTS = [(0.0, 0.0), (2.0, 1.0), (-3.5, 12.0), (1e3, -1e3)]


@pytest.mark.parametrize("data", DATASETS.values(), ids=DATASETS.keys())
@pytest.mark.parametrize(("k", "b"), POINTS)
def test_mse_matches_the_direct_mean(data, k, b):
    assert gd.mse(data, k, b) == pytest.approx(direct_loss(data.x, data.y, k, b), rel=1e-9)


@pytest.mark.parametrize("data", DATASETS.values(), ids=DATASETS.keys())
@pytest.mark.parametrize(("k", "b"), POINTS)
def test_gradient_matches_central_finite_differences(data, k, b):
    def loss(kk: float, bb: float) -> float:
        return direct_loss(data.x, data.y, kk, bb)

    hk, hb = 1e-4 * (1 + abs(k)), 1e-4 * (1 + abs(b))
    fd_k = (loss(k + hk, b) - loss(k - hk, b)) / (2 * hk)
    fd_b = (loss(k, b + hb) - loss(k, b - hb)) / (2 * hb)
    dk, db = gd.gradient(data, k, b)
    scale = abs(fd_k) + abs(fd_b) + 1.0
    assert dk == pytest.approx(fd_k, abs=1e-6 * scale * data.x_sq_mean)
    assert db == pytest.approx(fd_b, abs=1e-6 * scale)
    assert (dk, db) == pytest.approx(direct_gradient(data.x, data.y, k, b), rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("data", DATASETS.values(), ids=DATASETS.keys())
def test_ols_matches_lstsq_and_zeroes_the_gradient(data):
    design = np.column_stack([data.x, np.ones(data.n)])
    (k_ref, b_ref), *_ = np.linalg.lstsq(design, data.y, rcond=None)
    k, b = gd.ols(data)
    assert k == pytest.approx(k_ref, rel=1e-9)
    assert b == pytest.approx(b_ref, rel=1e-6, abs=1e-6)  # b is ill-conditioned when x̄ ≫ 0
    grad = gd.gradient(data, k, b)
    assert grad == (0.0, 0.0)
    assert gd.mse(data, k, b) == pytest.approx(direct_loss(data.x, data.y, k_ref, b_ref), rel=1e-6)


@pytest.mark.parametrize("data", DATASETS.values(), ids=DATASETS.keys())
def test_hessian_is_the_jacobian_of_the_gradient(data):
    h = 1e-3
    columns = []
    for dk, db in ((h, 0.0), (0.0, h)):
        plus = np.array(direct_gradient(data.x, data.y, 1.0 + dk, 2.0 + db))
        minus = np.array(direct_gradient(data.x, data.y, 1.0 - dk, 2.0 - db))
        columns.append((plus - minus) / (2 * h))
    np.testing.assert_allclose(gd.hessian(data), np.column_stack(columns), rtol=1e-6)


def test_loss_and_gradient_work_on_arrays_of_runs():
    data = DATASETS["default"]
    k = np.array([[0.0, 1.0], [2.0, 3.0]])
    b = np.array([[1.0, -1.0], [0.5, 4.0]])
    loss = gd.mse(data, k, b)
    dk, db = gd.gradient(data, k, b)
    assert loss.shape == dk.shape == db.shape == (2, 2)
    for i in np.ndindex(k.shape):
        assert loss[i] == pytest.approx(direct_loss(data.x, data.y, k[i], b[i]), rel=1e-12)
        assert (dk[i], db[i]) == pytest.approx(direct_gradient(data.x, data.y, k[i], b[i]))


def test_huge_parameters_give_inf_without_warnings():
    data = DATASETS["default"]
    assert gd.mse(data, np.array([1e300]), np.array([0.0]))[0] == np.inf
