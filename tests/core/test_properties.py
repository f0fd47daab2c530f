"""Properties over random data, rates, epochs and batch sizes: train() never fails."""

import warnings

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gd_core as gd
from gd_core.run import divergence_threshold

FACTORIES = {
    "sgd": gd.sgd,
    "momentum": gd.momentum,
    "nesterov": gd.nesterov,
    "adagrad": gd.adagrad,
    "rmsprop": gd.rmsprop,
    "adam": gd.adam,
}
SCHEDULES = [None, gd.constant(), gd.step_decay(3, 0.5), gd.cosine_decay(20, 0.1)]


@st.composite
def datasets(draw):
    n = draw(st.integers(2, 60))
    low = draw(st.floats(-1e3, 1e3))
    width = draw(st.floats(1e-2, 1e2))
    return gd.make_dataset(
        n,
        slope=draw(st.floats(-50, 50)),
        intercept=draw(st.floats(-50, 50)),
        noise=draw(st.floats(0, 10)),
        x_range=(low, low + width),
        seed=draw(st.integers(0, 2**32 - 1)),
    )


rates = st.floats(1e-6, 10.0)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=datasets(),
    name=st.sampled_from(sorted(FACTORIES)),
    lr=st.tuples(rates, rates),
    schedule=st.sampled_from(SCHEDULES),
    epochs=st.integers(0, 300),
    batch_size=st.none() | st.integers(1, 80),
    init=st.tuples(st.floats(-100, 100), st.floats(-100, 100)),
    tol=st.floats(0, 1e-2),
)
def test_train_never_raises_and_reports_consistently(
    data, name, lr, schedule, epochs, batch_size, init, tol
):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow warning would fail the test
        run = gd.train(
            data, FACTORIES[name](lr, schedule=schedule), epochs, init, batch_size, tol=tol
        )
    length = len(run.loss)
    assert len(run.k) == len(run.b) == length
    assert (run.k[0], run.b[0]) == init
    threshold = divergence_threshold(run.loss[0])
    if run.status == "diverged":
        assert run.diverged_at == length - 1 <= epochs
        assert not run.loss[-1] <= threshold
        assert np.isfinite(run.loss[:-1]).all() and (run.loss[:-1] <= threshold).all()
        assert run.converged_at is None
    else:
        assert length == epochs + 1 and run.diverged_at is None
        assert np.isfinite(run.loss).all() and np.isfinite(run.k).all() and np.isfinite(run.b).all()
        assert (run.loss >= data.loss_ols).all()
    if run.status == "converged":
        excess = gd.excess_loss(data, run.k - data.slope_ols, run.b - data.intercept_ols)
        # k − k* cannot show a deviation below k*'s last bits, so this reference is blind below
        # the excess of a few ulps; a tolerance like 1e-70 asks for more than it can see.
        blind = gd.excess_loss(
            data, 4 * np.spacing(data.slope_ols), 4 * np.spacing(data.intercept_ols)
        )
        below = excess <= tol * excess[0]
        assert excess[run.converged_at] <= max(tol * excess[0], blind)
        assert not (below[: run.converged_at] & (excess[: run.converged_at] > blind)).any()
    if run.status == "max_epochs":
        assert run.converged_at is None


@settings(max_examples=100, deadline=None)
@given(data=datasets(), k=st.floats(-1e6, 1e6), b=st.floats(-1e6, 1e6))
def test_loss_is_never_below_the_least_squares_floor(data, k, b):
    assert gd.mse(data, k, b) >= data.loss_ols >= 0.0
