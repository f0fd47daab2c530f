"""Under the Parameters page's charts: the distance to the optimum on a log scale, and the
path on the loss surface (heading for the cross, zig-zagging across the valley, straying far
out), each from this run's path."""

from __future__ import annotations

import gd_core as gd
from gd_core.progress import MOST
from ui.config import TrainSpec
from ui.plain.figures import share
from ui.plain.pace import no_closer
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
        return text + _away(run, optimum)
    bands = zip(run.progress.farthest, run.progress.band, strict=True)
    if run.start_gaps == (0.0, 0.0) and all(far <= band for far, band in bands):
        return text + "This run starts on the cross and stays there: its path is one dot."
    strays = _strays(run)
    valley = _valley(run.progress.valley)
    if valley:
        return text + valley + (f"; on the way {strays}." if strays else ".")
    if no_closer(run):
        return text + "This path ends no nearer the cross in either k or b than it started."
    if strays:
        return text + f"This path does not head straight for the cross: {strays}."
    return text + _heading(run, optimum)


def _away(run: Trajectory, optimum: tuple[float, float]) -> str:
    """A run moving away, by the steps its path shows: one step cannot go from side to side,
    and a path that never passes the cross only heads away from it."""
    steps = run.diverged_at if run.diverged_at is not None else run.epochs
    if steps == 1:
        return "This path is a single step, far out from the cross: the run diverged at once."
    band = run.progress.band
    passes = max(gd.passes(run.frame[p], optimum[i], band[i]) for i, p in enumerate("kb"))
    if passes >= 2:
        return "This path jumps from side to side ever further out."
    return "This path heads away from the cross."


def _valley(path: gd.ValleyPath | None) -> str:
    """The path's shape in the valley's own directions (H's eigenvectors), when it has one of
    the two a student can see: it drops straight to the floor, keeping its distance along the
    valley, and then walks along it (plain GD); or it moves along the valley as it comes down,
    past the cross, and reaches the floor on its far side (Adam moves k and b by about η each:
    a straight diagonal). "" otherwise, and for a path that reaches the floor next to the cross
    (no walk left to tell)."""
    if path is None or path.floor_at is None or abs(path.along_floor) <= MOST * path.start:
        return ""
    there, end, epoch = abs(path.along_floor), abs(path.along_end), f"{path.floor_at:,}"
    dropped = abs(path.along_floor - path.along_start) <= MOST * path.start
    if not dropped and path.along_floor > 0:  # came down while closing in along the valley
        return ""
    toward = "along it toward the cross" if dropped else "back along the floor toward the cross"
    after = (
        f"walks {toward}"
        if end <= (1 - MOST) * there
        else "drifts farther from the cross along the floor"
        if end >= (1 + MOST) * there
        else "hardly moves along the floor"
    )
    if dropped:
        return (
            f"This path drops to the valley floor first, then {after} (on the floor from epoch "
            f"{epoch}, {there:.3g} from the cross along it; {end:.3g} at the end)"
        )
    return (
        "This path moves along the valley as it comes down, past the cross: it reaches the "
        f"floor at epoch {epoch} on the cross's far side, {there:.3g} from it along the floor "
        f"(it started {path.along_start:.3g} from it on this side), then {after} ("
        + (f"{end:.3g} from the cross at the end)" if end else "on the cross at the end)")
    )


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
