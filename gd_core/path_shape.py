"""The shape of one parameter's path, read from its values: how far it went past its optimum,
and how often it passed it. Numbers the Parameters and Fit captions and the momentum lesson
show, so they are computed here, beside the runs they describe."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


def overshoot(values: Sequence[float], optimum: float) -> tuple[float, float] | None:
    """(the farthest value past `optimum` on the side away from the start, values[0]; how far
    past it that is), or None if the values never cross it. The chart's rows keep each
    stretch's extremes, so their extreme is the run's."""
    array = np.asarray(values, dtype=float)
    up = array[0] <= optimum
    peak = float(np.nanmax(array) if up else np.nanmin(array))
    past = peak - optimum if up else optimum - peak
    return (peak, past) if past > 0 else None


def passes(values: Sequence[float], optimum: float, band: float) -> int:
    """How many times the values pass `optimum`: the sign changes of value − optimum, counting
    only values more than `band` (the settling band) away, so a run jittering on its optimum
    does not count as swinging past it. A path that passes k* again and again zig-zags across
    the valley; one that never does heads straight in."""
    gaps = np.asarray(values, dtype=float) - optimum
    signs = np.sign(gaps[np.abs(gaps) > band])
    return int(np.count_nonzero(signs[1:] != signs[:-1]))


@dataclass(frozen=True)
class ValleyPath:
    """A path of (k, b) told in the loss's own directions: H's eigenvectors, `across` the
    valley (the steep one, of the larger eigenvalue) and `along` its floor (the flat one).
    Components are signed distances from the optimum in parameter units, the along one
    pointing so the start's is ≥ 0; `start` is |δ_0|, the start's distance from the optimum.

    `floor_at`: the first epoch from which |across| stays within `share`·start to the end (the
    path is on the valley floor), or None. `along_floor`: the along component there (nan if
    none). `along_end`: at the last epoch. `along_held`: the first epoch from which |along|
    stays within `share`·start, or None. A path that drops to the floor first keeps its along
    component while `across` goes; one that moves diagonally (Adam, by about η in k and b
    alike) changes both at once, and may cross to the far side of the cross (`along_floor`
    negative)."""

    start: float
    across_start: float
    along_start: float
    floor_at: int | None
    along_floor: float
    along_end: float
    along_held: int | None


def valley_path(
    hessian: np.ndarray, dk: np.ndarray, db: np.ndarray, share: float
) -> ValleyPath | None:
    """`ValleyPath` of the deviations (dk, db) = (k − k*, b − b*) over epochs, for the loss
    of Hessian `hessian`; None if the path is not finite throughout or starts at the optimum."""
    dk, db = np.asarray(dk, dtype=float), np.asarray(db, dtype=float)
    if not (dk.size and np.isfinite(dk).all() and np.isfinite(db).all()):
        return None
    _, vectors = np.linalg.eigh(hessian)  # ascending: column 0 is flat, column 1 steep
    along = vectors[0, 0] * dk + vectors[1, 0] * db
    across = vectors[0, 1] * dk + vectors[1, 1] * db
    start = float(np.hypot(dk[0], db[0]))
    if start == 0.0:
        return None
    if along[0] < 0:
        along = -along
    band = share * start
    floor_at = _held(np.abs(across) <= band)
    return ValleyPath(
        start=start,
        across_start=float(across[0]),
        along_start=float(along[0]),
        floor_at=floor_at,
        along_floor=float(along[floor_at]) if floor_at is not None else np.nan,
        along_end=float(along[-1]),
        along_held=_held(np.abs(along) <= band),
    )


def _held(inside: np.ndarray) -> int | None:
    """The first index from which `inside` is True to the end, or None."""
    if not inside[-1]:
        return None
    outside = np.flatnonzero(~inside)
    return int(outside[-1]) + 1 if outside.size else 0
