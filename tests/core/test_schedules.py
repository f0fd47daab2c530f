"""Schedules against their formulas, worked epoch by epoch."""

import math

import numpy as np
import pytest

import gd_core as gd

EPOCHS = np.arange(0, 25)
FORMULAS = {
    "constant": (gd.constant(), lambda e: 1.0),
    "step": (gd.step_decay(every=5, factor=0.5), lambda e: 0.5 ** (e // 5)),
    "exponential": (gd.exponential_decay(0.9), lambda e: 0.9**e),
    "inverse time": (gd.inverse_time_decay(0.1), lambda e: 1 / (1 + 0.1 * e)),
    "cosine": (
        gd.cosine_decay(20, final=0.1),
        lambda e: 0.1 + 0.9 * (1 + math.cos(math.pi * min(e, 20) / 20)) / 2,
    ),
}


@pytest.mark.parametrize("name", FORMULAS)
def test_schedule_matches_its_formula_and_starts_at_one(name):
    schedule, formula = FORMULAS[name]
    expected = [formula(int(e)) for e in EPOCHS]
    np.testing.assert_allclose(schedule(EPOCHS), expected, rtol=1e-14)
    assert float(schedule(np.array(0))) == 1.0
    assert float(schedule(np.array(7))) == pytest.approx(formula(7), rel=1e-14)


def test_cosine_stays_at_final_after_its_length():
    assert float(gd.cosine_decay(10, final=0.2)(np.array(50))) == pytest.approx(0.2)


@pytest.mark.parametrize(
    "make",
    [
        lambda: gd.step_decay(0, 0.5),
        lambda: gd.step_decay(2.5, 0.5),
        lambda: gd.step_decay(3, 1.5),
        lambda: gd.exponential_decay(0.0),
        lambda: gd.inverse_time_decay(-1.0),
        lambda: gd.cosine_decay(0),
        lambda: gd.cosine_decay(10, final=2.0),
    ],
)
def test_bad_schedule_parameters_raise(make):
    with pytest.raises(ValueError):
        make()


def test_a_schedule_scales_the_rate_of_each_epoch():
    data = gd.Dataset([0.0, 2.0], [1.0, 5.0])
    decayed = gd.train(data, gd.sgd(0.01, schedule=gd.step_decay(1, 0.5)), epochs=2)
    # Epoch 0 at rate 0.01 from (0, 0): (0.1, 0.06). Epoch 1 at 0.005, gradient (−9.48, −5.68).
    assert (decayed.k[2], decayed.b[2]) == pytest.approx((0.1 + 0.0474, 0.06 + 0.0284), rel=1e-13)
