"""What the banner above the charts says about the run on screen, computed from that run.

Plain Python (no Streamlit), so every sentence is testable against gd_core. Every number a
banner quotes is one the Theory page shows for the same setting, formatted by `rate` the same
way: with one rate for both the limit is 2/λ_max, with two rates each rate's own limit or the
coupled boundary, for momentum and Nesterov their own gains; for adaptive optimizers, schedules
and mini-batches it says what is and is not known.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

import gd_core as gd
from gd_core.run import power_of_ten
from ui import registry
from ui.config import TrainSpec, batch_size, build_optimizer, build_schedule
from ui.plain import budget
from ui.plain.stalls import (
    MOST_EPOCHS,
    decay_ahead,
    decay_cut,
    larger_rate,
    percent,
    plateau_ahead,
    radius_text,
    schedule_cut,
    slow_walk,
    stalled,
)
from ui.plain.views import Trajectory

Kind = Literal["success", "info", "warning"]


def rate(value: float) -> str:
    """A rate or limit as the banners and the Theory page both print it."""
    return f"{value:.5g}"


def distinct(value: float, other: float) -> str:
    """`value` with the digits that tell it from `other` (at least those of `rate`)."""
    for digits in range(5, 17):
        if f"{value:.{digits}g}" != f"{other:.{digits}g}":
            return f"{value:.{digits}g}"
    return f"{value:.17g}"


def in_sentence(optimizer: str) -> str:
    """An optimizer's name inside a sentence."""
    entry = registry.OPTIMIZERS[optimizer]
    return entry.in_sentence or entry.label


def growth(factor: float) -> str:
    """A factor per epoch close to 1, with the digits that tell it from 1."""
    return radius_text(factor)


def epochs(count: int) -> str:
    """The count with its noun: "1 epoch", "450 epochs" (a run of one epoch is allowed)."""
    return f"{count:,} epoch" + ("" if count == 1 else "s")


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


@dataclass(frozen=True)
class Verdict:
    kind: Kind
    text: str  # Markdown


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
    too_big = [
        f"η_{p} = {distinct(lr, lim)} is above {distinct(lim, lr)}, the largest rate {p} "
        "tolerates on its own"
        for p, lr, lim in (("k", spec.lr_k, limit_k), ("b", spec.lr_b, limit_b))
        if lr >= lim
    ]
    if too_big:
        return "; ".join(too_big) + f" (Theory, section 3).{qualifier}{_standardizing(spec, rule)}"
    edge = float(gd.stability_boundary(data, spec.lr_k, rule.momentum, rule.nesterov))
    return (
        f"Each rate is below its own limit (η_k < {rate(limit_k)}, η_b < {rate(limit_b)}), but "
        f"together they are too large: k and b pull on each other through mean(x) = "
        f"{data.x_mean:.3g}. With η_k = {spec.lr_k:g} the largest η_b that converges is "
        f"{rate(edge)} (the dashed boundary on the Stability page).{qualifier}"
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


def share(fraction: float) -> str:
    """A distance as a share of the starting one: "8.9 %", "1.6 times" or "9,380 times" past
    100 % (three significant figures, never in e-notation: a student reads "9.38e+03 times" as
    noise), "infinitely many times" for a start at the optimum."""
    if fraction <= 1:
        return percent(fraction)
    if math.isinf(fraction):
        return "infinitely many times"
    rounded = float(f"{fraction:.3g}")
    return f"{rounded:.3g} times" if rounded < 1_000 else f"{rounded:,.0f} times"


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
        f"{p} {_where_started(p, gap)}, so settling means {_band(progress, p)}, and {puller} "
        f"pulled it up to {far:.3g} away first"
    )


def _band(progress: gd.Progress, parameter: str) -> str:
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
    if epoch is not None:
        final = run.epochs - epoch + 1  # the late_settlers rule's sliver, said of a run the
        if run.status != "converged" and final <= gd.HOLD_SHARE * run.epochs:  # verdict left
            return (
                f"{p} settled at epoch {epoch:,} ({epochs(final - 1)} before the end: not "
                "shown to stay)"
            )
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
    if swing > 2 * fraction:  # the last epoch caught a swing near its low point
        text += f", swinging out to {share(swing)} of it from epoch to epoch"
    return text


def _still_converging(data: gd.Dataset, spec: TrainSpec, run: Trajectory) -> str:
    lagging = [p for p, epoch in zip("kb", run.settled_at, strict=True) if epoch is None]
    parts = [
        f"{progress(run, p, when=False)} (|{p} − {p}*| = {float(run.last[f'dist_{p}']):.3g})"
        for p in lagging
    ]
    done = [progress(run, p) for p in "kb" if p not in lagging]
    reason = stalled(spec, run, data)
    # Theory vouches for an exact run (below); any other run that was still farther from the
    # optimum than it started near its end has not shown it is converging.
    away = [] if reason or is_exact(spec) else farther(run, lagging)
    head = "Not converging" if reason or away else "Still converging"
    text = f"**{head} after {run.epochs:,} epochs**: "
    text += (done[0] + ", but " if done else "") + " and ".join(parts) + "."
    if reason:
        return text + " " + reason
    if away:
        return text + (
            f" In the last tenth of the run {' and '.join(away)} was farther from the optimum "
            "than at the start, so more epochs are no sure fix: try lower rates, or a fix from "
            "the Compare page."
        )
    if is_exact(spec):
        forecast = gd.analyze(data, (spec.lr_k, spec.lr_b), init=(spec.k0, spec.b0))
        needed = [
            (p, forecast.predicted_settled_at["kb".index(p)])
            for p in lagging
            if forecast.predicted_settled_at is not None
        ]
        known = [(p, epoch) for p, epoch in needed if epoch is not None]
        if known:
            text += (
                " Theory predicts that "
                + " and ".join(
                    f"{p} settles at epoch {epoch:,} ({epoch - run.epochs:,} more)"
                    for p, epoch in known
                )
                + "."
            )
        for p, _ in known:
            if run.started_near(p):  # a forecast for a parameter with almost no gap: why
                # Where it started and how far it was pulled are in the sentence before.
                text += f" For {p} that is a tight target: settling means {_band(run.progress, p)}."
    elif spec.batch and build_schedule(spec) is None:
        text += (
            " Mini-batch gradients are noisy, so at a constant rate the parameters keep "
            "jittering around the optimum and may never settle: a decaying schedule or full "
            "batch lets them."
        )
    elif spec.schedule == "plateau":
        text += " " + plateau_ahead(spec, run)
    elif registry.SCHEDULES[spec.schedule].spans_run and (decayed := schedule_cut(spec, run)):
        stretch = f"{decayed}, and it spans the run, so more epochs stretch it"
        if (cap := _epoch_cap(data, spec)) is None:
            text += f" Try more epochs: {stretch} and more of them run at large rates."
        else:
            text += f" {stretch[0].upper()}{stretch[1:]}{_but(cap)}"
    elif decayed := decay_cut(spec, run):  # not proven stuck (stalled would have said so)
        if ahead := decay_ahead(spec, run, data):  # what the rates left can do, in numbers
            text += (
                f" {decayed[0].upper()}{decayed[1:]}, and it keeps falling. {ahead} A slower "
                "decay, or a fix from the Compare page, gets closer sooner."
            )
        else:
            text += (
                f" {decayed[0].upper()}{decayed[1:]}, and it keeps falling, so more epochs run "
                "at ever smaller rates and may not get there: a slower decay, or a fix from the "
                "Compare page, gets closer sooner."
            )
    else:
        fixes = ["a fix from the Compare page"]
        if walk := slow_walk(spec, run):  # far off and walking in: longer steps get there sooner
            text += " " + walk
            fixes = [fix for fix in (larger_rate(spec), *fixes) if fix]
        if (cap := _epoch_cap(data, spec)) is None:
            text += " Try more epochs, or " + ", or ".join(fixes) + "."
        else:
            reason, fit = cap
            fixes = [fit, *fixes] if fit else fixes
            text += f" More epochs would help, but {reason}: try " + ", or ".join(fixes) + "."
    return text


def _epoch_cap(data: gd.Dataset, spec: TrainSpec) -> tuple[str, str | None] | None:
    """Why this run cannot take more epochs, and what would let more fit; None if it can. The
    sidebar's top stop, or the work budget (budget.epoch_ceiling), whose refusal a "try more
    epochs" would lead to: with mini-batches, a larger batch takes fewer steps an epoch."""
    ceiling = budget.epoch_ceiling(data, spec)
    if spec.epochs < ceiling:
        return None
    if ceiling >= MOST_EPOCHS:
        return f"{MOST_EPOCHS:,} is the most epochs the sidebar offers", None
    most = f"{ceiling:,} epochs is the most a page trains of this setting in its work budget"
    batches = gd.steps_per_epoch(data.n, batch_size(spec))
    if batches == 1:
        return f"{most} of {budget.BUDGET_SECONDS:g} s", None
    return (
        f"{most} of {budget.BUDGET_SECONDS:g} s ({batches:,} mini-batch steps an epoch on "
        f"{data.n:,} points)",
        "a larger batch or full batch (fewer steps an epoch, so more epochs fit)",
    )


def verdict(data: gd.Dataset, spec: TrainSpec, run: Trajectory) -> Verdict:
    """The banner for this run: how it ended, and what to do about it, with its own numbers."""
    if run.status == "diverged":
        return Verdict(
            "warning",
            f"**Diverged at epoch {run.diverged_at:,}**: {divergence(run)}. "
            + limit_advice(data, spec)
            + " The charts show the run up to that epoch.",
        )
    if run.status == "diverging":
        first, last = float(run.frame.loss.iloc[0]), float(run.last.loss)
        how = (
            "the spectral radius of this run's update"
            if run.spectral_radius is not None
            else "measured over the last quarter of the run"
        )
        return Verdict(
            "warning",
            f"**Diverging**: the distance to the optimum grows ×{growth(run.growth)} per epoch "
            f"({how}); after {run.epochs:,} epochs the loss is {last:.4g}, up from {first:.4g} "
            "at the start. More epochs make it worse. " + limit_advice(data, spec),
        )
    if run.status == "converged" and run.progress.late:
        return Verdict("info", _settled_late(run, _epoch_cap(data, spec)))
    if run.status == "converged":
        settled_k, settled_b = run.settled_at
        started_there = [p for p, gap in zip("kb", run.start_gaps, strict=True) if gap == 0.0]
        within = f"each within {percent(gd.DEFAULT_TOL)} of its starting distance from the optimum"
        if len(started_there) == 2:
            within = "both started at their optimum and stayed there"
        elif started_there:
            within = f"{started_there[0]} started at its optimum and came back after any pull"
        near = [
            tight_band(spec, run, p)
            for p in "kb"
            if run.start_gaps["kb".index(p)] > 0.0 and run.started_near(p)
        ]
        if near:  # a settle epoch later than its tiny start suggests: say why
            within += "; " + "; ".join(near)
        return Verdict(
            "success",
            f"**Converged at epoch {run.converged_at:,} of {run.epochs:,}**: k settled at epoch "
            f"{settled_k:,} and b at epoch {settled_b:,}, {within}.",
        )
    return Verdict("info", _still_converging(data, spec, run))


def _settled_late(run: Trajectory, cap: tuple[str, str | None] | None) -> str:
    """A run that met the verdict's rule, but whose final stay in the band is shorter than a
    stay it had already left, or a sliver of the run (gd_core.progress.late_settlers): by the
    rule it converged, but all it has shown is when its last spike out came, so the banner
    says that instead of a green "Converged"."""
    settled_k, settled_b = run.settled_at
    wandered = "; ".join(
        f"{p} first came that close at epoch {run.progress.entered['kb'.index(p)]:,}, and left "
        f"again after stays of up to {epochs(run.progress.stayed['kb'.index(p)])}, the last "
        f"time at epoch {run.settled_at['kb'.index(p)] - 1:,}"
        for p in run.progress.late
    )
    return (
        f"**Settled at epoch {run.converged_at:,} of {run.epochs:,}, not shown to stay**: k "
        f"settled at epoch {settled_k:,} and b at epoch {settled_b:,}, each within "
        f"{percent(gd.DEFAULT_TOL)} of its starting distance from the optimum from then on, "
        f"only {epochs(run.epochs - run.converged_at)} before the end. But {wandered}. "
        f"{_short_stay(run)}, so the run has not shown that it stays there; a longer run would "
        "tell" + (_but(cap) if cap else ".")
    )


def _but(cap: tuple[str, str | None]) -> str:
    """ ", but 1,000 epochs is the most …: try a larger batch …." after a call for more epochs."""
    reason, fit = cap
    return f", but {reason}" + (f": try {fit}." if fit else ".")


def _short_stay(run: Trajectory) -> str:
    """Why the final stay is too short, by the rule gd_core.progress.late_settlers applies."""
    finals = {p: run.epochs - run.settled_at["kb".index(p)] + 1 for p in run.progress.late}
    if any(final <= run.progress.stayed["kb".index(p)] for p, final in finals.items()):
        return "The final stay in the band is no longer than one that ended in a spike out"
    return f"The final stay in the band is {percent(gd.HOLD_SHARE)} of the run or less"


def outcome(spec: TrainSpec, run: Trajectory, data: gd.Dataset | None = None) -> str:
    """The run's ending in a few words, for a table row; with `data`, "stuck" also for a
    decay shown to leave it short (stalls._decay_spent), as the banner says."""
    if run.status == "diverged":
        return f"diverged at epoch {run.diverged_at:,}"
    if run.status == "diverging":
        return f"diverging ×{growth(run.growth)} per epoch"
    if run.status == "converged" and run.progress.late:
        return f"settled at {run.converged_at:,}, not shown to stay"
    if run.status == "converged":
        return f"settled at {run.converged_at:,}"
    lagging = [p for p, epoch in zip("kb", run.settled_at, strict=True) if epoch is None]
    left = ", ".join(_left(run, p) for p in lagging)
    if stalled(spec, run, data):
        word = "stuck"
    elif not is_exact(spec) and farther(run, lagging):  # as the banner says (_still_converging)
        word = "farther off"
    else:
        word = "not yet"
    return f"{word} after {run.epochs:,}: {left}"


def outcome_words(outcomes: list[str]) -> str:
    """What the words of `outcome` that appear in `outcomes` mean, in one sentence (general
    facts: each word is chosen by the rule it states)."""
    meanings = {
        "settled at": f"k and b both stay within {percent(gd.DEFAULT_TOL)} of their starting "
        "distance from the optimum from that epoch to the end (for one that starts at or next "
        f"to its optimum, {percent(gd.DEFAULT_TOL)} of the distance along it that costs as much "
        "loss as the start)",
        "not shown to stay": "they settled, but the last stay is too short to show they stay",
        "not yet": "not settled, and nothing in the run says more epochs would not get there",
        "farther off": "ended farther from the optimum than it started",
        "stuck": "more epochs will not help, by the run's own evidence: a rate of 0, rates on "
        "the stability boundary or too small to move, a loss that stopped shrinking while "
        "the steps went back and forth over more than the gap left, or a schedule that cut the "
        "rate",
        "diverging": "ended finite but moving away from the optimum: for plain GD, momentum "
        "and Nesterov at a constant rate on the full batch the spectral radius of the update is "
        "above 1, and the distance grows by it every epoch; for the others the loss above the "
        "floor ended above its start, and its median over the run's last quarter is more than "
        f"{gd.verdict.TREND_FACTOR:g} times that over the quarter before (in a run of "
        f"{gd.verdict.MIN_TREND_EPOCHS} epochs or more; the factor shown is the distance's "
        "growth per epoch between the two)",
        "diverged": DIVERGED_RULE,
    }
    used = [
        f"*{word}*: {meaning}"
        for word, meaning in meanings.items()
        if any(word in text for text in outcomes)
    ]
    return "; ".join(used)


def farther(run: Trajectory, parameters: list[str]) -> list[str]:
    """Which of `parameters` ended farther from their optimum than they started (a parameter
    that started at or near its optimum has its own words: it was pulled off)."""
    return [p for p in parameters if not run.started_near(p) and run.gap_left(p) > 1.0]


def _left(run: Trajectory, parameter: str) -> str:
    """How far one parameter still is, in a table cell: the largest of its recent swings."""
    left, swing = run.gap_left(parameter), run.swing(parameter)
    if run.started_near(parameter):  # a share of no (or a tiny) starting gap says little
        return f"{parameter} pulled {float(run.last[f'dist_{parameter}']):.3g} off {parameter}*"
    fraction = swing if swing > 2 * left else left
    if fraction <= 1:
        return f"{parameter} {percent(fraction)} left"
    return f"{parameter} {share(fraction)} as far as at the start"


def outcomes(result: gd.StabilityMap | gd.Sweep) -> np.ndarray:
    """Each cell's or point's outcome in the words the maps' and sweeps' legends use."""
    return np.where(
        result.diverged,
        "diverged",
        np.where(
            result.diverging,
            "moving away",
            np.where(np.isnan(result.epochs_to_converge), "not converged", "converged"),
        ),
    )
