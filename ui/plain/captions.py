"""Captions under the charts, each true of the run on screen: computed from it, or a general fact.

A caption that tells the seed story ("k settles, then b crawls") says it only when this run
did that; otherwise it says what this run did instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

import gd_core as gd
from gd_core.progress import MOST
from ui import registry
from ui.config import OPTIMIZER_LABELS, Config, TrainSpec, build_optimizer, build_schedule
from ui.plain.pace import closed_first, held_ahead, lagging, no_closer, settles_last
from ui.plain.race_lines import RatesTried, grids_tried
from ui.plain.verdicts import (
    epochs,
    farther,
    in_sentence,
    is_exact,
    outcome_words,
    percent,
    progress,
    share,
)
from ui.plain.views import AdaptiveRates, StabilityView, Trajectory

# How the text names the stability map's outcome colours (palette.DIVERGED, MOVING_AWAY).
DIVERGED_COLOUR, MOVING_AWAY_COLOUR = "dark brown", "orange"


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
    if held_ahead(run):
        return text + f"{_paces(run, data)}: {_holds(run, data)}. {both(run)}"
    if run.start_gaps == (0.0, 0.0):
        return text + both(run)
    if run.near_starts():  # no starting gap (or a tiny one) to take a share of
        return text + f"{pulled_off(run)} {both(run)}"
    return text + f"Here {_holds(run, data)}. {both(run)}"


def _paces(run: Trajectory, data: gd.Dataset) -> str:
    """How a run whose k stayed close long before b did got there: the seed story (the slope
    first, then b crawling in) only if k came close first and b did not swing far past b*;
    Adam's b, moving as fast as k with half the gap, gets there first and overshoots."""
    first = closed_first(run)
    past = gd.overshoot(run.frame["b"], data.intercept_ols)
    overshot = past is not None and past[1] > MOST * run.start_gaps[1]
    if first == "k" and not overshot:
        return (
            "Here the line turns to the right slope first, then shifts up or down slowly "
            "while b crawls"
        )
    if first == "k":
        return (
            "Here the line turns to the right slope first, but b does not crawl: it overshoots b*"
        )
    close = f"within {percent(MOST)} of its starting gap"
    when = f"b at epoch {run.closed_most('b'):,}, k at epoch {run.closed_most('k'):,}"
    if first == "b":
        beyond = ", and b keeps going past b*" if overshot else ""
        head = "Here the line's height gets there before its slope"
        return f"{head}: b comes {close} first ({when}){beyond}"
    beyond = ", and b then goes past b*" if overshot else ""
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
        swung[p] = f" (it swung out to {past[0]:.4g}, {past[1]:.3g} past {p}*)" if big else ""
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


# What each schedule does, as a general fact under its rate chart.
SCHEDULE_FACTS = {
    "onecycle": "One-cycle climbs from η/div_factor to η, then anneals far below where it "
    "started: large steps in the middle of the run, tiny ones at its end.",
    "plateau": "Reduce-on-plateau cuts the rates when the full-data loss stops improving by its "
    "threshold, and along the flat valley the loss barely moves while b is still far off.",
}
WARMUP_FACT = "The warm-up ramps the rate up linearly before the schedule starts."


def rates(spec: TrainSpec, run: Trajectory) -> str:
    """Under the rate chart: what it shows, from the run's own rates."""
    facts = [SCHEDULE_FACTS.get(spec.schedule, ""), WARMUP_FACT if spec.warmup else ""]
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
    if floor is None or floor == run.epochs:
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


def _stays(run: Trajectory) -> str:
    """From which epoch k and b each stay within 10 % of their starting gap, and when one first
    got that close if it swung out again (momentum passes through the band on its way past the
    optimum)."""
    parts = []
    for p in "kb":
        held, first = run.held_most(p), run.closed_most(p)
        band = f" within {percent(MOST)} of its starting gap" if not parts else ""
        if held is not None:
            again = f" (it first got that close at epoch {first:,})" if first < held else ""
            parts.append(f"{p} stays{band} from epoch {held:,} on{again}")
        elif first is not None:
            parts.append(f"{p} comes{band} at epoch {first:,} but does not stay")
        else:
            parts.append(f"{p} never comes{band}")
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
    valley = _valley(run.progress.valley)
    if valley:
        return text + valley + (f"; on the way {strays}." if strays else ".")
    if no_closer(run):
        return text + "This path ends no nearer the cross in either k or b than it started."
    if strays:
        return text + f"This path does not head straight for the cross: {strays}."
    return text + _heading(run, optimum)


def _valley(path: gd.ValleyPath | None) -> str:
    """The path's shape in the valley's own directions (H's eigenvectors), when it has one of
    the two a student can see: it drops straight to the floor, keeping its distance along the
    valley, and then walks along it (plain GD); or it moves along the valley as it comes down,
    past the cross, and reaches the floor on its far side (Adam moves k and b by about η each:
    a straight diagonal). "" otherwise, and
    for a path that reaches the floor next to the cross (no walk left to tell)."""
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


def compare(table: list[dict], epochs: int) -> str:
    """The race's result in words, from the rows of the Compare table."""
    settled = [row for row in table if row["status"] == "converged"]
    if not table:
        return "Tick a strategy in the table to race it."
    text = f"{len(settled)} of {len(table)} strategies converged within {epochs:,} epochs"
    if settled:
        best = min(settled, key=lambda row: row["converged_at"])
        text += f"; the fastest is {best['strategy']} (epoch {int(best['converged_at']):,})"
    plain = next((row for row in table if row["strategy"] == "Plain GD"), None)
    if plain is not None:
        text += f"; plain GD: {plain['outcome']}"
    words = outcome_words([row["outcome"] for row in table])
    return (
        text + ". Pick a strategy out with the Highlight box under each chart, or in its "
        "legend (in your browser only: a link opens with every strategy drawn alike). More "
        "epochs only wait out a slow parameter; the fixes change its pace. "
        f"The outcomes: {words}."
    )


def prediction(spec: TrainSpec, ran: int = 0, needed: int | None = None) -> str:
    """What Theory's prediction is for, which run observed it (`ran` epochs of plain GD, 0 if
    none ran), and how the sidebar's own run differs from it (`needed`: the predicted epochs)."""
    text = (
        f"For plain full-batch gradient descent at η_k = {spec.lr_k:g}, η_b = {spec.lr_b:g} from "
        f"(k₀, b₀) = ({spec.k0:g}, {spec.b0:g}) on your data, with x as it is"
    )
    if ran:
        text += f". The observed run is a separate run of it for {ran:,} epochs"
        if needed is not None:  # nothing to reach where theory predicts no settling
            text += ", long enough to reach the prediction"
    differences = [
        OPTIMIZER_LABELS[spec.optimizer] if spec.optimizer != registry.PLAIN_GD else "",
        "a schedule" if build_schedule(spec) is not None else "",
        "mini-batches" if spec.batch else "",
        "standardised x" if spec.standardize else "",
    ]
    differences = [d for d in differences if d]
    if not differences and ran and needed is not None and spec.epochs < needed:
        return text + (
            f". Your sidebar's run of this method stops after {epochs(spec.epochs)}, before "
            f"epoch {needed:,}, from which theory says both stay settled."
        )
    if not differences:
        return text + "."
    return (
        text + ". Your sidebar trains with " + ", ".join(differences) + "; the prediction is "
        "for the plain method the others are measured against."
    )


def stability(
    counts: Mapping[str, int], optimizer: str, view: StabilityView, config: Config
) -> str:
    """What the map shows, counted from its own cells."""
    name = OPTIMIZER_LABELS[optimizer]
    how = (
        "exactly, from the Hessian's two modes" if view.exact else "by stepping every cell at once"
    )
    total = sum(counts.values())
    parts = [f"{counts.get('converged', 0):,} of {total:,} pairs converge"]
    parts.append(f"{counts.get('diverged', 0):,} diverge ({DIVERGED_COLOUR})")
    if counts.get("moving away", 0):
        parts.append(
            f"{counts['moving away']:,} are moving away but have not blown up yet "
            f"({MOVING_AWAY_COLOUR})"
        )
    spec, cells = config.train, view.cells
    inside = (
        cells.k_low.min() <= spec.lr_k <= cells.k_high.max()
        and cells.b_low.min() <= spec.lr_b <= cells.b_high.max()
    )
    outside = (
        ""
        if inside
        else f" Your rates (η_k = {spec.lr_k:g}, η_b = {spec.lr_b:g}) lie outside this map, so "
        "its cross is not drawn."
    )
    return (
        f"{name} on your data for {view.epochs:,} epochs from (k₀, b₀) = "
        f"({spec.k0:g}, {spec.b0:g}), computed {how}: "
        + ", ".join(parts)
        + "; the rest are still on their way (light grey). "
        f"**Click a cell**, or pick one with the sliders under the map, to train "
        f"{in_sentence(optimizer)} with its rates.{outside}"
    )


def effective_rates(data: gd.Dataset, spec: TrainSpec, adaptive: AdaptiveRates) -> str:
    """Theory section 5: what the adaptive optimizer did to each rate, from its own numbers."""
    name = OPTIMIZER_LABELS[adaptive.optimizer]
    stand_in = (
        f" (your sidebar optimizer is not adaptive, so {name} is shown)"
        if adaptive.optimizer != spec.optimizer
        else ""
    )
    text = (
        f"{name} at your rates for {epochs(adaptive.epochs)}{stand_in}. It divides each "
        f"parameter's rate by {registry.OPTIMIZERS[adaptive.optimizer].divides_by}, and k's "
        "gradients carry a factor x."
    )
    idle = dict(zip("kb", adaptive.idle, strict=True))
    if all(count == adaptive.epochs for count in idle.values()):
        return text + (
            " Here both gradients were exactly 0 at every epoch: the run starts at the exact "
            f"least-squares optimum, so {name} took no step and no rate was ever applied "
            f"({_no_gradient(name)}). Start elsewhere (k₀, b₀ in the sidebar) to see the rates "
            "adapt."
        )
    epoch, parameter, rate = adaptive.positive()
    moves = {
        p: _rate_move(p, rate[parameter == p], idle[p], adaptive.epochs, getattr(spec, f"lr_{p}"))
        for p in "kb"
    }
    text += " Over this run " + " and ".join(moves[p] for p in "kb")
    quiet = [p for p in "kb" if idle[p]]
    if quiet:
        text += f". {name} takes no step on a gradient of exactly 0 ({_no_gradient(name)})"
    end = epoch == (epoch.max() if epoch.size else 0)
    at_last = {p: rate[(parameter == p) & end] for p in "kb"}
    if any(values.size == 0 for values in at_last.values()):
        return text + "."
    ratio = float(at_last["b"][0] / at_last["k"][0])
    # Your own η_b/η_k is in that ratio from the first epoch; the adaptive rule's part is the
    # rest (its divisors' ratio), and only that part is what it found without knowing H.
    own = spec.lr_b / spec.lr_k
    added = ratio / own
    split = (
        f" ({own:.3g} times from your own rates, η_b/η_k, and {added:.3g} times from "
        f"{name}'s division)"
        if own != 1
        else ""
    )
    found = _share_of_fix(added, data.x_sq_mean)
    return text + (
        f"; at the end b's is {ratio:.3g} times k's{split}. The per-parameter rates with the "
        f"fastest pace (section 3) differ by mean(x²) = {data.x_sq_mean:.4g}: {found}. The "
        "dotted level lines, each in its parameter's colour, are the largest rates plain "
        "gradient descent tolerates for each parameter alone."
    )


def _no_gradient(name: str) -> str:
    """Why no rate is drawn for an epoch whose gradient, and every one before it, was 0."""
    return (
        f"with no gradient in its state {name}'s divisor is ε alone, and lr/ε times a gradient "
        "of 0 is no step, so no rate is drawn for those epochs"
    )


def _rate_move(parameter: str, rates: np.ndarray, idle: int, ran: int, rate: float) -> str:
    """How one parameter's effective rate went over the run, from its drawn values; `idle`
    epochs of exactly 0 gradient came first; `rate` is the sidebar's rate for it."""
    if idle == ran:
        return f"{parameter} had no effective rate (its gradient was exactly 0 at every epoch)"
    if not rates.size:  # a rate of 0, or one that stopped being a number
        return f"{parameter} had no effective rate above 0" + (
            f" (η_{parameter} is 0)" if rate == 0 else ""
        )
    wait = f"after {epochs(idle)} of exactly 0 gradient " if idle else ""
    wait = f"{parameter}'s effective rate {wait}"
    first, last = rates[0], rates[-1]
    if ran - idle == 1:
        return f"{wait}was {first:.3g} in the run's last epoch"
    if f"{last:.3g}" == f"{first:.3g}":
        return f"{wait}stayed at {first:.3g}"
    return f"{wait}{'rose' if last > first else 'fell'} from {first:.3g} to {last:.3g}"


def _share_of_fix(ratio: float, needed: float) -> str:
    """How much of the per-parameter fix (b's rate `needed` times k's) the adaptive rule's own
    `ratio` (its divisors', without the student's η_b/η_k) makes: on a log scale, as a step
    toward it, none (the wrong way or not at all), or past it."""
    if needed == 1:
        return "with mean(x²) = 1 there is no fix for the adaptive rule to find"
    if ratio == 1 or (ratio > 1) != (needed > 1):
        return "here the adaptive rule's own division does not find that fix"
    if abs(np.log(ratio)) < abs(np.log(needed)):
        return "the adaptive rule's own division finds part of that fix without knowing H"
    return "the adaptive rule's own division finds that fix and more without knowing H"


def tuned(metric: str, at: int, tried: Sequence[RatesTried] = ()) -> str:
    """What "tune each" did, for the caption under Compare's table; `tried` is each tuned
    strategy's grid, which the caption counts as the table does."""
    best = {
        "epochs": "converges fastest (both parameters settled) within the epochs",
        "loss": "ends with the lowest loss after the epochs",
        "loss_at": f"has the lowest loss at epoch {at:,}",
    }[metric]
    # Rates that reach L* to rounding all end with exactly L*: by loss they tie.
    tie = "the lower final loss" if metric == "epochs" else "the rate that settles first"
    grids = f": {grids_tried(tried)}" if tried else ""
    return (
        f"Each strategy raced at the rate that {best} on a log grid of its own, three decades "
        "wide, up to its exact stability limit for gradient descent and momentum (up to ten "
        f"times the start's distance from the optimum for the adaptive ones){grids}. The best "
        "of those rates (each row says which), not of every rate: one between two of them may "
        f"do a little better. Ties go to {tie}, then to the smaller rate."
    )
