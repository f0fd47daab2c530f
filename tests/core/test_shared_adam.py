"""Adam's shared-β loop (gd_core/shared_adam.py) through the maps and tunings that use it,
against train() one run at a time.

A stability map or tuning grid of Adam with β shared steps every cell in one loop; from 150
cells on that loop replaced the update packed alone, so the grids here have more. Every cell
must be train()'s run: its verdict and epoch of convergence exactly, its final loss to the
last bit; on data far from and near the optimum, β at their edges, schedules, rates from
crawling to chaos, runs that overflow.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import gd_core as gd
from gd_core import packed

KS, BS = 13, 12  # 156 cells: past packed.WHOLE_EPOCHS, where the loop took over


def _data(seed, offset, noise):
    return gd.make_dataset(5, 2.0, -1.0, noise, x_range=(offset, offset + 3.0), seed=seed)


@settings(max_examples=12, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    offset=st.sampled_from([0.0, -4.0, 50.0]),
    noise=st.sampled_from([0.0, 1.0]),
    betas=st.tuples(st.sampled_from([0.0, 0.5, 0.9]), st.sampled_from([0.0, 0.9, 0.999])),
    eps=st.sampled_from([1e-8, 1e-3]),
    epochs=st.sampled_from([1, 16, 17, 100, 370]),
    start=st.sampled_from(["zero", "optimum", "next to it", "far"]),
    tol=st.sampled_from([0.0, 1e-6, 1e-3, 0.5]),
    scheduled=st.booleans(),
)
def test_every_cell_of_a_shared_beta_map_is_train(
    seed, offset, noise, betas, eps, epochs, start, tol, scheduled
):
    data = _data(seed, offset, noise)
    k, b = data.slope_ols, data.intercept_ols
    init = {
        "zero": (0.0, 0.0),
        "optimum": (k, b),
        "next to it": (float(np.nextafter(k, np.inf)), b),
        "far": (k - 30.0, b + 7.0),
    }[start]
    schedule = gd.exponential_decay(0.99) if scheduled else None
    rule = gd.adam(1.0, betas, eps, schedule=schedule)
    assert packed.shared_adam(rule, KS * BS)
    lr_k = np.geomspace(1e-4, 1e3, KS)  # from crawling to far past any sensible step
    lr_b = np.geomspace(3e-5, 1e200, BS)  # ... and to steps that overflow
    result = gd.stability_map(data, lr_k, lr_b, epochs, rule, init=init, tol=tol)
    for row, rate_b in enumerate(lr_b):
        for column, rate_k in enumerate(lr_k):
            run = gd.train(
                data, gd.adam((rate_k, rate_b), betas, eps, schedule), epochs, init, tol=tol
            )
            where = f"cell η_k={rate_k:.3g}, η_b={rate_b:.3g}"
            assert result.diverged[row, column] == (run.status == "diverged"), where
            settled = result.epochs_to_converge[row, column]
            expected = np.nan if run.converged_at is None else run.converged_at
            assert np.array_equal(settled, expected, equal_nan=True), where
            final = result.final_loss[row, column]
            expected = np.nan if run.status == "diverged" else run.loss[-1]
            assert np.array_equal(final, expected, equal_nan=True), where


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 2**16), metric=st.sampled_from(["epochs", "loss"]))
def test_a_tuned_pair_on_a_large_grid_is_the_best_train_gives(seed, metric):
    # 13 × 13 pairs, each trained by train(): the tuning's own fields for every point and
    # the pair it chose, which must be the best by the metric (ties to the first point).
    data = _data(seed, 1.0, 1.0)
    epochs = 120
    tuning = gd.tune(data, gd.adam(1.0), epochs, pair=True, metric=metric, points=13)
    scores = []
    for row, rate_b in enumerate(tuning.lr_b_values):
        for column, rate_k in enumerate(tuning.lr_k_values):
            run = gd.train(data, gd.adam((rate_k, rate_b)), epochs)
            settled = np.nan if run.converged_at is None else run.converged_at
            loss = np.nan if run.status == "diverged" else run.loss[-1]
            assert np.array_equal(tuning.epochs_to_converge[row, column], settled, equal_nan=True)
            assert np.array_equal(tuning.final_loss[row, column], loss, equal_nan=True)
            never, worst = (np.inf if np.isnan(value) else value for value in (settled, loss))
            scores.append((worst,) if metric == "loss" else (never, worst))
    best = min(range(len(scores)), key=lambda i: scores[i])
    row, column = divmod(best, tuning.lr_k_values.size)
    assert tuning.lr == (tuning.lr_k_values[column], tuning.lr_b_values[row])
