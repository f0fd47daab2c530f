"""The μ of smallest spectral radius for heavy-ball momentum, against brute force: ρ from the
eigenvalues of the 4 × 4 transition matrix of torch.optim.SGD(momentum=μ), written out here,
over a fine grid of μ."""

import numpy as np
import pytest

import gd_core as gd
from gd_core.momentum_optimum import best_momentum, polyak


def _hessian(data):
    x = data.x
    return np.array([[2 * np.mean(x * x), 2 * np.mean(x)], [2 * np.mean(x), 2.0]])


def _radius(data, lr, mu):
    """buf ← μ·buf + H·δ; δ ← δ − D·buf, as one linear map of (δ, buf), for each μ."""
    d, h, eye = np.diag(lr), _hessian(data), np.eye(2)
    mu = np.atleast_1d(mu)[:, None, None]
    top = np.concatenate([np.broadcast_to(eye - d @ h, (len(mu), 2, 2)), -mu * d], axis=2)
    bottom = np.concatenate([np.broadcast_to(h, (len(mu), 2, 2)), mu * eye], axis=2)
    transition = np.concatenate([top, bottom], axis=1)
    return np.abs(np.linalg.eigvals(transition)).max(axis=1)


@pytest.mark.parametrize(
    ("data", "lr"),
    [
        (gd.make_dataset(100, 2.0, 1.0, 1.0), (0.01, 0.01)),  # the app's defaults
        (gd.make_dataset(50, -1.0, 3.0, 2.0, (2.0, 5.0), 4), (0.004, 0.3)),  # two rates
        (gd.make_dataset(100, 2.0, 1.0, 1.0), (0.045, 0.045)),  # past Polyak's rate: s₂ binds
    ],
)
def test_the_closed_form_optimum_is_the_brute_force_minimum_of_rho(data, lr):
    found = best_momentum(data, lr)
    grid = np.linspace(0.0, 0.999, 20_000)
    radii = _radius(data, lr, grid)
    best = int(np.argmin(radii))
    assert found.momentum == pytest.approx(grid[best], abs=2 * (grid[1] - grid[0]))
    assert found.radius == pytest.approx(radii[best], abs=1e-3)
    assert found.radius == pytest.approx(_radius(data, lr, found.momentum)[0], rel=1e-5)
    assert radii.min() >= found.radius - 1e-9  # nothing on the grid beats it


def test_polyak_is_the_optimum_at_its_own_rate_and_none_converges_past_four():
    data = gd.make_dataset(100, 2.0, 1.0, 1.0)
    low, high = np.linalg.eigvalsh(_hessian(data))
    kappa = high / low
    joint = polyak(data)
    assert joint.momentum == pytest.approx(((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2)
    assert joint.lr[0] == pytest.approx(4 / (np.sqrt(low) + np.sqrt(high)) ** 2)
    at_rate = best_momentum(data, joint.lr)
    assert at_rate.momentum == pytest.approx(joint.momentum, rel=1e-9)
    assert best_momentum(data, 4.0 / high * 1.001) is None  # s₂ > 4: no μ converges
    assert best_momentum(data, 0.0) is None
