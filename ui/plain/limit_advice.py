"""What a banner says about a rate that is too large, against the limits the Theory page shows:
with one rate for both the limit is 2/λ_max, with two each rate's own limit or the coupled
boundary, for momentum and Nesterov their own gains; for adaptive optimizers, schedules and
mini-batches what is and is not known. And how a diverged run crossed the line."""

from __future__ import annotations

import math

import gd_core as gd
from gd_core.run import power_of_ten
from ui import registry
from ui.config import TrainSpec, build_optimizer
from ui.plain.figures import distinct, in_sentence, rate
from ui.plain.views import Trajectory

# What gd_core calls a diverged run (verdict.py), said once for the banner and the glossary.
DIVERGED_RULE = (
    f"the loss became non-finite (too large for a float) or passed "
    f"{power_of_ten(gd.DIVERGENCE_FACTOR)} times its starting value, and the run stops there"
)


def divergence(run: Trajectory) -> str:
    """How this diverged run crossed the line: the loss it reached against its start, or that
    it overflowed, and how far each parameter had got (when that is a number)."""
    first, last = float(run.frame.loss.iloc[0]), float(run.last.loss)
    factor = power_of_ten(gd.DIVERGENCE_FACTOR)
    if not math.isfinite(last):
        text = "the loss became non-finite (too large for a float)"
    else:
        text = f"the loss reached {last:.3g}, past {factor} times its start ({first:.3g})"
    gaps = [float(run.last.dist_k), float(run.last.dist_b)]
    if all(math.isfinite(gap) for gap in gaps):
        text += f", with |k − k*| = {gaps[0]:.3g} and |b − b*| = {gaps[1]:.3g}"
    return text


def is_exact(spec: TrainSpec) -> bool:
    """Plain full-batch GD at a constant rate in the original x: the theory is exact for it."""
    return build_optimizer(spec).exact_map and not spec.batch and not spec.standardize


def single_rate_limit(data: gd.Dataset, spec: TrainSpec) -> tuple[float, str]:
    """The largest single rate the sidebar's linear optimizer converges with, and its formula."""
    high = gd.analyze(data).eigenvalues[1]
    return build_optimizer(spec).gain / high, registry.OPTIMIZERS[spec.optimizer].limit_formula


def limit_advice(data: gd.Dataset, spec: TrainSpec) -> str:
    """Which rate is too large, against the limits the Theory page shows."""
    name = in_sentence(spec.optimizer)
    if spec.standardize:
        return (
            "With standardised x both curvatures are 2, so plain gradient descent converges for "
            "any rate below 1 (2/λ_max of the standardised data); lower the rates toward ½."
        )
    rule = build_optimizer(spec)
    if rule.gain is None:  # no exact limit known (the adaptive rules)
        return (
            f"No exact limit is known for {name}: it divides each step by its own running size "
            "of the gradients. Lower η_k and η_b; as a guide, plain full-batch gradient descent "
            f"converges with one rate below 2/λ_max = {rate(gd.analyze(data).max_stable_lr)}."
        )
    qualifier = ""
    if spec.batch:
        qualifier = (
            " Each mini-batch has its own curvature, so these full-batch limits are a guide "
            "here, not a guarantee."
        )
    elif rule.schedule is not None:
        qualifier = (
            " The schedule changes the rate each epoch and η is the largest it uses, so these "
            "constant-rate limits are a guide here, not a guarantee."
        )
    limit, formula = single_rate_limit(data, spec)
    if spec.lr_k == spec.lr_b:
        return (
            f"With one rate for both, {name} converges only for η below {formula} = "
            f"{distinct(limit, spec.lr_k)} (Theory, section 3); η = "
            f"{distinct(spec.lr_k, limit)} is "
            f"{'above' if spec.lr_k > limit else 'at'} it.{qualifier}{_standardizing(spec, rule)}"
        )
    limit_k, limit_b = gd.parameter_limits(data, rule)
    limits = {"k": limit_k, "b": limit_b}
    sides = dict(zip("kb", gd.rate_sides(data, rule, spec.lr_k, spec.lr_b), strict=True))
    lrs = {"k": spec.lr_k, "b": spec.lr_b}
    too_big = [
        f"η_{p} = {distinct(lrs[p], limits[p])} is above {distinct(limits[p], lrs[p])}, the "
        f"largest rate {p} tolerates on its own"
        for p in "kb"
        if sides[p] > 0
    ]
    if too_big:
        return "; ".join(too_big) + f" (Theory, section 3).{qualifier}{_standardizing(spec, rule)}"
    edge = float(gd.stability_boundary(data, spec.lr_k, rule.momentum, rule.nesterov))
    # At its own limit a parameter alone swings back and forth at a constant size: the growth
    # comes from the other's pull, not from that rate being too large.
    own = [
        f"η_{p} = {rate(lrs[p])} is exactly at {p}'s own limit, where {p} alone would swing "
        "back and forth without growing"
        if sides[p] == 0
        else f"η_{p} < {rate(limits[p])}"
        for p in "kb"
    ]
    head = (
        f"No rate is above its own limit ({'; '.join(own)}), but together they are too large"
        if 0 in sides.values()
        else f"Each rate is below its own limit ({', '.join(own)}), but together they are too large"
    )
    # At k's own limit no η_b > 0 converges, and the boundary has no value to quote.
    largest = (
        f"the largest η_b that converges is {rate(edge)} (the dashed boundary on the Stability "
        "page)"
        if edge > 0
        else "no η_b above 0 converges"
    )
    return (
        f"{head}: k and b pull on each other through mean(x) = {data.x_mean:.3g}. With η_k = "
        f"{spec.lr_k:g} {largest}.{qualifier}"
    )


def _standardizing(spec: TrainSpec, rule: gd.Optimizer) -> str:
    """The other fix, when it provably works for these very rates: standardised x makes both
    curvatures 2 and uncouples k from b, so a linear rule converges for every rate below
    gain/2 (plain GD: 1). Not said under a schedule or mini-batches, where limits are a guide."""
    if spec.batch or rule.schedule is not None or max(spec.lr_k, spec.lr_b) >= rule.gain / 2:
        return ""
    return (
        " Or tick 'Standardise x' in the sidebar: with standardised x both curvatures are 2, so "
        f"every rate below {rule.gain / 2:g} converges, these included."
    )
