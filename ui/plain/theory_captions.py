"""The Theory and Stability pages' sentences: what theory predicts before running, the map's
outcome colours, and the effective rates an adaptive optimizer ended up using."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

import gd_core as gd
from ui import registry
from ui.config import OPTIMIZER_LABELS, Config, TrainSpec, build_schedule
from ui.plain.figures import epochs, in_sentence
from ui.plain.views import AdaptiveRates, StabilityView

# How the text names the stability map's outcome colours (palette.DIVERGED, MOVING_AWAY).
DIVERGED_COLOUR, MOVING_AWAY_COLOUR = "dark brown", "orange"


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
