"""Chart templates as pure functions: their Vega-Lite specs, without a server."""

import functools
import json

import numpy as np
import pandas as pd
import pytest

import gd_core as gd
from ui.charts import parameter_charts, player, render, sweep_charts
from ui.charts import run_charts as charts
from ui.plain.player_frames import frames_for

DATA = gd.make_dataset(100, 2.0, 1.0, 1.0)
OPTIMUM = (DATA.slope_ols, DATA.intercept_ols)
LINES = (("least squares", OPTIMUM[0], OPTIMUM[1]),)
STRATEGIES = ("Plain GD", "Adam")
AXIS = ("Single rate η", True, (1e-5, 0.03))
SHOWN = ("Gradient descent", "Momentum", "Adam")


def templates() -> dict:
    return {
        "fit": charts.fit_layers((np.float64(0.0), np.float64(10.0)), (-1.0, 21.0), LINES, panel=9),
        "loss": charts.loss_chart(),
        "excess": charts.excess_chart(),
        "k": parameter_charts.parameter_chart("k"),
        "b": parameter_charts.parameter_chart("b"),
        "distance": parameter_charts.distance_chart(),
        "contour": parameter_charts.contour_layers(panel=9),
        "modes": charts.mode_chart(),
        "compare loss": parameter_charts.compare_loss_chart(STRATEGIES),
        "compare k": parameter_charts.compare_parameter_chart("k", STRATEGIES),
        "sweep epochs": sweep_charts.sweep_epochs_chart(AXIS, SHOWN),
        "sweep loss": sweep_charts.sweep_loss_chart(AXIS, SHOWN),
        "sweep radius": sweep_charts.sweep_radius_chart(("μ", False, (0.0, 0.99)), SHOWN[:2]),
        "finder": sweep_charts.finder_chart(),
    }


def named_sources(spec) -> set[str]:
    """Names of the datasets a spec reads but does not carry."""
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            data = node.get("data")
            if (
                isinstance(data, dict)
                and "name" in data
                and data["name"] not in spec.get("datasets", {})
            ):
                found.add(data["name"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    return found


def test_every_template_is_valid_vega_lite_with_plain_numbers():
    expected = {
        "fit": {"points", "path", "receipts"},
        "loss": {"path", "references"},
        "k": {"path", "optimum"},
        "b": {"path", "optimum"},
        "contour": {"surface", "path", "optimum", "arrows", "receipts"},
        "modes": {"modes"},
        "distance": {"distance"},
        "compare loss": {"curves"},
        "compare k": {"curves", "optimum"},
        "sweep epochs": {"points", "theory", "mark", "budget"},
        "sweep loss": {"points", "floor", "mark"},
        "sweep radius": {"points", "mark"},
        "finder": {"curve", "suggestions", "exact_rates"},
    }
    for name, chart in templates().items():
        spec = chart.to_dict()  # validates against the Vega-Lite schema
        text = json.dumps(spec)
        # A NumPy repr inside an expression makes the chart fail silently in the browser.
        assert "np.float" not in text and "NaN" not in text and "Infinity" not in text, name
        assert named_sources(spec) == expected.get(name, {"path"}), name


def test_log_scaled_charts_filter_out_what_a_log_scale_cannot_draw():
    for name in ("loss", "excess"):
        text = json.dumps(templates()[name].to_dict())
        assert "isFinite" in text and "> 0" in text, name


def test_drawable_keeps_a_charts_columns_and_the_rows_its_scale_can_draw():
    curves = pd.DataFrame(
        {
            "strategy": ["a", "a", "a", "b"],
            "epoch": [0, 1, 2, 0],
            "k": [1.0, np.inf, 2.0, np.nan],
            "excess": [1.0, 0.0, 1e-300, -1.0],
        }
    )
    excess = charts.drawable(curves, ["strategy", "epoch", "excess"], log="excess")
    assert list(excess.columns) == ["strategy", "epoch", "excess"]
    assert excess["excess"].tolist() == [1.0, 1e-300]
    k = charts.drawable(curves, ["strategy", "epoch", "k"])
    assert k["k"].tolist() == [1.0, 2.0]


def test_loss_chart_is_log_scaled_with_both_reference_lines():
    spec = charts.loss_chart().to_dict()
    line, rules, _ = spec["layer"]
    assert line["encoding"]["y"]["scale"]["type"] == "log"
    assert rules["data"]["name"] == charts.REFERENCES
    references = charts.loss_references(np.float64(0.9), 1.0)
    assert references.to_dict("records") == [
        {"reference": "least-squares floor L*", "value": 0.9},
        {"reference": "noise variance σ²", "value": 1.0},
    ]


def test_loss_chart_leaves_out_the_noise_line_for_uploaded_data():
    assert len(charts.loss_references(0.9, None)) == 1


def test_fit_chart_scrubs_epochs_in_the_browser_and_keeps_the_axes_on_the_data():
    spec = charts.fit_chart((0.0, 10.0), (0.0, 20.0), LINES, frames_for(300))
    param = spec["params"][0]
    assert param["name"] == "epoch" and param["bind"]["input"] == "range"
    assert (param["bind"]["min"], param["bind"]["max"], param["value"]) == (0, 300, 300)
    names = {p["name"] for p in spec["params"]}
    assert set(player.button_names("fit").values()) <= names
    assert spec["layer"][0]["encoding"]["y"]["scale"]["domain"] == [-2.0, 22.0]
    model = spec["layer"][2]
    assert model["mark"]["clip"] is True
    segment = {t["as"]: t["calculate"] for t in model["transform"] if "calculate" in t}
    assert segment["y2"] == "datum.k * 10.0 + datum.b"


def test_distance_rows_are_both_parameters_in_long_form_ready_for_a_log_scale():
    path = pd.DataFrame(
        {"epoch": [0, 1, 2], "dist_k": [2.0, 0.0, 1e-3], "dist_b": [1.0, 0.5, np.inf]}
    )
    rows = parameter_charts.distance_rows(path)
    assert rows.to_dict("records") == [
        {"epoch": 0, "parameter": "|k − k*|", "value": 2.0},
        {"epoch": 2, "parameter": "|k − k*|", "value": 1e-3},
        {"epoch": 0, "parameter": "|b − b*|", "value": 1.0},
        {"epoch": 1, "parameter": "|b − b*|", "value": 0.5},
    ]
    spec = parameter_charts.distance_chart().to_dict()
    assert spec["encoding"]["y"]["scale"]["type"] == "log"
    assert spec["encoding"]["color"]["scale"]["domain"] == ["|k − k*|", "|b − b*|"]


def test_contour_cells_span_the_surface_rows_bounds_on_a_canvas():
    spec = parameter_charts.contour_layers().to_dict()
    heat = spec["layer"][0]["encoding"]
    assert (heat["x"]["field"], heat["x2"]["field"]) == ("k_low", "k_high")
    assert (heat["y"]["field"], heat["y2"]["field"]) == ("b_low", "b_high")
    assert spec["usermeta"]["embedOptions"]["renderer"] == "canvas"


def test_a_chart_template_is_keyed_on_its_builder_and_every_argument():
    fit = charts.fit_chart
    one = render.template_key(fit, ((0.0, 10.0), (0.0, 20.0), LINES, frames_for(300)))
    other = render.template_key(fit, ((0.0, 10.0), (0.0, 20.0), LINES, frames_for(301)))
    assert one != other  # a scalar the builder reads changes the key
    assert one[0] == "ui.charts.run_charts.fit_chart"
    template = render._template.__wrapped__  # the uncached body: what each key would build
    specs = [template(*key, fit) for key in (one, other)]
    epochs = [spec["params"][0]["value"] for spec in specs]
    assert epochs == [300, 301]


def test_a_chart_builder_must_be_a_named_function_with_hashable_arguments():
    for build in (lambda: charts.loss_chart(), functools.partial(charts.fit_chart, (0.0, 1.0))):
        with pytest.raises(TypeError, match="module-level function"):
            render.template_key(build, ())

    def nested() -> None: ...

    with pytest.raises(TypeError, match="module-level function"):
        render.template_key(nested, ())
    with pytest.raises(TypeError, match="hashable"):
        render.template_key(charts.fit_chart, ((0.0, 1.0), (0.0, 1.0), pd.DataFrame(), 3))
