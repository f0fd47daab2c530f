"""Under the Parameters page's charts: the distance to the optimum on a log scale, and the
path on the loss surface (heading for the cross, zig-zagging across the valley, straying far
out), each from this run's path."""

from __future__ import annotations

import gd_core as gd
from ui.config import TrainSpec
from ui.plain.figures import share
from ui.plain.pace import lagging, no_closer
from ui.plain.run_captions import both
from ui.plain.views import Trajectory


def distance(data: gd.Dataset, spec: TrainSpec, run: Trajectory) -> str:
    text = (
        "Distance to the optimum on a log scale: a straight stretch is a constant rate of "
        "progress. " + both(run)
    )
    if spec.lr_k == spec.lr_b and not spec.standardize:
        text += (
            f" With one rate for both, the loss curves mean(x²) = {data.x_sq_mean:.4g} times "
            "more steeply along k than along b."
        )
    return text


def contour(run: Trajectory, optimum: tuple[float, float]) -> str:
    """The path's caption; `optimum` is (k*, b*), which the path is told against."""
    text = (
        "The loss over (k, b), darker where it is lower; the cross is the least-squares "
        "optimum and the white line with dots this run's path. When x is not centred on 0 "
        "the bowl is a long, narrow valley: a gradient step points mostly across it. "
    )
    if run.status in ("diverged", "diverging"):
        return text + "This path jumps from side to side ever further out."
    bands = zip(run.progress.farthest, run.progress.band, strict=True)
    if run.start_gaps == (0.0, 0.0) and all(far <= band for far, band in bands):
        return text + "This run starts on the cross and stays there: its path is one dot."
    strays = _strays(run)
    order = lagging(run)
    if order is not None and run.held_most(order[0]) is not None:  # one got there for good
        walk = "This path drops to the valley floor first, then walks along it toward the cross"
        return text + walk + (f"; on the way {strays}." if strays else ".")
    if no_closer(run):
        return text + "This path ends no nearer the cross in either k or b than it started."
    if strays:
        return text + f"This path does not head straight for the cross: {strays}."
    return text + _heading(run, optimum)


def _heading(run: Trajectory, optimum: tuple[float, float]) -> str:
    """How a path that never strayed far out reaches the cross, from how often k and b pass k*
    and b* on the way: momentum's path can zig-zag across the valley a dozen times without
    going farther out than it started, and that is no straight heading."""
    band = run.progress.band
    counts = {p: gd.passes(run.frame[p], optimum[i], band[i]) for i, p in enumerate("kb")}
    swings = [f"{p} passes {p}* {times(n)}" for p, n in counts.items() if n]
    if max(counts.values()) >= 2:
        return (
            f"This path zig-zags across the valley on its way to the cross: {' and '.join(swings)}."
        )
    if swings:
        return f"This path heads for the cross and overshoots it once: {' and '.join(swings)}."
    return "This path heads for the cross without a long walk along the floor."


def times(count: int) -> str:
    """ "once", "twice", "12 times"."""
    return {1: "once", 2: "twice"}.get(count, f"{count:,} times")


# A parameter whose distance from its optimum grew past this many times its starting gap has
# swung far out (the fastest per-parameter rates take b to 11 times its gap and back).
FAR_OUT = 2.0


def _strays(run: Trajectory) -> str:
    """ "b strays up to 10.9 from b*, 11 times as far as it started" for each parameter that
    went more than FAR_OUT times its starting gap away (not one that started at or near its
    optimum: a pull off it is told elsewhere)."""
    parts = []
    for i, p in enumerate("kb"):
        start, far = run.progress.start[i], run.progress.farthest[i]
        if not run.started_near(p) and far > FAR_OUT * start:
            far_out = f"{share(far / start)} as far as it started"
            parts.append(f"{p} strays up to {far:.3g} from {p}*, {far_out}")
    return " and ".join(parts)
