"""Altair chart templates of one run over time: the fit, the loss and what they share.

Pure functions, testable without a server. A builder describes a chart's structure and reads
its rows from named datasets ("path", "points", "surface", "curves") that ui/charts/render.py
attaches when drawing; the parameter, contour and Compare charts are in parameter_charts.py.
The structure depends only on the builder's few scalar arguments (an axis range, an epoch
count), so it is built once and reused while the rows change with every new learning rate.

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
from ui.charts import palette
from ui.charts.player import SHOWN, panel_anchor, panel_height, panel_title, with_player
from ui.config import DataSpec
from ui.plain.player_frames import Frames

PATH, POINTS, SURFACE, CURVES = "path", "points", "surface", "curves"
# Scalars that change with the data (the optimum, the floor) are one-row datasets too, so a new
# data set reuses every template instead of rebuilding it (30 ms a chart in Altair).
OPTIMUM, REFERENCES, DISTANCE = "optimum", "references", "distance"
EXACT = ".6g"  # tooltips show exact values
CANVAS = {"embedOptions": {"renderer": "canvas"}}  # Streamlit passes this on to vega-embed


def optimum_rows(k_star: float, b_star: float) -> pd.DataFrame:
    """The OPTIMUM dataset: the least-squares (k*, b*)."""
    return pd.DataFrame({"k": [float(k_star)], "b": [float(b_star)]})


def drawable(frame: pd.DataFrame, columns: list[str], log: str | None = None) -> pd.DataFrame:
    """The rows of `columns` a chart can draw: every value finite, and `log` above zero.

    Done here rather than as a Vega filter: Streamlit evaluates Vega expressions with an
    interpreter, which costs the browser tens of milliseconds on a few thousand rows.
    """
    values = frame[columns].select_dtypes("number").to_numpy()
    keep = np.isfinite(values).all(axis=1)
    if log is not None:
        keep &= frame[log].to_numpy() > 0
    return frame.loc[keep, columns].reset_index(drop=True)  # an index would be sent too


def _positive(field: str) -> str:
    """Vega predicate: the field can be drawn on a log scale."""
    return f"isFinite(datum.{field}) && datum.{field} > 0"


def finite(*fields: str) -> str:
    return " && ".join(f"isFinite(datum.{field})" for field in fields)


def _segment(x_low: float, x_high: float) -> dict[str, str]:
    """Vega expressions for the line y = k·x + b across the x range (plain floats only)."""
    low, high = float(x_low), float(x_high)
    return {
        "x1": f"{low!r}",
        "x2": f"{high!r}",
        "y1": f"datum.k * {low!r} + datum.b",
        "y2": f"datum.k * {high!r} + datum.b",
    }


def reference_lines(data: gd.Dataset, spec: DataSpec) -> tuple[tuple[str, float, float], ...]:
    """The fit chart's reference lines: least squares, and the true line of generated data."""
    lines = [("least squares", float(data.slope_ols), float(data.intercept_ols))]
    if spec.csv is None:
        lines.append(("true line", float(spec.slope), float(spec.intercept)))
    return tuple(lines)


def fit_layers(
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    lines: tuple[tuple[str, float, float], ...],
    titles: tuple[str, str] = ("x", "y"),
    panel: int = 0,
) -> alt.LayerChart:
    """Points, reference lines ((name, k, b) each) and the model at the player's epoch.

    The layers read the player's `shown` epoch (ui/charts/player.py), which `fit_chart` adds;
    with `panel` lines, the update panel is the title under the chart. `titles` name the axes: an
    uploaded file's column names (Vega draws them as plain text).
    """
    x_low, x_high = x_range
    # The axes follow the data, so a runaway model line is clipped instead of flattening it.
    pad = 0.1 * (y_range[1] - y_range[0]) or 1.0
    y_scale = alt.Scale(domain=[float(y_range[0] - pad), float(y_range[1] + pad)], nice=False)
    scatter = (
        alt.Chart(alt.NamedData(POINTS))
        .mark_circle(size=28, opacity=0.6, color=palette.color(palette.POINTS))
        .encode(
            # Not from zero: uploaded x such as years (2000…2020) would be squeezed to one side.
            x=alt.X("x:Q", title=titles[0], scale=alt.Scale(zero=False)),
            y=alt.Y("y:Q", title=titles[1], scale=y_scale),
            tooltip=[alt.Tooltip("x:Q", format=EXACT), alt.Tooltip("y:Q", format=EXACT)],
        )
    )
    references = (
        alt.Chart(pd.DataFrame(lines, columns=["line", "k", "b"]))
        .transform_calculate(**_segment(x_low, x_high))
        .mark_rule(strokeWidth=2, clip=True, color=palette.color(palette.OPTIMUM))
        .encode(
            x="x1:Q",
            x2="x2:Q",
            y="y1:Q",
            y2="y2:Q",
            strokeDash=alt.StrokeDash(
                "line:N",
                title="Line",
                legend=alt.Legend(orient="bottom"),
                scale=palette.dash_scale(["least squares", "true line"], first=1),
            ),
        )
    )
    at_epoch = (
        alt.Chart(alt.NamedData(PATH))
        .transform_filter(finite("k", "b", "loss"))
        .transform_filter(f"datum.epoch == {SHOWN}")
    )
    model = (
        at_epoch.transform_calculate(**_segment(x_low, x_high))
        .mark_rule(strokeWidth=3, color=palette.color(palette.MODEL), clip=True)
        .encode(x="x1:Q", x2="x2:Q", y="y1:Q", y2="y2:Q")
    )
    readout = (
        at_epoch.transform_calculate(
            text="'epoch ' + datum.epoch + ':  k = ' + format(datum.k, '.5~g') + ',  b = '"
            " + format(datum.b, '.5~g') + ',  loss = ' + format(datum.loss, '.5~g')"
        )
        .mark_text(
            align="left",
            baseline="top",
            dx=6,
            dy=6,
            fontSize=13,
            color=palette.color(palette.MODEL),
        )
        .encode(text="text:N", x=alt.value(0), y=alt.value(0))
    )
    layers = [scatter, references, model, readout]
    chart = alt.layer(*layers, *([panel_anchor()] if panel else []))
    chart = chart.properties(height=420 + panel_height(panel))
    return chart.properties(title=panel_title(panel)) if panel else chart


def fit_chart(
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    lines: tuple[tuple[str, float, float], ...],
    frames: Frames,
    titles: tuple[str, str] = ("x", "y"),
    panel: int = 0,
) -> dict:
    """`fit_layers` with the player, opening at the run's last epoch."""
    spec = fit_layers(x_range, y_range, lines, titles, panel).to_dict(validate=False)
    return with_player(spec, "fit", frames)


LOSS_REFERENCES = ["least-squares floor L*", "noise variance σ²"]


def loss_references(floor: float, noise_variance: float | None) -> pd.DataFrame:
    """The REFERENCES dataset of the loss chart: the floor, and σ² for generated data."""
    references = [{"reference": LOSS_REFERENCES[0], "value": float(floor)}]
    if noise_variance is not None and noise_variance > 0:
        references.append({"reference": LOSS_REFERENCES[1], "value": float(noise_variance)})
    return pd.DataFrame(references)


def loss_chart() -> alt.LayerChart:
    """Loss per epoch on a log scale, with the REFERENCES lines (floor, noise variance)."""
    hover = alt.selection_point(on="pointerover", nearest=True, fields=["epoch"], empty=False)
    base = (
        alt.Chart(alt.NamedData(PATH))
        .transform_filter(_positive("loss"))
        .encode(x=alt.X("epoch:Q", title="epoch"))
    )
    line = base.mark_line(color=palette.color(palette.K)).encode(
        y=alt.Y("loss:Q", title="loss (MSE, log scale)", scale=alt.Scale(type="log"))
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
    rules = (
        alt.Chart(alt.NamedData(REFERENCES))
        .mark_rule(strokeWidth=2)
        .encode(
            y="value:Q",
            # Colour and dash both tell the floor from σ², which may lie almost on it.
            color=alt.Color(
                "reference:N",
                title=None,
                legend=alt.Legend(orient="bottom"),
                scale=palette.scale(LOSS_REFERENCES, [palette.OPTIMUM, palette.NOISE]),
            ),
            strokeDash=alt.StrokeDash(
                "reference:N", title=None, scale=palette.dash_scale(LOSS_REFERENCES, first=1)
            ),
            tooltip=[alt.Tooltip("reference:N"), alt.Tooltip("value:Q", format=EXACT)],
        )
    )
    return alt.layer(line, rules, dots).properties(height=380)


def excess_chart() -> alt.Chart:
    """L − L* on a log scale: how far above the floor, where the slow phase is plain to see."""
    return (
        alt.Chart(alt.NamedData(PATH))
        .transform_filter(_positive("excess"))
        .mark_line(color=palette.color(palette.B))
        .encode(
            x=alt.X("epoch:Q"),
            y=alt.Y(
                "excess:Q",
                title="loss above the floor, L − L* (log scale)",
                scale=alt.Scale(type="log"),
            ),
            tooltip=[alt.Tooltip("epoch:Q"), alt.Tooltip("excess:Q", format=EXACT)],
        )
        .properties(height=300)
    )


MODES = "modes"


def mode_chart() -> alt.Chart:
    """Plain GD's L − L* split into its two modes (MODES rows), log scale: each a straight line,
    labelled in the legend by its pace, the parameter it mostly moves and its factor per epoch;
    their sum is the run's own curve, dashed."""
    return (
        alt.Chart(alt.NamedData(MODES))
        .mark_line(strokeWidth=2.5)
        .encode(
            x=alt.X("epoch:Q"),
            y=alt.Y(
                "excess:Q",
                title="part of L − L* (log scale)",
                scale=alt.Scale(type="log"),
            ),
            color=alt.Color(
                "mode:N", title=None, legend=alt.Legend(orient="bottom", columns=1, labelLimit=0)
            ),
            strokeDash=alt.StrokeDash("mode:N", legend=None),
            tooltip=["mode:N", "epoch:Q", alt.Tooltip("excess:Q", format=EXACT)],
        )
        .properties(height=320)
    )
