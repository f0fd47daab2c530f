"""Charts for the learning-rate lab: the stability map and the adaptive optimizers' rates.

Templates over named datasets, like run_charts.py: the structure is built once per grid, the
rows arrive with each rerun.
"""

from __future__ import annotations

import altair as alt
import numpy as np

from ui.charts import palette, render
from ui.charts.legends import NARROW  # below it the legends take fewer columns
from ui.charts.log_axis import log_axis
from ui.charts.run_charts import CANVAS, EXACT

CELLS, BOUNDARY, MARKS, RATES, LIMITS = "cells", "boundary", "marks", "rates", "limits"
CELL_SELECTION = "cell"  # the name Streamlit reports a clicked cell under
MARK_SHAPES = {
    "your rates (sidebar)": "cross",
    "fastest pace for plain GD": "diamond",
    "picked with the sliders": "square",
}
YOUR_RATES, FASTEST, PICKED = MARK_SHAPES
# A click, or a tap. Vega hands mark items only mouse, touch and keyboard events (its Event
# Streams docs list them; pointerup reaches no cell), and a tap that Playwright's touch screen
# makes, or a browser that sends no click after touchend, never clicks. A swipe that scrolls the
# page past the map ends in a touchend too, but the browser has taken that touch over for
# scrolling and sends it uncancelable (Chromium's scroll intervention): only a tap picks a cell.
PICK_EVENTS = "click, touchend[event.cancelable]"
# An outcome (band) of at most this many cells is ringed: on a phone a cell is about 8 px, and
# the four cells of "moving away" between converging and diverging cells were lost there.
RARE_CELLS = 16
DIVERGED = "diverged"  # the outcome (and band) of a cell whose run blew up


def stability_chart(bands: tuple[tuple[str, str], ...], with_boundary: bool) -> alt.LayerChart:
    """Epochs to converge over (η_k, η_b) on log axes; click a cell to pick its rates.

    Cells are coloured by their `band` ((label, colour) pairs, fastest first, then "not
    converged" and "diverged"), so the slow corner, the fast valley and blow-up read at a glance.
    The boundary (where the spectral radius reaches 1) and the marks (the sidebar's rates, the
    fastest pair, the cell picked with the controls below the map) are drawn over the cells.
    The axes span the cells, whose rates follow the data: the boundary and the marks arrive cut
    to them (ui/compute/lab.py), so the template depends on the epoch bands alone and serves
    every data set. CELLS holds the 40 × 40 cells the captions count, on every screen; a tap
    picks one (PICK_EVENTS), and the controls below the map pick one by keyboard or touch.
    """
    x_scale = alt.Scale(type="log", nice=False)
    y_scale = alt.Scale(type="log", nice=False)
    pick = alt.selection_point(
        name=CELL_SELECTION, fields=["lr_k", "lr_b"], on=PICK_EVENTS, clear=False, empty=False
    )
    colors = dict(bands)
    color = alt.Color(
        "band:N",
        title="epochs to converge",
        scale=alt.Scale(domain=list(colors), range=list(colors.values())),
        # Below the map, in as many columns as fit: on a phone a legend at the side took half
        # the width.
        legend=alt.Legend(
            orient="bottom",
            columns={"expr": f"width < {NARROW} ? 2 : 6"},
            labelExpr=f"datum.label == '{DIVERGED}' ? '{DIVERGED} (struck through)' : datum.label",
        ),
    )
    cells = (
        alt.Chart(alt.NamedData(CELLS))
        .mark_rect(cursor="pointer")
        .encode(
            x=alt.X("k_low:Q", title="η_k (log scale)", scale=x_scale, axis=log_axis("x")),
            x2="k_high:Q",
            y=alt.Y("b_low:Q", title="η_b (log scale)", scale=y_scale, axis=log_axis("y")),
            y2="b_high:Q",
            color=color,
            stroke=alt.when(pick).then(alt.value(palette.MARK_FILL)).otherwise(alt.value(None)),
            tooltip=[
                alt.Tooltip("lr_k:Q", title="η_k", format=".4g"),
                alt.Tooltip("lr_b:Q", title="η_b", format=".4g"),
                alt.Tooltip("outcome:N"),
                alt.Tooltip("settles:N", title="epochs to converge"),
                alt.Tooltip("final_loss:Q", title="final loss", format=EXACT),
            ],
        )
        .add_params(pick)
    )
    layers = [cells, _struck_through(x_scale, y_scale), *_rare_rings(x_scale, y_scale)]
    if with_boundary:
        edge = alt.Chart(alt.NamedData(BOUNDARY)).encode(
            x=alt.X("lr_k:Q", scale=x_scale), y=alt.Y("lr_b:Q", scale=y_scale), order="lr_k:Q"
        )
        # Black dashes on a white band: visible on every cell colour, in both themes.
        layers.append(edge.mark_line(color=palette.MARK_FILL, strokeWidth=5, clip=True))
        layers.append(
            alt.Chart(alt.NamedData(BOUNDARY))
            .mark_line(color=palette.MARK_STROKE, strokeWidth=2.5, strokeDash=palette.DASHES[1])
            .encode(
                x=alt.X("lr_k:Q", scale=x_scale),
                y=alt.Y("lr_b:Q", scale=y_scale),
                order="lr_k:Q",
                tooltip=[
                    alt.Tooltip("lr_k:Q", title="η_k", format=".4g"),
                    alt.Tooltip("lr_b:Q", title="η_b on the boundary", format=".4g"),
                ],
            )
        )
    layers.append(
        alt.Chart(alt.NamedData(MARKS))
        .mark_point(
            strokeWidth=2,
            filled=True,
            fill=palette.MARK_FILL,
            stroke=palette.MARK_STROKE,
        )
        .encode(
            x=alt.X("lr_k:Q", scale=x_scale),
            y=alt.Y("lr_b:Q", scale=y_scale),
            # The picked cell is the sidebar's until a student picks another: its square is
            # drawn larger and beneath the other marks, so the cross still shows inside it.
            size=alt.when(alt.datum.mark == PICKED).then(alt.value(700)).otherwise(alt.value(300)),
            order=alt.when(alt.datum.mark == PICKED).then(alt.value(0)).otherwise(alt.value(1)),
            shape=alt.Shape(
                "mark:N",
                title=None,
                # Above the map: beside the colour legend below, its labels were cut off.
                legend=alt.Legend(orient="top", columns={"expr": f"width < {NARROW} ? 1 : 3"}),
                scale=alt.Scale(domain=list(MARK_SHAPES), range=list(MARK_SHAPES.values())),
            ),
            tooltip=[
                alt.Tooltip("mark:N", title=" "),
                alt.Tooltip("lr_k:Q", title="η_k", format=".4g"),
                alt.Tooltip("lr_b:Q", title="η_b", format=".4g"),
            ],
        )
    )
    # 1,600 cells: on a canvas, without a screen-reader description formatted for each.
    return alt.layer(*layers).properties(height=600, usermeta=CANVAS).configure_mark(aria=False)


def _struck_through(x_scale: alt.Scale, y_scale: alt.Scale) -> alt.Chart:
    """A diagonal stroke across each diverged cell. Dark brown (diverged) and orange (moving
    away) differ mostly in lightness to a red-green colour-deficient eye; the strokes tell
    them apart by texture, and the legend says so. Faint white: a texture, not a line."""
    return (
        alt.Chart(alt.NamedData(CELLS))
        .transform_filter(f"datum.outcome == '{DIVERGED}'")
        .mark_rule(color=palette.MARK_FILL, strokeWidth=1, opacity=0.45)
        .encode(
            x=alt.X("k_low:Q", scale=x_scale),
            x2="k_high:Q",
            y=alt.Y("b_low:Q", scale=y_scale),
            y2="b_high:Q",
        )
    )


def _rare_rings(x_scale: alt.Scale, y_scale: alt.Scale) -> list[alt.Chart]:
    """A ring round each cell of a band with at most RARE_CELLS cells: white under black, seen
    on every cell colour in both themes. Hollow, so a click or tap inside a ring still reaches
    the cell (Vega picks an unfilled symbol by its stroke alone)."""
    rare = (
        alt.Chart(alt.NamedData(CELLS))
        .transform_joinaggregate(cells_in_band="count()", groupby=["band"])
        .transform_filter(f"datum.cells_in_band <= {RARE_CELLS}")
        .encode(x=alt.X("lr_k:Q", scale=x_scale), y=alt.Y("lr_b:Q", scale=y_scale))
    )
    return [
        rare.mark_point(shape="circle", filled=False, size=260, stroke=color, strokeWidth=width)
        for color, width in ((palette.MARK_FILL, 4.0), (palette.MARK_STROKE, 1.6))
    ]


def effective_rate_chart() -> alt.LayerChart:
    """Each parameter's effective rate per epoch (log scales), with its plain-GD limit (the
    LIMITS rows: parameter, limit)."""
    # Both layers carry the same colour encoding, legend included: differing legend settings
    # in layers of one chart make Vega-Lite warn in the browser console.
    color = alt.Color(
        "parameter:N",
        scale=palette.scale(["k", "b"], [palette.K, palette.B]),
        legend=alt.Legend(orient="bottom"),
    )
    dash = alt.StrokeDash("parameter:N", scale=palette.dash_scale(["k", "b"]))
    lines = (
        alt.Chart(alt.NamedData(RATES))
        .transform_filter("isFinite(datum.rate) && datum.rate > 0")
        .mark_line()
        .encode(
            x=alt.X(
                "epoch:Q",
                title="epoch (log scale)",
                scale=alt.Scale(type="log"),
                axis=log_axis("x"),
            ),
            y=alt.Y(
                "rate:Q",
                # Each rule's own divisor is in the caption: Adam's v̂ is not AdaGrad's sum.
                title="effective rate (log scale)",
                # A few px past the highest and lowest line: the largest limit (b's, often
                # exactly 1) was drawn on the plot's top border, where its dots vanished.
                scale=alt.Scale(type="log", nice=False, padding=12),
                axis=log_axis("y"),
            ),
            color=color,
            strokeDash=dash,
            tooltip=["parameter:N", "epoch:Q", alt.Tooltip("rate:Q", format=EXACT)],
        )
    )
    limits = (
        alt.Chart(alt.NamedData(LIMITS))
        .mark_rule(strokeDash=palette.DASHES[2], strokeWidth=1.5)
        .encode(
            y="limit:Q",
            color=color,
            tooltip=[
                alt.Tooltip("parameter:N"),
                alt.Tooltip("limit:Q", title="largest stable plain-GD rate", format=".4g"),
            ],
        )
    )
    return alt.layer(lines, limits).properties(height=340)


def limit_rows(limit_k: float, limit_b: float) -> render.Columns:
    """The LIMITS dataset: each parameter's largest stable plain-GD rate on its own."""
    return {
        "parameter": render.text(["k", "b"]),
        "limit": np.array([limit_k, limit_b], dtype=float),
    }
