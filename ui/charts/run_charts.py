"""Altair chart templates of one run over time: the fit, the loss and what they share.

Pure functions, testable without a server. A builder describes a chart's structure and reads
its rows from named datasets ("path", "points", "surface", "curves") that ui/charts/render.py
attaches when drawing; the parameter, contour and Compare charts are in parameter_charts.py.
The structure depends only on the builder's few scalar arguments (an epoch count, an axis
title), never on the data, so it is built once and reused while the rows change with every new
learning rate and every student's data set.

Interaction that needs no new numbers (scrubbing epochs, hovering, picking a strategy) is an
Altair parameter, so it happens in the browser without a Python rerun. A diverged run's last
rows may be infinite: charts of one run filter them in Vega; where a page draws thousands of
rows, `drawable` filters them in pandas instead, which the browser does not pay for.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

import gd_core as gd
from ui.charts import legends, palette, render
from ui.charts.epoch_axis import epoch_x
from ui.charts.history_charts import legend_height, with_kept
from ui.charts.log_axis import log_y
from ui.charts.player import SHOWN, panel_anchor, panel_height, panel_title, with_player
from ui.config import DataSpec
from ui.plain.player_frames import Frames

PATH, POINTS, SURFACE, CURVES, RATES = "path", "points", "surface", "curves", "rates"
# Scalars that change with the data (the optimum, the floor) are one-row datasets too, so a new
# data set reuses every template instead of rebuilding it (30 ms a chart in Altair).
OPTIMUM, REFERENCES, DISTANCE = "optimum", "references", "distance"
FRAME, LINES, MODEL = "frame", "lines", "model"  # the Fit chart's box, reference lines, model
EXACT = ".6g"  # tooltips show exact values
READOUT = ".5~g"  # the Fit chart's readout of the shown epoch
READOUT_CHAR_PX = 7.5  # a generous average width of its 13 px characters (digits are 7.2)
CANVAS = {"embedOptions": {"renderer": "canvas"}}  # Streamlit passes this on to vega-embed


def optimum_rows(k_star: float, b_star: float) -> render.Columns:
    """The OPTIMUM dataset: the least-squares (k*, b*), as Columns (a one-row frame cost
    pandas more than the chart's other rows)."""
    return {"k": np.array([k_star], dtype=float), "b": np.array([b_star], dtype=float)}


def drawable(frame: pd.DataFrame, columns: list[str], log: str | None = None) -> render.Rows:
    """The rows of `columns` a chart can draw: every value finite, and `log` above zero; as
    `render.Columns` (the arrays of that frame's columns) where they hold numbers, text or
    categories, the rows render_chart sends without building a frame.

    Done here rather than as a Vega filter: Streamlit evaluates Vega expressions with an
    interpreter, which costs the browser tens of milliseconds on a few thousand rows.
    """
    picked = {name: frame[name] for name in columns}
    if not all(_plain(column.dtype) for column in picked.values()):
        return _drawable_by_pandas(frame, columns, log)
    # Column by column in NumPy: selecting the columns, their numbers and the rows in pandas
    # cost 0.3–0.6 ms a chart (a pandas Index of the names per step), the same rows, and a
    # frame of them another 0.1–0.3 ms for render_chart to take apart again.
    keep = np.ones(len(frame), dtype=bool)
    for column in picked.values():
        # Only floats can be NaN or infinite: integers are finite, bool, text and categories
        # are not numbers.
        if column.dtype.kind in "fc":
            keep &= np.isfinite(column.to_numpy())
    if log is not None:
        keep &= frame[log].to_numpy() > 0
    every = keep.all()  # most runs draw every row
    arrays = {
        name: column.to_numpy() if isinstance(column.dtype, np.dtype) else column.array
        for name, column in picked.items()
    }
    return arrays if every else {name: values[keep] for name, values in arrays.items()}


def _plain(dtype: object) -> bool:
    """A NumPy number or bool, text or a category: the columns a chart's rows hold."""
    if isinstance(dtype, np.dtype):
        return dtype.kind in "biufc"
    return isinstance(dtype, pd.CategoricalDtype) or dtype == "str"


def _drawable_by_pandas(frame: pd.DataFrame, columns: list[str], log: str | None) -> pd.DataFrame:
    """`drawable` for any other dtype (a nullable number, a date), in pandas."""
    shown = frame[columns]
    keep = np.isfinite(shown.select_dtypes("number").to_numpy()).all(axis=1)
    if log is not None:
        keep &= frame[log].to_numpy() > 0
    if not keep.all():
        shown = shown[keep]
    return shown.reset_index(drop=True)


def _positive(field: str) -> str:
    """Vega predicate: the field can be drawn on a log scale."""
    return f"isFinite(datum.{field}) && datum.{field} > 0"


def finite(*fields: str) -> str:
    return " && ".join(f"isFinite(datum.{field})" for field in fields)


def clipped_segments(
    k: np.ndarray, b: np.ndarray, box: tuple[float, float, float, float]
) -> tuple[np.ndarray, ...]:
    """Where each line y = k·x + b crosses `box` = (x_low, x_high, y_low, y_high): its ends
    (x1, x2, y1, y2), NaN for a line that misses the box or is not finite.

    Done here rather than in a Vega expression: the box changes with the data, and a template
    that carried it would be rebuilt for every student's data set.
    """
    x_low, x_high, y_low, y_high = box
    k, b = np.asarray(k, dtype=np.float64), np.asarray(b, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        at_low, at_high = (y_low - b) / k, (y_high - b) / k
        flat = k == 0
        x1 = np.where(flat, x_low, np.maximum(x_low, np.minimum(at_low, at_high)))
        x2 = np.where(flat, x_high, np.minimum(x_high, np.maximum(at_low, at_high)))
        inside = (x1 <= x2) & np.isfinite(x1) & np.isfinite(x2) & np.isfinite(b)
        inside &= ~flat | ((y_low <= b) & (b <= y_high))
        y1 = np.clip(k * x1 + b, y_low, y_high)
        y2 = np.clip(k * x2 + b, y_low, y_high)
    return tuple(np.where(inside, end, np.nan) for end in (x1, x2, y1, y2))


def fit_box(points: pd.DataFrame) -> tuple[float, float, float, float]:
    """The Fit chart's box: the points' x range, and their y range padded by a tenth.

    The axes follow the data, so a runaway model line is cut at the box instead of flattening it.
    """
    x, y = points["x"].to_numpy(), points["y"].to_numpy()
    x_low, x_high = float(np.nanmin(x)), float(np.nanmax(x))
    y_low, y_high = float(np.nanmin(y)), float(np.nanmax(y))
    pad = 0.1 * (y_high - y_low) or 1.0
    return x_low, x_high, y_low - pad, y_high + pad


BOX = ("x_low", "x_high", "y_low", "y_high")  # the FRAME dataset's columns


def _with_segments(
    columns: dict[str, np.ndarray | list], box: tuple[float, float, float, float]
) -> pd.DataFrame:
    x1, x2, y1, y2 = clipped_segments(columns["k"], columns["b"], box)
    return pd.DataFrame(columns | {"x1": x1, "x2": x2, "y1": y1, "y2": y2})


# The model line's entry in the Fit chart's legend, beside the reference lines' names.
MODEL_LINE = "model at the shown epoch"
REFERENCE_NAMES = ("least squares", "true line")


def reference_lines(data: gd.Dataset, spec: DataSpec) -> tuple[tuple[str, float, float], ...]:
    """The fit chart's reference lines: least squares, and the true line of generated data."""
    lines = [(REFERENCE_NAMES[0], float(data.slope_ols), float(data.intercept_ols))]
    if spec.csv is None:
        lines.append((REFERENCE_NAMES[1], float(spec.slope), float(spec.intercept)))
    return tuple(lines)


def fit_datasets(
    points: pd.DataFrame, path: pd.DataFrame, lines: tuple[tuple[str, float, float], ...]
) -> dict[str, pd.DataFrame]:
    """Every row the Fit chart draws: the points, their box, the reference lines ((name, k, b)
    each) and the model at each epoch, each line cut at the box.

    From NumPy columns (every Fit rerun): pandas' column look-ups and frames built from rows
    or from other frames cost about 1.5 ms here.
    """
    box = fit_box(points)
    names, slopes, intercepts = zip(*lines, strict=True)
    model = {name: path[name].to_numpy() for name in ("epoch", "k", "b", "loss")}
    return {
        POINTS: points,
        FRAME: pd.DataFrame({name: [end] for name, end in zip(BOX, box, strict=True)}),
        LINES: _with_segments({"line": list(names), "k": list(slopes), "b": list(intercepts)}, box),
        MODEL: _with_segments(model, box),
    }


def reference_names(lines: tuple[tuple[str, float, float], ...]) -> tuple[str, ...]:
    """The names `reference_lines` gave, for the legend: an upload has no true line to list."""
    return tuple(name for name, _, _ in lines)


def fit_layers(
    titles: tuple[str, str] = ("x", "y"),
    panel: int = 0,
    references: tuple[str, ...] = REFERENCE_NAMES,
) -> alt.LayerChart:
    """Points, reference lines and the model at the player's epoch (fit_datasets' rows).

    The layers read the player's `shown` epoch (ui/charts/player.py), which `fit_chart` adds;
    with `panel` lines, the update panel is the title under the chart. `titles` name the axes: an
    uploaded file's column names (Vega draws them as plain text). Nothing here depends on the
    data, so every student's data set reuses the template.
    """
    # The box, drawn invisibly, sets both axes; every line is already cut to it.
    box = (
        alt.Chart(alt.NamedData(FRAME))
        .mark_rect(opacity=0, aria=False)
        .encode(x="x_low:Q", x2="x_high:Q", y="y_low:Q", y2="y_high:Q")
    )
    scatter = (
        alt.Chart(alt.NamedData(POINTS))
        .mark_circle(size=28, opacity=0.6, color=palette.color(palette.POINTS))
        .encode(
            # Not from zero: uploaded x such as years (2000…2020) would be squeezed to one side.
            # nice=False: the box (the points' own x range) is the axis; a "nice" 10 past the
            # last point at 9.5 left the lines, cut to the box, short of the axis's end.
            x=alt.X("x:Q", title=titles[0], scale=alt.Scale(zero=False, nice=False)),
            y=alt.Y("y:Q", title=titles[1], scale=alt.Scale(zero=False, nice=False)),
            tooltip=[alt.Tooltip("x:Q", format=EXACT), alt.Tooltip("y:Q", format=EXACT)],
        )
    )
    # One legend names every line: the model (solid, its own colour) and the reference lines
    # this data has (dashed); colour and dash share the field, so Vega draws them as one.
    names = [MODEL_LINE, *references]
    line = {
        "color": alt.Color(
            "line:N",
            title="Line",
            legend=legends.bottom_legend(3),
            scale=palette.scale(names, [palette.MODEL] + [palette.OPTIMUM] * len(references)),
        ),
        "strokeDash": alt.StrokeDash("line:N", title="Line", scale=palette.dash_scale(names)),
    }
    lines = (
        alt.Chart(alt.NamedData(LINES))
        .transform_filter(finite("x1"))
        .mark_rule(strokeWidth=2)
        .encode(x="x1:Q", x2="x2:Q", y="y1:Q", y2="y2:Q", **line)
    )
    at_epoch = (
        alt.Chart(alt.NamedData(MODEL))
        .transform_filter(finite("k", "b", "loss"))
        .transform_filter(f"datum.epoch == {SHOWN}")
    )
    model = (
        at_epoch.transform_filter(finite("x1"))
        .transform_calculate(line=f"'{MODEL_LINE}'")
        .mark_rule(strokeWidth=3)
        .encode(x="x1:Q", x2="x2:Q", y="y1:Q", y2="y2:Q", **line)
    )
    readout = at_epoch.transform_calculate(
        line1=f"'epoch ' + datum.epoch + ':  k = ' + format(datum.k, '{READOUT}')",
        line2=f"'b = ' + format(datum.b, '{READOUT}')"
        f" + ',  loss = ' + format(datum.loss, '{READOUT}')",
    ).transform_calculate(
        # One line where it fits, else two: cut at the chart's edge, "loss = 4.6305e+19" read
        # as a believable 4.6305e+1 on a phone.
        text=f"(length(datum.line1) + length(datum.line2) + 3) * {READOUT_CHAR_PX} <= width - 12"
        " ? datum.line1 + ',  ' + datum.line2 : [datum.line1 + ',', datum.line2]"
    )
    readout = readout.mark_text(
        align="left",
        baseline="top",
        dx=6,
        dy=6,
        fontSize=13,
        lineHeight=17,
        # The estimate of the width above is a guess; if a line is still wider than the plot,
        # Vega ends it with "…", so a cut number never passes for a whole one.
        limit=alt.ExprRef(expr="width - 12"),
        color=palette.color(palette.MODEL),
    ).encode(text="text:N", x=alt.value(0), y=alt.value(0))
    layers = [box, scatter, lines, model, readout]
    chart = alt.layer(*layers, *([panel_anchor()] if panel else []))
    chart = chart.properties(height=420 + panel_height(panel))
    return chart.properties(title=panel_title(panel)) if panel else chart


def fit_chart(
    frames: Frames,
    titles: tuple[str, str] = ("x", "y"),
    panel: int = 0,
    references: tuple[str, ...] = REFERENCE_NAMES,
) -> dict:
    """`fit_layers` with the player, opening at the run's last epoch."""
    # Built once per titles, panel and legend (60 ms in Altair), whatever the run's frames.
    template = render.shared_template(fit_layers, titles, panel, references)
    return with_player(template, "fit", frames)


LOSS_REFERENCES = ["least-squares floor L*", "noise variance σ²"]


def loss_references(floor: float, noise_variance: float | None) -> pd.DataFrame:
    """The REFERENCES dataset of the loss chart: the floor, and σ² for generated data; only
    those above 0, the only values a log axis has (a 0 there left the chart blank)."""
    frame = pd.DataFrame(
        {"reference": LOSS_REFERENCES, "value": [float(floor), float(noise_variance or 0.0)]}
    )
    # What .query("value > 0") returns (it selects with .loc), without parsing an expression
    # on every visit of the Loss page (1.4 ms against 0.3).
    return frame.loc[frame["value"] > 0]


def loss_chart(
    kept: int = 0, references: tuple[str, ...] = tuple(LOSS_REFERENCES)
) -> alt.LayerChart:
    """Loss per epoch on a log scale, with the REFERENCES lines named in `references` (the
    floor and the noise variance, each only when above 0: σ = 0, an upload's unknown σ and a
    floor of 0 have no place on a log axis, so the legend must not list them), and the losses
    of `kept` kept runs (HISTORY rows) under it."""
    hover = alt.selection_point(on="pointerover", nearest=True, fields=["epoch"], empty=False)
    base = alt.Chart(alt.NamedData(PATH)).transform_filter(_positive("loss")).encode(x=epoch_x())
    line = base.mark_line(color=palette.color(palette.K)).encode(
        y=log_y("loss:Q", "loss (MSE, log scale)")
    )
    dots = (
        # aria=False: 450 invisible hover targets are not things a screen reader should list.
        base.mark_circle(size=60, color=palette.color(palette.K), aria=False)
        .encode(
            y="loss:Q",
            opacity=alt.condition(hover, alt.value(1.0), alt.value(0.0)),
            tooltip=[alt.Tooltip("epoch:Q"), alt.Tooltip("loss:Q", format=EXACT)],
        )
        .add_params(hover)
    )
    # Each reference keeps its colour and dash whichever of them are drawn.
    hues = dict(zip(LOSS_REFERENCES, [palette.OPTIMUM, palette.NOISE], strict=True))
    dashes = dict(
        zip(LOSS_REFERENCES, palette.dash_scale(LOSS_REFERENCES, first=1).range, strict=True)
    )
    rules = (
        alt.Chart(alt.NamedData(REFERENCES))
        .transform_filter(_positive("value"))
        .mark_rule(strokeWidth=2)
        .encode(
            y="value:Q",
            # Colour and dash both tell the floor from σ², which may lie almost on it.
            color=alt.Color(
                "reference:N",
                title=None,
                legend=legends.bottom_legend(3),
                scale=palette.scale(list(references), [hues[name] for name in references]),
            ),
            strokeDash=alt.StrokeDash(
                "reference:N",
                title=None,
                scale=alt.Scale(domain=list(references), range=[dashes[n] for n in references]),
            ),
            tooltip=[alt.Tooltip("reference:N"), alt.Tooltip("value:Q", format=EXACT)],
        )
    )
    layers = [line, rules, dots] if references else [line, dots]
    chart = with_kept(layers, kept, "loss (MSE, log scale)", log=True)
    return chart.properties(height=380 + legend_height(kept))


def excess_chart(kept: int = 0) -> alt.LayerChart:
    """L − L* on a log scale: how far above the floor, where the slow phase is plain to see;
    with the excess of `kept` kept runs (HISTORY rows), each over its own data's floor."""
    line = (
        alt.Chart(alt.NamedData(PATH))
        .transform_filter(_positive("excess"))
        .mark_line(color=palette.color(palette.B))
        .encode(
            x=epoch_x(),
            y=log_y("excess:Q", "loss above the floor, L − L* (log scale)"),
            tooltip=[alt.Tooltip("epoch:Q"), alt.Tooltip("excess:Q", format=EXACT)],
        )
    )
    title = "loss above the floor, L − L* (log scale)"
    chart = with_kept([line], kept, title, log=True)
    return chart.properties(height=300 + legend_height(kept))


def rate_chart(separate: bool) -> alt.Chart:
    """The scheduled learning rate of each epoch (RATES rows), on a log scale, drawn as steps:
    a rate holds for its whole epoch, and a plateau's cuts are drops, not slopes. `separate`:
    a line for η_k and one for η_b, else one line for η."""
    names, hues = (["η_k", "η_b"], [palette.K, palette.B]) if separate else (["η"], [palette.K])
    return (
        alt.Chart(alt.NamedData(RATES))
        .transform_filter(_positive("rate"))
        .mark_line(interpolate="step-after")
        .encode(
            x=epoch_x(),
            y=log_y("rate:Q", "learning rate (log scale)"),
            color=alt.Color(
                "rate of:N",
                title=None,
                legend=legends.bottom_legend(3),
                scale=palette.scale(names, hues),
            ),
            strokeDash=alt.StrokeDash("rate of:N", title=None, scale=palette.dash_scale(names)),
            tooltip=[
                alt.Tooltip("epoch:Q"),
                alt.Tooltip("rate of:N"),
                alt.Tooltip("rate:Q", format=EXACT),
            ],
        )
        .properties(height=380)
    )
