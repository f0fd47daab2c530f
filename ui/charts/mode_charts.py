"""Plain GD's excess loss split into its two modes: two straight lines on a log scale.

A template over the MODES rows (ui/compute/modes.py): epoch, excess, the mode's `label`, the
parameter it `mostly` moves ("k", "b", or "sum" for the run's own L − L*), its `line` ("mode 1",
"mode 2", "sum") and `end`, true on the last row drawn of each. The labels are written at the
line ends, so they can name each mode's factor without the template knowing it.
"""

from __future__ import annotations

import altair as alt

from ui.charts import palette
from ui.charts.epoch_axis import epoch_x
from ui.charts.log_axis import log_y
from ui.charts.run_charts import EXACT

MODES = "modes"
LINES = ["mode 1", "mode 2", "sum"]


def mode_chart() -> alt.LayerChart:
    """Each mode a line in the hue of the parameter it mostly moves (a dash per mode, so two
    modes of one parameter stay apart), the sum thin and dotted, each mode named at its end."""
    base = alt.Chart(alt.NamedData(MODES)).encode(
        x=epoch_x(),
        y=log_y("excess:Q", "part of L − L* (log scale)"),
    )
    hue = palette.scale(["k", "b", "sum"], [palette.K, palette.B, "neutral"])
    # The sum first, under the modes: after the fast one has gone it lies on the slow one.
    total = (
        base.transform_filter("datum.line == 'sum'")
        .mark_line(strokeWidth=1.5, strokeDash=[2, 3], color=palette.color("neutral"))
        .encode(tooltip=["label:N", "epoch:Q", alt.Tooltip("excess:Q", format=EXACT)])
    )
    lines = (
        base.transform_filter("datum.line != 'sum'")
        .mark_line(strokeWidth=3)
        .encode(
            color=alt.Color("mostly:N", scale=hue, legend=None),
            strokeDash=alt.StrokeDash(
                "line:N", scale=alt.Scale(domain=LINES[:2], range=[[1, 0], [7, 4]]), legend=None
            ),
            tooltip=["label:N", "epoch:Q", alt.Tooltip("excess:Q", format=EXACT)],
        )
    )
    ends = base.transform_filter("datum.end && datum.line != 'sum'").encode(
        text="label:N", color=alt.Color("mostly:N", scale=hue, legend=None)
    )
    # The mode still drawn at the last epoch is named just above its end, right-aligned; a mode
    # that fell out of view early is named to the right of where it left, mode 1 a little above
    # and mode 2 a little below: two modes at one pace leave the view side by side, and their
    # names would print over each other.
    last = "datum.epoch == datum.last_epoch"
    at_right = ends.transform_filter(last).mark_text(align="right", dy=-12, fontSize=12)
    early = [
        ends.transform_filter(f"!({last}) && datum.line == '{line}'").mark_text(
            align="left", dx=8, dy=shift, fontSize=12
        )
        for line, shift in zip(LINES[:2], (-8, 8), strict=True)
    ]
    return alt.layer(total, lines, at_right, *early).properties(height=320)
