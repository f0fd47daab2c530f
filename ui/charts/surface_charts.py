"""The path of (k, b) on the loss surface, with the player, its arrows and the update panel.

A template over named datasets, like run_charts.py: SURFACE cells, the PATH, the OPTIMUM, the
ARROWS of every player frame and the panel's RECEIPTS; the player (ui/charts/player.py) picks
the frame in the browser. A click on a cell selects its centre, which the page turns into the
start (k₀, b₀).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from ui.charts import palette, render
from ui.charts.lab_charts import PICK_EVENTS
from ui.charts.log_axis import legend_labels  # a click, or a tap (which sends no click)
from ui.charts.player import SHOWN, panel_anchor, panel_height, panel_title, with_player
from ui.charts.run_charts import CANVAS, EXACT, OPTIMUM, PATH, SURFACE, finite
from ui.plain.player_frames import Frames
from ui.plain.receipts import ARROW_KINDS

ARROWS = "arrows"
START_MARK = "start_mark"  # the keyboard picker's marker (ui/state/start_picker.py)
START_SELECTION = "start"  # the name Streamlit reports a clicked point of the surface under
# Each arrow over a black edge, as the path is, so it reads on every shade of the map; its
# dash tells the kinds apart, not its colour alone. Their legend sits on a black box, where the
# white step's swatch shows in the light theme too.
ARROW_STYLE = {
    ARROW_KINDS["step"]: (palette.MARK_FILL, [1, 0]),
    ARROW_KINDS["gradient"]: (palette.HUES["purple"].dark, [6, 3]),
    ARROW_KINDS["velocity"]: (palette.HUES["yellow"].dark, [2, 2]),
}


# The optimum's cross and the picked start's square: light fill, dark outline, on any cell.
MARKER = {
    "filled": True,
    "fill": palette.MARK_FILL,
    "stroke": palette.MARK_STROKE,
    "strokeWidth": 1.5,
}


def clip_arrows(arrows: Mapping[str, Any], surface: pd.DataFrame) -> dict[str, Any] | pd.DataFrame:
    """`arrows` (ui/plain/receipts.arrow_rows, or its columns: arrow_columns) with the ends
    they are drawn to, `k_tip` and `b_tip`, inside the map (the SURFACE cells' box), and `cut`
    where that is short of the true end (k_end, b_end), which the tooltip still gives. Columns
    give columns (render.arrow_bytes sends them as the frame of them): a copy of the frame and
    three column assignments cost pandas more than the clipping.

    −η·g is where the raw gradient would move, and for an adaptive rule it can be a hundred
    times the step taken (Adam at η = 0.1: k to 16.7 on a map to 2.5); drawn whole, it set
    the chart's scale and left the map a strip in one corner. An arrow that starts off the
    map (a path the map does not frame) is left as it is."""
    start = np.column_stack([np.asarray(arrows[name], dtype=float) for name in ("k", "b")])
    end = np.column_stack([np.asarray(arrows[name], dtype=float) for name in ("k_end", "b_end")])
    reach = np.ones(len(start))
    if len(surface) and len(start):
        low = np.array([surface["k_low"].min(), surface["b_low"].min()])
        high = np.array([surface["k_high"].max(), surface["b_high"].max()])
        span = end - start
        # A subnormal span overflows to inf: room to spare along that axis, as it should.
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            # The fraction of each arrow that stays inside, along each axis (Liang–Barsky).
            room = np.where(span > 0, (high - start) / span, np.inf)
            room = np.where(span < 0, (low - start) / span, room)
        inside = ((start >= low) & (start <= high)).all(axis=1)
        reach = np.where(inside, np.minimum(room.min(axis=1), 1.0), 1.0)
    tip = start + reach[:, None] * (end - start)
    tips = {"k_tip": tip[:, 0], "b_tip": tip[:, 1], "cut": reach < 1.0}
    if isinstance(arrows, pd.DataFrame):  # a frame stays one (an empty one keeps its index)
        return arrows.assign(**tips)
    return dict(arrows) | tips


def arrow_kinds(arrows: Mapping[str, Any]) -> tuple[str, ...]:
    """The kinds of arrow a run draws (velocity only for momentum), for the legend to list."""
    drawn = set(arrows["arrow"].unique())
    return tuple(kind for kind in ARROW_STYLE if kind in drawn)


def _arrows(shown: tuple[str, ...] = ()) -> alt.LayerChart:
    """The ARROWS at the player's epoch: a shaft from (k, b) to its end over a black edge, and
    a head there turned along it on screen (the axes have different scales, so the angle is
    taken in pixels). An arrow cut at the map's edge (clip_arrows) has no head: it runs on
    off the map, and its tooltip says where to. The three layers share one filter: Vega runs
    it over every row (every arrow of every frame) on each rerun and on each step of the
    player, once per layer. The legend lists the `shown` kinds (default: all): Adam's run has
    no velocity arrow, and a legend entry for one would say it does."""
    kinds = list(ARROW_STYLE)
    at = alt.Chart()  # the rows come from the layer below
    hues = alt.Scale(domain=kinds, range=[style[0] for style in ARROW_STYLE.values()])
    dashes = alt.Scale(domain=kinds, range=[style[1] for style in ARROW_STYLE.values()])
    legend = alt.Legend(
        title="arrows at the shown epoch",
        orient="bottom",
        fillColor=palette.MARK_STROKE,
        titleColor=palette.MARK_FILL,
        labelColor=palette.MARK_FILL,
        padding=8,
        symbolType="stroke",
        symbolStrokeWidth=3,
        symbolSize=400,
        values=list(shown or kinds),
    )
    tooltip = [
        alt.Tooltip("arrow:N"),
        alt.Tooltip("k_end:Q", title="to k", format=EXACT),
        alt.Tooltip("b_end:Q", title="to b", format=EXACT),
        alt.Tooltip("cut:N", title="runs past the map's edge"),
    ]
    ends = {"x": "k:Q", "y": "b:Q", "x2": "k_tip:Q", "y2": "b_tip:Q"}
    edge = at.mark_rule(strokeWidth=6, color=palette.MARK_STROKE, clip=True).encode(**ends)
    shaft = at.mark_rule(strokeWidth=3, clip=True).encode(
        **ends,
        # stroke and fill, not color: the map's colour scale is the loss's.
        stroke=alt.Stroke("arrow:N", scale=hues, legend=legend),
        strokeDash=alt.StrokeDash("arrow:N", scale=dashes, legend=legend),
        tooltip=tooltip,
    )
    turn = (
        "atan2(scale('x', datum.k_tip) - scale('x', datum.k), "
        "scale('y', datum.b) - scale('y', datum.b_tip)) * 180 / PI"
    )
    head = at.mark_point(
        shape="wedge", size=300, filled=True, opacity=1, stroke=palette.MARK_STROKE, clip=True
    ).encode(
        x="k_tip:Q",
        y="b_tip:Q",
        # A cut arrow has no head (an opacity, not a filter: one pass over the rows, not two).
        opacity=alt.when("datum.cut").then(alt.value(0)).otherwise(alt.value(1)),
        angle=alt.Angle(value=alt.ExprRef(expr=turn)),
        fill=alt.Fill("arrow:N", scale=hues, legend=None),
    )
    return alt.layer(edge, shaft, head, data=alt.NamedData(ARROWS)).transform_filter(
        f"datum.epoch == {SHOWN}"
    )


def contour_layers(panel: int = 0, arrows: tuple[str, ...] = ()) -> alt.LayerChart:
    """The loss over (k, b) as a shaded map of SURFACE cells (k_low…k_high, b_low…b_high), the
    path, the OPTIMUM, the point at the player's epoch and its arrows; a click or tap on a cell
    selects its centre (START_SELECTION) to start there. With `panel` lines, the update panel
    is the title under the chart; `arrows` are the kinds of arrow the legend lists."""
    start = alt.selection_point(
        name=START_SELECTION, fields=["k", "b"], on=PICK_EVENTS, clear=False, empty=False
    )
    heat = (
        alt.Chart(alt.NamedData(SURFACE))
        .mark_rect(cursor="crosshair")
        .encode(
            x=alt.X("k_low:Q", title="k", scale=alt.Scale(zero=False, nice=False)),
            x2="k_high:Q",
            y=alt.Y("b_low:Q", title="b", scale=alt.Scale(zero=False, nice=False)),
            y2="b_high:Q",
            color=alt.Color(
                "loss:Q",
                scale=alt.Scale(type="log", scheme="viridis"),
                title="loss",
                legend=alt.Legend(labelExpr=legend_labels("color")),
            ),
            tooltip=[
                alt.Tooltip("k:Q", format=".4g"),
                alt.Tooltip("b:Q", format=".4g"),
                alt.Tooltip("loss:Q", format=EXACT),
            ],
        )
        .add_params(start)
    )
    path = alt.Chart().encode(x="k:Q", y="b:Q", order="epoch:Q")
    # White over a black edge: the path stays visible on every shade of the map.
    edge = path.mark_line(color=palette.MARK_STROKE, strokeWidth=4)
    dots = alt.OverlayMarkDef(
        filled=True, fill=palette.MARK_FILL, stroke=palette.MARK_STROKE, strokeWidth=0.5, size=18
    )
    trail = path.mark_line(color=palette.MARK_FILL, strokeWidth=2, point=dots).encode(
        tooltip=["epoch:Q", alt.Tooltip("k:Q", format=EXACT), alt.Tooltip("b:Q", format=EXACT)],
    )
    # Both lines read the path through one filter (one pass over its rows, not one a layer).
    walked = alt.layer(edge, trail, data=alt.NamedData(PATH)).transform_filter(finite("k", "b"))
    optimum = (
        alt.Chart(alt.NamedData(OPTIMUM))
        .mark_point(shape="cross", size=250, **MARKER)
        .encode(x="k:Q", y="b:Q")
    )
    here = (  # the shown epoch first: the finiteness test then reads one row, not all
        alt.Chart(alt.NamedData(PATH))
        .transform_filter(f"datum.epoch == {SHOWN}")
        .transform_filter(finite("k", "b"))
        .mark_circle(
            size=110,
            color=palette.color(palette.MODEL),
            stroke=palette.MARK_FILL,
            strokeWidth=2,
            opacity=1,
        )
        .encode(x="k:Q", y="b:Q", tooltip=["epoch:Q"])
    )
    picked = (
        alt.Chart(alt.NamedData(START_MARK))
        .mark_point(shape="square", size=160, opacity=1, **MARKER)
        .encode(
            x="k:Q",
            y="b:Q",
            tooltip=[alt.Tooltip("k:Q", format=".4g"), alt.Tooltip("b:Q", format=".4g")],
        )
    )
    # The point under its arrows, which start at its centre.
    layers = [heat, walked, optimum, picked, here, _arrows(arrows)]
    layers += [panel_anchor()] if panel else []
    chart = alt.layer(*layers).properties(height=440 + panel_height(panel), usermeta=CANVAS)
    if panel:
        chart = chart.properties(title=panel_title(panel))
    # Thousands of cells: drawn on a canvas, and without a screen-reader description per cell
    # (Vega would format one for each, on every redraw).
    return chart.configure_mark(aria=False)


def contour_chart(frames: Frames, panel: int = 0, arrows: tuple[str, ...] = ()) -> dict:
    """`contour_layers` with the player, opening at the last epoch, as Fit's does: the run's
    result, its whole path drawn; Play from there starts again at the first epoch."""
    # The layers are the same for every run's frames: built once per panel (150 ms in Altair),
    # not once for each epoch count a class uses.
    template = render.shared_template(contour_layers, panel, arrows)
    return with_player(template, "path", frames)
