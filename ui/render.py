"""Drawing charts whose specs are built once per configuration.

Building and validating a layered Altair chart costs 10–30 ms, more than Streamlit takes to
send it; on a rerun with a configuration seen before (a page switch, a scrub, a download) the
spec is taken from the cache instead, and only Streamlit's own rendering is paid.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import altair as alt
import streamlit as st


@st.cache_data(max_entries=256, show_spinner=False)
def _spec(key: Hashable, _build: Callable[[], alt.TopLevelMixin]) -> dict[str, Any]:
    # Rows are already thinned to a few thousand per series; Altair's 5 000-row guard would
    # only refuse the Compare page's several series at once.
    # Schema validation doubles the cost of a layered chart; tests/ui/test_charts.py validates
    # every builder's output instead.
    with alt.data_transformers.disable_max_rows():
        return _build().to_dict(validate=False)


def render_chart(key: Hashable, build: Callable[[], alt.TopLevelMixin]) -> None:
    """Draw the chart `build()` makes; `key` must name everything the chart depends on."""
    st.vega_lite_chart(_spec(key, build), width="stretch")
