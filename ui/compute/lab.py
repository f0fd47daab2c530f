"""Cached calls into gd_core for the learning-rate lab: the stability map and the theory.

Keyed on the frozen config (never on arrays), like runs.py, and handed the rerun's dataset as
`_data`, which the key leaves out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

import gd_core as gd
from ui import registry
from ui.charts import lab_charts, palette, render
from ui.compute import sizes
from ui.compute.class_cache import class_cache
from ui.compute.runs import MAX_CHART_POINTS
from ui.config import OPTIMIZER_LABELS, Config, build_optimizer
from ui.plain.figures import distinct, radius_text, rate
from ui.plain.limit_advice import single_rate_limit
from ui.plain.outcome_words import outcomes
from ui.plain.views import AdaptiveRates, StabilityView

MAP_RESOLUTION = 40
# A stepped map costs about 0.1 ms per epoch for 40×40 cells; this keeps a rerun near a second.
MAP_MAX_EPOCHS = 10_000
# Longer full-batch runs for "observed" take a moment each; a prediction beyond this is shown
# without a run to compare.
OBSERVE_MAX_EPOCHS = 1_000_000


@class_cache(sizes.VIEW_BYTES, spinner="Training every cell of the map…")
def stability_view(config: Config, optimizer: str, _data: gd.Dataset) -> StabilityView:
    data = _data
    spec = config.train
    rule = build_optimizer(spec, optimizer, lr=1.0)  # the map's rates come from the grid
    epochs = spec.epochs if rule.exact_map else min(spec.epochs, MAP_MAX_EPOCHS)
    even_k, even_b = gd.rate_grid(data, MAP_RESOLUTION)
    # Each cell trains at its rates to 4 digits, which a click copies into the sidebar as they
    # are: the run a click starts is then exactly the cell's. The cells are drawn on the even
    # grid they round, so that they tile the map.
    lr_k, lr_b = shown_rates(even_k), shown_rates(even_b)
    result = gd.stability_map(data, lr_k, lr_b, epochs, rule, init=(spec.k0, spec.b0))
    drawn = dataclasses.replace(result, lr_k=even_k, lr_b=even_b).cells()
    grid = result.cells() | {side: drawn[side] for side in ("k_low", "k_high", "b_low", "b_high")}
    outcome = outcomes(result)
    edges = speed_edges(epochs)
    bands = speed_bands(edges)
    band_index = np.searchsorted(edges, np.nan_to_num(result.epochs_to_converge, nan=0.0))
    labels = np.array(list(bands)[: len(edges)])[np.minimum(band_index, len(edges) - 1)]
    band = np.where(outcome == "converged", labels, outcome)
    # Text as Arrow strings made at once (render.text): 1,600 cells' words in three columns
    # cost pandas about a millisecond to make into its str columns itself.
    cells = pd.DataFrame(
        {
            **grid,
            "outcome": render.text(outcome.ravel().tolist()),
            "band": render.text(band.ravel().tolist()),
            "epochs": result.epochs_to_converge.ravel(),
            "settles": render.text(settles_text(result.epochs_to_converge.ravel(), epochs)),
            "final_loss": result.final_loss.ravel(),
        }
    )
    # The chart's axes are the cells' extent, so what lies beyond is cut here (a template that
    # carried the extent would be rebuilt for every data set).
    k_span = (float(grid["k_low"].min()), float(grid["k_high"].max()))
    b_span = (float(grid["b_low"].min()), float(grid["b_high"].max()))
    boundary = pd.DataFrame({"lr_k": [], "lr_b": []})
    if rule.gain is not None:  # a linear rule: theory draws its edge
        edge_k, edge_b = gd.stability_edge(
            data,
            np.geomspace(*k_span, 400),
            np.geomspace(*b_span, 400),
            rule.momentum,
            rule.nesterov,
        )
        left = edge_k >= k_span[0]  # the η_b samples' η_k run off the map's left edge
        boundary = within_span(edge_k[left], edge_b[left], b_span)
    best = gd.analyze(data).best_rates
    marks = pd.DataFrame(
        {
            "lr_k": [spec.lr_k, best[0]],
            "lr_b": [spec.lr_b, best[1]],
            "mark": [lab_charts.YOUR_RATES, lab_charts.FASTEST],
        }
    )
    # Series.between, in NumPy: four pandas comparisons of two rows cost a quarter millisecond.
    lr_k, lr_b = marks["lr_k"].to_numpy(), marks["lr_b"].to_numpy()
    on_map = (lr_k >= k_span[0]) & (lr_k <= k_span[1]) & (lr_b >= b_span[0]) & (lr_b <= b_span[1])
    marks = marks[on_map].reset_index(drop=True)
    return StabilityView(cells, boundary, marks, bands, epochs, result.exact)


def settles_text(epochs_to_converge: np.ndarray, epochs: int) -> list[str]:
    """Each cell's epochs to converge as the map's tooltip writes it ("1,234"), or "not within
    {epochs}" where it did not: the numbers formatted in one call, not 1,600 f-strings."""
    finite = np.isfinite(epochs_to_converge)
    numbers = iter(
        ("{:,.0f}\n" * int(finite.sum())).format(*epochs_to_converge[finite]).split("\n")
    )
    missing = f"not within {epochs:,}"
    return [next(numbers) if ok else missing for ok in finite.tolist()]


def within_span(lr_k: np.ndarray, lr_b: np.ndarray, span: tuple[float, float]) -> pd.DataFrame:
    """The boundary (lr_k ascending) cut where it leaves lr_b's span: the points inside, and
    where it crosses an edge (interpolated on the log-log axes the map is drawn on)."""
    log_k, log_b = np.log(lr_k), np.log(lr_b)
    edges = np.log(span)
    inside = (log_b >= edges[0]) & (log_b <= edges[1])
    ks, bs = [log_k[inside]], [log_b[inside]]
    for i in np.flatnonzero(inside[:-1] != inside[1:]):
        for edge in edges:
            t = (edge - log_b[i]) / (log_b[i + 1] - log_b[i])
            if 0.0 <= t <= 1.0:
                ks.append([log_k[i] + t * (log_k[i + 1] - log_k[i])])
                bs.append([edge])
    order = np.argsort(np.concatenate(ks), kind="stable")
    return pd.DataFrame(
        {"lr_k": np.exp(np.concatenate(ks)[order]), "lr_b": np.exp(np.concatenate(bs)[order])}
    )


def map_rows(cells: pd.DataFrame) -> render.Columns:
    """The map's rows: every cell of the resolution × resolution grid, on every screen.

    A phone once drew a coarse 10×10 map (every fourth cell, each over the block around it, for
    a finger-sized target) while the captions counted and located the 1,600 cells, and the few
    cells of a rare outcome (moving away) vanished from it. Now a phone draws the same cells
    as a laptop, about 8 px each at 390 px: a tap picks the cell under the finger, rare
    outcomes are ringed (lab_charts.RARE_CELLS), and the picker under the map moves cell by
    cell (WCAG 2.5.8's equivalent control).

    Columns taken by position: the Stability page builds this on every rerun, and copying a
    frame took over a millisecond of each.
    """
    # The frame's own arrays, sent as they are: a new frame of them would be taken apart again.
    return {
        name: column.to_numpy() if isinstance(column.dtype, np.dtype) else column.array
        for name, column in cells.items()
    }


def shown_rates(rates: np.ndarray) -> np.ndarray:
    """Rates to 4 significant digits: short in a link, and inside their cell (cells are about
    20 % wide on the log axes)."""
    return np.array([float(f"{rate:.4g}") for rate in rates])


def sidebar_rates(selection: Mapping[str, Any], optimizer: str) -> dict[str, Any]:
    """Sidebar values for a clicked cell of `optimizer`'s map: that optimizer and the cell's two
    rates (the 4 digits it trained with, see `shown_rates`); {} for no click. The map already
    trains with the sidebar's other settings, so the sidebar then trains exactly the cell, except
    on mini-batches or standardised x, which the map leaves out and the page says so."""
    picked = selection.get(lab_charts.CELL_SELECTION) or []
    if not picked:
        return {}
    cell = picked[0]
    return {
        "optimizer": optimizer,
        "same_rate": False,
        "lr_k": float(f"{cell['lr_k']:.4g}"),
        "lr_b": float(f"{cell['lr_b']:.4g}"),
    }


def speed_edges(epochs: int) -> list[int]:
    """Upper edges of the speed bands: 10, 30, 100, … below `epochs`, then `epochs` itself.

    Whole decades instead of half ones when half ones would need more colours than there are.
    """
    for per_decade in (2, 1):
        edges = [round(10 ** (1 + i / per_decade)) for i in range(14)]
        edges = [int(float(f"{edge:.1g}")) for edge in edges if edge < epochs] + [epochs]
        if len(edges) <= len(palette.SPEED):
            return edges
    return edges


def speed_bands(edges: list[int]) -> dict[str, str]:
    """Label → colour for each band of cells, fastest first, then the two other outcomes.

    Bands rather than a continuous scale, because the map also shows two outcomes that are not
    speeds, and one Vega-Lite colour channel cannot mix a field scale with fixed colours.
    """
    picks = np.linspace(len(palette.SPEED) - 1, 0, len(edges)).round().astype(int)
    bands = {f"≤ {edge:,}": palette.SPEED[i] for edge, i in zip(edges, picks, strict=True)}
    return bands | {
        "not converged": palette.NOT_CONVERGED,
        "moving away": palette.MOVING_AWAY,
        "diverged": palette.DIVERGED,
    }


@dataclass(frozen=True)
class Prediction:
    """Plain GD at the sidebar's rates: the theory's account, and a run to check it against."""

    analysis: gd.Analysis
    observed_epochs: int | None  # train()'s converged_at, when it was run long enough
    observed_status: str | None  # None when the prediction is too long to run here
    ran_epochs: int
    # How far each parameter got in that run (its pull off a near-optimum start), if it ran.
    observed: gd.Progress | None = None
    # Which mode carries each parameter's error and how fast each shrinks (rates > 0).
    pace: gd.ModePace | None = None


@class_cache(sizes.VIEW_BYTES)
def prediction(config: Config, _data: gd.Dataset) -> Prediction:
    data = _data
    spec = config.train
    init = (spec.k0, spec.b0)
    analysis = gd.analyze(data, (spec.lr_k, spec.lr_b), init=init)
    predicted = analysis.predicted_epochs
    # Run long enough to see the predicted epoch (or the sidebar's epochs if diverging).
    epochs = spec.epochs if predicted is None else predicted + 3
    pace = (
        gd.mode_pace(data, (spec.lr_k, spec.lr_b), init) if min(spec.lr_k, spec.lr_b) > 0 else None
    )
    if epochs > OBSERVE_MAX_EPOCHS:
        return Prediction(analysis, None, None, 0, pace=pace)
    run = gd.train(data, gd.sgd((spec.lr_k, spec.lr_b)), epochs, init=init)
    return Prediction(analysis, run.converged_at, run.status, epochs, gd.progress(data, run), pace)


@class_cache(sizes.VIEW_BYTES)
def adaptive_rates(config: Config, _data: gd.Dataset) -> AdaptiveRates:
    """Effective per-parameter rates of the sidebar's adaptive optimizer (Adam if it is not)."""
    data = _data
    spec = config.train
    optimizer = build_optimizer(spec)
    if optimizer.linear:  # not adaptive: show Adam's rates
        spec = replace(spec, optimizer=registry.ADAPTIVE_EXAMPLE)
        optimizer = build_optimizer(spec)
    epochs = min(spec.epochs, MAP_MAX_EPOCHS)
    run = gd.train(data, optimizer, epochs, init=(spec.k0, spec.b0))
    rate_k, rate_b = gd.effective_rates(data, optimizer, run)
    shown = gd.plot_indices([rate_k, rate_b], MAX_CHART_POINTS)
    frame = pd.concat(
        [
            pd.DataFrame(
                {
                    "epoch": shown + 1,
                    "parameter": render.text([name] * len(shown)),
                    "rate": rates[shown],
                }
            )
            for name, rates in (("k", rate_k), ("b", rate_b))
        ]
    )
    idle = (_leading_gaps(rate_k), _leading_gaps(rate_b))
    return AdaptiveRates(frame, spec.optimizer, len(rate_k), idle)


def _leading_gaps(rates: np.ndarray) -> int:
    """How many of the first rates are NaN: the epochs before a gradient other than 0."""
    gaps = np.isnan(rates)
    return len(rates) if gaps.all() else int(np.argmin(gaps))


@class_cache(sizes.VIEW_BYTES)
def data_facts(config: Config, _data: gd.Dataset) -> pd.DataFrame:
    """The Theory page's table: what the Hessian of the current data says about rates."""
    data = _data
    analysis = gd.analyze(data)
    limit_k, limit_b = gd.single_parameter_limits(data)
    best_radius = float(gd.spectral_radius(data, *analysis.best_rates))
    best_single_radius = float(gd.spectral_radius(data, analysis.best_lr, analysis.best_lr))
    h = analysis.hessian
    low, high = analysis.eigenvalues
    rows = [
        ("mean(x), mean(x²)", f"{data.x_mean:.6g}, {data.x_sq_mean:.6g}", "the sums H is made of"),
        ("H", f"[[{h[0, 0]:.5g}, {h[0, 1]:.5g}], [{h[1, 0]:.5g}, {h[1, 1]:.5g}]]", "curvature"),
        ("eigenvalues λ_min, λ_max", f"{low:.5g}, {high:.5g}", "along the valley and across it"),
        ("condition number κ", f"{analysis.condition_number:.5g}", "how stretched the bowl is"),
        ("largest stable η_k alone", rate(limit_k), "2/H_kk = 1/mean(x²)"),
        ("largest stable η_b alone", rate(limit_b), "2/H_bb = 2/2"),
        ("largest stable single rate", rate(analysis.max_stable_lr), "2/λ_max"),
        (
            "fastest single rate",
            distinct(analysis.best_lr, analysis.max_stable_lr),
            f"2/(λ_min + λ_max); error × {radius_text(best_single_radius)} per epoch",
        ),
        (
            "fastest per-parameter rates",
            f"η_k = {analysis.best_rates[0]:.5g}, η_b = {analysis.best_rates[1]:.5g}",
            f"1/H_kk, 1/H_bb; error × {radius_text(best_radius)} per epoch",
        ),
    ]
    spec = config.train
    if "momentum" in registry.OPTIMIZERS[spec.optimizer].controls:
        # The limits the banner quotes for the sidebar's momentum, shown where it points.
        name = f"{OPTIMIZER_LABELS[spec.optimizer]}, μ = {spec.momentum:g}"
        limit, formula = single_rate_limit(data, spec)
        alone = gd.parameter_limits(data, build_optimizer(spec))
        rows += [
            (f"largest stable single rate ({name})", rate(limit), formula),
            (
                f"largest stable η_k, η_b alone ({name})",
                f"{rate(alone[0])}, {rate(alone[1])}",
                "the same gain over H_kk, H_bb",
            ),
        ]
    return pd.DataFrame(rows, columns=["quantity", "value", "meaning"])


def predicted_settling(analysis: gd.Analysis) -> str:
    """When each parameter settles, as theory predicts it, for a metric's note."""
    settled = analysis.predicted_settled_at or (None, None)
    return ", ".join(
        f"{p} at {epoch:,}" if epoch is not None else f"{p} never"
        for p, epoch in zip("kb", settled, strict=True)
    )


def observed_summary(outcome: Prediction) -> tuple[str, str]:
    """What a run reported, and how it compares with the prediction, for a metric."""
    if outcome.observed_status is None:
        return "not run", f"over {OBSERVE_MAX_EPOCHS:,} epochs: too long to run here"
    if outcome.observed_status == "diverging":
        return "diverging", f"moving away after {outcome.ran_epochs:,} epochs"
    if outcome.observed_status == "converged":
        gap = (outcome.observed_epochs or 0) - (outcome.analysis.predicted_epochs or 0)
        return (
            f"{outcome.observed_epochs:,}",
            ("as predicted" if gap == 0 else f"{gap:+,} epochs from the prediction")
            + f", in a run of {outcome.ran_epochs:,} epochs",
        )
    if outcome.observed_status == "diverged":
        return "diverged", f"within {outcome.ran_epochs:,} epochs"
    return "not converged", f"after {outcome.ran_epochs:,} epochs"
