"""The adaptive rules round their square roots alike on one run's floats and on a sweep's arrays.

train() steps one run in Python floats, a stepped sweep steps many in NumPy arrays
(gd_core/packed.py). With `x ** 0.5` on a float (libm's pow) and NumPy's correctly rounded sqrt
on arrays, about one root in 1,200 came out an ulp apart, so a sweep point could drift from
train() for the same setting. Both now take correctly rounded roots.
"""

import math

import numpy as np
import pytest

import gd_core as gd

DATA = gd.make_dataset(100, slope=2.0, intercept=1.0, noise=1.0)


def test_the_inputs_below_are_ones_where_pow_and_sqrt_disagree():
    # The premise: without it the sweep test below could not fail.
    values = np.random.default_rng(1).random(20_000) * 10.0
    apart = [x for x in values.tolist() if x**0.5 != math.sqrt(x)]
    assert apart, "libm's pow rounded every root as sqrt does: nothing to guard"
    assert np.array_equal(np.sqrt(apart), [math.sqrt(x) for x in apart])


@pytest.mark.parametrize(
    "name, rates",
    [
        ("adam", np.geomspace(1e-3, 10.0, 60)),
        ("rmsprop", np.geomspace(1e-4, 1.0, 60)),
        ("adagrad", np.geomspace(1e-3, 10.0, 60)),
    ],
)
def test_a_stepped_sweep_gives_trains_final_loss_to_the_last_bit(name, rates):
    result = gd.sweep(DATA, "lr", rates, name, 600)
    for rate, final in zip(rates, result.final_loss, strict=True):
        run = gd.train(DATA, gd.make_optimizer(name, float(rate)), 600)
        if run.status == "diverged":
            assert np.isnan(final)
        else:
            assert final == run.loss[-1], f"{name} at η = {rate:.4g}"


@pytest.mark.parametrize("name", ["adam", "rmsprop", "adagrad"])
def test_update_takes_the_same_root_on_a_float_and_on_an_array(name):
    rule = gd.make_optimizer(name, 0.05)
    gradients = np.random.default_rng(2).normal(size=200) * 7.0
    state_float = rule.init(0.0)
    state_array = rule.init(np.zeros(1))
    for g in gradients.tolist():
        step_float, state_float = rule.update(g, state_float, 0.05)
        step_array, state_array = rule.update(np.array([g]), state_array, 0.05)
        assert step_float == step_array[0]
