"""Cached sweeps for the Sweeps page: one setting over a range, for each chosen optimizer.

Keyed on the frozen config and the page's own choices (never on arrays), and handed the
rerun's dataset as `_data`, like lab.py. Every optimizer trains with the sidebar's rates,
hyperparameters, schedule, batch size and start; only the swept setting changes.
"""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pandas as pd

import gd_core as gd
from gd_core.momentum_optimum import best_momentum, polyak
from ui import registry
from ui.charts import render
from ui.compute import sizes
from ui.compute.class_cache import class_cache
from ui.config import OPTIMIZER_LABELS, Config, batch_size, build_schedule, hyperparameters
from ui.plain.budget import BUDGET_SECONDS, TooMuchWork, estimated_seconds
from ui.plain.figures import at_rounding_zero
from ui.plain.outcome_words import NOT_SHOWN, outcomes
from ui.plain.sweep_values import sweep_values
from ui.plain.views import SweepView

THEORY_POINTS = 400  # plain GD's exact curve: cheap at any density
# The exact curve shows the epochs plain GD needs however many that is, not only within the
# sidebar's: the modes give them at no extra cost.
THEORY_HORIZON = 10**12
# Stepping costs about 30 µs per epoch for a whole sweep (NumPy's per-call overhead, whatever
# the number of points), so the stepped optimizers share the page's budget by epochs.
STEP_SECONDS = 30e-6


def _datasets(config: Config, data: gd.Dataset, setting: str, values: np.ndarray) -> list:
    """One dataset per value of a data setting: generated again, or the upload moved in x."""
    spec = config.data
    if spec.csv is not None:  # only the offset applies to a file's points
        return [gd.Dataset(data.x + value, data.y) for value in values]
    out = []
    for value in values:
        if setting == "noise":
            changed = replace(spec, noise=float(value))
        elif setting == "n":
            changed = replace(spec, n=int(value))
        else:
            changed = replace(spec, x_min=spec.x_min + value, x_max=spec.x_max + value)
        x_range = (changed.x_min, changed.x_max)
        out.append(
            gd.make_dataset(
                changed.n, changed.slope, changed.intercept, changed.noise, x_range, changed.seed
            )
        )
    return out


def _one_by_one(config: Config, setting: str) -> bool:
    return setting == "batch_size" or batch_size(config.train) is not None


def check_sweep_budget(
    config: Config,
    data: gd.Dataset,
    setting: str,
    span: tuple[float, float, int],
    optimizers: tuple[str, ...],
) -> None:
    """TooMuchWork if a sweep trained point by point (mini-batches) would outlast the budget.

    `span` is (from, to, points) as the page's boxes give them. Each point is costed with its
    own batch size or number of points, since those set a mini-batch epoch's cost.
    """
    if not _one_by_one(config, setting):
        return
    row = registry.SWEEP_SETTINGS[setting]
    scale = gd.analyze(data).max_stable_lr if row.relative else 1.0
    values = sweep_values(setting, *span, scale)
    spec = config.train
    needed = 0.0
    for value in values:
        point, size = spec, data
        if setting == "batch_size":
            point = replace(spec, batch=int(value))
        elif setting == "n":
            size = SimpleNamespace(n=int(value))  # a mini-batch epoch's cost depends on n only
        needed += estimated_seconds(size, [replace(point, optimizer=n) for n in optimizers])
    if needed > BUDGET_SECONDS:
        raise TooMuchWork(
            f"This sweep trains {len(values)} runs one by one for each of {len(optimizers)} "
            f"optimizers (mini-batches cannot share steps): about {needed:,.1f} s, more than "
            f"the {BUDGET_SECONDS:g} s a page may take. Sweep fewer points or optimizers, a "
            "range of larger batches, fewer epochs, or full batch.",
            max(1, int(spec.epochs * BUDGET_SECONDS / needed)),
            mini_batch=batch_size(spec) is not None,
        )


@class_cache(sizes.VIEW_BYTES, spinner="Training every point of the sweep…")
def sweep_view(
    config: Config,
    setting: str,
    low: float,
    high: float,
    count: int,
    optimizers: tuple[str, ...],
    _data: gd.Dataset,
) -> SweepView:
    data, spec = _data, config.train
    row = registry.SWEEP_SETTINGS[setting]
    scale = gd.analyze(data).max_stable_lr if row.relative else 1.0
    values = sweep_values(setting, low, high, count, scale)
    datasets = _datasets(config, data, setting, values) if row.data else None
    # Runs trained one by one were checked against the budget (check_sweep_budget); stepped
    # ones share it by epochs.
    one_by_one = _one_by_one(config, setting)
    stepped = [n for n in optimizers if not (one_by_one or _exact(config, n, setting))]
    budget_epochs = int(BUDGET_SECONDS / (STEP_SECONDS * max(1, len(stepped))))
    parts, epochs_run, exact, closed = [], {}, [], []
    for name in optimizers:
        epochs = spec.epochs if name not in stepped else min(spec.epochs, budget_epochs)
        result = _sweep(config, data, setting, values, name, epochs, datasets)
        if result is None:  # no value of the range applies to it (Nesterov at μ = 0 only)
            continue
        epochs_run[OPTIMIZER_LABELS[name]] = epochs
        if result.exact:
            exact.append(OPTIMIZER_LABELS[name])
        elif not one_by_one and np.isfinite(result.spectral_radius).all():  # a linear update
            closed.append(OPTIMIZER_LABELS[name])
        parts.append(_rows(result, OPTIMIZER_LABELS[name]))
    exact_plain = registry.PLAIN_GD in optimizers and _exact(config, registry.PLAIN_GD, setting)
    if exact_plain and not row.data:
        dense = sweep_values(setting, low, high, THEORY_POINTS, scale)
        result = _sweep(config, data, setting, dense, registry.PLAIN_GD, THEORY_HORIZON, None)
        needed = result.epochs_to_converge
        keep = ~(np.isnan(dense) | np.isnan(needed))  # a value that never converges: no point
        theory = pd.DataFrame(
            {
                "x": axis_position(setting, dense[keep]),
                "value": dense[keep],
                "epochs": needed[keep],
            }
        )
    else:  # no exact curve to draw
        theory = pd.DataFrame(columns=["x", "value", "epochs"])
    mark = row.sidebar(spec, config.data) if has_setting(config, setting) else None
    if row.data and config.data.csv is not None and setting != "x_offset":
        mark = None
    if not parts:
        raise ValueError(
            "No value of this range applies to the chosen optimizers (Nesterov needs a "
            "momentum above 0): widen the range or choose another optimizer."
        )
    # One frame of every optimizer's points, in NumPy and lists until then (text straight into
    # the pyarrow strings pandas keeps): a frame per optimizer, concatenated, then a column
    # inserted, cost pandas several times the frame itself.
    columns = {
        name: render.text([text for part in parts for text in part[name]])
        if isinstance(parts[0][name], list)
        else np.concatenate([part[name] for part in parts])
        for name in parts[0]
    }
    points = pd.DataFrame({"x": axis_position(setting, columns["value"])} | columns)
    exact_momentum = setting == "momentum" and OPTIMIZER_LABELS["momentum"] in closed
    exact_momentum &= build_schedule(spec) is None  # ρ is a constant rate's
    return SweepView(
        optimum=best_momentum(data, (spec.lr_k, spec.lr_b)) if exact_momentum else None,
        polyak=polyak(data) if exact_momentum else None,
        points=points,
        theory=theory,
        mark=mark,
        floor=data.loss_ols,
        setting=setting,
        epochs=epochs_run,
        exact=tuple(exact),
        one_by_one=one_by_one,
        closed=tuple(closed),
    )


def has_setting(config: Config, setting: str) -> bool:
    """Whether the sidebar's optimizer has the swept setting: μ belongs to momentum and
    Nesterov only, so plain gradient descent has no "your setting" of it to mark."""
    owners = registry.SWEEP_SETTINGS[setting].optimizers
    return not owners or config.train.optimizer in owners


def axis_position(setting: str, values: np.ndarray) -> np.ndarray:
    """Where a value sits on the chart's x axis: 1 − β2 for β2, whose log axis that is."""
    return 1.0 - values if registry.SWEEP_SETTINGS[setting].spacing == "log1m" else values


def _exact(config: Config, name: str, setting: str) -> bool:
    """Whether `name`'s sweep comes from the modes (plain GD, constant rate, full batch)."""
    hyper = hyperparameters(config.train, name)
    plain = gd.make_optimizer(name, 1.0, **hyper).exact_map
    return plain and not _one_by_one(config, setting)


def _sweep(
    config: Config,
    data: gd.Dataset,
    setting: str,
    values: np.ndarray,
    name: str,
    epochs: int,
    datasets: list | None,
) -> gd.Sweep | None:
    spec = config.train
    hyper = hyperparameters(spec, name)
    common = {"init": (spec.k0, spec.b0), "batch_size": batch_size(spec)}
    if setting == "momentum" and name == "nesterov":
        values = values[values > 0]  # Nesterov at μ = 0 is plain GD, which its factory refuses
        if not values.size:
            return None
    if datasets is not None:
        optimizer = gd.make_optimizer(name, (spec.lr_k, spec.lr_b), **hyper)
        return gd.sweep_datasets(datasets, optimizer, epochs, values=values, **common)
    return gd.sweep(
        data, setting, values, name, epochs, lr=(spec.lr_k, spec.lr_b), **common, **hyper
    )


def _rows(result: gd.Sweep, label: str) -> dict[str, np.ndarray | list[str]]:
    """One optimizer's points, as the columns of SweepView.points after x (text as lists).

    A point that settled too late to show it stays (gd.Sweep.late: the Parameters page's "not
    shown to stay") is not counted or drawn as converged: its epoch says when the run ended,
    not how fast it converged."""
    late = np.zeros(len(result.values), bool) if result.late is None else result.late
    outcome = np.where(late, NOT_SHOWN, outcomes(result))
    return {
        "value": result.values,
        "optimizer": [label] * len(result.values),
        "epochs": np.where(late, np.nan, result.epochs_to_converge),
        "final_loss": result.final_loss,
        "radius": at_rounding_zero(result.spectral_radius),  # 0, not 3.3e-16, in the tooltip
        "outcome": outcome.tolist(),
        "settles": [
            f"{epoch:,.0f}, {NOT_SHOWN}"
            if shaky
            else (f"{epoch:,.0f}" if np.isfinite(epoch) else f"not within {result.epochs:,}")
            for epoch, shaky in zip(result.epochs_to_converge, late, strict=True)
        ],
    }
