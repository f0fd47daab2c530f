"""Altair chart templates over named datasets: pure functions, testable without a server.

A builder describes a chart's structure and reads its rows from named datasets ("path",
"points", "surface", "curves") that ui/render.py attaches when drawing. The structure depends
only on a few scalars (an optimum, a floor, an epoch count), so it is built once and reused
while the rows change with every new learning rate.

Interaction that needs no new numbers (scrubbing epochs, hovering, picking a strategy) is an
Altair parameter, so it happens in the browser without a Python rerun. A diverged run's last
rows may be infinite: charts of one run filter them in Vega; where a page draws thousands of
rows, `drawable` filters them in pandas instead, which the browser does not pay for.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

PATH, POINTS, SURFACE, CURVES = "path", "points", "surface", "curves"
# Scalars that change with the data (the optimum, the floor) are one-row datasets too, so a new
# data set reuses every template instead of rebuilding it (30 ms a chart in Altair).
OPTIMUM, REFERENCES, DISTANCE = "optimum", "references", "distance"
K_COLOR, B_COLOR, MODEL_COLOR, OPTIMUM_COLOR = "#1f77b4", "#e4572e", "#e4572e", "#2ca02c"
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


def _finite(*fields: str) -> str:
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


def fit_chart(
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    lines: pd.DataFrame,
    epochs: int,
    titles: tuple[str, str] = ("x", "y"),
) -> alt.LayerChart:
    """Points, reference lines (columns line, k, b) and the model at a scrubbed epoch.

    `titles` name the axes: an uploaded file's column names (Vega draws them as plain text).
    """
    x_low, x_high = x_range
    # The axes follow the data, so a runaway model line is clipped instead of flattening it.
    pad = 0.1 * (y_range[1] - y_range[0]) or 1.0
    y_scale = alt.Scale(domain=[float(y_range[0] - pad), float(y_range[1] + pad)], nice=False)
    epoch = alt.param(
        name="epoch",
        value=epochs,
        bind=alt.binding_range(min=0, max=epochs, step=1, name="Model at epoch "),
    )
    scatter = (
        alt.Chart(alt.NamedData(POINTS))
        .mark_circle(size=28, opacity=0.55, color="#7f7f7f")
        .encode(
            # Not from zero: uploaded x such as years (2000…2020) would be squeezed to one side.
            x=alt.X("x:Q", title=titles[0], scale=alt.Scale(zero=False)),
            y=alt.Y("y:Q", title=titles[1], scale=y_scale),
            tooltip=[alt.Tooltip("x:Q", format=EXACT), alt.Tooltip("y:Q", format=EXACT)],
        )
    )
    references = (
        alt.Chart(lines)
        .transform_calculate(**_segment(x_low, x_high))
        .mark_rule(strokeWidth=2, clip=True, color="#444444")
        .encode(
            x="x1:Q",
            x2="x2:Q",
            y="y1:Q",
            y2="y2:Q",
            strokeDash=alt.StrokeDash("line:N", title="Line", legend=alt.Legend(orient="bottom")),
        )
    )
    at_epoch = (
        alt.Chart(alt.NamedData(PATH))
        .transform_filter(_finite("k", "b", "loss"))
        .transform_filter(alt.datum.epoch <= epoch)
        .transform_window(rank="rank()", sort=[alt.SortField("epoch", order="descending")])
        .transform_filter(alt.datum.rank == 1)
    )
    model = (
        at_epoch.transform_calculate(**_segment(x_low, x_high))
        .mark_rule(strokeWidth=3, color=MODEL_COLOR, clip=True)
        .encode(x="x1:Q", x2="x2:Q", y="y1:Q", y2="y2:Q")
    )
    readout = (
        at_epoch.transform_calculate(
            text="'epoch ' + datum.epoch + ':  k = ' + format(datum.k, '.5~g') + ',  b = '"
            " + format(datum.b, '.5~g') + ',  loss = ' + format(datum.loss, '.5~g')"
        )
        .mark_text(align="left", baseline="top", dx=6, dy=6, fontSize=13, color=MODEL_COLOR)
        .encode(text="text:N", x=alt.value(0), y=alt.value(0))
    )
    return alt.layer(scatter, references, model, readout).add_params(epoch).properties(height=420)


def loss_references(floor: float, noise_variance: float | None) -> pd.DataFrame:
    """The REFERENCES dataset of the loss chart: the floor, and σ² for generated data."""
    references = [{"reference": "least-squares floor L*", "value": float(floor)}]
    if noise_variance is not None and noise_variance > 0:
        references.append({"reference": "noise variance σ²", "value": float(noise_variance)})
    return pd.DataFrame(references)


def loss_chart() -> alt.LayerChart:
    """Loss per epoch on a log scale, with the REFERENCES lines (floor, noise variance)."""
    hover = alt.selection_point(on="pointerover", nearest=True, fields=["epoch"], empty=False)
    base = (
        alt.Chart(alt.NamedData(PATH))
        .transform_filter(_positive("loss"))
        .encode(x=alt.X("epoch:Q", title="epoch"))
    )
    line = base.mark_line(color=K_COLOR).encode(
        y=alt.Y("loss:Q", title="loss (MSE, log scale)", scale=alt.Scale(type="log"))
    )
    dots = (
        base.mark_circle(size=60, color=K_COLOR)
        .encode(
            y="loss:Q",
            opacity=alt.condition(hover, alt.value(1.0), alt.value(0.0)),
            tooltip=[alt.Tooltip("epoch:Q"), alt.Tooltip("loss:Q", format=EXACT)],
        )
        .add_params(hover)
    )
    rules = (
        alt.Chart(alt.NamedData(REFERENCES))
        .mark_rule(strokeDash=[6, 4])
        .encode(
            y="value:Q",
            color=alt.Color(
                "reference:N",
                title=None,
                legend=alt.Legend(orient="bottom"),
                scale=alt.Scale(range=[OPTIMUM_COLOR, "#9467bd"]),
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
        .mark_line(color=B_COLOR)
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


def _optimum_rule(column: str) -> alt.Chart:
    """A dashed line at k* or b*, from the OPTIMUM dataset."""
    return (
        alt.Chart(alt.NamedData(OPTIMUM))
        .mark_rule(strokeDash=[6, 4], color=OPTIMUM_COLOR)
        .encode(
            y=f"{column}:Q", tooltip=[alt.Tooltip(f"{column}:Q", title=f"{column}*", format=EXACT)]
        )
    )


def parameter_chart(column: str, color: str) -> alt.LayerChart:
    """One parameter per epoch ("k" or "b") against its least-squares value.

    One chart per parameter, not an hconcat of two: Vega-Lite cannot stretch a concatenated
    chart to the page width (it warns that autosize "fit" needs a single or layered view).
    """
    line = (
        alt.Chart(alt.NamedData(PATH))
        .transform_filter(_finite(column))
        .mark_line(color=color)
        .encode(
            x=alt.X("epoch:Q"),
            y=alt.Y(f"{column}:Q", title=column, scale=alt.Scale(zero=False)),
            tooltip=[alt.Tooltip("epoch:Q"), alt.Tooltip(f"{column}:Q", format=EXACT)],
        )
    )
    return alt.layer(line, _optimum_rule(column)).properties(
        title=f"{column} and {column}*", height=260
    )


DISTANCE_LABELS = {"dist_k": "|k − k*|", "dist_b": "|b − b*|"}


def distance_rows(path: pd.DataFrame) -> pd.DataFrame:
    """The DISTANCE dataset: (epoch, parameter, value) for |k − k*| and |b − b*|, the rows a
    log scale can draw. Long form made here, not by a Vega fold, for the reason in `drawable`."""
    long = path.melt(
        id_vars="epoch", value_vars=list(DISTANCE_LABELS), var_name="parameter", value_name="value"
    )
    long["parameter"] = long["parameter"].map(DISTANCE_LABELS)
    return drawable(long, ["epoch", "parameter", "value"], log="value")


def distance_chart() -> alt.Chart:
    """|k − k*| and |b − b*| on a log scale: the two speeds side by side."""
    return (
        alt.Chart(alt.NamedData(DISTANCE))
        .mark_line()
        .encode(
            x=alt.X("epoch:Q"),
            y=alt.Y(
                "value:Q", title="distance to optimum (log scale)", scale=alt.Scale(type="log")
            ),
            color=alt.Color(
                "parameter:N",
                title=None,
                legend=alt.Legend(orient="bottom"),
                scale=alt.Scale(domain=list(DISTANCE_LABELS.values()), range=[K_COLOR, B_COLOR]),
            ),
            tooltip=["parameter:N", "epoch:Q", alt.Tooltip("value:Q", format=EXACT)],
        )
        .properties(height=320)
    )


def contour_chart() -> alt.LayerChart:
    """The loss over (k, b) as a shaded map of SURFACE cells (k_low…k_high, b_low…b_high),
    the path and the OPTIMUM."""
    heat = (
        alt.Chart(alt.NamedData(SURFACE))
        .mark_rect()
        .encode(
            x=alt.X("k_low:Q", title="k", scale=alt.Scale(zero=False, nice=False)),
            x2="k_high:Q",
            y=alt.Y("b_low:Q", title="b", scale=alt.Scale(zero=False, nice=False)),
            y2="b_high:Q",
            color=alt.Color("loss:Q", scale=alt.Scale(type="log", scheme="viridis"), title="loss"),
            tooltip=[
                alt.Tooltip("k:Q", format=".4g"),
                alt.Tooltip("b:Q", format=".4g"),
                alt.Tooltip("loss:Q", format=EXACT),
            ],
        )
    )
    trail = (
        alt.Chart(alt.NamedData(PATH))
        .transform_filter(_finite("k", "b"))
        .mark_line(color="white", strokeWidth=2, point=True)
        .encode(
            x="k:Q",
            y="b:Q",
            order="epoch:Q",
            tooltip=["epoch:Q", alt.Tooltip("k:Q", format=EXACT), alt.Tooltip("b:Q", format=EXACT)],
        )
    )
    optimum = (
        alt.Chart(alt.NamedData(OPTIMUM))
        .mark_point(shape="cross", size=250, color=MODEL_COLOR, strokeWidth=3)
        .encode(x="k:Q", y="b:Q")
    )
    # Thousands of cells: drawn on a canvas, and without a screen-reader description per cell
    # (Vega would format one for each, on every redraw).
    return (
        alt.layer(heat, trail, optimum)
        .properties(height=440, usermeta=CANVAS)
        .configure_mark(aria=False)
    )


def compare_loss_chart() -> alt.Chart:
    """L − L* per epoch for each strategy (rows from `drawable`, log="excess"), log scale."""
    highlight = alt.selection_point(fields=["strategy"], bind="legend")
    return (
        alt.Chart(alt.NamedData(CURVES))
        .mark_line()
        .encode(
            x="epoch:Q",
            y=alt.Y(
                "excess:Q",
                title="L − L*, log scale",
                scale=alt.Scale(type="log"),
            ),
            color=alt.Color("strategy:N", legend=alt.Legend(orient="bottom", columns=3)),
            opacity=alt.condition(highlight, alt.value(1.0), alt.value(0.15)),
            tooltip=["strategy:N", "epoch:Q", alt.Tooltip("excess:Q", format=EXACT)],
        )
        .add_params(highlight)
        .properties(height=380)
        .configure_mark(aria=False)
    )


def compare_parameter_chart(column: str) -> alt.LayerChart:
    """One parameter per epoch for each strategy (rows from `drawable`), with its optimum."""
    lines = (
        alt.Chart(alt.NamedData(CURVES))
        .mark_line()
        .encode(
            x="epoch:Q",
            y=alt.Y(f"{column}:Q", title=column, scale=alt.Scale(zero=False)),
            color=alt.Color("strategy:N", legend=None),
            tooltip=["strategy:N", "epoch:Q", alt.Tooltip(f"{column}:Q", format=EXACT)],
        )
    )
    return (
        alt.layer(lines, _optimum_rule(column))
        .properties(title=f"{column} per strategy", height=260)
        .configure_mark(aria=False)
    )
