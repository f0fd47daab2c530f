"""settle_thresholds over a stack of datasets (a data sweep) against each dataset's own."""

import pytest

import gd_core as gd
from gd_core.sweeps import Stack
from gd_core.verdict import settle_thresholds


@pytest.mark.parametrize("init", [(0.0, 0.0), (2.0, 1.0), (-3.0, 40.0), (1e8, -1e8)])
def test_a_stack_has_bit_for_bit_each_datasets_thresholds(init):
    # Noise 0 puts (2, 1) at the optimum exactly: the threshold falls back on the reach.
    datasets = [gd.make_dataset(30, 2.0, 1.0, noise, seed=3) for noise in (0.0, 0.5, 3.0)]
    datasets.append(gd.make_dataset(30, 2.0, 1.0, 1.0, (1e3, 1e3 + 1.0), seed=5))
    stacked = settle_thresholds(Stack.of(datasets), init, 1e-3)
    for i, data in enumerate(datasets):
        alone = settle_thresholds(data, init, 1e-3)
        assert (stacked[0][i], stacked[1][i]) == alone
    assert isinstance(settle_thresholds(datasets[0], init, 1e-3)[0], float)
