"""Each lesson's answer with the numbers of the lesson's own setting, computed, not written in.

The numbers come from the same cached calls the pages use (runs.py, lab.py, comparison.py),
so the answer and the page it points to agree. They are the lesson's numbers: a student who
then changes the sidebar sees other ones, and the answer says so. It lives in ui/compute,
not ui/plain, because it calls those cached functions: outside the cache it would train the
lesson's runs again on every rerun that shows the card. Lesson settings are fixed and small,
so their runs need no budget check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace
from typing import Any

import pandas as pd

import gd_core as gd
from ui import registry
from ui.compute import comparison, lab
from ui.compute.runs import load_dataset, trajectory
from ui.config import Config, DataSpec, TrainSpec, on_points
from ui.plain import figures, outcome_words, theory_captions
from ui.plain.records import records
from ui.plain.strategies import default_strategies
from ui.plain.views import Trajectory
from ui.state.controls import DEFAULTS


def lesson_config(settings: dict[str, Any]) -> Config:
    """The config the sidebar holds right after a lesson with these settings opens (a batch of
    every point made the full batch, as the sidebar makes it)."""
    values = DEFAULTS | settings
    if values["same_rate"]:
        values["lr_b"] = values["lr_k"]
    data = DataSpec(**{f.name: values[f.name] for f in fields(DataSpec) if f.name in values})
    train = TrainSpec(**{f.name: values[f.name] for f in fields(TrainSpec) if f.name in values})
    return on_points(Config(data=data, train=train), data.n)


def _seed_story(config: Config) -> str:
    data, spec = load_dataset(config.data), config.train
    run = trajectory(config, data)
    forecast = gd.analyze(data, (spec.lr_k, spec.lr_b), init=(spec.k0, spec.b0))
    settled_k, settled_b = forecast.predicted_settled_at or (None, None)
    return (
        f"After {run.epochs:,} epochs b is {float(run.last.dist_b):.3g} from b* = "
        f"{data.intercept_ols:.4g} ({figures.percent(run.gap_left('b'))} of its starting gap "
        f"left), k is {float(run.last.dist_k):.3g} from k*. The Theory page predicts that plain "
        f"gradient descent needs {forecast.predicted_epochs:,} epochs: k settles at "
        f"{settled_k:,}, b at {settled_b:,}. Why: the loss curves mean(x²) = "
        f"{data.x_sq_mean:.4g} times more steeply along k than along b, so one rate small "
        f"enough for k (below 2/λ_max = {figures.rate(forecast.max_stable_lr)}) shrinks the "
        f"error along the valley by only ×{forecast.spectral_radius:.5f} per epoch."
    )


def _per_parameter(config: Config) -> str:
    data, spec = load_dataset(config.data), config.train
    best_k, best_b = gd.analyze(data).best_rates
    best = gd.analyze(data, (best_k, best_b), init=(spec.k0, spec.b0))
    yours = gd.analyze(data, (spec.lr_k, spec.lr_b), init=(spec.k0, spec.b0))
    cells = lab.stability_view(config, registry.PLAIN_GD, data).cells.dropna(subset=["epochs"])
    fastest = cells.loc[cells.epochs.idxmin()]
    return (
        f"The diamond, η_k = 1/H_kk = 1/(2·mean(x²)) = {figures.rate(best_k)} and η_b = "
        f"1/H_bb = ½, has the smallest spectral radius, ×{best.spectral_radius:.4f} per epoch: "
        "the fastest pace once the start is forgotten. From this start plain gradient descent "
        f"converges there in {best.predicted_epochs:,} epochs, against "
        f"{yours.predicted_epochs:,} at the lesson's η_k = {spec.lr_k:g}, η_b = {spec.lr_b:g}. "
        f"The map's fastest cell, η_k = {fastest.lr_k:.4g}, η_b = {fastest.lr_b:.4g}, takes "
        f"{int(fastest.epochs):,}: from one particular start a nearby pair can finish a few "
        "epochs sooner. Each parameter gets a rate matched to its own curvature; what is left "
        f"is the coupling through mean(x) = {data.x_mean:.3g}."
    )


def _divergence(config: Config) -> str:
    data, spec = load_dataset(config.data), config.train
    run = trajectory(config, data)
    analysis = gd.analyze(data, (spec.lr_k, spec.lr_b))
    ending = (
        f"diverges at epoch {run.diverged_at:,}; {_first_away(run)}"
        if run.status == "diverged"
        else f"is {outcome_words.outcome(spec, run, data)}"
    )
    return (
        f"At η = {spec.lr_k:g} the run {ending}: k's direction is the steep one, and a rate "
        f"above 2/λ_max = {figures.rate(analysis.max_stable_lr)} makes it overshoot further "
        f"each step (spectral radius {analysis.spectral_radius:.4g}, above 1). On the stability "
        f"map this rate sits beyond the dashed boundary, in the {theory_captions.DIVERGED_COLOUR} "
        "region."
    )


def _first_away(run: Trajectory) -> str:
    """Which parameter first strayed to ten times its starting distance, from the run."""
    firsts = {}
    for p, start in zip("kb", run.start_gaps, strict=True):
        away = run.frame.epoch[run.frame[f"dist_{p}"] > 10 * start]
        firsts[p] = int(away.iloc[0]) if len(away) else None
    known = {p: epoch for p, epoch in firsts.items() if epoch is not None}
    if not known:
        return "neither parameter strayed ten times as far as it started"
    p = min(known, key=known.get)
    other = "b" if p == "k" else "k"
    later = f", {other} at epoch {known[other]:,}" if other in known else ""
    return f"{p} is first ten times as far from {p}* as at the start, at epoch {known[p]:,}{later}"


def _standardise(config: Config) -> str:
    data = load_dataset(config.data)
    _, table = comparison.results(config, default_strategies(config.train, data), data)
    outcomes = {row["strategy"]: row["outcome"] for row in records(table)}
    kappa = gd.analyze(data).condition_number
    return (
        f"With x far from zero, mean(x²) is almost mean(x)²: κ = {kappa:.4g}, a knife-edge "
        f"valley. In {config.train.epochs:,} epochs on the Compare page: standardised x "
        f"({outcomes['Standardised x']}), per-parameter rates "
        f"({outcomes['Per-parameter rates']}), plain gradient descent ({outcomes['Plain GD']}). "
        "Per-parameter rates fix the scales but not the coupling; "
        "standardised x has H = 2·I, κ = 1, every direction alike."
    )


def _momentum(config: Config) -> str:
    data = load_dataset(config.data)
    swings = []
    for mu in (config.train.momentum, 0.5):
        spec = replace(config.train, momentum=mu)
        run = trajectory(replace(config, train=spec), data)
        # The chart's rows keep each stretch's extremes, so their max is the run's max.
        swings.append((mu, _overshoot(run.frame.k, data.slope_ols), run, spec))
    (mu, swing, run, spec), (low_mu, low_swing, low_run, low_spec) = swings
    return (
        f"At μ = {mu:g}, {swing} (the run: {outcome_words.outcome(spec, run)}); at μ = {low_mu:g}, "
        f"{low_swing} (the run: {outcome_words.outcome(low_spec, low_run)}). "
        "Momentum keeps a running sum of past gradients, so it keeps moving after the gradient "
        "has turned: it rolls past the valley floor and back. A smaller μ damps the swings "
        "but carries b along the valley less."
    )


def _overshoot(k: pd.Series, optimum: float) -> str:
    """How far k went past k*: the value it reached and the amount past k*, so neither can be
    read as the other."""
    past = gd.overshoot(k, optimum)
    if past is None:
        return f"k never passes k* = {optimum:.4g}"
    peak, amount = past
    return f"k overshoots to {peak:.4g}, {amount:.3g} past k* = {optimum:.4g}"


def _adam(config: Config) -> str:
    data = load_dataset(config.data)
    rates = lab.adaptive_rates(config, data).frame
    last = rates[rates.epoch == rates.epoch.max()].set_index("parameter").rate
    ratio = float(last["b"] / last["k"])
    best_k, best_b = gd.analyze(data).best_rates
    return (
        f"After {int(rates.epoch.max()):,} epochs Adam's effective rate for b is {ratio:.3g} "
        f"times its rate for k; the fastest per-parameter rates of section 3 differ by "
        f"{best_b / best_k:.4g} (that is mean(x²)). Adam divides each rate by the size of that "
        "parameter's own gradients: k's are larger, so b gets the larger rate, but gradient "
        "sizes differ by less than the curvatures do, so Adam closes only part of the gap."
    )


ANSWERS: dict[str, Callable[[Config], str]] = {
    "seed-story": _seed_story,
    "per-parameter-rates": _per_parameter,
    "divergence": _divergence,
    "standardise": _standardise,
    "momentum-overshoot": _momentum,
    "adam-rates": _adam,
}


def answer(slug: str, settings: dict[str, Any]) -> str:
    """The lesson's answer at its own settings, and a note that it is for those settings."""
    text = ANSWERS[slug](lesson_config(settings))
    return text + "  \n*These numbers are for the lesson's own settings.*"
