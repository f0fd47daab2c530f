"""gd_core.frozen_from and frozen_stretch against loops over the rates and the positions."""

import numpy as np
import pytest

import gd_core as gd

DATA = gd.make_dataset(100, slope=2.0, intercept=1.0, noise=1.0)
OPTIMUM = (DATA.slope_ols, DATA.intercept_ols)


def first_small_tail(rates, share=0.01, stretch=0.1):
    """The first epoch whose rates from there on sum to ≤ share of all of them, by a loop."""
    rates = np.atleast_2d(np.asarray(rates, dtype=float).T).T
    epochs = len(rates)
    if any(sum(rates[:, c]) == 0 for c in range(rates.shape[1])):
        return None  # a rate of 0 throughout never moved: no schedule froze it
    for epoch in range(epochs):
        if all(
            sum(rates[t, c] for t in range(epoch, epochs)) <= share * sum(rates[:, c])
            for c in range(rates.shape[1])
        ):
            return epoch if epochs - epoch >= stretch * epochs else None
    return None


RATE_CASES = {
    "constant": np.full(200, 0.01),
    "halving": 0.01 * 0.5 ** np.arange(200),
    "cut at 50": np.where(np.arange(200) < 50, 0.01, 1e-8),
    "cut at 195": np.where(np.arange(200) < 195, 0.01, 1e-8),
    "two rates": np.column_stack([0.5 ** np.arange(100), np.where(np.arange(100) < 70, 1.0, 0)]),
    "empty": np.zeros(0),
    "zero": np.zeros(10),
}


@pytest.mark.parametrize("rates", RATE_CASES.values(), ids=RATE_CASES.keys())
def test_frozen_from_is_the_first_epoch_whose_rates_left_are_negligible(rates):
    assert gd.frozen_from(rates) == first_small_tail(rates)


def test_a_cut_rate_freezes_and_a_constant_one_does_not():
    assert gd.frozen_from(RATE_CASES["cut at 50"]) is not None
    assert gd.frozen_from(RATE_CASES["constant"]) is None
    assert gd.frozen_from(RATE_CASES["cut at 195"]) is None  # too short a stretch to count


def stand_still_from(rates, k, b, parameters, calm=0.1):
    """The first epoch ≥ the rates' frozen epoch from which each named parameter's range
    till the end is at most calm × its final distance, by loops."""
    cut = first_small_tail(rates)
    if cut is None:
        return None
    paths = {"k": (k, OPTIMUM[0]), "b": (b, OPTIMUM[1])}
    for epoch in range(cut, len(k)):
        if all(
            max(paths[p][0][epoch:]) - min(paths[p][0][epoch:])
            <= calm * abs(paths[p][0][-1] - paths[p][1])
            for p in parameters
        ):
            return epoch if len(rates) - epoch >= 0.1 * len(rates) else None
    return None


RUNS = {
    "momentum, plateau": gd.momentum(0.01, schedule=gd.reduce_on_plateau()),
    "exponential 0.5": gd.sgd(0.01, schedule=gd.exponential_decay(0.5)),
    "constant": gd.sgd(0.01),
}


@pytest.mark.parametrize("optimizer", RUNS.values(), ids=RUNS.keys())
def test_frozen_stretch_is_where_the_path_stands_still_after_the_rates_stop(optimizer):
    run = gd.train(DATA, optimizer, 450)
    rates = np.column_stack(gd.scheduled_rates(optimizer, run.loss))
    got = gd.frozen_stretch(rates, run.k, run.b, OPTIMUM, "kb")
    expected = stand_still_from(rates, run.k, run.b, "kb")
    assert (got.epoch if got else None) == expected
    if got is not None:
        for i, path in enumerate((run.k, run.b)):
            assert got.moved[i] == max(path[got.epoch :]) - min(path[got.epoch :])


def test_the_walkthroughs_frozen_runs_are_frozen_and_the_plain_run_is_not():
    # /loss?optimizer=momentum&schedule=plateau and /loss?schedule=exponential&gamma=0.5.
    for name in ("momentum, plateau", "exponential 0.5"):
        run = gd.train(DATA, RUNS[name], 450)
        rates = np.column_stack(gd.scheduled_rates(RUNS[name], run.loss))
        assert gd.frozen_stretch(rates, run.k, run.b, OPTIMUM, "kb") is not None, name
