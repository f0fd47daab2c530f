"""Altair chart templates of the parameters: k and b over time, their distance to the
optimum, the path on the loss map, and Compare's curves of several strategies.

Pure functions over named datasets, like run_charts.py, whose dataset names and colours they use.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ui.charts.history_charts import history_layer
from ui.charts.run_charts import (
    B_COLOR,
    CANVAS,
    CURVES,
    DISTANCE,
    EXACT,
    K_COLOR,
    MODEL_COLOR,
    OPTIMUM,
    OPTIMUM_COLOR,
    PATH,
    SURFACE,
    drawable,
    finite,
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


def parameter_chart(column: str, color: str, with_history: bool = False) -> alt.LayerChart:
    """One parameter per epoch ("k" or "b") against its least-squares value, and
    `with_history` the kept runs' values of it (HISTORY rows).

    One chart per parameter, not an hconcat of two: Vega-Lite cannot stretch a concatenated
    chart to the page width (it warns that autosize "fit" needs a single or layered view).
    """
    line = (
        alt.Chart(alt.NamedData(PATH))
        .transform_filter(finite(column))
        .mark_line(color=color)
        .encode(
            x=alt.X("epoch:Q"),
            y=alt.Y(f"{column}:Q", title=column, scale=alt.Scale(zero=False)),
            tooltip=[alt.Tooltip("epoch:Q"), alt.Tooltip(f"{column}:Q", format=EXACT)],
        )
    )
    layers = [line, _optimum_rule(column)]
    if with_history:
        layers.insert(0, history_layer(column))
    return alt.layer(*layers).properties(title=f"{column} and {column}*", height=260)


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
        .transform_filter(finite("k", "b"))
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
