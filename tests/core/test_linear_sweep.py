"""Linear rules swept from stacked closed forms (gd_core/linear_sweep.py) against train().

The orbit is built a block of epochs at a time; these runs are long enough to cross several
blocks, and end exactly on and just past a block's edge.
"""

import numpy as np
import pytest

import gd_core as gd
from gd_core import linear_sweep

DATA = gd.make_dataset(60, 2.0, 1.0, 1.0, (0.0, 6.0), 4)


def block_of(runs, epochs):
    size = 4  # (δk, δb, two momentum buffers)
    fits = max(linear_sweep.MIN_BLOCK, linear_sweep.BLOCK_VALUES // (runs * size))
    return 2 ** int(np.log2(max(2, min(epochs + 1, fits))))


@pytest.mark.parametrize(("name", "lr"), [("momentum", 0.1), ("nesterov", 0.05)])
@pytest.mark.parametrize("extra", [0, 1, 37])
def test_long_momentum_sweeps_equal_train_across_blocks(name, lr, extra):
    mus = np.linspace(0.05, 0.995, 40)
    block = block_of(mus.size, 5_000)
    epochs = 3 * block + extra
    assert epochs > 2 * block  # several blocks
    result = gd.sweep(DATA, "momentum", mus, name, epochs, lr=lr, init=(-3.0, 4.0))
    converged = 0
    for i, mu in enumerate(mus):
        run = gd.train(DATA, gd.make_optimizer(name, lr, momentum=mu), epochs, (-3.0, 4.0))
        assert result.diverged[i] == (run.status == "diverged")
        assert result.diverging[i] == (run.status == "diverging")
        if run.converged_at is None:
            assert np.isnan(result.epochs_to_converge[i])
        else:
            converged += 1
            assert result.epochs_to_converge[i] == run.converged_at
        if run.status != "diverged":
            assert result.final_loss[i] == pytest.approx(run.loss[-1], rel=1e-9)
    assert 0 < converged < mus.size and result.diverged.any()  # every outcome


def test_zero_epochs_is_the_start():
    result = gd.sweep(DATA, "momentum", [0.5, 0.9], "momentum", 0, lr=0.004)
    run = gd.train(DATA, gd.momentum(0.004, 0.5), 0)
    assert result.final_loss[0] == pytest.approx(run.loss[-1], rel=1e-12)
    assert np.isnan(result.epochs_to_converge).all() and not result.diverged.any()


def test_a_sweep_through_divergence_and_critical_damping_is_train_at_every_mu():
    # μ finely from 0 (the rate past plain GD's limit: diverged) through critical damping
    # (where the slow mode turns complex) to 0.99 (crawling, unfinished).
    mus = np.linspace(0.0, 0.99, 60)
    result = gd.sweep(DATA, "momentum", mus, "momentum", 700, lr=0.08, init=(4.0, -2.0))
    for i, mu in enumerate(mus):
        run = gd.train(DATA, gd.momentum(0.08, mu), 700, (4.0, -2.0))
        assert result.spectral_radius[i] == pytest.approx(run.spectral_radius, rel=1e-12)
        assert result.diverged[i] == (run.status == "diverged")
        assert result.diverging[i] == (run.status == "diverging")
        expected = np.nan if run.converged_at is None else run.converged_at
        np.testing.assert_equal(result.epochs_to_converge[i], expected)
        if run.status != "diverged":
            assert result.final_loss[i] == pytest.approx(run.loss[-1], rel=1e-9)
    unfinished = np.isnan(result.epochs_to_converge) & ~result.diverged
    assert (
        result.diverged.any() and unfinished.any() and (~np.isnan(result.epochs_to_converge)).any()
    )
