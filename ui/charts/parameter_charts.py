"""Altair chart templates of the parameters: k and b over time, their distance to the
optimum, the path on the loss map, and Compare's curves of several strategies.

Pure functions over named datasets, like run_charts.py, whose dataset names they use; colours
come from palette.py.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ui.charts import palette
from ui.charts.history_charts import legend_height, with_kept
from ui.charts.player import SHOWN, panel_anchor, panel_height, panel_title, with_player
from ui.charts.run_charts import (
    CANVAS,
    CURVES,
    DISTANCE,
    EXACT,
    OPTIMUM,
    PATH,
    SURFACE,
    drawable,
    finite,
)
from ui.plain.player_frames import Frames
from ui.plain.receipts import ARROW_KINDS

ARROWS = "arrows"
START_SELECTION = "start"  # the name Streamlit reports a clicked point of the surface under
# On viridis: the step solid white, −η·g dashed pink, the velocity dotted yellow.
ARROW_STYLE = {
    ARROW_KINDS["step"]: (palette.MARK_FILL, [1, 0]),
    ARROW_KINDS["gradient"]: (palette.HUES["purple"].dark, [6, 3]),
    ARROW_KINDS["velocity"]: (palette.HUES["yellow"].dark, [2, 2]),
}


def _optimum_rule(column: str) -> alt.Chart:
    """A dashed line at k* or b*, from the OPTIMUM dataset."""
    return (
        alt.Chart(alt.NamedData(OPTIMUM))
        .mark_rule(
            strokeDash=palette.DASHES[1], strokeWidth=2, color=palette.color(palette.OPTIMUM)
        )
        .encode(
            y=f"{column}:Q", tooltip=[alt.Tooltip(f"{column}:Q", title=f"{column}*", format=EXACT)]
        )
    )


PARAMETER_HUES = {"k": palette.K, "b": palette.B}


def parameter_chart(column: str, kept: int = 0) -> alt.LayerChart:
    """One parameter per epoch ("k" or "b", in its hue) against its least-squares value
    (dashed, in the optimum's hue), and the values of `kept` kept runs (HISTORY rows).

    One chart per parameter, not an hconcat of two: Vega-Lite cannot stretch a concatenated
    chart to the page width (it warns that autosize "fit" needs a single or layered view).
    """
    line = (
        alt.Chart(alt.NamedData(PATH))
        .transform_filter(finite(column))
        .mark_line(color=palette.color(PARAMETER_HUES[column]))
        .encode(
            x=alt.X("epoch:Q"),
            y=alt.Y(f"{column}:Q", title=column, scale=alt.Scale(zero=False)),
            tooltip=[alt.Tooltip("epoch:Q"), alt.Tooltip(f"{column}:Q", format=EXACT)],
        )
    )
    chart = with_kept([line, _optimum_rule(column)], kept, column)
    return chart.properties(
        title=f"{column} (solid) and {column}* (dashed)", height=260 + legend_height(kept)
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
                scale=palette.scale(DISTANCE_LABELS.values(), [palette.K, palette.B]),
            ),
            strokeDash=alt.StrokeDash(
                "parameter:N", title=None, scale=palette.dash_scale(DISTANCE_LABELS.values())
            ),
            tooltip=["parameter:N", "epoch:Q", alt.Tooltip("value:Q", format=EXACT)],
        )
        .properties(height=320)
    )


def _arrows() -> list[alt.Chart]:
    """The ARROWS at the player's epoch: a shaft from (k, b) to its end, and a head there turned
    along it on screen (the two axes have different scales, so the angle is taken in pixels)."""
    kinds = list(ARROW_STYLE)
    at = alt.Chart(alt.NamedData(ARROWS)).transform_filter(f"datum.epoch == {SHOWN}")
    palette = alt.Scale(domain=kinds, range=[style[0] for style in ARROW_STYLE.values()])
    color = alt.Color(
        "arrow:N", title="at the shown epoch", scale=palette, legend=alt.Legend(orient="bottom")
    )
    dash = alt.StrokeDash(
        "arrow:N",
        scale=alt.Scale(domain=kinds, range=[style[1] for style in ARROW_STYLE.values()]),
        legend=None,
    )
    tooltip = [
        alt.Tooltip("arrow:N"),
        alt.Tooltip("k_end:Q", title="to k", format=EXACT),
        alt.Tooltip("b_end:Q", title="to b", format=EXACT),
    ]
    shaft = at.mark_rule(strokeWidth=3, clip=True).encode(
        x="k:Q", y="b:Q", x2="k_end:Q", y2="b_end:Q", color=color, strokeDash=dash, tooltip=tooltip
    )
    turn = (
        "atan2(scale('x', datum.k_end) - scale('x', datum.k), "
        "scale('y', datum.b) - scale('y', datum.b_end)) * 180 / PI"
    )
    head = at.mark_point(shape="wedge", size=220, filled=True, opacity=1, clip=True).encode(
        x="k_end:Q",
        y="b_end:Q",
        angle=alt.Angle(value=alt.ExprRef(expr=turn)),
        color=alt.Color("arrow:N", scale=palette, legend=None),
    )
    return [shaft, head]


def contour_layers(panel: int = 0) -> alt.LayerChart:
    """The loss over (k, b) as a shaded map of SURFACE cells (k_low…k_high, b_low…b_high), the
    path, the OPTIMUM, the point at the player's epoch and its arrows; a click on a cell
    selects its centre (START_SELECTION) to start there. With `panel` lines, the update panel
    is the title under the chart."""
    start = alt.selection_point(
        name=START_SELECTION, fields=["k", "b"], on="click", clear=False, empty=False
    )
    heat = (
        alt.Chart(alt.NamedData(SURFACE))
        .mark_rect(cursor="crosshair")
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
        .add_params(start)
    )
    path = (
        alt.Chart(alt.NamedData(PATH))
        .transform_filter(finite("k", "b"))
        .encode(x="k:Q", y="b:Q", order="epoch:Q")
    )
    # White over a black edge: the path stays visible on every shade of the map.
    edge = path.mark_line(color=palette.MARK_STROKE, strokeWidth=4)
    dots = alt.OverlayMarkDef(
        filled=True, fill=palette.MARK_FILL, stroke=palette.MARK_STROKE, strokeWidth=0.5, size=18
    )
    trail = path.mark_line(color=palette.MARK_FILL, strokeWidth=2, point=dots).encode(
        tooltip=["epoch:Q", alt.Tooltip("k:Q", format=EXACT), alt.Tooltip("b:Q", format=EXACT)],
    )
    optimum = (
        alt.Chart(alt.NamedData(OPTIMUM))
        .mark_point(
            shape="cross",
            size=250,
            filled=True,
            fill=palette.MARK_FILL,
            stroke=palette.MARK_STROKE,
            strokeWidth=1.5,
        )
        .encode(x="k:Q", y="b:Q")
    )
    here = (
        alt.Chart(alt.NamedData(PATH))
        .transform_filter(finite("k", "b"))
        .transform_filter(f"datum.epoch == {SHOWN}")
        .mark_circle(
            size=140,
            color=palette.color(palette.MODEL),
            stroke=palette.MARK_FILL,
            strokeWidth=2,
            opacity=1,
        )
        .encode(x="k:Q", y="b:Q", tooltip=["epoch:Q"])
    )
    layers = [heat, edge, trail, optimum, *_arrows(), here, *([panel_anchor()] if panel else [])]
    chart = alt.layer(*layers).properties(height=440 + panel_height(panel), usermeta=CANVAS)
    if panel:
        chart = chart.properties(title=panel_title(panel))
    # Thousands of cells: drawn on a canvas, and without a screen-reader description per cell
    # (Vega would format one for each, on every redraw).
    return chart.configure_mark(aria=False)


def contour_chart(frames: Frames, panel: int = 0) -> dict:
    """`contour_layers` with the player, opening at the first epoch: the arrows are largest
    there, and Play then walks the path."""
    return with_player(contour_layers(panel).to_dict(validate=False), "path", frames, start=0)


ALL_STRATEGIES = "all strategies"


def _highlight(strategies: tuple[str, ...]) -> tuple[alt.Parameter, alt.Parameter, str]:
    """Picking out one strategy, by legend click or by a drop-down that a keyboard and a touch
    screen can use (a legend is mouse-only), both in the browser without a rerun. Returns the
    two params and the Vega test for "this row is picked out by both"."""
    legend = alt.selection_point(name="legend_pick", fields=["strategy"], bind="legend")
    choice = alt.param(
        name="highlight",
        value=ALL_STRATEGIES,
        bind=alt.binding_select(options=[ALL_STRATEGIES, *strategies], name="Highlight "),
    )
    # Vega-Lite's own test for a point selection that counts as "everything" while empty.
    clicked = '(!length(data("legend_pick_store")) || vlSelectionTest("legend_pick_store", datum))'
    chosen = f"(highlight == '{ALL_STRATEGIES}' || datum.strategy == highlight)"
    return legend, choice, f"{clicked} && {chosen}"


def _strategy_lines(strategies: tuple[str, ...], y: alt.Y, tooltip: list) -> alt.Chart:
    """One line per strategy: a hue and a dash each (palette.series_scales), a legend that
    shows both, fit to a phone's width, and the picked-out strategy drawn over the rest."""
    colors, dashes = palette.series_scales(strategies)
    legend = alt.Legend(
        orient="bottom",
        columns={"expr": "width < 480 ? 2 : 4"},
        columnPadding=8,
        symbolType="stroke",
        symbolStrokeWidth=2.5,
        labelLimit=0,  # whole names: two columns of them fit a phone's width
    )
    by_legend, choice, picked = _highlight(strategies)
    return (
        alt.Chart(alt.NamedData(CURVES))
        .mark_line(strokeWidth=2)
        .encode(
            x="epoch:Q",
            y=y,
            color=alt.Color("strategy:N", title=None, scale=colors, legend=legend),
            strokeDash=alt.StrokeDash("strategy:N", title=None, scale=dashes, legend=legend),
            opacity=alt.when(picked).then(alt.value(1.0)).otherwise(alt.value(0.12)),
            tooltip=tooltip,
        )
        .add_params(by_legend, choice)
    )


def compare_loss_chart(strategies: tuple[str, ...]) -> alt.Chart:
    """L − L* per epoch for each of `strategies` (rows from `drawable`, log="excess")."""
    y = alt.Y("excess:Q", title="L − L*, log scale", scale=alt.Scale(type="log"))
    tooltip = ["strategy:N", "epoch:Q", alt.Tooltip("excess:Q", format=EXACT)]
    return _strategy_lines(strategies, y, tooltip).properties(height=380).configure_mark(aria=False)


def compare_parameter_chart(column: str, strategies: tuple[str, ...]) -> alt.LayerChart:
    """One parameter per epoch for each of `strategies` (rows from `drawable`), with its
    optimum."""
    y = alt.Y(f"{column}:Q", title=column, scale=alt.Scale(zero=False))
    tooltip = ["strategy:N", "epoch:Q", alt.Tooltip(f"{column}:Q", format=EXACT)]
    return (
        alt.layer(_strategy_lines(strategies, y, tooltip), _optimum_rule(column))
        .properties(title=f"{column} per strategy; the level line is {column}*", height=420)
        .configure_mark(aria=False)
    )
