"""The shape of one parameter's path, read from its values: how far it went past its optimum,
and how often it passed it. Numbers the Parameters and Fit captions and the momentum lesson
show, so they are computed here, beside the runs they describe."""

from __future__ import annotations

from collections.abc import Sequence

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
