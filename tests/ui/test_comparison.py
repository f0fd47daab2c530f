"""Compare's results: each strategy's curve rows are its own run's numbers at the rows' epochs."""

from dataclasses import replace

import numpy as np
import pytest

import gd_core as gd
from ui.compute import comparison, runs
from ui.config import Config, DataSpec, TrainSpec
from ui.plain.strategies import default_strategies

CONFIGS = {
    "5,000 epochs": Config(DataSpec(noise=1.4, seed=103), TrainSpec(epochs=5000, lr_k=0.0055)),
    "one epoch": Config(DataSpec(seed=3), TrainSpec(epochs=1)),
    "mini-batches": Config(DataSpec(n=1000, seed=9), TrainSpec(epochs=200, batch=32)),
}


@pytest.mark.parametrize("config", CONFIGS.values(), ids=CONFIGS.keys())
def test_every_strategys_rows_are_its_runs_values_at_their_epochs(config):
    data = runs.load_dataset(config.data)
    strategies = default_strategies(config.train, data)
    curves, summary = comparison.results.__wrapped__(config, strategies, data)
    assert list(curves["strategy"].cat.categories) == [s.label for s in strategies]
    for strategy, (_, row) in zip(strategies, summary.iterrows(), strict=True):
        run = runs.train(replace(config, train=strategy.spec), data)  # the whole run
        rows = curves[curves["strategy"] == strategy.label]
        epochs = rows["epoch"].to_numpy()
        assert epochs[0] == 0 and epochs[-1] == len(run.k) - 1 and np.all(np.diff(epochs) > 0)
        assert len(rows) <= 2 * comparison.CURVE_POINTS + 2
        for name in ("k", "b", "loss"):
            assert np.array_equal(rows[name].to_numpy(), getattr(run, name)[epochs], equal_nan=True)
        excess = gd.excess_loss(
            data, run.k[epochs] - data.slope_ols, run.b[epochs] - data.intercept_ols
        )
        assert np.array_equal(rows["excess"].to_numpy(), excess, equal_nan=True)
        assert (row["strategy"], row["status"]) == (strategy.label, run.status)
        final = (row["final k"], row["final b"], row["final loss"])
        assert final == (run.k[-1], run.b[-1], run.loss[-1])
