"""Which parameter got there first in a run, read from its own numbers: the seed story's two
paces (k closes most of its gap in a few epochs, b takes hundreds) is told only of a run that
had them. Plain Python; the captions of captions.py say it.
"""

from __future__ import annotations

from ui.plain.views import Trajectory

# One parameter "lags" when it needs this many times the other's epochs to settle.
LAG_FACTOR = 3


def lagging(run: Trajectory) -> tuple[str, str] | None:
    """(fast, slow) when one parameter closed most of its gap long before the other.

    The seed story is two paces: k closes 90 % of its gap within a few epochs, b takes
    hundreds. So the epochs at which each first got within 10 % of its start are compared;
    if only one got there it is ahead, and if neither did, the one with less left is.
    """
    if run.status in ("diverged", "diverging"):
        return None
    if 0.0 in run.start_gaps:
        return _lagging_from_the_optimum(run)
    reached = [run.closed_most(p) for p in "kb"]
    if None not in reached:
        ends = [max(epoch, 1) for epoch in reached]
        ahead = [ends[0] * LAG_FACTOR <= ends[1], ends[1] * LAG_FACTOR <= ends[0]]
    elif reached != [None, None]:
        ahead = [reached[0] is not None, reached[1] is not None]
    else:
        left = [max(run.gap_left(p), run.swing(p)) for p in "kb"]
        # Ahead means it closed some of its gap, not only that the other moved further away.
        ahead = [
            left[0] < 1 and left[0] * LAG_FACTOR <= left[1],
            left[1] < 1 and left[1] * LAG_FACTOR <= left[0],
        ]
    if ahead[0]:
        return "k", "b"
    if ahead[1]:
        return "b", "k"
    return None


def _lagging_from_the_optimum(run: Trajectory) -> tuple[str, str] | None:
    """`lagging` when a parameter started at its optimum: it had no gap to close, so only the
    other can be ahead, if it closed most of its gap and the first settled back well later."""
    at, gapped = ("k", "b") if run.start_gaps[0] == 0.0 else ("b", "k")
    if run.start_gaps["kb".index(gapped)] == 0.0:
        return None
    closed, back = run.closed_most(gapped), run.settled_at["kb".index(at)]
    if closed is not None and (back is None or max(closed, 1) * LAG_FACTOR <= back):
        return gapped, at
    return None


def no_closer(run: Trajectory) -> bool:
    """Neither parameter ended nearer its optimum than it started (a rate of 0, say)."""
    return min(run.gap_left(p) for p in "kb") >= 1


def settles_last(run: Trajectory, parameter: str) -> bool:
    """`parameter` has not settled, or settled no sooner than the other."""
    mine, other = run.settled_at["kb".index(parameter)], run.settled_at["bk".index(parameter)]
    return mine is None or (other is not None and mine >= other)
