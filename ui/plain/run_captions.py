"""Under the Fit chart and the player: where k and b got in this run, when each came near its
optimum and how far it swung past, and how the player steps through the run. A caption that
tells the seed story ("k settles, then b crawls") says it only when this run did that."""

from __future__ import annotations

import gd_core as gd
from gd_core.progress import MOST
from ui.plain.figures import epochs, percent, share, starting_gaps
from ui.plain.frozen import frozen, still
from ui.plain.pace import closed_first, held_ahead, lagging
from ui.plain.parameter_progress import farther, progress
from ui.plain.views import Trajectory


def both(run: Trajectory) -> str:
    """Where k and b got, as one sentence."""
    moving = [p for p, epoch in zip("kb", run.settled_at, strict=True) if epoch is None]
    if run.status == "diverged" or not moving:
        return f"In this run {progress(run, 'k')}, and {progress(run, 'b')}."
    settled = [progress(run, p) for p in "kb" if p not in moving]
    after = " and ".join(progress(run, p, when=False) for p in moving)
    if not settled:
        return f"After {epochs(run.epochs)} {after}."
    return f"In this run {settled[0]}; after {epochs(run.epochs)} {after}."


def player(run: Trajectory) -> str:
    """How the player steps through this run, and what the panel under the chart shows."""
    frames = run.frames
    if frames.linear >= frames.last:
        steps = f"one epoch a step, {frames.last:,} steps"
    else:
        steps = (
            f"every epoch up to {frames.linear:,}, then steps that grow by "
            f"×{frames.ratio:.4g} to epoch {frames.last:,}: {frames.count:,} steps in all"
        )
    text = (
        f"▶ Play runs through the epochs ({steps}); Step back and Step forward move one step, "
        "and the slider (or its arrow keys) one epoch, showing the last step at or before it. "
        f"It all runs in your browser, so a link to this page opens at epoch {frames.last:,}, "
        "not at the one shown. "
    )
    if run.steps is not None:
        return text + (
            "The panel under the chart is the update from the shown epoch to the next: the "
            "gradient with your data's sums plugged in, the optimizer's state after it (under "
            "torch.optim's names), the rate and the step each parameter takes."
        )
    return text + (
        "The update panel is for full-batch training on x as it is: with mini-batches an epoch "
        "takes several steps at gradients of its batches, and with standardised x the steps "
        "are taken in other units."
    )


def fit(run: Trajectory, data: gd.Dataset) -> str:
    text = "The solid line is the model at the shown epoch. "
    ran = int(run.last["epoch"]) + 1  # a diverged run stops at the epoch it blew up
    if len(run.frame) < ran:
        text += (
            f"The chart keeps {len(run.frame):,} of the {ran:,} epochs (every step "
            "of the player, and each stretch's extremes). "
        )
    if run.status in ("diverged", "diverging"):
        return text + (
            "Here it swings further from the points each epoch; drag back to the first epochs "
            "to see it start. " + both(run)
        )
    order = lagging(run)
    if order == ("k", "b") and farther(run, ["b"]):  # k ahead, b not crawling but away
        return text + (
            "Here the line turns toward the right slope, but its height does not close in: in "
            f"the last tenth of the run b was farther from b* than at the start. {both(run)}"
        )
    if run.start_gaps == (0.0, 0.0):
        return text + both(run)
    if run.near_starts():  # no starting gap (or a tiny one) to take a share of
        return text + f"{pulled_off(run)} {both(run)}"
    if (cut := frozen(run)) is not None:  # the schedule stopped the line, not the bowl
        stops = f"then the line stops moving: {still(run, cut)}"
        return text + f"Here {_holds(run, data)}; {stops}. {both(run)}"
    if held_ahead(run):
        return text + f"{_paces(run, data)}: {_holds(run, data)}. {both(run)}"
    return text + f"Here {_holds(run, data)}. {both(run)}"


def _paces(run: Trajectory, data: gd.Dataset) -> str:
    """How a run whose k stayed close long before b did got there: the seed story (the slope
    first, then b crawling in) only if k came close first and b did not swing far past b*;
    Adam's b, moving as fast as k with half the gap, gets there first and overshoots."""
    first = closed_first(run)
    past = gd.overshoot(run.frame["b"], data.intercept_ols)
    overshot = past is not None and past[1] > MOST * run.start_gaps[1]
    # A crawl closes in: b going out well past its starting distance first (Adam on
    # standardised x takes it to four times its gap and back) is no crawl either.
    start, farthest = run.progress.start[1], run.progress.farthest[1]
    strayed = farthest > (1 + MOST) * start
    if first == "k" and not overshot and not strayed:
        return (
            "Here the line turns to the right slope first, then shifts up or down slowly "
            "while b crawls"
        )
    if first == "k" and overshot:
        return (
            "Here the line turns to the right slope first, but b does not crawl: it overshoots b*"
        )
    if first == "k":
        return (
            "Here the line turns to the right slope first, but b does not crawl in: it first "
            f"moves away from b*, up to {farthest:.3g} from it, {share(farthest / start)} as far "
            "as it started"
        )
    when = f"b at epoch {run.closed_most('b'):,}, k at epoch {run.closed_most('k'):,}"
    if first == "b":
        # held_ahead: k stays close first and b ends with more of its gap left, so b only
        # passed through the band on its way (past b*, with Adam): it is not ahead.
        beyond = ", and b keeps going past b*" if overshot else ""
        head = (
            "Here the line's height comes close first, but its slope stays close first and "
            "ends closer"
        )
        close = f"within {percent(MOST)} of {starting_gaps('b')}"
        return f"{head}: b comes {close} first ({when}){beyond}"
    beyond = ", and b then goes past b*" if overshot else ""
    close = f"within {percent(MOST)} of {starting_gaps('kb')}"
    return f"Here k and b come {close} at the same epoch, {run.closed_most('k'):,}{beyond}"


def pulled_off(run: Trajectory) -> str:
    """What moves a parameter that started at or near its optimum (where it started is in
    `both`, which follows). Only one can have: `pulled` needs a gap under 1 % of the other's,
    and a run starting with both at the optimum (told apart by its callers) never moves."""
    at = run.near_starts()[0]
    gapped = "b" if at == "k" else "k"
    return f"Here {gapped}'s gap pulls {at} off {at}* and back as the two close together."


def _holds(run: Trajectory, data: gd.Dataset) -> str:
    """When k and b each came within 10 % of their starting gap for good, and how far each
    swung past its optimum, from the run's own numbers."""
    band = f"within {percent(MOST)} of its starting gap"
    held, swung = {}, {}
    for p, optimum in (("k", data.slope_ols), ("b", data.intercept_ols)):
        held[p] = run.progress.held_most["kb".index(p)]
        past = gd.overshoot(run.frame[p], optimum)
        big = past is not None and past[1] > MOST * run.start_gaps["kb".index(p)]
        # Named, not "it": where neither holds, both swings follow one sentence naming both.
        swung[p] = f" ({p} swung out to {past[0]:.4g}, {past[1]:.3g} past {p}*)" if big else ""
        end = float(run.frame[p].iloc[-1]) - optimum
        side = 1.0 if float(run.frame[p].iloc[0]) <= optimum else -1.0
        if big and side * end >= (1 - MOST) * past[1]:  # still out there
            swung[p] = (
                f" ({p} went out to {past[0]:.4g}, {past[1]:.3g} past {p}*, and is still "
                f"{side * end:.3g} past it at the end)"
            )
    stay = [p for p in "kb" if held[p] is not None]
    if len(stay) == 2:
        return (
            f"k stays {band} from epoch {held['k']:,} on{swung['k']}, b from epoch "
            f"{held['b']:,} on{swung['b']}"
        )
    if len(stay) == 1:
        p, q = stay[0], "b" if stay[0] == "k" else "k"
        return (
            f"{p} stays {band} from epoch {held[p]:,} on{swung[p]}; {q} ends farther from "
            f"{q}* than that{swung[q]}"
        )
    swings = "".join(swung.values()).replace(") (", "; ")
    return f"neither k nor b ends {band}{swings}"
