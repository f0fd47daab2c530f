"""Legends under a chart that fit a phone: one entry a row below NARROW px of plot width.

A legend in one row ran off a 390 px screen (the Fit chart's "true line" ended at 445 px, out
of sight: Vega draws past the chart's edge, and the page does not scroll to it).
"""

from __future__ import annotations

from typing import Any

import altair as alt

# Below this plot width (px) a legend stacks its entries; a phone's plot is about 330 px wide,
# a laptop's about 900.
NARROW = 480


def bottom_legend(wide: int, **options: Any) -> alt.Legend:
    """A legend under the chart: `wide` entries a row on a wide plot, one a row on a phone."""
    return alt.Legend(
        orient="bottom", columns={"expr": f"width < {NARROW} ? 1 : {wide}"}, **options
    )
