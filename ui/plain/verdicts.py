"""What the banner above the charts says about the run on screen, computed from that run.

Plain Python (no Streamlit), so every sentence is testable against gd_core: how the run ended
(converged, settled but not shown to stay, still converging, not converging, diverging,
diverged) and what to do about it. Its parts live beside it: where each parameter got
(parameter_progress.py), which rate is too large (limit_advice.py), why more epochs will not
help (stalls.py), what a schedule's cut leaves (schedule_cuts.py), and how the numbers
are written (figures.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import gd_core as gd
from ui import registry
from ui.config import TrainSpec, batch_size, build_schedule
from ui.plain import budget
from ui.plain.figures import epochs, growth, percent
from ui.plain.limit_advice import divergence, is_exact, limit_advice
from ui.plain.parameter_progress import farther, progress, settling_band, tight_band
from ui.plain.schedule_cuts import (
    MOST_EPOCHS,
    decay_ahead,
    decay_cut,
    plateau_ahead,
    schedule_cut,
    warming,
)
from ui.plain.stalls import larger_rate, slow_walk, stalled
from ui.plain.views import Trajectory

Kind = Literal["success", "info", "warning"]


@dataclass(frozen=True)
class Verdict:
    kind: Kind
    text: str  # Markdown


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
                band = settling_band(run.progress, p)
                text += f" For {p} that is a tight target: settling means {band}."
    elif warm := warming(spec, run):  # "more epochs" would mostly be spent warming up
        text += " " + warm
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
        if (cap := _epoch_cap(data, spec)) is not None:
            # No more epochs fit on this page, so what a longer run might do is no advice.
            reason, fit = cap
            fixes = [fix for fix in (fit, "a slower decay", "a fix from the Compare page") if fix]
            text += (
                f" {decayed[0].upper()}{decayed[1:]}, and it keeps falling. More epochs would "
                f"run at ever smaller rates, and {reason}: try " + ", or ".join(fixes) + "."
            )
        elif ahead := decay_ahead(spec, run, data):  # what the rates left can do, in numbers
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
