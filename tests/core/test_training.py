"""train(): convergence, equivalences, exactness against the learner's loop, divergence."""

import math

import numpy as np
import pytest

import gd_core as gd
from gd_core import closed_form, descent
from gd_core.run import divergence_threshold
from gd_core.training import start_point
from tests.core.reference import learner_run

DATA = gd.make_dataset(100, slope=2.0, intercept=1.0, noise=1.0)


def lstsq(data):
    design = np.column_stack([data.x, np.ones(data.n)])
    return np.linalg.lstsq(design, data.y, rcond=None)[0]


SENSIBLE = {
    "sgd": gd.sgd((0.02, 0.2)),
    "momentum": gd.momentum((0.005, 0.05)),
    "nesterov": gd.nesterov((0.005, 0.05)),
    "adagrad": gd.adagrad(2.0),
    "rmsprop": gd.rmsprop(0.02, schedule=gd.step_decay(200, 0.5)),
    "adam": gd.adam(0.1, schedule=gd.inverse_time_decay(0.01)),
}


@pytest.mark.parametrize("name", SENSIBLE)
def test_every_optimizer_reaches_the_least_squares_line(name):
    run = gd.train(DATA, SENSIBLE[name], epochs=3000)
    k_ref, b_ref = lstsq(DATA)
    assert run.status == "converged", run.message
    assert run.k[-1] == pytest.approx(k_ref, abs=1e-3)
    assert run.b[-1] == pytest.approx(b_ref, abs=1e-2)
    assert run.loss[-1] == pytest.approx(np.mean((k_ref * DATA.x + b_ref - DATA.y) ** 2), rel=1e-4)


def same_run(a, b, rtol=1e-12):
    np.testing.assert_allclose(a.k, b.k, rtol=rtol)
    np.testing.assert_allclose(a.b, b.b, rtol=rtol)
    np.testing.assert_allclose(a.loss, b.loss, rtol=rtol)
    assert (a.status, a.converged_at, a.diverged_at) == (b.status, b.converged_at, b.diverged_at)


def test_momentum_zero_is_sgd():
    same_run(
        gd.train(DATA, gd.momentum(0.01, momentum=0.0), 300), gd.train(DATA, gd.sgd(0.01), 300)
    )


@pytest.mark.parametrize("factory", [gd.sgd, gd.momentum, gd.adagrad, gd.rmsprop, gd.adam])
def test_a_pair_of_equal_rates_is_one_rate(factory):
    same_run(gd.train(DATA, factory((0.01, 0.01)), 300), gd.train(DATA, factory(0.01), 300), 0)


@pytest.mark.parametrize("factory", [gd.sgd, gd.nesterov, gd.adam])
def test_constant_schedule_is_no_schedule(factory):
    # For sgd/nesterov this compares the closed form with the step-by-step loop.
    plain = gd.train(DATA, factory((0.01, 0.1)), 500)
    scheduled = gd.train(DATA, factory((0.01, 0.1), schedule=gd.constant()), 500)
    same_run(plain, scheduled, rtol=1e-9)


@pytest.mark.parametrize("batch_size", [100, 101, 10**6])
def test_a_batch_of_all_points_is_full_batch(batch_size):
    same_run(
        gd.train(DATA, gd.adam(0.05), 200, batch_size=batch_size),
        gd.train(DATA, gd.adam(0.05), 200),
    )


@pytest.mark.parametrize("optimizer", [gd.sgd(0.01), gd.rmsprop(0.01)], ids=["sgd", "rmsprop"])
def test_the_mini_batch_engine_with_one_batch_matches_full_batch(optimizer):
    delta = (-DATA.slope_ols, -DATA.intercept_ols)
    dk, db = descent.mini_batch(DATA, optimizer, 200, delta, np.inf, DATA.n, seed=0)
    fk, fb = descent.full_batch(DATA, optimizer, 200, delta, np.inf)
    np.testing.assert_allclose(dk, fk, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(db, fb, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize(
    ("name", "lr"), [("sgd", 0.003), ("momentum", 0.002), ("adam", 0.01), ("adagrad", 0.3)]
)
@pytest.mark.parametrize("batch_size", [1, 7, 32])
def test_mini_batches_match_the_learners_per_batch_loop(name, lr, batch_size):
    optimizer = getattr(gd, name)(lr)
    hyper = {"momentum": {"momentum": 0.9}, "adam": {"betas": (0.9, 0.999), "eps": 1e-8}}
    hyper["adagrad"] = {"eps": 1e-10}
    run = gd.train(DATA, optimizer, 20, init=(0.5, -1.0), batch_size=batch_size, seed=42)
    k, b, loss = learner_run(
        DATA.x,
        DATA.y,
        name,
        lr,
        20,
        hyper=hyper.get(name, {}),
        init=(0.5, -1.0),
        batch_size=batch_size,
        seed=42,
    )
    np.testing.assert_allclose(run.k, k, rtol=1e-9)
    np.testing.assert_allclose(run.b, b, rtol=1e-9)
    np.testing.assert_allclose(run.loss, loss, rtol=1e-9)


def test_mini_batch_seed_changes_the_path_but_not_the_start():
    a = gd.train(DATA, gd.sgd(0.001), 5, batch_size=10, seed=1)
    b = gd.train(DATA, gd.sgd(0.001), 5, batch_size=10, seed=2)
    assert a.k[0] == b.k[0] and a.k[-1] != b.k[-1]


EXACTNESS = {
    "default": gd.make_dataset(1000, 2.0, 1.0, 1.0),
    "x offset by 1e4, noise 1e-6": gd.make_dataset(1000, 2.0, 1.0, 1e-6, x_range=(1e4, 1e4 + 10.0)),
}


@pytest.mark.parametrize("name", EXACTNESS)
@pytest.mark.parametrize("optimizer", ["sgd", "nesterov", "adam"])
def test_full_batch_agrees_with_a_direct_pass_in_extended_precision(name, optimizer):
    """1000 epochs against the learner's loop run in long double (about 19 digits)."""
    data = EXACTNESS[name]
    lr = {"sgd": 0.9 / data.x_sq_mean, "nesterov": 0.3 / data.x_sq_mean, "adam": 0.01}[optimizer]
    hyper = {"nesterov": {"momentum": 0.9}, "adam": {"betas": (0.9, 0.999), "eps": 1e-8}}
    run = gd.train(data, getattr(gd, optimizer)(lr), 1000)
    x, y = data.x.astype(np.longdouble), data.y.astype(np.longdouble)
    k, b, loss = learner_run(x, y, optimizer, lr, 1000, hyper=hyper.get(optimizer, {}))
    assert run.status != "diverged"
    np.testing.assert_allclose(run.k, k.astype(float), rtol=1e-9)
    np.testing.assert_allclose(run.b, b.astype(float), rtol=1e-9)
    np.testing.assert_allclose(run.loss, loss.astype(float), rtol=1e-9)


@pytest.mark.parametrize("optimizer", ["sgd", "rmsprop", "adam"])
def test_full_batch_agrees_with_the_float64_learner_loop(optimizer):
    data = EXACTNESS["default"]
    lr = (0.5 / data.x_sq_mean, 0.5) if optimizer == "sgd" else 0.01
    hyper = {"rmsprop": {"alpha": 0.99, "eps": 1e-8}, "adam": {"betas": (0.9, 0.999), "eps": 1e-8}}
    run = gd.train(data, getattr(gd, optimizer)(lr), 1000)
    k, b, loss = learner_run(data.x, data.y, optimizer, lr, 1000, hyper=hyper.get(optimizer, {}))
    np.testing.assert_allclose(run.k, k, rtol=1e-9)
    np.testing.assert_allclose(run.b, b, rtol=1e-9)
    np.testing.assert_allclose(run.loss, loss, rtol=1e-9)


@pytest.mark.parametrize("factory", [gd.sgd, gd.momentum, gd.nesterov])
@pytest.mark.parametrize("epochs", [0, 1, 2, 3, 1000, 5000])
def test_closed_form_equals_the_step_by_step_loop(factory, epochs):
    optimizer = factory((0.01, 0.1))
    delta = (3.0 - DATA.slope_ols, -4.0 - DATA.intercept_ols)
    ck, cb = closed_form.linear_descent(DATA, optimizer, epochs, delta)
    lk, lb = descent.full_batch(DATA, optimizer, epochs, delta, np.inf)
    scale = np.abs(delta).max()
    np.testing.assert_allclose(ck, lk, rtol=1e-9, atol=1e-12 * scale)
    np.testing.assert_allclose(cb, lb, rtol=1e-9, atol=1e-12 * scale)


@pytest.mark.parametrize("factory", [gd.sgd, gd.nesterov])
def test_closed_form_diverges_where_the_loop_does(factory):
    optimizer = factory((0.03, 0.3))
    delta = (-DATA.slope_ols, -DATA.intercept_ols)
    ck, _ = closed_form.linear_descent(DATA, optimizer, 3000, delta)
    lk, _ = descent.full_batch(DATA, optimizer, 3000, delta, np.inf)
    finite = np.isfinite(lk)  # the loop stops at the end of the block where it overflowed
    assert not finite.all()
    np.testing.assert_allclose(ck[: lk.size][finite], lk[finite], rtol=1e-9)


def test_transition_matrix_needs_a_linear_optimizer():
    with pytest.raises(ValueError, match="no closed form"):
        closed_form.transition_matrix(DATA, gd.adam(0.1))


def first_bad_epoch(loss):
    threshold = divergence_threshold(loss[0])
    bad = np.flatnonzero(~(loss <= threshold))
    return int(bad[0])


@pytest.mark.parametrize(
    ("optimizer", "schedule"),
    [(gd.sgd, None), (gd.sgd, gd.constant()), (gd.momentum, None), (gd.adam, None)],
    ids=["sgd closed form", "sgd loop", "momentum", "adam"],
)
def test_divergence_is_reported_at_the_right_epoch_without_warnings(optimizer, schedule, capfd):
    lr = (0.1, 0.5) if optimizer is not gd.adam else 1e3
    run = gd.train(DATA, optimizer(lr, schedule=schedule), epochs=100000)
    if optimizer is gd.adam:  # Adam's steps are bounded by lr: it wanders, it does not blow up
        assert run.status != "diverged" and np.isfinite(run.loss).all()
        return
    name = "momentum" if optimizer is gd.momentum else "sgd"
    hyper = {"momentum": 0.9} if name == "momentum" else {}
    with np.errstate(all="ignore"):
        _, _, loss = learner_run(DATA.x, DATA.y, name, lr, run.diverged_at + 5, hyper=hyper)
    assert run.status == "diverged"
    assert run.diverged_at == first_bad_epoch(loss)
    assert len(run.k) == len(run.b) == len(run.loss) == run.diverged_at + 1
    assert np.isfinite(run.loss[:-1]).all() and run.converged_at is None
    assert "Diverged at epoch" in run.message
    assert capfd.readouterr().err == ""


def test_overflow_to_nan_is_a_result(capfd):
    run = gd.train(DATA, gd.sgd(10.0, schedule=gd.constant()), epochs=2000)
    assert run.status == "diverged" and run.diverged_at < 50
    run = gd.train(DATA, gd.sgd(10.0), epochs=2000, batch_size=3)
    assert run.status == "diverged"
    assert capfd.readouterr().err == ""


def test_converged_at_is_when_both_parameters_have_settled():
    run = gd.train(DATA, gd.sgd(0.01), 2000, tol=1e-4)
    k_star, b_star = lstsq(DATA)
    settled = []
    for values, optimum in ((run.k, k_star), (run.b, b_star)):
        gap = np.abs(values - optimum)
        inside = gap <= 1e-4 * gap[0]
        assert inside[-1]
        settled.append(int(np.flatnonzero(~inside)[-1]) + 1)
    assert run.settled_at == tuple(settled)
    assert run.status == "converged" and run.converged_at == max(settled)
    short = gd.train(DATA, gd.sgd(0.01), run.converged_at - 1, tol=1e-4)
    assert short.status == "max_epochs" and short.converged_at is None
    assert short.settled_at[0] == settled[0] and short.settled_at[1] is None


def test_starting_at_the_optimum_is_converged_at_epoch_zero():
    noiseless = gd.make_dataset(50, 2.0, 1.0, 0.0)
    run = gd.train(noiseless, gd.adam(0.1), 10, init=gd.ols(noiseless))
    assert run.status == "converged" and run.converged_at == 0


def test_run_arrays_are_read_only():
    run = gd.train(DATA, gd.adam(0.1), 10)
    for values in (run.k, run.b, run.loss):
        with pytest.raises(ValueError):
            values[0] = 1.0


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"epochs": -1}, "epochs must be a whole number"),
        ({"epochs": 2.5}, "epochs must be a whole number"),
        ({"batch_size": 0}, "batch_size must be"),
        ({"init": (np.nan, 0.0)}, "init must be two finite numbers"),
        ({"init": (1.0,)}, "init must be two finite numbers"),
        ({"init": (float("inf"), 0)}, "init must be two finite numbers"),  # Python's path
        ({"init": (1, float("nan"))}, "init must be two finite numbers"),
        ({"tol": -1.0}, "tol must be"),
        ({"seed": -3}, "seed must be"),
    ],
)
def test_bad_training_arguments_raise_clear_errors(kwargs, error):
    args = {"epochs": 10} | kwargs
    with pytest.raises(ValueError, match=error):
        gd.train(DATA, gd.sgd(0.01), **args)


@pytest.mark.parametrize(
    "init", [(1, 2.5), (True, -0.0), [1.0, 2.5], np.array([1.0, 2.5]), (np.float32(1.5), 2)]
)
def test_a_start_is_the_same_floats_however_it_is_given(init):
    # Tuples of Python numbers take a path of their own (training.start_point): same floats.
    assert gd.train(DATA, gd.sgd(0.01), 0, init=init).k[0] == float(np.asarray(init, float)[0])
    expected = tuple(np.asarray(init, dtype=np.float64).tolist())
    start = start_point(init)
    assert start == expected and all(type(value) is float for value in start)
    assert [math.copysign(1, v) for v in start] == [math.copysign(1, v) for v in expected]


def test_a_schedule_that_returns_garbage_is_refused():
    with pytest.raises(ValueError, match="schedule must map"):
        gd.train(DATA, gd.sgd(0.01, schedule=lambda epoch: -1.0), 10)
