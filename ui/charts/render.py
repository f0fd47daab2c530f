"""Drawing a chart template with its rows: the structure is built once, the rows each run.

Building and validating a layered Altair chart costs 10–30 ms, more than Streamlit takes to
send it. The structure of a chart depends on a few scalars only (an optimum, a floor, an
epoch count), so it is cached under `key`; the rows (a new trajectory for each new learning
rate) are attached as named datasets, which Streamlit sends as Arrow.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st


@st.cache_data(max_entries=256, show_spinner=False)
def _template(key: Hashable, _build: Callable[[], alt.TopLevelMixin]) -> dict[str, Any]:
    # Validation doubles the cost of a layered chart; tests/ui/test_charts.py validates every
    # builder's output instead.
    return _build().to_dict(validate=False)


def render_chart(
    structure: Hashable,
    build: Callable[[], alt.TopLevelMixin],
    datasets: dict[str, pd.DataFrame],
    **selection: Any,
) -> Any:
    """Draw `build()`'s chart with `datasets`; `structure` names every scalar the build uses.

    `selection` (a widget `key` and `on_select`) makes the chart report its selections.
    """
    spec = _template(structure, build)  # a fresh copy: st.cache_data returns copies
    spec["datasets"] = spec.get("datasets", {}) | datasets
    return st.vega_lite_chart(spec, width="stretch", **selection)
