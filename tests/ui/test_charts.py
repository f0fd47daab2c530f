"""Chart templates as pure functions: their Vega-Lite specs, without a server."""

import functools
import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit import dataframe_util

import gd_core as gd
from tests.ui.helpers import fresh_app
from ui import registry
from ui.charts import (
    lab_charts,
    mode_charts,
    parameter_charts,
    player,
    render,
    surface_charts,
    sweep_charts,
)
from ui.charts import run_charts as charts
from ui.config import DataSpec
from ui.plain.player_frames import frames_for

DATA = gd.make_dataset(100, 2.0, 1.0, 1.0)
OPTIMUM = (DATA.slope_ols, DATA.intercept_ols)
STRATEGIES = ("Plain GD", "Adam")
AXIS = ("Single rate η", True)
SHOWN = ("Gradient descent", "Momentum", "Adam")


def templates() -> dict:
    return {
        "fit": charts.fit_layers(panel=9),
        "loss": charts.loss_chart(),
        "excess": charts.excess_chart(),
        "k": parameter_charts.parameter_chart("k"),
        "b": parameter_charts.parameter_chart("b"),
        "distance": parameter_charts.distance_chart(),
        "contour": surface_charts.contour_layers(panel=9),
        "modes": mode_charts.mode_chart(),
        "compare loss": parameter_charts.compare_loss_chart(STRATEGIES),
        "compare k": parameter_charts.compare_parameter_chart("k", STRATEGIES),
        "loss with kept runs": charts.loss_chart(kept=3),
        "excess with kept runs": charts.excess_chart(kept=1),
        "b with kept runs": parameter_charts.parameter_chart("b", 8),
        "scheduled rates": charts.rate_chart(separate=True),
        "sweep epochs": sweep_charts.sweep_epochs_chart(AXIS, SHOWN),
        "sweep loss": sweep_charts.sweep_loss_chart(AXIS, SHOWN),
        "sweep radius": sweep_charts.sweep_radius_chart(("μ", False), SHOWN[:2]),
        "sweep radius, capped": sweep_charts.sweep_radius_chart(("x", False), SHOWN, True),
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
        "fit": {"points", "model", "lines", "frame", "receipts", "receipt_heads"},
        "loss": {"path", "references"},
        "k": {"path", "optimum"},
        "b": {"path", "optimum"},
        "contour": {
            "surface",
            "path",
            "optimum",
            "arrows",
            "receipts",
            "receipt_heads",
            "start_mark",
        },
        "modes": {"modes"},
        "distance": {"distance"},
        "compare loss": {"curves"},
        "compare k": {"curves", "optimum"},
        "loss with kept runs": {"path", "references", "history"},
        "excess with kept runs": {"path", "history"},
        "b with kept runs": {"path", "optimum", "history"},
        "scheduled rates": {"rates"},
        "sweep epochs": {"points", "theory", "mark", "optimum", "budget", "extent"},
        "sweep loss": {"points", "floor", "mark", "extent"},
        "sweep radius": {"points", "mark", "optimum", "extent"},
        "sweep radius, capped": {"points", "mark", "optimum", "extent"},
        "finder": {"curve", "suggestions", "exact_rates", "lowest"},
    }
    for name, chart in templates().items():
        spec = chart.to_dict()  # validates against the Vega-Lite schema
        text = json.dumps(spec)
        # A NumPy repr inside an expression makes the chart fail silently in the browser.
        assert "np.float" not in text and "NaN" not in text and "Infinity" not in text, name
        assert named_sources(spec) == expected.get(name, {"path"}), name


def x_encodings(node, field: str) -> list[dict]:
    """Every x encoding of `field` anywhere in a spec (layers included)."""
    if isinstance(node, list):
        return [found for value in node for found in x_encodings(value, field)]
    if not isinstance(node, dict):
        return []
    own = [node["x"]] if isinstance(node.get("x"), dict) and node["x"].get("field") == field else []
    return own + [found for value in node.values() for found in x_encodings(value, field)]


def test_every_linear_epoch_axis_ticks_whole_epochs_only():
    """A run of a dozen epochs was labelled 0.0, 1.0, 2.0 …: halves as ticks, decimals."""
    checked = 0
    for name, chart in templates().items():
        for x in x_encodings(chart.to_dict(), "epoch"):
            if x.get("scale", {}).get("type", "linear") == "linear":
                assert x["axis"]["tickMinStep"] == 1 and x["axis"]["format"] == ",d", name
                checked += 1
    assert checked >= 10


def test_log_scaled_charts_filter_out_what_a_log_scale_cannot_draw():
    for name in (
        "loss",
        "excess",
        "loss with kept runs",
        "excess with kept runs",
        "scheduled rates",
    ):
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
    assert list(excess) == ["strategy", "epoch", "excess"]
    assert excess["excess"].tolist() == [1.0, 1e-300]
    assert excess["strategy"].tolist() == ["a", "a"]
    k = charts.drawable(curves, ["strategy", "epoch", "k"])
    assert k["k"].tolist() == [1.0, 2.0]


def _drawable_in_pandas(frame, columns, log):
    """drawable's rule written out in pandas: the reference its NumPy path must equal."""
    shown = frame[columns]
    keep = np.isfinite(shown.select_dtypes("number").to_numpy(dtype=float)).all(axis=1)
    if log is not None:
        keep &= frame[log].to_numpy() > 0
    return shown[keep].reset_index(drop=True)


@settings(max_examples=40, deadline=None)
@given(
    size=st.integers(0, 40),
    picks=st.lists(st.sampled_from(["x", "n", "ok", "name", "kind", "y"]), min_size=1, unique=True),
    log=st.sampled_from([None, "x", "y", "n"]),
    seed=st.integers(0, 2**16),
    ranged=st.booleans(),
)
def test_drawable_gives_the_frame_pandas_would_and_the_bytes_it_would_send(
    size, picks, log, seed, ranged
):
    rng = np.random.default_rng(seed)
    odd = np.array([np.nan, np.inf, -np.inf, 0.0, -1.0, 1e-300, 2.0])
    frame = pd.DataFrame(
        {
            "x": rng.choice(odd, size),
            "y": rng.normal(size=size),
            "n": rng.integers(-3, 3, size),
            "ok": rng.random(size) < 0.5,
            "name": pd.array(rng.choice(["GD", "Adam", "", None], size), dtype="str"),
            "kind": pd.Categorical(rng.choice(["a", "b"], size), categories=["a", "b", "c"]),
        },
        index=None if ranged else rng.permutation(size) * 3,  # a run's rows, or rows picked
    )
    drawn = charts.drawable(frame, picks, log)  # Columns, or a frame for other dtypes
    expected = _drawable_in_pandas(frame, picks, log)
    pd.testing.assert_frame_equal(
        pd.DataFrame(drawn), expected, check_exact=True, check_column_type=True
    )
    sent = dataframe_util.convert_anything_to_arrow_bytes(expected)
    assert render.arrow_bytes(drawn) == sent
    assert render.arrow_rows(drawn) == sent


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


def test_fit_chart_plays_epochs_in_the_browser_and_keeps_the_axes_on_the_box():
    spec = charts.fit_chart(frames_for(300))
    (param,) = [p for p in spec["params"] if p["name"] == "epoch"]
    assert param["bind"]["input"] == "range"
    assert (param["bind"]["min"], param["bind"]["max"], param["value"]) == (0, 300, 300)
    names = {p["name"] for p in spec["params"]}
    assert set(player.button_names("fit").values()) <= names
    box, scatter, references, model = spec["layer"][:4]
    assert box["data"]["name"] == "frame" and box["mark"]["opacity"] == 0
    assert scatter["encoding"]["y"]["scale"] == {"zero": False, "nice": False}
    assert (references["data"]["name"], model["data"]["name"]) == ("lines", "model")
    for layer in (references, model):
        ends = {channel: layer["encoding"][channel]["field"] for channel in ("x", "x2", "y", "y2")}
        assert ends == {"x": "x1", "x2": "x2", "y": "y1", "y2": "y2"}


def test_fit_datasets_cut_every_line_at_the_points_box():
    data = gd.make_dataset(30, 2.0, 1.0, 1.0, (0.0, 10.0), 4)
    points = pd.DataFrame({"x": data.x, "y": data.y})
    path = pd.DataFrame(
        {"epoch": [0, 1, 2, 3], "k": [0.0, 8.0, -3.0, np.inf], "b": [0.0, -10.0, 1e3, 0.0]}
    ).assign(loss=1.0)
    spec = DataSpec(30, 2.0, 1.0, 1.0, 0.0, 10.0, 4)
    rows = charts.fit_datasets(points, path, charts.reference_lines(data, spec))
    (box,) = rows["frame"].to_dict("records")
    pad = 0.1 * (data.y.max() - data.y.min())
    assert box == pytest.approx(
        {
            "x_low": data.x.min(),
            "x_high": data.x.max(),
            "y_low": data.y.min() - pad,
            "y_high": data.y.max() + pad,
        }
    )
    assert list(rows["lines"]["line"]) == ["least squares", "true line"]
    model = rows["model"]
    assert np.isnan(model.loc[2:, "x1"]).all()  # b = 1000 misses the box; k = ∞ is no line
    # The steep line (k = 8) is cut where it leaves the box, on the line itself.
    x1, x2, y1, y2 = model.loc[1, ["x1", "x2", "y1", "y2"]]
    assert (y1, y2) == pytest.approx((box["y_low"], box["y_high"]))
    assert (y1, y2) == pytest.approx((8 * x1 - 10, 8 * x2 - 10))


@pytest.mark.parametrize("seed", range(40))
def test_clipped_segments_match_a_dense_sampling_of_each_line(seed):
    """Reference: sample the line on a fine grid of x and keep the points inside the box."""
    rng = np.random.default_rng(seed)
    box = (-1.0, 3.0, -2.0, 5.0)
    k, b = rng.normal(0, 5, 8), rng.normal(0, 5, 8)
    x1, x2, y1, y2 = charts.clipped_segments(k, b, box)
    grid = np.linspace(box[0], box[1], 200_001)
    for i in range(8):
        y = k[i] * grid + b[i]
        inside = grid[(y >= box[2]) & (y <= box[3])]
        if inside.size < 2:
            continue  # a line that touches the box in at most a point may go either way
        assert (x1[i], x2[i]) == pytest.approx((inside[0], inside[-1]), abs=4e-5)
        assert (y1[i], y2[i]) == pytest.approx((k[i] * x1[i] + b[i], k[i] * x2[i] + b[i]))
    flat = charts.clipped_segments(np.array([0.0, 0.0]), np.array([1.0, 9.0]), box)
    assert [v[0] for v in flat] == [-1.0, 3.0, 1.0, 1.0] and np.isnan(flat[0][1])


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
    (spec,) = parameter_charts.distance_chart().to_dict()["layer"]
    assert spec["encoding"]["y"]["scale"]["type"] == "log"
    assert spec["encoding"]["color"]["scale"]["domain"] == ["|k − k*|", "|b − b*|"]


def test_contour_cells_span_the_surface_rows_bounds_on_a_canvas():
    spec = surface_charts.contour_layers().to_dict()
    heat = spec["layer"][0]["encoding"]
    assert (heat["x"]["field"], heat["x2"]["field"]) == ("k_low", "k_high")
    assert (heat["y"]["field"], heat["y2"]["field"]) == ("b_low", "b_high")
    assert spec["usermeta"]["embedOptions"]["renderer"] == "canvas"


def test_a_tap_on_the_surface_picks_a_start_as_a_tap_on_the_stability_map_picks_a_cell():
    """A phone's tap sends touchend and may send no click: the surface listens as the map does."""
    (start,) = surface_charts.contour_layers().to_dict()["params"]
    assert start["name"] == surface_charts.START_SELECTION
    assert start["select"]["on"] == lab_charts.PICK_EVENTS
    assert "touchend" in lab_charts.PICK_EVENTS


def test_a_chart_template_is_keyed_on_its_builder_and_every_argument():
    fit = charts.fit_chart
    one = render.template_key(fit, (frames_for(300), ("x", "y")))
    other = render.template_key(fit, (frames_for(301), ("x", "y")))
    assert one != other  # a scalar the builder reads changes the key
    assert one[0] == "ui.charts.run_charts.fit_chart"
    template = render._template.__wrapped__  # the uncached body: what each key would build
    specs = [template(*key, fit) for key in (one, other)]
    epochs = [p["value"] for spec in specs for p in spec["params"] if p["name"] == "epoch"]
    assert epochs == [300, 301]


def test_a_chart_builder_must_be_a_named_function_with_hashable_arguments():
    for build in (lambda: charts.loss_chart(), functools.partial(charts.fit_chart, 10)):
        with pytest.raises(TypeError, match="module-level function"):
            render.template_key(build, ())

    def nested() -> None: ...

    with pytest.raises(TypeError, match="module-level function"):
        render.template_key(nested, ())
    with pytest.raises(TypeError, match="hashable"):
        render.template_key(charts.fit_chart, (3, pd.DataFrame()))


@pytest.mark.parametrize("page", [p.file for p in registry.PAGES if p.charts])
def test_a_new_data_set_reuses_every_chart_template_of_the_page(page):
    """The template is the spec without its rows: two students' data must give the same one,
    so a class never waits for Altair to rebuild a chart (30 ms each) for new data."""
    specs = []
    for seed, noise in (("1", "0.5"), ("2", "2.5")):
        app = fresh_app(seed=seed, noise=noise, optimizer="adam").run()
        app.switch_page(page).run()
        assert not app.exception
        specs.append([chart.proto.spec for chart in app.get("vega_lite_chart")])
    assert specs[0] and specs[0] == specs[1]
