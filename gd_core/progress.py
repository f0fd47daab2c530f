"""How far each parameter got in a run, in fractions of its starting distance from the optimum.

The sentences a student reads about a run ("b still has 8.9 % of its gap left", "k closed 90 %
of its gap by epoch 3", "the loss stopped shrinking") are read off these numbers, which come
from the run's full arrays rather than from a thinned chart.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gd_core.data import Dataset
from gd_core.run import Run

MOST = 0.1  # "closed most of its gap": within this fraction of the starting distance
TAIL = 0.1  # the last tenth of a run, where a parameter's swing is measured
Pair = tuple[float, float]


@dataclass(frozen=True)
class Progress:
    """Per parameter (k, b), each distance as a fraction of |θ_0 − θ*| (inf if that is 0).

    `left`: at the last epoch. `swing`: the largest distance over the last tenth of the run
    that was reached by moving away again (a rise from the epoch before), or `left` if the
    parameter only closed in there. `closed_most`: the first epoch
    within MOST of the start, or None. `trend`: the median loss above the floor over the last
    quarter of the run over its median in the quarter before (1.0 for runs under 8 epochs):
    near 1 or above, the run has stopped getting closer.
    """

    left: Pair
    swing: Pair
    closed_most: tuple[int | None, int | None]
    trend: float


def _fraction(gap: float, start: float) -> float:
    return gap / start if start > 0 else (0.0 if gap == 0 else np.inf)


def progress(data: Dataset, run: Run) -> Progress:
    """How far k and b got in `run` (see `Progress`)."""
    end = len(run.loss) - 1
    tail = int(np.floor((1 - TAIL) * end))
    left, swing, closed = [], [], []
    with np.errstate(invalid="ignore", over="ignore"):
        for values, optimum in ((run.k, data.slope_ols), (run.b, data.intercept_ols)):
            start = abs(float(values[0]) - optimum)
            near = np.abs(values - optimum) <= MOST * start
            closed.append(int(near.argmax()) if near.any() else None)
            recent = np.abs(values[max(tail - 1, 0) :] - optimum)
            left.append(_fraction(float(recent[-1]), start))
            # A swing is a distance reached by moving away again, not the tail of a decay.
            rises = recent[1:][recent[1:] > recent[:-1]]
            top = max(float(np.nanmax(rises)), float(recent[-1])) if rises.size else recent[-1]
            swing.append(_fraction(float(top), start))
        trend = 1.0
        if end >= 8:
            quarter = end // 4
            excess = run.loss - data.loss_ols
            before = float(np.median(excess[end - 2 * quarter + 1 : end - quarter + 1]))
            recent_median = float(np.median(excess[end - quarter + 1 :]))
            trend = recent_median / before if before > 0 else 1.0
    return Progress(
        left=(left[0], left[1]),
        swing=(swing[0], swing[1]),
        closed_most=(closed[0], closed[1]),
        trend=trend,
    )
