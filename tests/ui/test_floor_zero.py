"""A floor L* of 0 (points on one line) is said and drawn as 0: no rule at 0 (or at 1e-31) on a
log axis, where it blanked the Loss chart or stretched it thirty decades below the curve."""

import json

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.ui.helpers import dataset, fresh_app
from ui.charts import run_charts as charts
from ui.charts import sweep_charts


def loss_spec(app) -> dict:
    for chart in app.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        if "loss (MSE, log scale)" in chart.proto.spec:
            return spec
    raise AssertionError("no loss chart")


def legend_domain(spec: dict) -> list[str]:
    return [
        domain
        for layer in spec["layer"]
        for domain in layer.get("encoding", {}).get("color", {}).get("scale", {}).get("domain", [])
    ]


def test_only_references_above_zero_reach_the_log_axis():
    floor, sigma = charts.LOSS_REFERENCES
    assert charts.loss_references(0.0, None).empty
    assert charts.loss_references(0.0, 0.0).empty
    assert charts.loss_references(0.0, 1.0).to_dict("records") == [
        {"reference": sigma, "value": 1.0}
    ]
    assert charts.loss_references(0.25, None)["reference"].tolist() == [floor]


@settings(max_examples=50, deadline=None)
@given(
    floor=st.floats(allow_nan=True, allow_infinity=True),
    sigma2=st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)),
)
def test_references_are_the_rows_the_query_above_zero_kept(floor, sigma2):
    """The same frame, index included (it is sent), as the `.query("value > 0")` it replaced."""
    rows = [
        {"reference": name, "value": v}
        for name, v in zip(charts.LOSS_REFERENCES, [floor, sigma2 or 0.0], strict=True)
    ]
    expected = pd.DataFrame(rows).query("value > 0")
    pd.testing.assert_frame_equal(charts.loss_references(floor, sigma2), expected)
    assert type(charts.loss_references(floor, sigma2).index) is type(expected.index)


def test_a_noiseless_run_draws_its_loss_with_no_floor_line_and_says_l_star_is_0():
    app = fresh_app(noise="0").run()
    app.switch_page("pages/loss.py").run()
    assert not app.exception
    assert dataset(app, charts.REFERENCES) == []  # nor 7.9e-32, the floor's rounding
    spec = loss_spec(app)
    assert charts.LOSS_REFERENCES[0] not in legend_domain(spec)
    path = dataset(app, charts.PATH)
    assert min(row["loss"] for row in path) > 0  # the curve itself has values to draw
    captions = " ".join(c.value for c in app.caption)
    assert "Here L* = 0: one line passes through every point" in captions
    numbers = " ".join(str(element.proto) for element in app.get("html"))
    assert "the least-squares floor L* = 0." in numbers  # the chart's description, for a reader


def test_a_noisy_run_keeps_both_lines_with_their_colours():
    app = fresh_app(noise="1").run()
    app.switch_page("pages/loss.py").run()
    rows = dataset(app, charts.REFERENCES)
    assert [row["reference"] for row in rows] == charts.LOSS_REFERENCES
    assert all(row["value"] > 0 for row in rows)
    assert legend_domain(loss_spec(app)) == charts.LOSS_REFERENCES
    assert "Here L* = 0" not in " ".join(c.value for c in app.caption)


def test_colours_and_dashes_stay_with_a_reference_whichever_are_drawn():
    both = charts.loss_chart(0, tuple(charts.LOSS_REFERENCES)).to_dict()
    sigma_only = charts.loss_chart(0, tuple(charts.LOSS_REFERENCES[1:])).to_dict()
    none = charts.loss_chart(0, ()).to_dict()

    def channel(spec, name):
        scale = spec["layer"][1]["encoding"][name]["scale"]
        return dict(zip(scale["domain"], scale["range"], strict=True))

    sigma = charts.LOSS_REFERENCES[1]
    for name in ("color", "strokeDash"):
        assert channel(sigma_only, name)[sigma] == channel(both, name)[sigma]
    assert all("rule" not in json.dumps(layer.get("mark")) for layer in none["layer"])


def test_the_sweep_floor_rule_draws_only_a_floor_above_zero():
    spec = sweep_charts.sweep_loss_chart(("Single rate η", True), ("Gradient descent",)).to_dict()
    floor = next(layer for layer in spec["layer"] if layer.get("data", {}).get("name") == "floor")
    assert "datum.floor > 0" in json.dumps(floor.get("transform"))
