"""mode_losses: plain GD's excess loss as two modes, against the run and the eigenvalues."""

import warnings

import numpy as np
import pytest

import gd_core as gd
from tests.core.reference import direct_loss, learner_run

DATA = gd.make_dataset(80, 2.0, 1.0, 1.0, seed=3)
X, Y = DATA.x, DATA.y
H = 2 * np.array([[np.mean(X * X), np.mean(X)], [np.mean(X), 1.0]])  # from the raw points
FLOOR = direct_loss(X, Y, *np.linalg.lstsq(np.column_stack([X, np.ones_like(X)]), Y)[0])

CASES = [
    (0.01, (0.0, 0.0)),  # the seed story: one rate
    ((0.02, 0.2), (0.0, 0.0)),  # a rate per parameter
    ((0.005, 0.9), (4.0, -3.0)),  # b's mode oscillates (1 − s < 0)
    ((0.0, 0.3), (1.0, 1.0)),  # k frozen
    ((0.02, 0.0), (1.0, 1.0)),  # b frozen
    ((0.0, 0.0), (1.0, 1.0)),  # nothing moves
]


@pytest.mark.parametrize(("lr", "init"), CASES)
def test_the_modes_sum_to_the_runs_excess_loss(lr, init):
    epochs = 60
    split = gd.mode_losses(DATA, lr, epochs, init=init)
    assert split.shape == (2, epochs + 1)
    assert np.all(split >= 0)
    _, _, loss = learner_run(X, Y, "sgd", lr, epochs, init=init)
    np.testing.assert_allclose(split.sum(axis=0), loss - FLOOR, rtol=1e-7, atol=1e-10)


@pytest.mark.parametrize(("lr", "init"), CASES[:3])
def test_each_mode_is_a_straight_line_of_slope_two_log_one_minus_s(lr, init):
    rates = np.diag(np.broadcast_to(lr, 2))
    s = np.sort(np.linalg.eigvals(rates @ H).real)
    split = gd.mode_losses(DATA, lr, 30, init=init)
    slopes = np.diff(np.log(split), axis=1)
    np.testing.assert_allclose(slopes, np.repeat(2 * np.log(np.abs(1 - s))[:, None], 30, 1))


def test_a_diverging_rate_grows_its_mode_by_its_factor():
    lr = 2.2 / np.linalg.eigvalsh(H)[-1]  # above 2/λ_max
    split = gd.mode_losses(DATA, lr, 20, init=(1.0, 1.0))
    s = np.linalg.eigvalsh(lr * H)
    assert (1 - s[1]) ** 2 > 1
    assert split[1, 20] / split[1, 19] == pytest.approx((1 - s[1]) ** 2)


def test_the_modes_say_which_parameter_they_mostly_move():
    slow, fast = gd.loss_modes(DATA, 0.01)
    rates = np.diag([0.01, 0.01])
    for mode in (slow, fast):
        v = np.array(mode.direction)
        np.testing.assert_allclose(rates @ H @ v, mode.s * v, atol=1e-12)
        assert mode.loss_factor == pytest.approx((1 - mode.s) ** 2)
    assert (slow.mostly, fast.mostly) == ("b", "k")  # x in 0…10: mean(x²) ≫ 1
    assert fast.factor < slow.factor
    centred = gd.Dataset(X - X.mean(), Y)
    # With x centred, H is diagonal: each mode moves one parameter only.
    modes = gd.loss_modes(centred, (0.01, 0.5))
    assert sorted(mode.mostly for mode in modes) == ["b", "k"]
    assert all(min(map(abs, mode.direction)) < 1e-12 for mode in modes)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="epochs"):
        gd.mode_losses(DATA, 0.01, -1)
    with pytest.raises(ValueError, match="init"):
        gd.mode_losses(DATA, 0.01, 3, init=(0.0, np.nan))
    with pytest.raises(ValueError, match="rate"):
        gd.mode_losses(DATA, (0.01, -1.0), 3)


def test_a_subnormal_rate_is_a_frozen_parameter_in_float64():
    data = gd.make_dataset(100, 2.0, 1.0, 1.0)
    tiny = gd.loss_modes(data, (1e-320, 0.01))
    frozen = gd.loss_modes(data, (0.0, 0.01))
    for mode, expected in zip(tiny, frozen, strict=True):
        assert mode.mostly == expected.mostly
        assert mode.direction == pytest.approx(expected.direction)
        assert mode.factor == pytest.approx(expected.factor)


@pytest.mark.parametrize("rates", [(1e-170, 1e-170), (1e-200, 1e-200), (1e-300, 1e-200)])
def test_tiny_rates_split_the_start_exactly_without_overflow(rates):
    # η_k·η_b·det H underflows here: the split must still be the start's excess loss, and the
    # eigenvalues those of D·H (np.linalg.eigvals on the rates scaled up, then scaled back).
    data = gd.make_dataset(100, 2.0, 1.0, 1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        modes = gd.loss_modes(data, rates)
    start = gd.excess_loss(data, -data.slope_ols, -data.intercept_ols)
    assert sum(mode.start for mode in modes) == pytest.approx(start, rel=1e-12)
    scale = max(rates)
    scaled = np.sort(np.linalg.eigvals(np.diag(np.array(rates) / scale) @ gd.hessian(data)).real)
    assert [mode.s for mode in modes] == pytest.approx(list(scale * scaled), rel=1e-10)
