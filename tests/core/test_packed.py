"""The packed, in-place array updates and whole epochs (gd_core/packed.py) against the rules'
own `update`.

They exist for speed only, so the reference is exact: many runs stepped through `update` on
(2, runs) arrays, hyperparameters one per run or shared, must give bit-for-bit the same steps
epoch after epoch, with the rates held (one array passed again) or changed by a schedule (a new
array some epochs).
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import gd_core as gd

RUNS = 7
hyper = st.one_of(
    st.floats(0.0, 0.9999),
    st.lists(st.floats(0.0, 0.9999), min_size=RUNS, max_size=RUNS).map(np.array),
)
eps = st.floats(1e-12, 1e-3)
rules = st.one_of(
    st.builds(lambda alpha, eps: gd.rmsprop(1.0, alpha, eps), hyper, eps),
    st.builds(lambda b1, b2, eps: gd.adam(1.0, (b1, b2), eps), hyper, hyper, eps),
)


@settings(max_examples=40, deadline=None)
@given(rules, st.integers(0, 2**32 - 1))
def test_packed_steps_equal_the_rule_updated_on_arrays(rule, seed):
    rng = np.random.default_rng(seed)
    rates = 10.0 ** rng.uniform(-4, 0, (2, RUNS))
    state = rule.init(np.zeros((2, RUNS)))
    step = rule.packed_steps(RUNS)
    out = np.empty((2, RUNS))
    for epoch in range(200):
        gradient = rng.normal(0.0, 10.0 ** rng.uniform(-6, 3), (2, RUNS))
        if rng.uniform() < 0.2:  # a schedule's new rates, a new array as stepping.simulate makes
            rates = rates * rng.uniform(0.5, 1.5)
        expected, state = rule.update(gradient, state, rates)
        step(gradient, rates, out)
        np.testing.assert_array_equal(out, expected, err_msg=f"epoch {epoch}")


def test_only_the_adaptive_rules_with_a_packed_update_have_one():
    for field in ("packed_steps", "packed_epochs"):
        packed = {name for name, factory in gd.OPTIMIZERS.items() if getattr(factory(0.1), field)}
        assert packed == {"adam", "rmsprop"}


@settings(max_examples=30, deadline=None)
@given(rules, st.integers(0, 2**32 - 1), st.sampled_from([1, 15, 16, 17, 90]), st.booleans())
def test_packed_epochs_are_the_rule_stepped_on_arrays(rule, seed, chunk, scheduled):
    # Whole epochs (gradient H·δ, update, step) against the same epochs written out with
    # `update`: rates from crawling to far past any sensible step (chaotic), chunks that end
    # inside, on and past the ring of rows kept, rates held or changed every epoch.
    rng = np.random.default_rng(seed)
    hessian = (float(rng.uniform(0.1, 50.0)), float(rng.uniform(-10.0, 10.0)), 2.0)
    delta = tuple(rng.uniform(-5.0, 5.0, 2))
    rates = 10.0 ** rng.uniform(-4, 1.5, (2, RUNS))
    stepper = rule.packed_epochs(hessian, delta, rates)
    h_kk, h_kb, h_bb = hessian
    dev = np.array(delta)[:, np.newaxis] * np.ones((2, RUNS))
    state = rule.init(np.zeros((2, RUNS)))
    with np.errstate(all="ignore"):
        for begin in range(0, 200, chunk):
            epochs = min(chunk, 200 - begin)
            scale = rng.uniform(0.5, 1.5, epochs) if scheduled else None
            out = np.empty((epochs, 2, RUNS))
            stepper.advance(out, scale)
            for i in range(epochs):
                gradient = np.array([h_kk * dev[0] + h_kb * dev[1], h_kb * dev[0] + h_bb * dev[1]])
                given = rates if scale is None else rates * scale[i]
                step, state = rule.update(gradient, state, given)
                dev = dev - step
                np.testing.assert_array_equal(out[i], dev, err_msg=f"epoch {begin + i}")
