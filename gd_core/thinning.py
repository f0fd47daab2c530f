"""Which epochs to draw: every early epoch, then log-spaced buckets that keep each extreme.

A chart of 1e6 epochs needs a few thousand points, but dropping points at random would erase
the oscillations a student is looking for. Each bucket keeps its first epoch and, for every
series, the epochs of its minimum and maximum, so the envelope of any oscillation survives.

The extremes of the buckets in the first VECTOR_SPAN epochs are found at once (`reduceat`,
then the first epoch of each bucket that equals its extreme): a Python loop of two NumPy calls
per bucket and series was most of Compare's first visit (ten runs of a few thousand epochs,
thinned twice each; 3.9 ms → 0.3 ms for three series of 5,000 epochs). The few long buckets
after it keep the loop, whose argmin / argmax pass over the data without the temporary arrays
of the vectorised search (at a million epochs that search took 25 ms against the loop's 10).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence

import numpy as np

VECTOR_SPAN = 50_000  # epochs whose buckets are searched all at once


def plot_indices(series: Sequence[np.ndarray], max_points: int = 2000) -> np.ndarray:
    """Sorted epoch indices (first and last always included), at most about `max_points`."""
    length = len(series[0])
    if length <= max_points:
        return np.arange(length)
    edges = _edges(length, max_points // (1 + 2 * len(series)))
    keep = [np.array([0, length - 1]), edges]
    cut = int(np.searchsorted(edges, VECTOR_SPAN))
    head = edges[: cut + 1]  # buckets starting before VECTOR_SPAN, found all at once
    if len(head) > 1:
        # Every series' minima and maxima at once: one row per (extreme, series).
        starts = head[:-1] - head[0]
        stacked = np.stack([np.asarray(values)[head[0] : head[-1]] for values in series])
        rows = np.concatenate([stacked, stacked])
        extremes = np.concatenate(
            [
                np.minimum.reduceat(stacked, starts, axis=1),
                np.maximum.reduceat(stacked, starts, axis=1),
            ]
        )
        keep.append(head[0] + _first_equal(rows, extremes, starts, np.diff(head)).ravel())
    for low, high in itertools.pairwise(edges[cut:]):
        for values in series:
            segment = values[low:high]
            keep.append(low + np.array([np.argmin(segment), np.argmax(segment)]))
    return unique_indices(np.concatenate(keep))


# The buckets depend on the length and their number alone: Compare thins ten runs of one length
# twice each, and the log-spaced edges cost as much as the search of a short run's extremes.
@functools.lru_cache(maxsize=64)
def _edges(length: int, buckets: int) -> np.ndarray:
    """The first epoch of each bucket: `buckets` log-spaced from 1 to length − 1, distinct."""
    edges = unique_indices(np.geomspace(1, length - 1, buckets).astype(np.int64))
    edges.setflags(write=False)  # shared by every caller
    return edges


def unique_indices(indices: np.ndarray) -> np.ndarray:
    """The distinct values of an integer array, sorted: np.unique's answer, by a sort.

    NumPy 2.3+ finds unique values with a hash table and then sorts them, which for a few
    thousand epoch indices costs 10–30× a sort and one comparison (3,000: 0.47 ms against
    0.014): every new run's reduction and every strategy of Compare's thins its epochs."""
    ordered = np.sort(indices, axis=None)
    distinct = np.empty(ordered.shape, dtype=bool)
    distinct[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=distinct[1:])
    return ordered[distinct]


def _first_equal(
    rows: np.ndarray, extreme: np.ndarray, starts: np.ndarray, sizes: np.ndarray
) -> np.ndarray:
    """In each bucket of each of `rows` (from `starts`, `sizes` long), the first index whose
    value is that row's bucket `extreme`: np.argmin / np.argmax bucket by bucket, a NaN
    counting as the extreme (as argmin and argmax take the first NaN, and reduceat's extreme
    is then NaN). One row per series and kind of extreme, so a call serves them all."""
    spread = np.repeat(extreme, sizes, axis=1)
    equal = rows == spread
    if np.isnan(extreme).any():
        equal |= np.isnan(rows) & np.isnan(spread)
    # Every bucket holds its extreme, so the least index marked in it is the first.
    length = rows.shape[1]
    return np.minimum.reduceat(np.where(equal, np.arange(length), length), starts, axis=1)
