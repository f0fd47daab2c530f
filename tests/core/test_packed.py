"""The packed, in-place array updates (gd_core/packed.py) against the rules' own `update`.

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
        if rng.uniform() < 0.2:  # a schedule's new rates, a new array as sweep.simulate makes
            rates = rates * rng.uniform(0.5, 1.5)
        expected, state = rule.update(gradient, state, rates)
        step(gradient, rates, out)
        np.testing.assert_array_equal(out, expected, err_msg=f"epoch {epoch}")


def test_only_the_adaptive_rules_with_a_packed_update_have_one():
    packed = {name for name, factory in gd.OPTIMIZERS.items() if factory(0.1).packed_steps}
    assert packed == {"adam", "rmsprop"}
