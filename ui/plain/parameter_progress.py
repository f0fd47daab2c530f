"""Where one parameter got in a run, in words: settled (and whether that was shown to stay), on
its way with a share of its starting gap left, farther off than it started, or pulled off an
optimum it started at or next to; and the settling band that makes a tiny start a tight
target. Shared by the banner, the captions and the alt text."""

from __future__ import annotations

import math

import gd_core as gd
from ui.config import TrainSpec
from ui.plain.figures import epochs, percent, share
from ui.plain.views import Trajectory


def started(run: Trajectory, parameter: str) -> str:
    """Where a parameter that started near its optimum (Trajectory.started_near) started."""
    return _where_started(parameter, run.start_gaps["kb".index(parameter)])


def _where_started(p: str, gap: float) -> str:
    return f"started at {p}*" if gap == 0.0 else f"started only {gap:.3g} from {p}*"


def pull(spec: TrainSpec, parameter: str) -> str:
    """What moves a parameter that starts at or near its optimum: its gradient carries the
    other's gap through mean(x), and with mini-batches each batch's own noise too."""
    other = "b" if parameter == "k" else "k"
    return f"the mini-batches' noise and {other}'s gap" if spec.batch else f"{other}'s gap"


def tight_band(spec: TrainSpec, run: Trajectory, parameter: str) -> str:
    """Why a parameter that started near its optimum settles late: its band is a share of a
    tiny starting gap (or a floor float64 resolves, when the gap is 0), and the run first
    pulled it far outside that band. Numbers from gd_core.progress of this run."""
    return band_after_pull(run.progress, parameter, pull(spec, parameter))


def band_after_pull(progress: gd.Progress, parameter: str, puller: str) -> str:
    """`tight_band` from a run's gd_core.Progress, `puller` naming what pulled it."""
    p, index = parameter, "kb".index(parameter)
    gap, far = progress.start[index], progress.farthest[index]
    return (
        f"{p} {_where_started(p, gap)}, so settling means {settling_band(progress, p)}, and "
        f"{puller} pulled it up to {far:.3g} away first"
    )


def settling_band(progress: gd.Progress, parameter: str) -> str:
    """ "staying within 2.02e-11 of b*, 0.1 % of its starting gap": its settling band."""
    p, index = parameter, "kb".index(parameter)
    gap, band = progress.start[index], progress.band[index]
    of_gap = (
        f", {percent(gd.DEFAULT_TOL)} of its starting gap"
        if gap > 0 and math.isclose(band, gd.DEFAULT_TOL * gap, rel_tol=1e-9)
        else ""
    )
    return f"staying within {band:.3g} of {p}*{of_gap}"


def progress(run: Trajectory, parameter: str, when: bool = True) -> str:
    """Where one parameter got in this run: settled, still on its way, or away."""
    p = parameter
    index = "kb".index(p)
    epoch = run.settled_at[index]
    if run.status == "diverged":
        return f"{p} was {float(run.last[f'dist_{p}']):.3g} from {p}* when it blew up"
    if epoch is not None and p in run.progress.late:  # see _settled_late
        return (
            f"{p} has been back within {percent(gd.DEFAULT_TOL)} of its starting gap since "
            f"epoch {epoch:,}, too short a stay to trust, as it had been that close before "
            "and left"
        )
    if epoch is not None and not shown_to_stay(run, p):
        final = run.epochs - epoch + 1  # the late_settlers rule's sliver
        return (
            f"{p} settled at epoch {epoch:,} ({epochs(final - 1)} before the end: not "
            "shown to stay)"
        )
    if epoch is not None:
        return f"{p} settled at epoch {epoch:,}"
    fraction, swing = run.gap_left(p), run.swing(p)
    after = f"after {epochs(run.epochs)} " if when else ""
    if run.start_gaps[index] == 0.0:  # no starting gap to take a share of
        return f"{after}{p}, which started at {p}*, has been pulled away from it"
    if run.started_near(p):  # a share of a tiny gap says little: say where it was pulled
        return (
            f"{after}{p}, which {started(run, p)}, has been pulled up to "
            f"{run.progress.farthest[index]:.3g} away from it"
        )
    if not math.isfinite(fraction):
        return f"{after}{p} is {float(run.last[f'dist_{p}']):.3g} from {p}*"
    if fraction > 1:
        text = f"{after}{p} is {share(fraction)} as far from {p}* as at the start"
    else:
        text = f"{after}{p} still has {percent(fraction)} of its starting gap left"
    return text + swinging(fraction, swing)


def swinging(left: float, swing: float) -> str:
    """ ", swinging out to 77.1 times of it from epoch to epoch" when the last epoch caught a
    swing near its low point (its largest recent distance is over twice the last), else ""."""
    if swing > 2 * left:
        return f", swinging out to {share(swing)} of it from epoch to epoch"
    return ""


def farther(run: Trajectory, parameters: list[str]) -> list[str]:
    """Which of `parameters` ended farther from their optimum than they started (a parameter
    that started at or near its optimum has its own words: it was pulled off)."""
    return [p for p in parameters if not run.started_near(p) and run.gap_left(p) > 1.0]


def shown_to_stay(run: Trajectory, parameter: str) -> bool:
    """Whether `parameter` settled and its stay shows it stays: not a return after leaving
    the band (progress.late_settlers), nor a sliver at the end of a run the verdict did not
    call converged. Fit's words (`progress`) and Compare's table (outcome_words) both ask
    this, so one never lists as settled what the other calls "too short a stay to trust"."""
    epoch = run.settled_at["kb".index(parameter)]
    if epoch is None or parameter in run.progress.late:
        return False
    final = run.epochs - epoch + 1
    return run.status == "converged" or final > gd.HOLD_SHARE * run.epochs


def unsettled(run: Trajectory) -> str:
    return "".join(p for p, epoch in zip("kb", run.settled_at, strict=True) if epoch is None)
