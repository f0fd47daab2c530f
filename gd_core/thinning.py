"""Which epochs to draw: every early epoch, then log-spaced buckets that keep each extreme.

A chart of 1e6 epochs needs a few thousand points, but dropping points at random would erase
the oscillations a student is looking for. Each bucket keeps its first epoch and, for every
series, the epochs of its minimum and maximum, so the envelope of any oscillation survives.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np


def plot_indices(series: Sequence[np.ndarray], max_points: int = 2000) -> np.ndarray:
    """Sorted epoch indices (first and last always included), at most about `max_points`."""
    length = len(series[0])
    if length <= max_points:
        return np.arange(length)
    per_bucket = 1 + 2 * len(series)
    edges = np.unique(np.geomspace(1, length - 1, max_points // per_bucket).astype(np.int64))
    keep = [np.array([0, length - 1]), edges]
    for low, high in itertools.pairwise(edges):
        for values in series:
            segment = values[low:high]
            keep.append(low + np.array([np.argmin(segment), np.argmax(segment)]))
    return np.unique(np.concatenate(keep))
