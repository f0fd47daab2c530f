"""effective_rates against the torch formulas replayed on the learner's own gradients."""

import numpy as np
import pytest

import gd_core as gd
from tests.core.reference import direct_gradient, learner_run

DATA = gd.make_dataset(60, slope=2.0, intercept=1.0, noise=1.0)
EPOCHS = 150  # while the raw-data gradients still dwarf their rounding


def reference_rates(name, lr, hyper, multipliers):
    """lr/(√v̂ + eps) per parameter, from the torch docs' accumulators on raw-data gradients."""
    ks, bs, _ = learner_run(DATA.x, DATA.y, name, lr, EPOCHS, hyper=hyper, multipliers=multipliers)
    acc = np.zeros(2)
    rates = []
    for t in range(1, EPOCHS + 1):
        g = np.array(direct_gradient(DATA.x, DATA.y, ks[t - 1], bs[t - 1]))
        step_lr = np.array(lr) * multipliers[t - 1]
        if name == "adagrad":
            acc += g * g
            root = np.sqrt(acc)
        elif name == "rmsprop":
            acc = hyper["alpha"] * acc + (1 - hyper["alpha"]) * g * g
            root = np.sqrt(acc)
        else:
            beta2 = hyper["betas"][1]
            acc = beta2 * acc + (1 - beta2) * g * g
            root = np.sqrt(acc / (1 - beta2**t))
        rates.append(step_lr / (root + hyper["eps"]))
    return np.array(rates)


@pytest.mark.parametrize(
    ("name", "hyper"),
    [
        ("adagrad", {"eps": 1e-10}),
        ("rmsprop", {"alpha": 0.95, "eps": 1e-8}),
        ("adam", {"betas": (0.9, 0.999), "eps": 1e-8}),
    ],
)
def test_effective_rates_match_the_torch_accumulators(name, hyper):
    lr, schedule = (0.05, 0.2), gd.step_decay(100, 0.5)
    optimizer = gd.make_optimizer(name, lr, schedule=schedule, **hyper)
    run = gd.train(DATA, optimizer, EPOCHS)
    rate_k, rate_b = gd.effective_rates(DATA, optimizer, run)
    expected = reference_rates(name, lr, hyper, schedule(np.arange(EPOCHS)))
    np.testing.assert_allclose(rate_k, expected[:, 0], rtol=1e-7)
    np.testing.assert_allclose(rate_b, expected[:, 1], rtol=1e-7)


def test_adam_gives_b_a_larger_rate_than_k():
    # The point the theory page makes: Adam finds per-parameter rates by itself.
    optimizer = gd.adam(0.1)
    rate_k, rate_b = gd.effective_rates(DATA, optimizer, gd.train(DATA, optimizer, 200))
    assert np.all(rate_b > 3 * rate_k)


def test_plain_rules_report_their_scheduled_rate_and_epochs_limit_the_replay():
    optimizer = gd.sgd((0.01, 0.1), schedule=gd.exponential_decay(0.9))
    rate_k, rate_b = gd.effective_rates(DATA, optimizer, gd.train(DATA, optimizer, 50), epochs=20)
    np.testing.assert_allclose(rate_k, 0.01 * 0.9 ** np.arange(20))
    np.testing.assert_allclose(rate_b, 0.1 * 0.9 ** np.arange(20))


@pytest.mark.parametrize("name", ["adagrad", "rmsprop", "adam", "adamax"])
def test_each_step_is_the_effective_rate_times_the_gradient_signal(name):
    optimizer = gd.make_optimizer(name, 0.3)
    state = optimizer.init(0.0)
    for g in (2.0, -1.5, 0.25):
        step, state = optimizer.update(g, state, 0.3)
        # m̂ = m/(1 − β1^t) for Adam and Adamax (β1^t is state[2] in both)
        signal = g if name not in ("adam", "adamax") else state[0] / (1 - state[2])
        assert step == pytest.approx(optimizer.effective_rate(state, 0.3) * signal, rel=1e-14)


@pytest.mark.parametrize("name", ["adagrad", "rmsprop", "adam", "adamax"])
def test_no_rate_while_every_gradient_so_far_is_exactly_zero(name):
    # x symmetric about 0, so mean(x) = 0 exactly: from k = k*, b's error leaves every residual
    # equal and k's gradient 2·mean(x·r) exactly 0 at every epoch, while b moves.
    data = gd.Dataset(np.array([-2.0, -1.0, 1.0, 2.0]), np.array([-1.0, 0.0, 2.0, 3.0]))
    optimizer = gd.make_optimizer(name, 0.1)
    run = gd.train(data, optimizer, 30, init=(data.slope_ols, data.intercept_ols + 3.0))
    grad_k, grad_b = gd.gradient(data, run.k[:-1], run.b[:-1])
    assert np.all(grad_k == 0.0) and np.all(grad_b != 0.0)
    assert np.all(run.k == data.slope_ols)  # no step in k: the rate it reports would be lr/eps
    rate_k, rate_b = gd.effective_rates(data, optimizer, run)
    assert np.isnan(rate_k).all()
    assert np.isfinite(rate_b).all() and (rate_b < 0.1 / 1e-8).all()
    # b's rate is the one that moved b: its step is rate · (g or m̂), as the update applies it.
    signal = grad_b[0]  # m̂_1 = g_1 for Adam and Adamax, g_1 for the others
    assert run.b[0] - run.b[1] == pytest.approx(rate_b[0] * signal, rel=1e-12)


def test_a_start_at_the_exact_optimum_has_no_adaptive_rate_and_plain_gd_keeps_its_own():
    line = gd.make_dataset(40, slope=2.0, intercept=1.0, noise=0.0)
    assert gd.gradient(line, 2.0, 1.0) == (0.0, 0.0)
    adam = gd.adam(0.01)
    rates = gd.effective_rates(line, adam, gd.train(line, adam, 20, init=(2.0, 1.0)))
    assert all(np.isnan(r).all() for r in rates)
    plain = gd.sgd(0.01)
    rates = gd.effective_rates(line, plain, gd.train(line, plain, 20, init=(2.0, 1.0)))
    assert all((r == 0.01).all() for r in rates)
