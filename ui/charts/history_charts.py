"""The kept runs drawn over a chart: one thin line per run, coloured and dashed by run, with
a legend that names what each changes from the reference run (ui/plain/history.py).

A layer added to a chart template, reading the HISTORY dataset (run, order, epoch, value), so
the template is built once and the kept runs come as rows like every other trajectory.
"""

from __future__ import annotations

import altair as alt

from ui.charts import palette
from ui.charts.epoch_axis import epoch_x
from ui.plain.history import MAX_KEPT

HISTORY = "history"
# The kept runs' legend, measured in Chromium (Streamlit fits the whole chart, legend
# included, into its height): 18 px an entry, and 52 px for its title and the gap to the plot.
# With less, the plot shrank from 141 px to 111.
LEGEND_ROW, LEGEND_FRAME = 18, 52
# Kept runs take every hue of the palette in turn, each never solid (the run on screen is the
# one solid line) and in a dash that no earlier run shares with the same hue. Hues that mean
# something on these charts (k, b, the optimum) come last.
_HUES = ["purple", "yellow", "neutral", palette.OPTIMUM, palette.K, palette.B]
_DASHES = palette.DASHES[1:]
RUN_COLORS = [palette.color(_HUES[i % len(_HUES)]) for i in range(MAX_KEPT)]
RUN_DASHES = [_DASHES[(i + i // len(_HUES)) % len(_DASHES)] for i in range(MAX_KEPT)]


# A kept run's two lines (|k − k*| and |b − b*|) share its colour and dash: its first line
# is drawn wider and darker than its second, as PAIR_SAID tells the reader.
PAIR_WIDTHS, PAIR_OPACITIES = [2.2, 1.0], [0.95, 0.5]


def pair_said(of: tuple[str, ...]) -> str:
    """How a kept run's lines are told apart, for the caption and the text alternative."""
    if len(of) < 2:
        return ""
    return (
        f"Each kept run draws {of[0]} as its wider, darker line and {of[1]} as its thinner, "
        "fainter one."
    )


def with_kept(
    layers: list[alt.Chart], kept: int, title: str, log: bool = False, of: tuple[str, ...] = ()
) -> alt.LayerChart:
    """`layers` with `kept` kept runs drawn under them (their colours and dashes their own;
    with `of`, one line a run for each, told apart by the rows' `of`: pair_said)."""
    if not kept:
        return alt.layer(*layers)
    return alt.layer(history_layer(title, log, of), *layers).resolve_scale(
        color="independent", strokeDash="independent"
    )


def legend_height(kept: int) -> int:
    """How much taller a chart with `kept` kept runs is: their legend sits inside its height,
    and the plot should keep its own."""
    return LEGEND_FRAME + LEGEND_ROW * kept if kept else 0


def history_layer(title: str, log: bool = False, of: tuple[str, ...] = ()) -> alt.Chart:
    """Every shown kept run's `value` per epoch (`log`: only values a log scale can draw), in
    one line a run, or one for each of `of` (the rows' `of` says which)."""
    lines = max(len(of), 1)
    keep = "isFinite(datum.value)" + (" && datum.value > 0" if log else "")
    order = alt.EncodingSortField("order", op="min")
    # One legend for both channels: Vega-Lite merges them when they say the same.
    # Above the plot, so that it never shares a row with a chart's own legend below it (at
    # 390 px two legends side by side are cut off); long entries end in "…" (the list under the
    # charts says each in full).
    legend = alt.Legend(
        orient="top",
        direction="vertical",
        labelLimit=320,
        symbolStrokeWidth=2,
        symbolSize=palette.DASH_SWATCH,
    )
    tip = [alt.Tooltip("of:N", title="line")] if lines > 1 else []
    pair = {}
    if lines > 1:  # the same run's lines: wider and darker, then thinner and fainter
        pair = {
            "strokeWidth": alt.StrokeWidth(
                "of:N", scale=alt.Scale(domain=list(of), range=PAIR_WIDTHS[:lines]), legend=None
            ),
            "opacity": alt.Opacity(
                "of:N", scale=alt.Scale(domain=list(of), range=PAIR_OPACITIES[:lines]), legend=None
            ),
        }
    return (
        alt.Chart(alt.NamedData(HISTORY))
        .transform_filter(keep)
        .mark_line(strokeWidth=1.5, opacity=0.9)
        .encode(
            **pair,
            x=epoch_x(),
            y=alt.Y("value:Q", title=title),
            color=alt.Color(
                "run:N",
                sort=order,
                title="Kept runs",
                scale=alt.Scale(range=RUN_COLORS),
                legend=legend,
            ),
            strokeDash=alt.StrokeDash(
                "run:N",
                sort=order,
                title="Kept runs",
                scale=alt.Scale(range=RUN_DASHES),
                legend=legend,
            ),
            detail=["run:N", "of:N"] if lines > 1 else "run:N",
            tooltip=[
                alt.Tooltip("run:N", title="kept run"),
                *tip,
                alt.Tooltip("epoch:Q"),
                alt.Tooltip("value:Q", title=title, format=".6g"),
            ],
        )
    )
