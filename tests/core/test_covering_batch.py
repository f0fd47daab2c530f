"""A batch of at least n points is the full batch: train(), the LR range test, sweeps and tuning
give the same numbers as batch_size=None, and gd_core.mini_batch_size says so in one place."""

import dataclasses

import numpy as np
import pytest

import gd_core as gd
from gd_core.descent import epoch_batches

DATA = gd.make_dataset(100, slope=2.0, intercept=1.0, noise=1.0)
SMALL = gd.make_dataset(10, slope=2.0, intercept=1.0, noise=1.0, seed=3)
COVERING = [100, 128, 1024]  # the sidebar's batch list at the default n = 100


def assert_same(a, b):
    """Every field of two gd_core results equal, arrays bit for bit (NaN equal to NaN)."""
    assert type(a) is type(b)
    for field in dataclasses.fields(a):
        np.testing.assert_array_equal(
            getattr(a, field.name), getattr(b, field.name), err_msg=field.name
        )


@pytest.mark.parametrize("n", [2, 7, 10, 100, 101])
@pytest.mark.parametrize("batch", [None, 1, 3, 10, 16, 100, 128, 1024])
def test_mini_batch_size_counts_the_batches_an_epoch_really_cuts(n, batch):
    data = gd.make_dataset(n, slope=1.0, intercept=0.0, noise=1.0)
    size = gd.mini_batch_size(n, batch)
    # Independently: how many batches the shuffle cuts with that size (one when it covers n).
    cut = 1 if batch is None else len(next(epoch_batches(data, batch, np.random.default_rng(0)))[0])
    assert (size is None) == (cut == 1)
    assert gd.steps_per_epoch(n, batch) == cut
    if batch is not None and batch < n:
        assert size == batch


@pytest.mark.parametrize("batch", COVERING)
@pytest.mark.parametrize(
    "optimizer",
    [
        gd.sgd(0.01),  # closed form
        gd.sgd((0.02, 0.4)),
        gd.momentum(0.01, 0.9),
        gd.adam(0.05),
        gd.sgd(0.02, schedule=gd.reduce_on_plateau(0.5, 5)),
        gd.sgd(0.02, schedule=gd.exponential_decay(0.99)),
        gd.sgd(1.0),  # diverges
    ],
    ids=["sgd", "sgd-pair", "momentum", "adam", "plateau", "exponential", "diverging"],
)
def test_train_with_a_covering_batch_is_the_full_batch_run(batch, optimizer):
    full = gd.train(DATA, optimizer, 450)
    assert_same(gd.train(DATA, optimizer, 450, batch_size=batch, seed=5), full)


@pytest.mark.parametrize("batch", [10, 16, 1024])
def test_train_on_ten_points_with_a_covering_batch(batch):
    full = gd.train(SMALL, gd.sgd(0.01), 450, init=(0.5, -1.0), standardize=True)
    run = gd.train(SMALL, gd.sgd(0.01), 450, (0.5, -1.0), batch, standardize=True)
    assert_same(run, full)


def test_a_real_mini_batch_is_not_the_full_batch_run():
    """The other side: one point fewer than n is two batches an epoch, another run."""
    full = gd.train(DATA, gd.sgd(0.01), 50)
    run = gd.train(DATA, gd.sgd(0.01), 50, batch_size=99)
    assert not np.array_equal(run.k, full.k)


@pytest.mark.parametrize("batch", COVERING)
def test_the_lr_range_test_with_a_covering_batch_is_the_full_batch_test(batch):
    full = gd.lr_range_test(DATA, 1e-6, 1.0, 200)
    test = gd.lr_range_test(DATA, 1e-6, 1.0, 200, batch_size=batch, seed=4)
    assert test.batch_size is None
    assert_same(dataclasses.replace(test, seed=0), full)


@pytest.mark.parametrize("batch", COVERING)
@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_a_sweep_with_a_covering_batch_is_the_full_batch_sweep(batch, name):
    values = np.geomspace(1e-4, 0.05, 12)
    full = gd.sweep(DATA, "lr", values, name, 300)
    swept = gd.sweep(DATA, "lr", values, name, 300, batch_size=batch, seed=2)
    np.testing.assert_array_equal(swept.epochs_to_converge, full.epochs_to_converge)
    np.testing.assert_array_equal(swept.final_loss, full.final_loss)


def test_a_data_sweep_with_a_batch_covering_every_dataset_is_the_full_batch_sweep():
    datasets = [gd.make_dataset(n, 2.0, 1.0, 1.0) for n in (10, 50, 100)]
    full = gd.sweep_datasets(datasets, gd.sgd(0.01), 300)
    swept = gd.sweep_datasets(datasets, gd.sgd(0.01), 300, batch_size=128)
    np.testing.assert_array_equal(swept.epochs_to_converge, full.epochs_to_converge)
    np.testing.assert_array_equal(swept.final_loss, full.final_loss)


@pytest.mark.parametrize("pair", [False, True])
def test_tuning_with_a_covering_batch_is_the_full_batch_tuning(pair):
    full = gd.tune(DATA, gd.sgd(0.01), 300, pair=pair, points=8)
    assert_same(gd.tune(DATA, gd.sgd(0.01), 300, pair=pair, points=8, batch_size=128), full)
