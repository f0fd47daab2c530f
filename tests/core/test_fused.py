"""The adaptive rules' inlined full-batch loops (gd_core/fused.py) against their own `update`.

The fused loops exist for speed only, so the reference is exact: the same run stepped through
the rule's `update` one parameter at a time must give bit-for-bit the same trajectory, for any
hyperparameters, rates, schedule, start and epoch count (across a divergence-check block too).
"""

import dataclasses

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import gd_core as gd
from gd_core import descent

DATA = gd.make_dataset(50, 2.0, 1.0, 1.0, (0.0, 10.0), 3)
rates = st.floats(1e-4, 2.0)
schedules = st.sampled_from(
    [None, gd.step_decay(7, 0.5), gd.exponential_decay(0.999), gd.cosine_decay(300, 0.1)]
)
rules = st.one_of(
    st.builds(lambda eps: ("adagrad", {"eps": eps}), st.floats(1e-12, 1e-3)),
    st.builds(
        lambda alpha, eps: ("rmsprop", {"alpha": alpha, "eps": eps}),
        st.floats(0.0, 1.0),
        st.floats(1e-12, 1e-3),
    ),
    st.builds(
        lambda b1, b2, eps: ("adam", {"betas": (b1, b2), "eps": eps}),
        st.floats(0.0, 0.999),
        st.floats(0.0, 0.9999),
        st.floats(1e-12, 1e-3),
    ),
)


@settings(max_examples=60, deadline=None)
@given(rules, rates, rates, schedules, st.sampled_from([1, 2, 300, descent.BLOCK + 5]))
def test_fused_epochs_equal_the_rule_stepped_one_parameter_at_a_time(
    rule, lr_k, lr_b, schedule, epochs
):
    name, hyper = rule
    optimizer = gd.make_optimizer(name, (lr_k, lr_b), schedule=schedule, **hyper)
    assert optimizer.full_batch_steps is not None
    generic = dataclasses.replace(optimizer, full_batch_steps=None)
    start = (3.0 - DATA.slope_ols, -4.0 - DATA.intercept_ols)
    fused = descent.full_batch(DATA, optimizer, epochs, start, np.inf)
    stepped = descent.full_batch(DATA, generic, epochs, start, np.inf)
    for ours, reference in zip(fused, stepped, strict=True):
        np.testing.assert_array_equal(ours, reference)
