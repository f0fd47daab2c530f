"""Every Sweeps chart's x axis spans the whole sweep, however many of its points converged.

With one converged point (momentum under a plateau schedule) the epochs chart's axis followed
that point and the "your setting" line alone: it ran over 0.0070–0.0100 of a sweep over
2.5e-05–0.03, with uneven labels and the point half cut at its edge, while the final-loss chart
below spanned the whole range. Vega-Lite's x domain of a layered chart is the union of the x
values of every layer that shares the scale; here it is worked out from the spec and the rows
the page sent, as the browser would.
"""

from __future__ import annotations

import json

import pytest

import gd_core as gd
from tests.ui.helpers import assert_page_ok, datasets, fresh_app

DATA = gd.make_dataset(100, 2.0, 1.0, 1.0)  # the sidebar's defaults
LIMIT = gd.analyze(DATA).max_stable_lr
RATES = (0.001 * LIMIT, 1.2 * LIMIT)  # the single rate's default range, in multiples of 2/λ_max


def x_domain(spec: dict, rows: dict[str, list[dict]]) -> tuple[float, float]:
    """The x scale's domain: the smallest and largest `x` over every layer that encodes it."""
    assert "x" not in spec.get("resolve", {}).get("scale", {}), "x must be one shared scale"
    values: list[float] = []

    def walk(node: dict, data: str | None) -> None:
        data = node.get("data", {}).get("name", data)
        if node.get("encoding", {}).get("x", {}).get("field") == "x" and data in rows:
            values.extend(row["x"] for row in rows[data] if row["x"] is not None)
        for child in node.get("layer", []):
            walk(child, data)

    walk(spec, None)
    return min(values), max(values)


def sweep_charts(**query: str) -> list[tuple[dict, dict[str, list[dict]]]]:
    app = fresh_app(**query).run()
    app.switch_page("pages/sweep.py").run()
    assert_page_ok(app, "pages/sweep.py")
    return [(json.loads(chart.proto.spec), datasets(chart)) for chart in app.get("vega_lite_chart")]


@pytest.mark.parametrize(
    ("query", "converged", "swept"),
    [
        ({"optimizer": "momentum", "schedule": "plateau"}, 1, RATES),  # tester E's sweep
        (
            {"optimizer": "momentum", "schedule": "plateau", "sweep_with": "Gradient descent"},
            0,
            RATES,
        ),
        ({"sweep": "momentum", "epochs": "5000"}, 79, (0.0, 0.99)),  # every point converged
    ],
    ids=["one converged", "none converged", "all converged"],
)
def test_every_sweep_chart_spans_the_swept_range(query, converged, swept):
    drawn = sweep_charts(**query)
    _, epochs_rows = drawn[0]
    assert len(epochs_rows["points"]) == converged  # the epochs chart draws converged points only
    for spec, rows in drawn:
        assert x_domain(spec, rows) == pytest.approx(swept, rel=1e-12, abs=1e-15)
