"""The packed, in-place array updates and whole epochs (gd_core/packed.py) against the rules'
own `update`.

They exist for speed only, so the reference is exact: many runs stepped through `update` on
(2, runs) arrays, hyperparameters one per run or shared, must give bit-for-bit the same steps
epoch after epoch, with the rates held (one array passed again) or changed by a schedule (a new
array some epochs).
"""

import math

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


def _adam_written_out(beta1, beta2, eps, hessian, delta, rates_k, rates_b, epochs):
    """One run of Adam (torch.optim.Adam's update, in train()'s order of operations) in
    Python floats: the deviations (δk, δb) after each epoch."""
    h_kk, h_kb, h_bb = hessian
    dk, db = delta
    m_k = v_k = m_b = v_b = 0.0
    power1 = power2 = 1.0
    out = []
    for rate_k, rate_b in zip(rates_k, rates_b, strict=True):
        g_k, g_b = h_kk * dk + h_kb * db, h_kb * dk + h_bb * db
        m_k, m_b = beta1 * m_k + (1.0 - beta1) * g_k, beta1 * m_b + (1.0 - beta1) * g_b
        v_k = beta2 * v_k + (1.0 - beta2) * g_k * g_k
        v_b = beta2 * v_b + (1.0 - beta2) * g_b * g_b
        power1 *= beta1  # β^t as a running product, as train() keeps it
        power2 *= beta2
        dk -= rate_k * m_k / (1.0 - power1) / (math.sqrt(v_k / (1.0 - power2)) + eps)
        db -= rate_b * m_b / (1.0 - power1) / (math.sqrt(v_b / (1.0 - power2)) + eps)
        out.append((dk, db))
    return np.array(out)


@settings(max_examples=25, deadline=None)
@given(
    st.floats(0.0, 0.85),
    st.one_of(st.just(0.999), st.floats(0.0, 0.9)),
    st.integers(0, 2**32 - 1),
    st.sampled_from([7, 16, 100, 400]),
    st.booleans(),
)
def test_adam_epochs_once_the_bias_corrections_are_exactly_one(
    beta1, beta2, seed, chunk, scheduled
):
    # Once 1 − β1^t rounds to 1 (β1 ≤ 0.85: within 240 epochs), and for small β2 1 − β2^t
    # too, AdamEpochs leaves out the divisions by them (x / 1 is x): every run's deviations
    # must still be Adam's, written out here run by run, epoch by epoch, bit for bit,
    # whichever epoch of a ring or a chunk the corrections reach 1 in.
    rng = np.random.default_rng(seed)
    hessian = (float(rng.uniform(0.1, 50.0)), float(rng.uniform(-10.0, 10.0)), 2.0)
    delta = tuple(float(v) for v in rng.uniform(-5.0, 5.0, 2))
    rates = 10.0 ** rng.uniform(-4, 1.5, (2, RUNS))
    epochs = 420
    scale = rng.uniform(0.5, 1.5, epochs) if scheduled else np.ones(epochs)
    stepper = gd.adam(1.0, (beta1, beta2)).packed_epochs(hessian, delta, rates)
    out = np.empty((epochs, 2, RUNS))
    with np.errstate(all="ignore"):
        for begin in range(0, epochs, chunk):
            stop = min(begin + chunk, epochs)
            stepper.advance(out[begin:stop], scale[begin:stop] if scheduled else None)
    for run in range(RUNS):
        rates_k, rates_b = (list(rates[p, run] * scale) for p in range(2))
        expected = _adam_written_out(beta1, beta2, 1e-8, hessian, delta, rates_k, rates_b, epochs)
        np.testing.assert_array_equal(out[:, :, run], expected, err_msg=f"run {run}")


@settings(max_examples=15, deadline=None)
@given(
    st.floats(0.0, 0.9), st.one_of(st.just(0.999), st.floats(0.0, 0.9)), st.integers(0, 2**32 - 1)
)
def test_the_packed_adam_update_past_its_blocks_of_corrections(beta1, beta2, seed):
    # The update packed alone (as stepping.simulate steps 150 runs and more) takes 1 − β^t
    # a block of 256 epochs at a time and leaves out 1 − β1^t once it is 1: its runs over
    # 600 epochs must still be Adam's, written out run by run.
    rng = np.random.default_rng(seed)
    hessian = (float(rng.uniform(0.1, 50.0)), float(rng.uniform(-10.0, 10.0)), 2.0)
    h_kk, h_kb, h_bb = hessian
    delta = tuple(float(v) for v in rng.uniform(-5.0, 5.0, 2))
    rates = 10.0 ** rng.uniform(-4, 1.5, (2, RUNS))
    epochs = 600
    step = gd.adam(1.0, (beta1, beta2)).packed_steps(RUNS)
    dev = np.array(delta)[:, np.newaxis] * np.ones((2, RUNS))
    out, moved = np.empty((2, RUNS)), np.empty((epochs, 2, RUNS))
    with np.errstate(all="ignore"):
        for epoch in range(epochs):
            gradient = np.array([h_kk * dev[0] + h_kb * dev[1], h_kb * dev[0] + h_bb * dev[1]])
            step(gradient, rates, out)
            dev = dev - out
            moved[epoch] = dev
    for run in range(RUNS):
        rates_k, rates_b = ([rates[p, run]] * epochs for p in range(2))
        expected = _adam_written_out(beta1, beta2, 1e-8, hessian, delta, rates_k, rates_b, epochs)
        np.testing.assert_array_equal(moved[:, :, run], expected, err_msg=f"run {run}")
