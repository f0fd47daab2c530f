"""How far each parameter got in a run, in fractions of its starting distance from the optimum.

The sentences a student reads about a run ("b still has 8.9 % of its gap left", "k closed 90 %
of its gap by epoch 3", "the loss stopped shrinking") are read off these numbers, which come
from the run's full arrays rather than from a thinned chart.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gd_core.data import Dataset
from gd_core.model import excess_loss, hessian
from gd_core.path_shape import ValleyPath, valley_path
from gd_core.run import Run
from gd_core.verdict import settle_thresholds, settled_epoch

MOST = 0.1  # "closed most of its gap": within this fraction of the starting distance
TAIL = 0.1  # the last tenth of a run, where a parameter's swing is measured
# A parameter that came into its settling band and left it again has shown that it stays only
# once it has stayed in for more than this share of the run's epochs, and longer than any
# earlier stay it left (see `late_settlers`).
HOLD_SHARE = 0.1
# A parameter started "near" its optimum when its starting gap is tiny next to the other's (as
# NEAR of it, each measured by the loss it costs alone: gap·sqrt(H_θθ/2)) and the run then takes
# it more than PULLED times that gap away (the other's pull through mean(x)). A share of that
# gap ("9,380 times as far as at the start") says little, and its settling band (tol of the
# gap) is a sliver that only a late epoch reaches (see `Progress.pulled`). The seed story's b
# (gap 0.99 against k's 1.99·sqrt(mean(x²))) is not near: its gap is a twelfth of k's.
NEAR = 0.01
PULLED = 10.0
Pair = tuple[float, float]


@dataclass(frozen=True)
class Progress:
    """Per parameter (k, b), each distance as a fraction of |θ_0 − θ*| (inf if that is 0).

    `left`: at the last epoch. `swing`: the largest distance over the last tenth of the run
    that was reached by moving away again (a rise from the epoch before), or `left` if the
    parameter only closed in there. `closed_most`: the first epoch
    within MOST of the start, or None. `trend`: the median loss above the floor over the last
    quarter of the run over its median in the quarter before (1.0 for runs under 8 epochs):
    near 1 or above, the loss has stopped shrinking. `travel`: per parameter, the length of its
    path over that last quarter, the sum of its steps (the whole run under 8 epochs), and
    `ended`: its distance from the optimum at the last epoch, both in its own units. A parameter
    that travelled farther than the gap it ended with could have closed that gap and went back
    and forth instead (`hovering`): with a stalled loss, the steps are too large to get closer.
    One that travelled less is still walking in: more epochs take it farther.

    `held_most`: the first epoch from which the distance stays within MOST of the start to the
    end of the run, or None: unlike `closed_most`, a swing through the band on the way past the
    optimum does not count. `entered`: the first epoch within the settling band of verdict.py
    (tol of the start), or None; when it is earlier than the settled epoch the parameter left
    the band again after it first got there. `stayed`: the longest run of epochs the parameter
    spent in that band before it last left it (None if it never left it once in). `late`: the
    parameters whose final stay in the band is too short to show that it lasts
    (`late_settlers`).

    In the parameters' own units: `start`, |θ_0 − θ*|; `farthest`, the largest |θ − θ*| over
    the run; `band`, the distance within which θ counts as settled (verdict.settle_thresholds:
    tol·start, or its floor when float64 cannot resolve that).
    """

    left: Pair
    swing: Pair
    closed_most: tuple[int | None, int | None]
    trend: float
    held_most: tuple[int | None, int | None] = (None, None)
    entered: tuple[int | None, int | None] = (None, None)
    stayed: tuple[int | None, int | None] = (None, None)
    late: tuple[str, ...] = ()
    start: Pair = (np.nan, np.nan)
    farthest: Pair = (np.nan, np.nan)
    band: Pair = (np.nan, np.nan)
    # Per parameter: it started near its optimum and was pulled off it (NEAR, PULLED above), in
    # a run that ended finite and not moving away (there an excursion is a pull, not the whole
    # run blowing up). A start exactly at the optimum counts once it moves at all.
    pulled: tuple[bool, bool] = (False, False)
    travel: Pair = (np.nan, np.nan)
    ended: Pair = (np.nan, np.nan)
    # The first epoch from which L − L* (from k − k*, b − b*, as the Loss page draws it) stays
    # at or below float64 rounding (Dataset.loss_rounding), or None: past it the run is at the
    # optimum to the last digits, and a log-scale chart of L − L* shows rounding, then zeros.
    at_rounding: int | None = None
    rounding: float = np.nan  # that rounding level, the data's loss_rounding
    # The path in the loss's own directions, across the valley and along its floor, with MOST
    # as its band (path_shape.valley_path); None for a path that is not finite throughout or
    # starts at the optimum.
    valley: ValleyPath | None = None

    def hovering(self, parameters: str = "kb") -> list[str]:
        """Which of `parameters` travelled farther over the last quarter than the gap they
        ended with: steps that long could have closed it, so they went back and forth (a
        parameter at its optimum exactly does not hover, whatever it did before)."""
        return [
            p for p in parameters if self.travel["kb".index(p)] > self.ended["kb".index(p)] > 0.0
        ]


def pulled_off(data: Dataset, start: Pair, farthest: Pair) -> tuple[bool, bool]:
    """`Progress.pulled` for a run that is settling: per parameter, its starting gap is under
    NEAR of the other's in loss terms and the run took it more than PULLED times that gap away."""
    costs = (start[0] * np.sqrt(data.x_sq_mean), start[1])  # gap·sqrt(H_θθ/2); H_bb/2 = 1
    return (
        bool(costs[0] < NEAR * costs[1] and farthest[0] > PULLED * start[0]),
        bool(costs[1] < NEAR * costs[0] and farthest[1] > PULLED * start[1]),
    )


def _fraction(gap: float, start: float) -> float:
    return gap / start if start > 0 else (0.0 if gap == 0 else np.inf)


def late_settlers(
    settled: tuple[int | None, int | None], stayed: tuple[int | None, int | None], epochs: int
) -> tuple[str, ...]:
    """The parameters that have not shown that they stay settled: each was in its band before
    and left it (its longest such stay is `stayed`), and its final stay, from its settled
    epoch to the run's last of `epochs`, is no longer than that earlier stay, or than
    HOLD_SHARE of the run.

    The verdict's *settled* (DESIGN.md) is the first epoch from which a parameter stays in its
    band to the end of the run. A parameter that once in never left has nothing to doubt. One
    that kept spiking out (Adam near its optimum) "settles" just after whichever spike came
    last, so its settled epoch says when the run ended, not that it stays: a careful reader
    believes the last stay only when it outlasts every stay that ended in a spike, and is
    not a sliver of the run.
    """
    late = []
    for p, at, before in zip("kb", settled, stayed, strict=True):
        if at is None or before is None:
            continue
        final = epochs - at + 1  # epochs at, …, epochs are all in the band
        if final <= before or final <= HOLD_SHARE * epochs:
            late.append(p)
    return tuple(late)


def longest_stay(inside: np.ndarray, settled: int | None) -> int | None:
    """The longest run of True in `inside` before the epoch `settled` (from which it is True to
    the end), or None if there is none: the parameter never left its band once in it."""
    if settled is None:
        return None
    before = np.concatenate(([False], inside[:settled], [False]))
    edges = np.flatnonzero(np.diff(before.view(np.int8)))
    if not edges.size:
        return None
    return int((edges[1::2] - edges[::2]).max())


def progress(data: Dataset, run: Run) -> Progress:
    """How far k and b got in `run` (see `Progress`)."""
    end = len(run.loss) - 1
    tail = int(np.floor((1 - TAIL) * end))
    left, swing, closed, held, entered, stayed = [], [], [], [], [], []
    starts, farthest, travel, ended = [], [], [], []
    window = end // 4 if end >= 8 else end  # the quarter `trend` reads
    start_point = (float(run.k[0]), float(run.b[0]))
    bands = settle_thresholds(data, start_point, run.tol, rounding=run.rounding)
    with np.errstate(invalid="ignore", over="ignore"):
        for values, optimum, band in (
            (run.k, data.slope_ols, bands[0]),
            (run.b, data.intercept_ols, bands[1]),
        ):
            start = abs(float(values[0]) - optimum)
            gaps = np.abs(values - optimum)
            starts.append(start)
            farthest.append(float(np.nanmax(gaps)) if gaps.size else start)
            near = gaps <= MOST * start
            closed.append(int(near.argmax()) if near.any() else None)
            held.append(settled_epoch(gaps, MOST * start))
            inside = gaps <= band
            entered.append(int(inside.argmax()) if inside.any() else None)
            stayed.append(longest_stay(inside, run.settled_at[len(stayed)]))
            travel.append(float(np.abs(np.diff(values[end - window :])).sum()))
            ended.append(float(gaps[-1]) if gaps.size else start)
            recent = np.abs(values[max(tail - 1, 0) :] - optimum)
            left.append(_fraction(float(recent[-1]), start))
            # A swing is a distance reached by moving away again, not the tail of a decay.
            rises = recent[1:][recent[1:] > recent[:-1]]
            top = max(float(np.nanmax(rises)), float(recent[-1])) if rises.size else recent[-1]
            swing.append(_fraction(float(top), start))
        deviations = (run.k - data.slope_ols, run.b - data.intercept_ols)
        at_rounding = settled_epoch(excess_loss(data, *deviations), data.loss_rounding)
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
        held_most=(held[0], held[1]),
        entered=(entered[0], entered[1]),
        stayed=(stayed[0], stayed[1]),
        late=late_settlers(run.settled_at, (stayed[0], stayed[1]), run.epochs),
        start=(starts[0], starts[1]),
        farthest=(farthest[0], farthest[1]),
        band=(float(bands[0]), float(bands[1])),
        travel=(travel[0], travel[1]),
        ended=(ended[0], ended[1]),
        at_rounding=at_rounding,
        rounding=data.loss_rounding,
        pulled=pulled_off(data, (starts[0], starts[1]), (farthest[0], farthest[1]))
        if run.status in ("converged", "max_epochs")
        else (False, False),
        valley=valley_path(hessian(data), deviations[0], deviations[1], MOST),
    )
