"""Drawing a chart template with its rows: the structure is built once, the rows each run.

Building and validating a layered Altair chart costs 10–30 ms, more than Streamlit takes to
send it. A chart's structure depends on a few scalars only (an epoch count, an axis title), the
builder's own arguments, so it is cached under the builder's qualified name and those
arguments: no key is written by hand, so no scalar can be left out of one. Nothing that follows
the data (an axis extent, an optimum, a limit) is an argument: it arrives as rows, so a class of
students, each with their own data, shares every template (tests/ui/test_charts.py checks each
page). The rows are attached as named datasets, which Streamlit sends as Arrow.
"""

from __future__ import annotations

import html
import inspect
from collections.abc import Callable, Hashable
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from ui.charts import palette
from ui.plain.alt_text import SEPARATOR

# A builder returns an Altair chart, or a finished spec where it adds what Altair cannot
# express (the player's event handlers, ui/charts/player.py).
Builder = Callable[..., alt.TopLevelMixin | dict[str, Any]]


@st.cache_data(max_entries=256, show_spinner=False)
def _template(name: str, args: tuple[Hashable, ...], _build: Builder) -> dict[str, Any]:
    # Validation doubles the cost of a layered chart; tests/ui/test_charts.py validates every
    # builder's output instead.
    chart = _build(*args)
    return chart if isinstance(chart, dict) else chart.to_dict(validate=False)


def template_key(build: Builder, args: tuple[Any, ...]) -> tuple[str, tuple[Hashable, ...]]:
    """The cache key of `build(*args)`: its qualified name and its arguments.

    Only a module-level function has a name that says what it builds; a lambda, a nested
    function or a partial could capture a value the key does not hold. Arguments must be
    hashable (numbers, strings, tuples): a DataFrame belongs in the datasets.
    """
    if not inspect.isfunction(build) or "<" in build.__qualname__:
        raise TypeError(f"A chart builder must be a module-level function; got {build!r}.")
    try:
        hash(args)
    except TypeError as error:
        raise TypeError(f"{build.__qualname__}'s arguments must be hashable: {error}") from None
    return f"{build.__module__}.{build.__qualname__}", args


def render_chart(
    build: Builder,
    *args: Hashable,
    datasets: dict[str, pd.DataFrame],
    alt: str,
    **selection: Any,
) -> Any:
    """Draw `build(*args)`'s chart with `datasets` (the rows, by name).

    `alt` is what a screen reader says for the chart, in place of "Vega visualization": what
    it shows, with this run's numbers (ui/plain/alt_text.py). It is required, so that no chart
    is drawn without one. Its first line names the chart (the chart's own label) and the rest,
    this run's numbers, is a text for screen readers right after the chart: Streamlit's
    frontend keys a chart's view on its spec and label together, so a label that quoted the
    run would rebuild the chart from scratch on every rerun instead of swapping its rows.
    `selection` (a widget `key` and `on_select`) makes the chart report its selections.
    """
    name, key = template_key(build, args)
    spec = _template(name, key, build)  # a fresh copy: st.cache_data returns copies
    spec["datasets"] = spec.get("datasets", {}) | datasets
    spec["params"] = [*spec.get("params", []), *palette.shade_params()]
    config = spec.setdefault("config", {})
    for part, colours in palette.text_config().items():  # the template's own settings win
        config[part] = colours | config.get(part, {})
    name, _, numbers = alt.partition(SEPARATOR)
    chosen = st.vega_lite_chart(spec, width="stretch", alt=name, **selection)
    if numbers:  # out of sight, out of the layout (assets/chart_controls.css: .chart-numbers)
        st.html(f'<p class="chart-numbers">{html.escape(numbers)}</p>')
    return chosen
