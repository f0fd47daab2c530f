"""The work bound: what a request is estimated to cost, and the largest epoch count offered."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gd_core as gd
from ui.config import OPTIMIZER_LABELS, TrainSpec
from ui.plain import budget
from ui.state.controls import BATCH_CHOICES, EPOCH_CHOICES, N_CHOICES


def test_a_full_batch_run_at_the_largest_settings_always_fits():
    data = gd.make_dataset(N_CHOICES[-1], 2.0, 1.0, 1.0)
    for optimizer in OPTIMIZER_LABELS:
        for schedule in ("none", "cosine"):
            spec = TrainSpec(epochs=EPOCH_CHOICES[-1], optimizer=optimizer, schedule=schedule)
            budget.check_feasible(data, [spec])  # no refusal


def test_mini_batch_cost_grows_with_the_points_not_only_the_steps():
    """1,024-point batches of 100,000 points: 98 steps an epoch, but every point gathered."""
    data = gd.make_dataset(100_000, 2.0, 1.0, 1.0)
    spec = TrainSpec(batch=1024, epochs=20_000)
    with pytest.raises(budget.TooMuchWork, match="20,000 epochs of 98 mini-batches"):
        budget.check_feasible(data, [spec])


@settings(max_examples=200, deadline=None)
@given(
    n=st.sampled_from(N_CHOICES),
    batch=st.sampled_from(BATCH_CHOICES[1:]),
    epochs=st.sampled_from(EPOCH_CHOICES),
    optimizer=st.sampled_from(list(OPTIMIZER_LABELS)),
    runs=st.integers(1, 9),
)
def test_the_offered_epoch_count_is_the_largest_that_fits(n, batch, epochs, optimizer, runs):
    data = gd.make_dataset(n, 2.0, 1.0, 1.0)
    specs = [TrainSpec(batch=batch, epochs=epochs, optimizer=optimizer)] * runs
    try:
        budget.check_feasible(data, specs)
    except budget.TooMuchWork as refusal:
        fits = refusal.max_epochs
        assert fits < epochs
        at = [replace(spec, epochs=fits) for spec in specs]
        over = [replace(spec, epochs=fits + 1) for spec in specs]
        assert budget.estimated_seconds(data, at) <= budget.BUDGET_SECONDS
        assert budget.estimated_seconds(data, over) > budget.BUDGET_SECONDS
    else:
        assert budget.estimated_seconds(data, specs) <= budget.BUDGET_SECONDS
