"""How many runs stepped together ended, judged a chunk of epochs at a time.

The steppers (sweep.simulate, linear_sweep.orbits) hand over each chunk of deviations from the
optimum, (epochs, 2, runs); this keeps what train()'s verdict needs of them: whether a run's
loss ever passed its divergence limit, the last epoch each parameter was outside its
threshold, and the last excess loss.
"""

from __future__ import annotations

from typing import Any

import numpy as np


class ChunkVerdict:
    """The running verdict of `runs` runs; `thresholds` and `excess_limit` per run or shared."""

    def __init__(
        self, data: Any, delta: np.ndarray, thresholds: Any, excess_limit: Any, start: Any
    ) -> None:
        runs = delta.shape[1]
        self.data = data
        self.limits = np.broadcast_to(np.asarray(thresholds, dtype=float).reshape(2, -1), (2, runs))
        self.excess_limit = excess_limit
        self.last_outside = np.where(np.abs(delta) > self.limits, 0.0, -1.0)
        self.alive = np.ones(runs, dtype=bool)  # not yet diverged
        self.excess = np.broadcast_to(start, (runs,))
        self.epoch = 0

    def add(self, begin: int, done: np.ndarray) -> None:
        """Epochs begin + 1 … begin + len(done), as (epochs, 2, runs) deviations."""
        with np.errstate(all="ignore"):
            offset = self.data.x_mean * done[:, 0] + done[:, 1]
            losses = self.data.x_var * done[:, 0] * done[:, 0] + offset * offset
            self.alive &= (losses <= self.excess_limit).all(axis=0)
            self.excess = losses[-1]
            outside = ~(np.abs(done) <= self.limits)  # NaN counts as outside
        last = len(done) - 1 - np.argmax(outside[::-1], axis=0)
        self.last_outside = np.where(outside.any(axis=0), begin + last + 1.0, self.last_outside)
        self.epoch = begin + len(done)

    def result(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(final excess loss, diverged, epoch both settled or NaN). Each parameter settled one
        epoch after the last epoch it was outside, if it is inside at the end."""
        settled = np.where(self.last_outside == self.epoch, np.nan, self.last_outside + 1.0)
        converged = np.maximum(settled[0], settled[1])  # NaN unless both settled
        return self.excess, ~self.alive, converged
