"""Altair chart templates of the parameters: k and b over time, their distance to the
optimum, and Compare's curves of several strategies (the path on the loss map is in
surface_charts.py).

Pure functions over named datasets, like run_charts.py, whose dataset names they use; colours
come from palette.py.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ui.charts import legends, palette
from ui.charts.epoch_axis import epoch_x
from ui.charts.history_charts import legend_height, with_kept
from ui.charts.log_axis import log_y
from ui.charts.run_charts import (
    CURVES,
    DISTANCE,
    EXACT,
    OPTIMUM,
    PATH,
    finite,
)


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
            x=epoch_x(),
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
    # Stacked in NumPy (melt, map and a filter in pandas were ~1 ms of every Parameters rerun);
    # kept: what `drawable` keeps, a finite value above zero (the epochs are whole numbers).
    value = np.concatenate([path[column].to_numpy() for column in DISTANCE_LABELS])
    keep = np.isfinite(value) & (value > 0)
    # The labels taken by index from a str array of the two: pandas made its str column of
    # ~900 repeated NumPy strings one by one.
    which = np.repeat(np.arange(len(DISTANCE_LABELS)), len(path))[keep]
    return pd.DataFrame(
        {
            "epoch": np.tile(path["epoch"].to_numpy(), len(DISTANCE_LABELS))[keep],
            "parameter": pd.array(list(DISTANCE_LABELS.values()), dtype="str").take(which),
            "value": value[keep],
        }
    )


def distance_chart(kept: int = 0) -> alt.LayerChart:
    """|k − k*| and |b − b*| on a log scale: the two speeds side by side, over both distances
    of `kept` kept runs (HISTORY rows, two thin lines a run)."""
    title = "distance to optimum (log scale)"
    line = (
        alt.Chart(alt.NamedData(DISTANCE))
        .mark_line()
        .encode(
            x=epoch_x(),
            y=log_y("value:Q", title),
            color=alt.Color(
                "parameter:N",
                title=None,
                legend=legends.bottom_legend(2),
                scale=palette.scale(DISTANCE_LABELS.values(), [palette.K, palette.B]),
            ),
            strokeDash=alt.StrokeDash(
                "parameter:N", title=None, scale=palette.dash_scale(DISTANCE_LABELS.values())
            ),
            tooltip=["parameter:N", "epoch:Q", alt.Tooltip("value:Q", format=EXACT)],
        )
    )
    chart = with_kept([line], kept, title, log=True, of=tuple(DISTANCE_LABELS.values()))
    return chart.properties(height=320 + legend_height(kept))


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


def _strategy_lines(
    strategies: tuple[str, ...], y: alt.Y, tooltip: list, every: tuple[str, ...] = ()
) -> alt.Chart:
    """One line per strategy: a hue and a dash each (palette.series_scales), a legend that
    shows both, fit to a phone's width, and the picked-out strategy drawn over the rest.

    The scales run over `every` strategy the page can draw (default: `strategies`), so a
    strategy keeps its colour and dash when others are hidden; the legend and the drop-down
    list only the drawn ones."""
    colors, dashes = palette.series_scales(every or strategies)
    swatches = f"{palette.DASH_SWATCH_NARROW} : {palette.DASH_SWATCH}"
    legend = alt.Legend(
        orient="bottom",
        columns={"expr": f"width < {legends.NARROW} ? 2 : 4"},
        columnPadding=8,
        symbolType="stroke",
        symbolSize={"expr": f"width < {legends.NARROW} ? {swatches}"},
        symbolStrokeWidth=2.5,
        labelLimit=0,  # whole names: two columns of them fit a phone's width
        values=list(strategies),
    )
    by_legend, choice, picked = _highlight(strategies)
    return (
        alt.Chart(alt.NamedData(CURVES))
        .mark_line(strokeWidth=2)
        .encode(
            x=epoch_x(),
            y=y,
            color=alt.Color("strategy:N", title=None, scale=colors, legend=legend),
            strokeDash=alt.StrokeDash("strategy:N", title=None, scale=dashes, legend=legend),
            opacity=alt.when(picked).then(alt.value(1.0)).otherwise(alt.value(0.12)),
            tooltip=tooltip,
        )
        .add_params(by_legend, choice)
    )


def compare_loss_chart(strategies: tuple[str, ...], every: tuple[str, ...] = ()) -> alt.Chart:
    """L − L* per epoch for each of `strategies` (rows from `drawable`, log="excess"), in the
    colours `every` strategy has (_strategy_lines)."""
    y = log_y("excess:Q", "L − L*, log scale")
    tooltip = ["strategy:N", "epoch:Q", alt.Tooltip("excess:Q", format=EXACT)]
    lines = _strategy_lines(strategies, y, tooltip, every)
    return lines.properties(height=380).configure_mark(aria=False)


def compare_parameter_chart(
    column: str, strategies: tuple[str, ...], every: tuple[str, ...] = ()
) -> alt.LayerChart:
    """One parameter per epoch for each of `strategies` (rows from `drawable`), with its
    optimum, in the colours `every` strategy has (_strategy_lines)."""
    y = alt.Y(f"{column}:Q", title=column, scale=alt.Scale(zero=False))
    tooltip = ["strategy:N", "epoch:Q", alt.Tooltip(f"{column}:Q", format=EXACT)]
    return (
        alt.layer(_strategy_lines(strategies, y, tooltip, every), _optimum_rule(column))
        .properties(title=f"{column} per strategy; the level line is {column}*", height=420)
        .configure_mark(aria=False)
    )
