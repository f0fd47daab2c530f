"""Brute force: exact and closed-form sweeps against train() point by point, to 100,000 epochs.

A plain loop over datasets (two points, noiseless with a slope of exactly 2, x far from 0,
mean(x) exactly 0, a large n), starts (far, exactly one or two floats from the optimum, one
parameter at its optimum) and rates (up to just past 2/λ_max, one rate or a ratio): every point
must have train()'s status and epoch to converge exactly, and its final loss within the bound
the Sweep docstring gives (sweeps.LOSS_ROUNDING per epoch of the larger of the start's and
the end's loss). The modes and the closed forms work out δ in another order than
train()'s matrix powers; what decided these epochs before was how train() reads the distance,
|θ − θ*| of θ = θ* + δ rounded (verdict.read_thresholds), where a start is a few floats from
θ*, and θ* at a power of two, where train() itself is asked.
"""

import numpy as np
import pytest

import gd_core as gd
from tests.core.test_sweep_verdicts import status_of

X = np.linspace(-2.0, 2.0, 9)
DATASETS = [
    gd.Dataset([0.0, 1.0], [1.0, 3.0]),
    gd.make_dataset(3, 2.0, 1.0, 0.0),
    gd.make_dataset(40, 2.0, 1.0, 0.0, x_range=(0.0, 4.0)),
    gd.make_dataset(100, 2.0, 1.0, 1.0),
    gd.make_dataset(60, 0.5, -1.0, 2.0, x_range=(1e4, 1e4 + 1.0)),
    gd.make_dataset(20_000, -3.0, 2.0, 1.0, x_range=(100.0, 110.0)),
    gd.Dataset(X, 2.0 * X + 1.0),
]


def _starts(data, rng):
    k, b = data.slope_ols, data.intercept_ols

    def up(value, times=1):
        for _ in range(abs(times)):
            value = float(np.nextafter(value, np.inf if times > 0 else -np.inf))
        return value

    return [
        (0.0, 0.0),
        (up(k), b),
        (k, up(b, -1)),
        (up(k, 2), up(b)),
        (up(k, -3), up(b, 5)),
        (float(rng.normal(0, 3)), b),
        (k * (1 + 1e-9), b * (1 - 3e-9)),
    ]


# Momentum's train() holds a 4 × 4 orbit: its long runs cost ten times plain GD's.
@pytest.mark.parametrize(("name", "longest"), [("sgd", 100_000), ("momentum", 10_000)])
def test_exact_and_closed_form_sweeps_are_train_at_every_point(name, longest):
    rng = np.random.default_rng(17)
    mismatches, checked = [], 0
    for data in DATASETS:
        limit = gd.analyze(data).max_stable_lr / (1.0 if name == "sgd" else 3.0)
        own_limit = gd.stability.single_parameter_limits(data)[0]
        for start in _starts(data, rng):
            for epochs in (1, 7, 700, longest):
                rates = np.sort(np.append(rng.uniform(1e-3, 1.05, 5) * limit, limit))
                ratio_lr = float(own_limit * rng.uniform(0.05, 0.9))
                ratios = np.geomspace(0.01, 1e3, 5) * rng.uniform(0.5, 2.0)
                for setting, values, pairs, lr in (
                    ("lr", rates, [(r, r) for r in rates], 0.01),
                    ("lr_ratio", ratios, [(ratio_lr, ratio_lr * r) for r in ratios], ratio_lr),
                ):
                    result = gd.sweep(data, setting, values, name, epochs, lr=lr, init=start)
                    for i, pair in enumerate(pairs):
                        run = gd.train(data, gd.make_optimizer(name, pair), epochs, start)
                        checked += 1
                        where = (data.n, start, epochs, setting, float(values[i]))
                        converged = np.nan if run.converged_at is None else run.converged_at
                        if status_of(result, i) != run.status or not np.array_equal(
                            result.epochs_to_converge[i], converged, equal_nan=True
                        ):
                            mismatches.append((where, status_of(result, i), run.status))
                        elif run.status != "diverged":  # the Sweep docstring's bound
                            scale = (epochs + 1) * max(run.loss[0], run.loss[-1])
                            bound = gd.sweeps.LOSS_ROUNDING * scale
                            assert abs(result.final_loss[i] - run.loss[-1]) <= bound, where
    assert checked > 1500
    assert not mismatches, mismatches[:10]
