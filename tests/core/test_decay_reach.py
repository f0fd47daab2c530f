"""decay_reach against loops written here: plain GD's exact reach under a decay, and the bounds
on how far the other rules can still move (torch.optim's update formulas)."""

import numpy as np
import pytest

import gd_core as gd
from gd_core import decay_reach

DATA = gd.make_dataset(n=60, slope=2.0, intercept=1.0, noise=1.0, x_range=(0.0, 10.0), seed=3)
SCHEDULES = {
    "step": gd.step_decay(100, 0.5),
    "exponential": gd.exponential_decay(0.99),
    "inverse": gd.inverse_time_decay(10.0),
}


def _plain_loop(rates, schedule, start, stop, deviation):
    h = gd.hessian(DATA)
    delta = np.array(deviation, dtype=float)
    for epoch in range(start, stop):
        delta = delta - float(schedule(np.array([epoch]))[0]) * np.array(rates) * (h @ delta)
    return delta


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_plain_reach_is_the_loop(name):
    rates, deviation = (0.005, 0.4), (0.3, -2.0)
    got = decay_reach.plain_reach(DATA, rates, SCHEDULES[name], 450, 3000, deviation)
    want = _plain_loop(rates, SCHEDULES[name], 450, 3000, deviation)
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-300)


def test_plain_reach_with_a_swinging_mode():
    # 1 − m·s < 0 for the steep mode early on: the sign of the product must survive the logs.
    rates = (0.02, 0.4)  # steep mode's factor −0.78 at first
    got = decay_reach.plain_reach(DATA, rates, SCHEDULES["step"], 0, 700, (0.3, -2.0))
    np.testing.assert_allclose(
        got, _plain_loop(rates, SCHEDULES["step"], 0, 700, (0.3, -2.0)), rtol=1e-8
    )


def test_rate_left_is_the_sum():
    assert decay_reach.rate_left(SCHEDULES["inverse"], 450, 200_000) == pytest.approx(
        sum(1.0 / (1.0 + 10.0 * e) for e in range(450, 200_000)), rel=1e-12
    )


def _adaptive_steps(name, hyper, gradients, lr=1.0):
    """|step| of each update for a stream of gradients, by torch.optim's formulas."""
    m = v = s = u = 0.0
    out = []
    for t, g in enumerate(gradients, start=1):
        if name == "adam":
            b1, b2 = hyper["betas"]
            m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
            step = lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + 1e-8)
        elif name == "adamax":
            b1, b2 = hyper["betas"]
            m, u = b1 * m + (1 - b1) * g, max(b2 * u, abs(g) + 1e-8)
            step = lr * m / ((1 - b1**t) * u)
        elif name == "rmsprop":
            a = hyper["alpha"]
            v = a * v + (1 - a) * g * g
            step = lr * g / (np.sqrt(v) + 1e-8)
        else:
            s += g * g
            step = lr * g / (np.sqrt(s) + 1e-10)
        out.append(abs(step))
    return np.array(out)


@pytest.mark.parametrize(
    ("name", "hyper"),
    [
        ("adam", {"betas": (0.9, 0.999)}),
        ("adam", {"betas": (0.5, 0.6)}),
        ("adamax", {"betas": (0.9, 0.999)}),
        ("rmsprop", {"alpha": 0.99}),
        ("adagrad", {}),
    ],
)
def test_step_bound_holds_for_hostile_gradients(name, hyper):
    rng = np.random.default_rng(0)
    # Long quiet stretches, then bursts of one sign: what makes m̂/√v̂ largest.
    gradients = np.concatenate(
        [
            np.full(300, 1e-6),
            np.full(40, 5.0),
            rng.normal(size=300) * 10.0 ** rng.integers(-6, 3, 300),
        ]
    )
    steps = _adaptive_steps(name, hyper, gradients)
    for first in (1, 50, 300):
        bound = decay_reach.step_bound(name, hyper, first)
        assert np.all(steps[first - 1 :] <= bound * (1 + 1e-12))
    # The bound is not vacuous: a burst after quiet comes within a few times of it.
    assert steps[299:].max() >= decay_reach.step_bound(name, hyper, 300) / 10


def test_no_step_bound_for_plain_gd():
    assert decay_reach.step_bound("sgd", {}, 1) is None
    assert decay_reach.step_bound("adam", {"betas": (0.99, 0.9)}, 1) is None  # β1² ≥ β2


def test_mini_batch_travel_bound_holds():
    schedule = gd.exponential_decay(0.9)
    optimizer = gd.sgd((0.01, 0.01), schedule)
    at, batch = (0.5, 0.0), 8
    bound = decay_reach.travel_bound(DATA, optimizer, {}, 100, 300, batch, at)
    rng = np.random.default_rng(1)
    theta, start, farthest = np.array(at), np.array(at), 0.0
    for epoch in range(100, 300):
        rate = 0.01 * float(schedule(np.array([epoch]))[0])
        order = rng.permutation(DATA.n)
        for first in range(0, DATA.n, batch):
            idx = order[first : first + batch]
            r = theta[0] * DATA.x[idx] + theta[1] - DATA.y[idx]
            theta = theta - rate * np.array([2 * np.mean(r * DATA.x[idx]), 2 * np.mean(r)])
            farthest = max(farthest, float(np.max(np.abs(theta - start))))
    assert 0.0 < farthest <= bound
    assert bound < 1.0  # 0.9^100 has cut the rate: the bound is tight enough to use


def test_no_travel_bound_for_momentum_or_plateau():
    assert (
        decay_reach.travel_bound(
            DATA, gd.momentum(0.01, 0.9, gd.step_decay(10, 0.5)), {}, 0, 10, None, (0, 0)
        )
        is None
    )
    assert (
        decay_reach.travel_bound(
            DATA, gd.sgd(0.01, gd.reduce_on_plateau()), {}, 0, 10, None, (0, 0)
        )
        is None
    )


def test_a_falling_schedule_stops_early_with_the_same_answer_and_an_upper_bound():
    for schedule in SCHEDULES.values():
        full = decay_reach.plain_reach(DATA, (0.005, 0.4), schedule, 450, 300_000, (0.3, -2.0))
        early = decay_reach.plain_reach(
            DATA, (0.005, 0.4), schedule, 450, 300_000, (0.3, -2.0), True
        )
        np.testing.assert_allclose(early, full, rtol=1e-10)
        summed = decay_reach.rate_left(schedule, 450, 300_000)
        bound = decay_reach.rate_left(schedule, 450, 300_000, falling=True)
        assert summed <= bound <= summed * (1 + 1e-11)
