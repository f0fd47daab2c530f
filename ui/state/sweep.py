"""The Sweeps page's controls, charts and captions: one setting over a range, per optimizer.

The page's own choices live in the URL like the sidebar's (`?sweep=momentum&from_momentum=0.5`):
each setting has its own range keys, so every box keeps one default and switching settings
keeps each one's range.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

import gd_core as gd
from ui import registry
from ui.charts import render, sweep_charts
from ui.charts.run_charts import drawable
from ui.compute import sweeps
from ui.config import OPTIMIZER_LABELS, Config
from ui.plain import sweep_ends, sweep_text, sweep_values
from ui.plain.figures import rate
from ui.state import controls, feedback
from ui.state.pickers import readable_picker

DEFAULT_OPTIMIZERS = (registry.PLAIN_GD, "momentum", "adam")
DEFAULT_POINTS = 40


def _setting_ui(uploaded: bool) -> str:
    labels = {key: row.label for key, row in registry.SWEEP_SETTINGS.items()}
    left_out = None
    if uploaded:  # a file's points have no noise level or count to change
        hidden = ("noise", "n")
        left_out = (
            f"not {' or '.join(labels[key] for key in hidden)}: an uploaded file's points have "
            "no noise level or count to change"
        )
        labels = {key: label for key, label in labels.items() if key not in hidden}
    return readable_picker(
        st.selectbox,
        "Setting to sweep",
        "sweep",
        labels,
        "lr",
        left_out=left_out,
        help="Every run is the sidebar's, with this one setting changed.",
    )


def _range_ui(setting: str, data: gd.Dataset) -> tuple[float, float, int]:
    row = registry.SWEEP_SETTINGS[setting]
    low, high = row.bounds
    unit = ""
    if row.relative:
        unit = f", in multiples of 2/λ_max = {rate(gd.analyze(data).max_stable_lr)}"
    left, middle, right = st.columns(3)
    common = {"min_value": low, "max_value": high, "format": "%.6g", "bind": "query-params"}
    # Keyed boxes keep their first value: a later change of the data moves no range a student
    # may have set (the offset's opening range follows the data it first opened on).
    opening = sweep_values.opening_range(setting, data.x)
    start = left.number_input(
        f"From{unit}", value=opening[0], key=f"from_{setting}", help=row.help or None, **common
    )
    stop = middle.number_input(f"To{unit}", value=opening[1], key=f"to_{setting}", **common)
    if setting == "batch_size":  # the powers of two in the range: nothing to choose
        return start, stop, DEFAULT_POINTS
    help_text = (
        "Plain gradient descent costs nothing per point (exact, from its modes); the "
        "other optimizers step every point together."
    )
    if row.whole:
        help_text = (
            f"At most {sweep_values.MAX_WHOLE_POINTS} points, one whole {row.symbol} each: "
            "every point is a dataset of its own, trained on its own."
        )
    count = right.slider(
        "Points",
        5,
        200,
        DEFAULT_POINTS,
        key="sweep_points",
        bind="query-params",
        help=help_text,
    )
    return start, stop, count


def _optimizers_ui(setting: str) -> tuple[str, ...]:
    row = registry.SWEEP_SETTINGS[setting]
    if row.optimizers:
        names = ", ".join(OPTIMIZER_LABELS[key] for key in row.optimizers)
        st.caption(f"{row.label} belongs to {names}: both are swept.")
        return row.optimizers
    by_label = {label: key for key, label in OPTIMIZER_LABELS.items()}
    # Pills, not a multiselect: a multiselect's chosen tags are white on the accent colour,
    # 2.5:1 in the dark theme, where the accent must be light to read as text on the sidebar.
    chosen = st.pills(
        "Optimizers",
        list(by_label),
        selection_mode="multi",
        default=[OPTIMIZER_LABELS[key] for key in DEFAULT_OPTIMIZERS],
        key="sweep_with",
        bind="query-params",
    )
    return tuple(key for key, label in OPTIMIZER_LABELS.items() if label in chosen)


def render_sweep(config: Config, data: gd.Dataset) -> None:
    """The controls, the three charts and what they show."""
    setting = _setting_ui(config.data.csv is not None)
    if setting == "n":  # the sidebar's batch may cover its own n but not the larger swept ones
        config = controls.chosen()
    row = registry.SWEEP_SETTINGS[setting]
    start, stop, count = _range_ui(setting, data)
    optimizers = _optimizers_ui(setting)
    if not optimizers:
        st.info("Choose at least one optimizer to sweep.", icon=":material/info:")
        return
    try:
        sweeps.check_sweep_budget(config, data, setting, (start, stop, count), optimizers)
        view = sweeps.sweep_view(  # by keyword, as charts/render.py says why
            config=config,
            setting=setting,
            low=start,
            high=stop,
            count=count,
            optimizers=optimizers,
            _data=data,
        )
    except ValueError as error:
        feedback.explain(error)
    title = "1 − β2" if row.spacing == "log1m" else row.label
    positions = view.points["x"].to_numpy()
    axis = (title, row.spacing != "linear")
    shown = tuple(OPTIMIZER_LABELS[key] for key in optimizers)
    # The one-row datasets as Columns: as frames they cost pandas more than the points did.
    marked = sweeps.axis_position(setting, np.array([] if view.mark is None else [view.mark]))
    on_axis = (marked >= positions.min()) & (marked <= positions.max())  # the swept axis only
    mark = {"x": marked[on_axis].astype(float)}
    # Each chart's x axis spans the whole sweep, however few of its points it draws.
    extent = {"x": np.array([positions.min(), positions.max()], dtype=float)}
    points = view.points
    columns = ["x", "value", "optimizer", "outcome", "settles"]
    best = np.array([] if view.optimum is None else [view.optimum.momentum])
    best = best[(best >= positions.min()) & (best <= positions.max())]
    yours = np.array([view.mark] if on_axis.any() else [])  # the value, not its axis position
    lines = sweep_text.marked_lines(row.symbol, yours, best)
    marked_only = sweep_text.marked_lines(row.symbol, yours, best[:0])
    optimum = {
        "x": best,
        "label": render.text([f"theory's best {row.symbol} for Momentum"] * len(best)),
    }
    render.render_chart(
        sweep_charts.sweep_epochs_chart,
        axis,
        shown,
        datasets={
            sweep_charts.POINTS: drawable(points, [*columns, "epochs", "final_loss"], log="epochs"),
            sweep_charts.THEORY: drawable(view.theory, ["x", "value", "epochs"], log="epochs"),
            sweep_charts.MARK: mark,
            sweep_charts.OPTIMUM: optimum,
            sweep_charts.BUDGET: {"epochs": np.array([config.train.epochs], dtype=np.int64)},
            sweep_charts.EXTENT: extent,
        },
        alt=sweep_text.sweep_alt(
            points, row.symbol, "epochs to converge", config.train.epochs, lines
        ),
    )
    if note := sweep_text.zero_epochs(points):
        st.caption(note)
    summary = sweep_text.sweep_optima(points, row.symbol, view.epochs)
    if setting == "batch_size":
        summary += sweep_ends.full_batches(points["value"].to_numpy(float), data.n)
    ends = _open_ends(setting, (start, stop), float(points["value"].max()), data.n)
    boxes = ("From", "To") if start <= stop else ("To", "From")  # which holds the lowest
    summary += sweep_ends.at_edges(points, row.symbol, ends, boxes)
    if note := sweep_values.whole_points_note(setting, start, stop, count):
        summary += f" {note}"
    st.markdown(summary)
    if view.optimum is not None:
        st.markdown(sweep_text.momentum_theory(view, points, (start, stop)))
    render.render_chart(
        sweep_charts.sweep_loss_chart,
        axis,
        shown,
        datasets={
            sweep_charts.POINTS: drawable(points, [*columns, "final_loss"], log="final_loss"),
            sweep_charts.FLOOR: {"floor": np.array([view.floor], dtype=float)},
            sweep_charts.MARK: mark,
            sweep_charts.EXTENT: extent,
        },
        alt=sweep_text.sweep_alt(
            points, row.symbol, "final loss", config.train.epochs, marked_only
        ),
    )
    radius = drawable(points, ["x", "value", "optimizer", "radius"])
    off_scale = None
    if len(radius["x"]):
        off_scale = sweep_ends.off_scale(radius["radius"], sweep_charts.RADIUS_TOP)
        render.render_chart(
            sweep_charts.sweep_radius_chart,
            axis,
            tuple(label for label in shown if label in set(radius["optimizer"])),
            off_scale is not None,
            datasets={
                sweep_charts.POINTS: radius,
                sweep_charts.MARK: mark,
                sweep_charts.OPTIMUM: optimum,
                sweep_charts.EXTENT: extent,
            },
            alt=sweep_text.sweep_alt(
                pd.DataFrame(radius), row.symbol, "spectral radius ρ", config.train.epochs, lines
            ),
        )
    feedback.render_captions(
        "ρ is the spectral radius of the step's transition matrix, exact theory for "
        "gradient descent and momentum at a constant rate: the error shrinks by ρ per "
        "epoch once the slowest mode dominates, and grows when ρ > 1." + (off_scale or "")
        if len(radius["x"])
        else None,
        _how(config, view, int(points.groupby("optimizer").size().max())),
    )


def _open_ends(
    setting: str, boxes: tuple[float, float], largest: float, n: int
) -> tuple[bool, bool]:
    """Whether the range in the From and To `boxes` could be widened below and above: not
    past the setting's own bounds, nor, for batch sizes, above a `largest` swept size of n or
    more, where every size is the full batch and so the same run."""
    low, high = sorted(boxes)
    floor, top = registry.SWEEP_SETTINGS[setting].bounds
    covered = setting == "batch_size" and gd.mini_batch_size(n, int(largest)) is None
    return low > floor, high < top and not covered


def _how(config: Config, view, count: int) -> str:
    spec = config.train
    parts = [
        f"Each point is one run of {spec.epochs:,} epochs with the sidebar's rates (η_k = "
        f"{spec.lr_k:g}, η_b = {spec.lr_b:g}), hyperparameters, schedule and start, except the "
        "swept setting; epochs to converge count until both k and b have settled."
    ]
    if (view.theory["epochs"] > 0).any():  # 0 epochs (a start at the optimum) is not drawn
        parts.append(
            "The dashed line is the epochs plain gradient descent needs, however many that "
            "is, exact at 400 values from its two modes per coordinate, without training; "
            "points above the dotted line at your epochs did not converge within them."
        )
    if view.exact:
        parts.append(f"{', '.join(view.exact)}: computed exactly, without stepping.")
    if view.closed:
        whose = "its update's matrix" if len(view.closed) == 1 else "their updates' matrices"
        parts.append(
            f"{', '.join(view.closed)}: from powers of {whose}, without stepping each epoch."
        )
    if view.one_by_one:
        parts.append("Mini-batch runs cannot share steps, so each point trained on its own.")
    elif len(view.exact) + len(view.closed) < len(view.epochs):  # some were stepped
        others = "The other optimizers" if view.exact or view.closed else "The optimizers"
        parts.append(f"{others} stepped all {count} points together.")
    capped = {name: epochs for name, epochs in view.epochs.items() if epochs < spec.epochs}
    for name, epochs in capped.items():
        parts.append(f"{name} ran the first {epochs:,} epochs only, to stay responsive.")
    row = registry.SWEEP_SETTINGS[view.setting]
    nesterov = OPTIMIZER_LABELS["nesterov"]
    swept = view.points.groupby("optimizer")["value"].min()
    if view.setting == "momentum" and nesterov in swept and (swept == 0).any():
        parts.append(f"{nesterov} leaves out μ = 0, where it is plain gradient descent.")
    if not sweeps.has_setting(config, view.setting):
        parts.append(
            f"Your sidebar's optimizer, {OPTIMIZER_LABELS[spec.optimizer]}, has no "
            f"{row.symbol}: the sweep set {row.symbol} on "
            f"{', '.join(OPTIMIZER_LABELS[key] for key in row.optimizers)} only, so no line "
            "marks your setting."
        )
    if spec.standardize:
        parts.append("The sweep trains on x as it is, not standardised.")
    return " ".join(parts)
