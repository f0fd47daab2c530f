"""Chart builders as pure functions: their Vega-Lite specs, without a server."""

import json

import numpy as np
import pandas as pd
import pytest

import gd_core as gd
from ui import charts

DATA = gd.make_dataset(100, 2.0, 1.0, 1.0)


def path_frame(run):
    dist_k, dist_b = gd.distance_to_optimum(DATA, run.k, run.b)
    excess = gd.excess_loss(DATA, run.k - DATA.slope_ols, run.b - DATA.intercept_ols)
    epochs = np.arange(len(run.k))
    return pd.DataFrame(
        {
            "epoch": epochs,
            "k": run.k,
            "b": run.b,
            "loss": run.loss,
            "excess": excess,
            "dist_k": dist_k,
            "dist_b": dist_b,
        }
    )


CONVERGING = path_frame(gd.train(DATA, gd.sgd(0.01), 300))
DIVERGING = path_frame(gd.train(DATA, gd.sgd(10.0, schedule=gd.constant()), 300))
POINTS = pd.DataFrame({"x": DATA.x, "y": DATA.y})
LINES = pd.DataFrame([{"line": "least squares", "k": DATA.slope_ols, "b": DATA.intercept_ols}])


def spec_of(chart) -> dict:
    return chart.to_dict()


def all_charts(path):
    k, b, loss = gd.loss_surface(DATA, (0.0, 4.0), (-1.0, 3.0), 20)
    surface = pd.DataFrame({"k": k, "b": b, "loss": loss})
    curves = pd.concat([path.assign(strategy="A"), path.assign(strategy="B")])
    return {
        "fit": charts.fit_chart(POINTS, path, LINES, int(path.epoch.max())),
        "loss": charts.loss_chart(path, DATA.loss_ols, 1.0),
        "excess": charts.excess_chart(path),
        "parameters": charts.parameters_chart(path, DATA.slope_ols, DATA.intercept_ols),
        "distance": charts.distance_chart(path),
        "contour": charts.contour_chart(surface, path, DATA.slope_ols, DATA.intercept_ols),
        "compare loss": charts.compare_loss_chart(curves),
        "compare k": charts.compare_parameter_chart(curves, "k", DATA.slope_ols),
    }


@pytest.mark.parametrize("path", [CONVERGING, DIVERGING], ids=["converging", "diverging"])
def test_every_chart_builds_a_valid_spec_with_plain_numbers(path):
    for name, chart in all_charts(path).items():
        text = json.dumps(spec_of(chart))  # to_dict validates against the Vega-Lite schema
        # A NumPy repr inside an expression makes the chart fail silently in the browser.
        assert "np.float" not in text and "NaN" not in text and "Infinity" not in text, name


def test_finite_drops_rows_a_log_scale_cannot_draw():
    frame = pd.DataFrame({"loss": [1.0, 0.0, np.inf, np.nan, 2.0]})
    assert charts.finite(frame, ["loss"])["loss"].tolist() == [1.0, 2.0]


def test_loss_chart_is_log_scaled_with_both_reference_lines():
    spec = spec_of(charts.loss_chart(CONVERGING, 0.9, 1.0))
    line, rules, _ = spec["layer"]
    assert line["encoding"]["y"]["scale"]["type"] == "log"
    values = spec["datasets"][rules["data"]["name"]]
    assert {row["value"] for row in values} == {0.9, 1.0}


def test_loss_chart_leaves_out_the_noise_line_for_uploaded_data():
    spec = spec_of(charts.loss_chart(CONVERGING, 0.9, None))
    rules = spec["layer"][1]
    assert len(spec["datasets"][rules["data"]["name"]]) == 1


def test_fit_chart_scrubs_epochs_in_the_browser():
    spec = spec_of(charts.fit_chart(POINTS, CONVERGING, LINES, 300))
    (param,) = spec["params"]
    assert param["name"] == "epoch" and param["bind"]["input"] == "range"
    assert (param["bind"]["min"], param["bind"]["max"], param["value"]) == (0, 300, 300)


def test_distance_chart_has_both_parameters_on_a_log_scale():
    spec = spec_of(charts.distance_chart(CONVERGING))
    assert spec["encoding"]["y"]["scale"]["type"] == "log"
    rows = spec["datasets"][spec["data"]["name"]]
    assert {row["parameter"] for row in rows} == {"|k − k*|", "|b − b*|"}


def test_contour_cells_tile_the_window():
    k, b, loss = gd.loss_surface(DATA, (0.0, 4.0), (-1.0, 3.0), 5)
    spec = spec_of(
        charts.contour_chart(pd.DataFrame({"k": k, "b": b, "loss": loss}), CONVERGING, 2, 1)
    )
    calculations = {t["as"]: t["calculate"] for t in spec["layer"][0]["transform"]}
    assert calculations["k_low"] == "datum.k - 0.5" and calculations["b_high"] == "datum.b + 0.5"
