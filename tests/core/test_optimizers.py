"""Every optimizer's first steps against the torch.optim formulas, and its argument checks."""

import numpy as np
import pytest

import gd_core as gd
from tests.core.reference import learner_run

DATA = gd.make_dataset(20, slope=1.5, intercept=-2.0, noise=0.3, x_range=(-1.0, 3.0), seed=3)

CASES = {
    "sgd": (gd.sgd, {}),
    "momentum": (gd.momentum, {"momentum": 0.8}),
    "nesterov": (gd.nesterov, {"momentum": 0.7}),
    "adagrad": (gd.adagrad, {"eps": 1e-10}),
    "rmsprop": (gd.rmsprop, {"alpha": 0.95, "eps": 1e-8}),
    "adam": (gd.adam, {"betas": (0.8, 0.99), "eps": 1e-8}),
    "adamax": (gd.adamax, {"betas": (0.8, 0.99), "eps": 1e-8}),
}


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("lr", [0.05, (0.08, 0.3)], ids=["one rate", "per-parameter"])
def test_first_three_steps_follow_torch(name, lr):
    factory, hyper = CASES[name]
    run = gd.train(DATA, factory(lr, **hyper), epochs=3, init=(0.5, 1.0))
    k, b, loss = learner_run(DATA.x, DATA.y, name, lr, 3, hyper=hyper, init=(0.5, 1.0))
    np.testing.assert_allclose(run.k, k, rtol=1e-12)
    np.testing.assert_allclose(run.b, b, rtol=1e-12)
    np.testing.assert_allclose(run.loss, loss, rtol=1e-10)


TWO_POINTS = gd.Dataset(
    [0.0, 2.0], [1.0, 5.0]
)  # k* = 2, b* = 1; at (0, 0): r = (−1, −5), g = (−10, −6)


def test_hand_worked_first_steps():
    """Worked on paper from the torch.optim pseudocode, at (k, b) = (0, 0)."""
    first = {
        # SGD: θ − lr·g = (0.1, 0.06)
        gd.sgd(0.01): (0.1, 0.06),
        # Adam step 1: m̂ = g, v̂ = g², so the step is lr·g/(|g| + eps) ≈ lr per parameter.
        gd.adam(0.1, eps=1e-8): (0.1 * 10 / (10 + 1e-8), 0.1 * 6 / (6 + 1e-8)),
        # AdaGrad step 1: s = g², the same lr·g/(|g| + eps).
        gd.adagrad(0.1): (0.1 * 10 / (10 + 1e-10), 0.1 * 6 / (6 + 1e-10)),
        # RMSProp step 1: v = 0.01·g², √v = 0.1·|g|, so the step is 10·lr.
        gd.rmsprop(0.01, eps=1e-8): (0.1 / (1.0 + 1e-8), 0.06 / (0.6 + 1e-8)),
        # Adamax step 1: m = 0.1·g, u = |g| + eps, bias 1 − 0.9 = 0.1: lr·g/(|g| + eps).
        gd.adamax(0.1, eps=1e-8): (0.1 * 10 / (10 + 1e-8), 0.1 * 6 / (6 + 1e-8)),
    }
    for optimizer, (k1, b1) in first.items():
        run = gd.train(TWO_POINTS, optimizer, epochs=1)
        assert (run.k[1], run.b[1]) == pytest.approx((k1, b1), rel=1e-14), optimizer.name


def test_momentum_second_step_adds_the_remembered_gradient():
    # Step 1 from (0, 0): buffer g1 = (−10, −6), θ1 = (0.1, 0.06).
    # At θ1, r = (0.06 − 1, 0.26 − 5) = (−0.94, −4.74),
    # so g2 = (2·mean(x·r), 2·mean(r)) = (−9.48, −5.68).
    # buffer = 0.9·g1 + g2 = (−18.48, −11.08); θ2 = θ1 − 0.01·buffer = (0.2848, 0.1708).
    run = gd.train(TWO_POINTS, gd.momentum(0.01, momentum=0.9), epochs=2)
    assert (run.k[2], run.b[2]) == pytest.approx((0.2848, 0.1708), rel=1e-13)
    # Nesterov: step 1 uses g + μ·buffer = 1.9·g1: θ1 = (0.19, 0.114).
    run = gd.train(TWO_POINTS, gd.nesterov(0.01, momentum=0.9), epochs=1)
    assert (run.k[1], run.b[1]) == pytest.approx((0.19, 0.114), rel=1e-13)


def test_adamax_second_step_keeps_the_larger_decayed_norm():
    # Worked by hand with betas (0.5, 0.5), eps 0, on a parabola of curvature 2 along b only:
    # from b = 0 towards b* = 1 (x all 0, y all 1): g = 2·(b − 1).
    data = gd.Dataset([0.0, 0.0, 1e-9], [1.0, 1.0, 1.0])  # x not all equal, as Dataset asks
    run = gd.train(data, gd.adamax((0.0, 0.4), betas=(0.5, 0.5), eps=1e-300), epochs=2)
    # Step 1: g = −2, m = −1, u = 2, step = 0.4·(−1)/(0.5·2) = −0.4, so b1 = 0.4.
    # Step 2: g = −1.2, m = −0.5 − 0.6 = −1.1, u = max(1, 1.2) = 1.2,
    # step = 0.4·(−1.1)/(0.75·1.2) = −0.48888…, so b2 = 0.88888…
    assert run.b[1] == pytest.approx(0.4, rel=1e-6)
    assert run.b[2] == pytest.approx(0.4 + 0.44 / 0.9, rel=1e-6)


def test_traits_come_from_the_optimizer():
    assert gd.sgd(0.1).gain == 2.0 and gd.sgd(0.1).exact_map
    assert gd.momentum(0.1, momentum=0.5).gain == pytest.approx(3.0)
    assert gd.nesterov(0.1, momentum=0.5).gain == pytest.approx(1.5)
    assert not gd.momentum(0.1).exact_map and gd.momentum(0.1).closed_form
    assert not gd.sgd(0.1, schedule=gd.exponential_decay(0.9)).closed_form
    for adaptive in (gd.adagrad(0.1), gd.rmsprop(0.1), gd.adam(0.1), gd.adamax(0.1)):
        assert adaptive.gain is None and not adaptive.linear
        assert gd.parameter_limits(DATA, adaptive) is None
    h = gd.hessian(DATA)
    assert gd.parameter_limits(DATA, gd.momentum(0.1, momentum=0.5)) == pytest.approx(
        (3.0 / h[0, 0], 3.0 / h[1, 1])
    )


def test_rates_are_per_parameter():
    only_b = gd.train(TWO_POINTS, gd.sgd((0.0, 0.01)), epochs=5)
    assert np.all(only_b.k == 0.0) and only_b.b[-1] > 0.0
    assert gd.sgd(0.3).learning_rate == (0.3, 0.3)
    assert gd.adam((0.1, 0.2)).learning_rate == (0.1, 0.2)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: gd.sgd(-0.1), "finite number ≥ 0"),
        (lambda: gd.sgd(float("nan")), "finite number ≥ 0"),
        (lambda: gd.sgd((0.1, 0.2, 0.3)), "pair"),
        (lambda: gd.momentum(0.1, momentum=-0.5), "momentum must be"),
        (lambda: gd.nesterov(0.1, momentum=0.0), "momentum μ > 0"),
        (lambda: gd.adagrad(0.1, eps=0.0), "eps must be > 0"),
        (lambda: gd.rmsprop(0.1, alpha=1.5), "alpha must be"),
        (lambda: gd.adam(0.1, betas=(0.9, 1.0)), "betas must be"),
        (lambda: gd.adamax(0.1, betas=(1.0, 0.9)), "betas must be"),
        (lambda: gd.adamax(0.1, eps=0.0), "eps must be > 0"),
    ],
)
def test_bad_hyperparameters_raise_clear_errors(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_update_rules_work_on_arrays_like_on_floats():
    for factory, hyper in CASES.values():
        optimizer = factory(0.1, **hyper)
        grads = [1.5, -0.2, 3.0]
        state_arr, state_float = optimizer.init(np.zeros(2)), optimizer.init(0.0)
        for g in grads:
            step_arr, state_arr = optimizer.update(np.array([g, 2 * g]), state_arr, 0.1)
            step_float, state_float = optimizer.update(g, state_float, 0.1)
        assert step_arr[0] == pytest.approx(step_float, rel=1e-15)
