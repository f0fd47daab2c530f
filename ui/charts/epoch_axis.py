"""The epoch axis every chart over the epochs shares: whole numbers only.

Left to itself Vega puts a linear axis's ticks at "nice" steps, which on a run of a dozen
epochs are halves, labelled 0.0, 1.0, 2.0 … (half of them dropped for overlap): an epoch is
a count, so ticks step by at least one and are written without decimals.
"""

from __future__ import annotations

from typing import Any

import altair as alt

WHOLE_NUMBERS = alt.Axis(format=",d", tickMinStep=1)


def epoch_x(title: str = "epoch", **encoding: Any) -> alt.X:
    """The x encoding of the `epoch` field, ticked at whole epochs."""
    return alt.X("epoch:Q", title=title, axis=WHOLE_NUMBERS, **encoding)
