"""Under the Loss page's charts: the loss above its floor, shape by shape as this run drew it,
and the rates its schedule set, from the run's own numbers."""

from __future__ import annotations

import gd_core as gd
from gd_core.progress import MOST
from ui.config import TrainSpec, build_optimizer
from ui.plain import rate_facts
from ui.plain.figures import epochs, percent
from ui.plain.frozen import frozen, still
from ui.plain.limit_advice import is_exact
from ui.plain.pace import lagging, no_closer, settles_last
from ui.plain.run_captions import both, pulled_off
from ui.plain.schedule_cuts import unfinished_warmup
from ui.plain.views import Trajectory


def rate_summary(run: Trajectory) -> str:
    """Each rate's first, largest and last value, read from the run's own rates."""
    frame = run.rates
    if frame is None or frame.empty:
        return "This run took no step, so it used no rate."
    parts = []
    for name, rows in frame.groupby("rate of", sort=False):
        values, epochs = rows["rate"].to_numpy(), rows["epoch"].to_numpy()
        peak = int(values.argmax())
        parts.append(
            f"{name} was {values[0]:.3g} in epoch 0, largest at {values[peak]:.3g} from epoch "
            f"{int(epochs[peak]):,}, and {values[-1]:.3g} in its last epoch, {int(epochs[-1]):,}"
        )
    return "; ".join(parts) + "."


WARMUP_FACT = "The warm-up ramps the rate up linearly before the schedule starts."


def rates(spec: TrainSpec, run: Trajectory) -> str:
    """Under the rate chart: what it shows, from the run's own rates."""
    facts = [
        rate_facts.one_cycle(spec) if spec.schedule == "onecycle" else "",
        rate_facts.plateau(spec) if spec.schedule == "plateau" else "",
        WARMUP_FACT if spec.warmup else "",
        rate_facts.warmup_drop(spec, run) or "",
    ]
    if (warm := unfinished_warmup(spec, run)) is not None:
        facts.append(
            f"This one lasts {spec.warmup:,} epochs, longer than the run: the run ended while "
            f"still warming up, so the rate never reached the η = {warm[1]:.3g} you set."
        )
    return " ".join(
        ["The rate each epoch used, as the schedule set it: " + rate_summary(run)]
        + [fact for fact in facts if fact]
    )


def excess(spec: TrainSpec, run: Trajectory) -> str:
    if run.status in ("diverged", "diverging"):
        return (
            "The same run, measured from the floor. It rises: each epoch takes the parameters "
            "further from the optimum. " + both(run)
        )
    order = lagging(run)
    if order is None and run.near_starts():
        if run.start_gaps == (0.0, 0.0):
            return "The same run, measured from the floor: it starts at the optimum. " + both(run)
        return f"The same run, measured from the floor. {pulled_off(run)} {both(run)}"
    if order is None and no_closer(run):
        return (
            "The same run, measured from the floor. Neither k nor b has got closer to its "
            "optimum than it started. " + both(run)
        )
    if order is None:
        return (
            f"The same run, measured from the floor. Here neither k nor b is far ahead of the "
            f"other: {_stays(run)}. " + both(run)
        )
    fast, slow = order
    held, first = run.held_most(fast), run.closed_most(fast)
    # No stay in the band, or one too short to show it stays (a 2-epoch run reaching it at
    # epoch 2): the one with less of its gap left leads, so far.
    if held is None or run.epochs - held <= gd.HOLD_SHARE * run.epochs:
        return (
            f"The same run, measured from the floor: so far {fast} has closed more of its gap "
            f"than {slow}. {both(run)}"
        )
    swung = f"; it first got that close at epoch {first:,}" if first < held else ""
    steep = "steep " if held <= MOST * run.epochs else ""
    shape = "straight " if is_exact(spec) else ""
    drop = (
        f"The same run, measured from the floor: a {steep}drop while {fast} closes 90 % of its "
        f"gap for good (by epoch {held:,}{swung})"
    )
    floor = run.progress.at_rounding
    if (cut := frozen(run)) is not None and (floor is None or floor == run.epochs):
        # The schedule, not the bowl, flattened the curve: no slide or slow walk there.
        if cut.epoch <= held:
            return f"{drop}; {still(run, cut)}. {both(run)}"
        return (
            f"{drop}, then a {shape}slide over {epochs(cut.epoch - held)} to epoch "
            f"{cut.epoch:,}, then a flat line: {still(run, cut)}. {both(run)}"
        )
    if floor is None or floor == run.epochs:
        if (jitter := _jitter(run, slow, held)) is not None:
            entered, after = jitter
            return (
                f"{drop}, then a {shape}slide over {epochs(entered - held)}"
                f"{_walk(spec, run, slow)}, until {slow} first comes within "
                f"{percent(gd.DEFAULT_TOL)} of its starting gap (epoch {entered:,}); {after}. "
                + both(run)
            )
        return f"{drop}, then a {shape}slide over the last {epochs(run.epochs - held)}" + (
            f"{_walk(spec, run, slow)}. {both(run)}"
        )
    rounding = (
        f"L − L* reaches float64 rounding at epoch {floor:,} (below "
        f"{run.progress.rounding:.2g}: k and b equal k* and b* to their last digits); the rest "
        "of the chart is that rounding, and zeros a log scale cannot draw"
    )
    if floor <= held:
        return f"{drop}; {rounding}. {both(run)}"
    return (
        f"{drop}, then a {shape}slide over {epochs(floor - held)}{_walk(spec, run, slow)}, "
        f"until {rounding}. {both(run)}"
    )


def _jitter(run: Trajectory, slow: str, held: int) -> tuple[int, str] | None:
    """(the epoch `slow` first came within the settling band, what L − L* did after it) when
    the slide ends there: the slow parameter got that close after the fast one held 90 %, and
    then left the band again, with L − L* rising above where it was (Adam's late spikes, when
    its steps near the optimum divide a tiny gradient by a tinier root). None otherwise: the
    slide goes on to the end."""
    index = "kb".index(slow)
    entered, settled = run.progress.entered[index], run.settled_at[index]
    if entered is None or entered <= held or settled == entered:
        return None
    frame = run.frame
    later = frame.excess[frame.epoch > entered]
    # The shown row at or just before it (the chart's rows are thinned): no lower than there.
    there = frame.excess[frame.epoch <= entered]
    if later.empty or there.empty or not later.max() > there.iloc[-1]:
        return None
    left = [
        p
        for p in "kb"
        if run.progress.entered["kb".index(p)] is not None
        and run.progress.entered["kb".index(p)] != run.settled_at["kb".index(p)]
    ]
    return entered, (
        f"after that L − L* jumps back up, as high as {later.max():.2g}, as "
        f"{' and '.join(left)} {'moves' if len(left) == 1 else 'move'} out of that band again"
    )


def _stays(run: Trajectory) -> str:
    """From which epoch k and b each stay within 10 % of their starting gap, and when one first
    got that close if it swung out again (momentum passes through the band on its way past the
    optimum)."""
    if run.closed_most("k") is None and run.closed_most("b") is None:
        return f"neither comes within {percent(MOST)} of its starting gap"
    parts = []
    for p in "kb":
        held, first = run.held_most(p), run.closed_most(p)
        band = f" within {percent(MOST)} of its starting gap" if not parts else ""
        if held is not None:
            again = f" (it first got that close at epoch {first:,})" if first < held else ""
            parts.append(f"{p} stays{band} from epoch {held:,} on{again}")
        elif first is not None:
            parts.append(f"{p} comes{band} at epoch {first:,} but does not stay")
        else:  # the band is named by k's part before it, which then came closer
            parts.append(f"{p} never comes{band}" if not parts else f"{p} never does")
    return ", ".join(parts)


def _walk(spec: TrainSpec, run: Trajectory, slow: str) -> str:
    """ ", b's slow walk …" after the slide, when b is the one still walking: an adaptive or
    momentum run can close 90 % of b's gap first yet settle b last. The flattest direction of
    the bowl sets the pace only for the linear rules (plain GD, momentum, Nesterov)."""
    if not settles_last(run, slow):
        return ""
    linear = build_optimizer(spec).gain is not None
    return f", {slow}'s slow walk" + (
        " at the pace of the flattest direction of the bowl" if linear else ""
    )
