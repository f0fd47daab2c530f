"""The chunked verdict of runs stepped together against the plain per-epoch reading of each run:
diverged when any epoch's excess loss passes the limit (or is NaN), and the last epoch each
parameter was outside its threshold."""

from types import SimpleNamespace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gd_core.chunks import ChunkVerdict


def _reference(data, start, history, thresholds, limit):
    runs = start.shape[1]
    alive, last = np.ones(runs, bool), np.full((2, runs), -1.0)
    for epoch, delta in enumerate([start, *history]):
        for run in range(runs):
            k, b = (float(v) for v in delta[:, run])
            if epoch:  # the start is within the limit by construction: the limit is set by it
                with np.errstate(all="ignore"):
                    loss = np.float64(data.x_var) * k * k + (np.float64(data.x_mean) * k + b) ** 2
                alive[run] &= bool(loss <= limit)
            for p in range(2):
                if not abs(delta[p, run]) <= thresholds[p, run]:
                    last[p, run] = epoch
    return alive, last


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    chunks=st.lists(st.integers(1, 7), min_size=1, max_size=4),
    scale=st.sampled_from([1e-6, 1.0, 1e3, 1e200]),
    x_mean=st.floats(-50, 50),
)
def test_the_chunked_verdict_equals_reading_every_epoch(seed, chunks, scale, x_mean):
    rng = np.random.default_rng(seed)
    data = SimpleNamespace(x_mean=x_mean, x_var=float(rng.uniform(0.1, 10)))
    runs = 9
    start = rng.normal(size=(2, runs))
    history = rng.normal(size=(sum(chunks), 2, runs)) * scale * rng.uniform(0, 1, size=(1, 1, runs))
    history[rng.uniform(size=history.shape) < 0.05] = np.nan  # runs that blew up
    history[rng.uniform(size=history.shape) < 0.02] = np.inf
    thresholds = rng.uniform(0, 2, size=(2, runs))
    limit = float(rng.uniform(1, 1e4))
    verdict = ChunkVerdict(data, start, thresholds, limit, 0.0)
    begin = 0
    for size in chunks:
        verdict.add(begin, history[begin : begin + size])
        begin += size
    alive, last = _reference(data, start, history, thresholds, limit)
    np.testing.assert_array_equal(verdict.alive, alive)
    np.testing.assert_array_equal(verdict.last_outside, last)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    chunks=st.lists(st.integers(1, 90), min_size=1, max_size=4),
    optimum=st.sampled_from([(2.0, -1.0), (1024.0, 0.5), (3.7e3, -2.2e-3), (0.3, 7.0)]),
    ulps=st.sampled_from([0.5, 3.0, 1e6]),
)
def test_the_settled_epochs_are_read_as_train_reads_them_over_long_chunks(
    seed, chunks, optimum, ulps
):
    # Chunks longer than a block of epochs (chunks.BLOCK), whose extremes say where to look,
    # runs settling at any epoch, wandering out again late, or going NaN; distances read as
    # train() reads them, |(θ* + δ) − θ*|, with thresholds a few ulps of θ* or far wider.
    rng = np.random.default_rng(seed)
    data = SimpleNamespace(x_mean=1.5, x_var=2.0)
    runs = 11
    epochs = sum(chunks)
    shrink = rng.uniform(0.8, 1.0, size=(1, 2, runs)) ** np.arange(epochs)[:, None, None]
    history = rng.normal(size=(epochs, 2, runs)) * shrink
    late = rng.uniform(size=history.shape) < 0.01  # a late excursion out and back
    history[late] *= 1e3
    history[rng.uniform(size=history.shape) < 0.002] = np.nan
    opt = np.array(optimum)[:, None] * np.ones((2, runs))
    thresholds = ulps * np.spacing(opt) * rng.uniform(0.5, 2.0, size=(2, runs))
    history *= np.spacing(opt)[None] * ulps * rng.uniform(0.1, 4.0, size=(1, 2, runs))
    start = history[0]
    verdict = ChunkVerdict(data, start, thresholds, np.inf, 0.0, optimum)
    begin = 0
    for size in chunks:
        verdict.add(begin, history[begin : begin + size])
        begin += size
    read = np.abs((opt + history) - opt)  # θ* + δ rounded, less θ*: as train() reads them
    start_outside = np.where(np.abs(start) > thresholds, 0.0, -1.0)
    epoch = np.arange(1, epochs + 1)[:, None, None] * np.ones_like(history)
    outside_at = np.where(~(read <= thresholds), epoch, -1.0).max(axis=0)
    np.testing.assert_array_equal(verdict.last_outside, np.maximum(start_outside, outside_at))
