"""Which parameter got there first in a run, read from its own numbers: the seed story's two
paces (k closes most of its gap in a few epochs, b takes hundreds) is told only of a run that
had them. "Got there" means for good: a momentum run's k passes within 10 % of its gap by
epoch 2 on its way far past k*, and a caption counting from then told of a k that was still
swinging. Plain Python; the captions (run_captions.py, loss_captions.py) say it.
"""

from __future__ import annotations

from ui.plain.views import Trajectory

# One parameter "lags" when it needs this many times the other's epochs to settle.
LAG_FACTOR = 3


def lagging(run: Trajectory) -> tuple[str, str] | None:
    """(fast, slow) when one parameter closed most of its gap for good long before the other.

    The seed story is two paces: k closes 90 % of its gap within a few epochs, b takes
    hundreds. So the epochs from which each stays within 10 % of its start to the end of the
    run are compared (a swing through that band on the way past the optimum does not count);
    if only one stays there it is ahead, and if neither does, the one with less left is.
    """
    if run.status in ("diverged", "diverging"):
        return None
    if run.near_starts():
        return _lagging_from_the_optimum(run)
    reached = [run.held_most(p) for p in "kb"]
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
    """`lagging` when a parameter started at or near its optimum (Trajectory.started_near): it
    had no gap worth closing, so only the other can be ahead, if it closed most of its gap for
    good and the first settled back well later."""
    near = run.near_starts()
    if len(near) == 2:
        return None
    at, gapped = ("k", "b") if near == ["k"] else ("b", "k")
    closed, back = run.held_most(gapped), run.settled_at["kb".index(at)]
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


def held_ahead(run: Trajectory) -> bool:
    """The seed story's two paces, as this run had them: k came within 10 % of its starting
    gap for good at least LAG_FACTOR times sooner than b did (or b never did), and b ends with
    more of its gap left than k and settles last. A run whose k swings through that band on the
    way past k* (momentum), or whose b gets there as soon as k (mini-batches), has not."""
    if run.status in ("diverged", "diverging") or run.near_starts():
        return False
    held_k, held_b = run.progress.held_most
    if held_k is None:
        return False
    ahead = held_b is None or max(held_k, 1) * LAG_FACTOR <= held_b
    return ahead and run.gap_left("b") > run.gap_left("k") and settles_last(run, "b")


def closed_first(run: Trajectory) -> str | None:
    """Which parameter first came within 10 % of its starting gap (even on its way past its
    optimum): "k", "b", or None for a tie or neither. With Adam both move by about η a step,
    so b, with the smaller gap, gets there first even where k stays there first."""
    first = {p: run.closed_most(p) for p in "kb"}
    if first["k"] == first["b"]:
        return None
    if first["b"] is None or (first["k"] is not None and first["k"] < first["b"]):
        return "k"
    return "b"
