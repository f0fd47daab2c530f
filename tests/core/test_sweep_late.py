"""A full-batch sweep's "not shown to stay" is train()'s run read by progress.late_settlers,
point by point, for every engine: stepped (Adam, RMSProp, …, any schedule: the stays read
while stepping), the closed forms (momentum, Nesterov) and plain GD's modes (from the orbits
of the runs that converged past half their epochs). Before, only mini-batch sweeps, trained
one by one, knew; a stepped sweep counted a settle in its last epochs as converged."""

import numpy as np
import pytest

import gd_core as gd


def _late_by_train(data, optimizer, epochs, init):
    run = gd.train(data, optimizer, epochs, init)
    return run.converged_at is not None and bool(gd.progress(data, run).late), run.converged_at


def _cases(seed):
    """Random data, starts and epoch counts, where late settles are common enough to count."""
    rng = np.random.default_rng(seed)
    for trial in range(9):
        low, high = float(rng.uniform(-5, 0)), float(rng.uniform(1, 8))
        data = gd.make_dataset(30, 2.0, 1.0, 1.0, x_range=(low, high), seed=trial)
        init = (float(rng.uniform(-3, 3)), float(rng.uniform(-3, 3)))
        yield data, int(rng.integers(30, 400)), init


FAMILIES = {
    "adam": ({}, (1e-3, 1.0)),
    "rmsprop": ({}, (1e-3, 1.0)),
    "momentum": ({"momentum": 0.9}, (1e-2, 0.9)),
    "nesterov": ({"momentum": 0.9}, (1e-2, 0.9)),
    "sgd": ({}, (1e-2, 0.99)),
}


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_each_point_is_late_exactly_when_its_own_run_is(name):
    hyper, (low, high) = FAMILIES[name]
    seen = 0
    for data, epochs, init in _cases(7):
        top = gd.analyze(data).max_stable_lr
        values = np.geomspace(low, high, 25) * (1.0 if hyper or name != "sgd" else top)
        if name in ("momentum", "nesterov"):
            values = values * top
        swept = gd.sweep(data, "lr", values, name, epochs, init=init, **hyper)
        for value, late, converged in zip(
            values, swept.late, swept.epochs_to_converge, strict=True
        ):
            want, at = _late_by_train(
                data, gd.make_optimizer(name, float(value), **hyper), epochs, init
            )
            assert late == want, (name, value, epochs, init)
            assert converged == (np.nan if at is None else at) or (
                at is None and np.isnan(converged)
            )
            seen += want
    if name != "sgd":  # plain GD's monotone modes rarely leave their band once in
        assert seen > 0  # the rule was exercised, not only its "no"


def test_a_schedule_a_hyperparameter_sweep_and_a_data_sweep_agree_too():
    seen = 0
    for data, epochs, init in _cases(11):
        stepped = gd.sweep(
            data, "lr", np.geomspace(1e-3, 1.0, 12), "rmsprop", epochs, init=init
        )  # and with a decay: the schedule's rates in the stepped loop
        decayed = gd.sweep(
            data,
            "lr",
            np.geomspace(1e-3, 1.0, 12),
            gd.rmsprop(0.01, schedule=gd.step_decay(50, 0.7)),
            epochs,
            init=init,
        )
        momenta = gd.sweep(
            data,
            "momentum",
            np.linspace(0.5, 0.97, 12),
            "momentum",
            epochs,
            init=init,
            lr=0.3 * gd.analyze(data).max_stable_lr,
        )
        for value, late in zip(decayed.values, decayed.late, strict=True):
            optimizer = gd.rmsprop(float(value), schedule=gd.step_decay(50, 0.7))
            assert late == _late_by_train(data, optimizer, epochs, init)[0]
        for value, late in zip(momenta.values, momenta.late, strict=True):
            optimizer = gd.momentum(0.3 * gd.analyze(data).max_stable_lr, momentum=float(value))
            assert late == _late_by_train(data, optimizer, epochs, init)[0]
        seen += int(stepped.late.sum() + decayed.late.sum() + momenta.late.sum())
    noisy = [gd.make_dataset(30, 2.0, 1.0, sigma, seed=3) for sigma in (0.1, 0.5, 1.0, 2.0)]
    adam = gd.adam(0.3)
    swept = gd.sweep_datasets(noisy, adam, 300, init=(2.0, -2.0))
    for data, late in zip(noisy, swept.late, strict=True):
        assert late == _late_by_train(data, adam, 300, (2.0, -2.0))[0]
    assert seen > 0


def _pulled_cases(name, hyper, scale):
    """k starting at its optimum (or a hair from it), pulled off by b through mean(x) > 0 and
    back: linear runs, with epochs chosen so that some settle in their last twentieth, after
    the stay at the start."""
    rng = np.random.default_rng(23)
    for trial in range(4):
        data = gd.make_dataset(30, 2.0, 1.0, 1.0, x_range=(1.0, 6.0), seed=trial)
        nudge = 0.0 if trial % 2 else float(rng.uniform(-1e-4, 1e-4))
        init = (data.slope_ols + nudge, float(rng.uniform(-3, 3)))
        values = np.geomspace(0.01, 0.99, 30) * gd.analyze(data).max_stable_lr * scale
        settled = gd.sweep(data, "lr", values, name, 5000, init=init, **hyper).epochs_to_converge
        for epochs in np.ceil(np.nanpercentile(settled, [30, 60, 90]) / 0.95):
            yield data, values, int(epochs), init


@pytest.mark.parametrize("name", ["sgd", "momentum", "nesterov"])
def test_a_linear_run_pulled_off_its_optimum_and_back_late_is_late(name):
    # Plain GD's lates are read from its modes (gd_core/late_modes.py), the closed forms'
    # from their orbits: each point against its own run, and some points are late.
    hyper, scale = ({}, 1.0) if name == "sgd" else ({"momentum": 0.9}, 0.3)
    seen = 0
    for data, values, epochs, init in _pulled_cases(name, hyper, scale):
        swept = gd.sweep(data, "lr", values, name, epochs, init=init, **hyper)
        for value, late in zip(values, swept.late, strict=True):
            optimizer = gd.make_optimizer(name, float(value), **hyper)
            assert late == _late_by_train(data, optimizer, epochs, init)[0], (value, epochs)
        seen += int(swept.late.sum())
    assert seen > 0
