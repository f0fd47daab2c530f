"""The player's panel and the clickable start, through AppTest and as plain functions."""

import json

import numpy as np
import pandas as pd
import pytest

import gd_core as gd
from tests.ui.helpers import charts, dataset, fresh_app
from ui.charts import surface_charts
from ui.compute import modes
from ui.plain.panel_heads import joined
from ui.plain.player_frames import frames_for
from ui.plain.receipts import SPACE, arrow_rows
from ui.state.player import CLAMPED, clamped_note, start_values
from ui.state.start_picker import start_axis

DATA = gd.make_dataset(100, 2.0, 1.0, 1.0)


def _text(line: str) -> str:
    return line.replace(SPACE, " ")


def test_the_fit_panel_shows_each_steps_numbers_from_gd_core():
    app = fresh_app(optimizer="momentum", momentum="0.5").run()
    assert not app.exception
    heads = dataset(app, "receipt_heads")
    assert len(heads) == 2  # the steps' lines, and the end's
    rows = [
        {
            name: joined(heads[row["head_row"]][name], tail)
            for name, tail in row.items()
            if name != "head_row"
        }
        for row in dataset(app, "receipts")
    ]
    assert len(rows) == frames_for(450).count + 1  # one per frame, the last with no step
    optimizer = gd.momentum(0.01, momentum=0.5)
    run = gd.train(DATA, optimizer, 450)
    receipt = gd.step_receipt(DATA, optimizer, run, 3)
    lines = [_text(rows[3][f"line{index}"]) for index in range(6)]
    assert lines[0].startswith("Epoch 3 → 4")
    gradient = lines[2].split()
    assert [float(v.replace("−", "-")) for v in gradient[-2:]] == [
        float(f"{value:.5g}") for value in receipt.gradient
    ]
    assert "momentum_buffer" in lines[3]
    assert float(lines[3].split()[-1].replace("−", "-")) == float(
        f"{receipt.momentum_buffer[1]:.5g}"
    )
    assert "No step after the last epoch." in _text(rows[-1]["line3"])
    (fit,) = charts(app)
    names = {param["name"] for param in fit["params"]}
    assert {"epoch", "playing", "fit_play", "fit_back", "fit_forward", "fit_speed"} <= names


def test_a_mini_batch_run_has_no_panel_and_says_why():
    app = fresh_app(batch="16").run()
    assert not app.exception
    (fit,) = charts(app)
    assert "title" not in fit
    assert any("full-batch training" in caption.value for caption in app.caption)


def test_the_arrows_start_where_the_run_is_and_end_where_the_step_goes():
    app = fresh_app(optimizer="momentum").run()
    app.switch_page("pages/parameters.py").run()
    assert not app.exception
    arrows = dataset(app, surface_charts.ARROWS)
    run = gd.train(DATA, gd.momentum(0.01), 450)
    steps = [row for row in arrows if row["arrow"] == "step taken"]
    for row in steps[:5]:
        epoch = row["epoch"]
        assert (row["k"], row["b"]) == (run.k[epoch], run.b[epoch])
        np.testing.assert_allclose(
            (row["k_end"], row["b_end"]), (run.k[epoch + 1], run.b[epoch + 1])
        )
    assert {row["arrow"] for row in arrows} == {"step taken", "−η·g", "velocity"}


def test_arrow_rows_list_each_kind_in_turn_and_leave_out_what_cannot_be_drawn():
    steps = pd.DataFrame(
        {
            "epoch": [0, 1, 2, 3],
            "k": [0.0, 1.0, 2.0, 3.0],
            "b": [0.0, 1.0, np.inf, 3.0],  # epoch 2 starts off the plane: no arrow at all
            "gradient_k": [1.0, np.nan, 3.0, 4.0],  # epoch 1 has no −η·g arrow
            "gradient_b": [1.0, 1.0, 1.0, 4.0],
            "step_k": [0.5, 1.5, 2.5, np.nan],  # the run's end: no step after it
            "step_b": [0.5, 1.5, 2.5, np.nan],
            "line0": ["a", "b", "c", "d"],
        }
    )
    assert arrow_rows(steps).to_dict("records") == [
        {"epoch": 0, "k": 0.0, "b": 0.0, "k_end": 1.0, "b_end": 1.0, "arrow": "−η·g"},
        {"epoch": 3, "k": 3.0, "b": 3.0, "k_end": 4.0, "b_end": 4.0, "arrow": "−η·g"},
        {"epoch": 0, "k": 0.0, "b": 0.0, "k_end": 0.5, "b_end": 0.5, "arrow": "step taken"},
        {"epoch": 1, "k": 1.0, "b": 1.0, "k_end": 1.5, "b_end": 1.5, "arrow": "step taken"},
    ]
    none = arrow_rows(steps[["epoch", "k", "b", "line0"]])
    assert none.empty and set(none.columns) == {"epoch", "arrow", "k", "b", "k_end", "b_end"}


def test_a_click_on_the_surface_becomes_the_sidebars_start():
    picked = {surface_charts.START_SELECTION: [{"k": 1.234567, "b": -250.0}]}
    assert start_values(picked) == {"k0": 1.235, "b0": -100.0}  # 4 digits, inside the range
    assert start_values({}) == {}
    app = fresh_app().run()
    app.switch_page("pages/parameters.py").run()
    app.session_state["k0"], app.session_state["b0"] = start_values(picked).values()
    app.run()
    assert not app.exception
    assert (app.number_input(key="k0").value, app.number_input(key="b0").value) == (1.235, -100.0)


def test_the_loss_page_splits_plain_gd_into_two_labelled_modes():
    app = fresh_app().run()
    app.switch_page("pages/loss.py").run()
    assert not app.exception
    rows = dataset(app, "modes")
    labels = {row["label"] for row in rows}
    assert any(label.startswith("fast: mostly k, ×") for label in labels)
    assert any(label.startswith("slow: mostly b, ×") for label in labels)
    app = fresh_app(optimizer="adam").run()
    app.switch_page("pages/loss.py").run()
    assert not app.exception and "modes" not in str(
        [c.proto.datasets for c in app.get("vega_lite_chart")]
    )


def test_a_mode_is_named_by_its_pace_its_parameter_and_its_factor():
    slow, fast = gd.loss_modes(DATA, 0.01)
    assert modes.mode_label(fast, slow) == f"fast: mostly k, ×{fast.loss_factor:.4g} per epoch"
    assert modes.mode_label(slow, fast).startswith("slow: mostly b, ×0.99")
    low, high = gd.loss_modes(DATA, 0.025)  # just above 2/λ_max: the fast mode grows
    assert modes.mode_label(high, low).startswith("growing: mostly k, ×1.00")


def test_the_keyboard_picker_moves_over_the_surface_and_starts_there():
    app = fresh_app().run()
    app.switch_page("pages/parameters.py").run()
    k_slider = app.select_slider(key="start_pick_k")
    surface = dataset(app, "surface")
    grid_k = sorted({row["k"] for row in surface})
    # The default map lies inside the start's range: its points, and the run's start k₀ = 0.
    signed = [f"{k:.4g}".replace("-", "−") for k in sorted({*grid_k, 0.0})]
    assert k_slider.options == signed and "-" not in "".join(signed) and "−" in "".join(signed)
    k = grid_k[10]
    b = sorted({row["b"] for row in surface})[-5]
    k_slider.set_value(k).run()
    app.select_slider(key="start_pick_b").set_value(b).run()
    (marker,) = dataset(app, surface_charts.START_MARK)
    assert (marker["k"], marker["b"]) == (k, b)
    app.button[[button.label for button in app.button].index("Start here")].click().run()
    assert not app.exception
    assert app.number_input(key="k0").value == float(f"{k:.4g}")
    assert app.number_input(key="b0").value == float(f"{b:.4g}")


def test_after_a_diverged_run_the_picker_marks_the_real_start_and_offers_only_starts():
    """?lr_k=0.03 diverges: its map spans about ±10⁸, where no cell is a start the sidebar
    takes (±100); the square once marked k = 743.1 and "Start here" clamped it to 100."""
    app = fresh_app(lr_k="0.03", k0="1.5", b0="-2").run()
    app.switch_page("pages/parameters.py").run()
    surface = dataset(app, "surface")
    assert max(abs(row["k"]) for row in surface) > 1e6  # the map is far wider than a start
    (marker,) = dataset(app, surface_charts.START_MARK)
    assert (marker["k"], marker["b"]) == (1.5, -2.0)  # the run's own start
    text = " ".join(md.value for md in app.markdown)
    loss = float(np.mean((1.5 * DATA.x - 2.0 - DATA.y) ** 2))  # the loss there, by hand
    assert f"The square marks k = 1.5, b = −2, where the loss is {loss:.5g}." in text
    assert any("the sliders stop there although the map reaches" in c.value for c in app.caption)
    for key in ("start_pick_k", "start_pick_b"):
        shown = app.select_slider(key=key).options
        assert "-" not in "".join(shown)  # a minus sign, as the app's other numbers
        options = [float(option.replace("−", "-")) for option in shown]
        assert min(options) >= -100 and max(options) <= 100 and len(options) > 10
    app.select_slider(key="start_pick_k").set_value(100.0).run()
    app.select_slider(key="start_pick_b").set_value(-95.0).run()
    app.button[[button.label for button in app.button].index("Start here")].click().run()
    assert not app.exception
    assert (app.number_input(key="k0").value, app.number_input(key="b0").value) == (100, -95)
    (marker,) = dataset(app, surface_charts.START_MARK)
    assert (marker["k"], marker["b"]) == (100.0, -95.0)  # the new run's start, marked


def test_a_click_outside_the_start_range_is_clamped_visibly_and_the_picker_follows_it():
    """A click on a diverged run's map (±10⁸) at (2.3e7, −5e6) starts at (100, −100), as the
    sidebar's range demands: the page says so, and the square moves there too. It stayed on
    the old start (20, 20), and "Start here" then moved the start back to it."""
    click = {surface_charts.START_SELECTION: [{"k": 2.3e7, "b": -5e6}]}
    note = clamped_note(click)
    assert "clicked at k = 2.3e+07, b = −5e+06" in note and "k₀ = 100, b₀ = −100." in note
    assert clamped_note({surface_charts.START_SELECTION: [{"k": 99.0, "b": -3.0}]}) is None
    app = fresh_app(lr_k="0.03", k0="20", b0="20").run()
    app.switch_page("pages/parameters.py").run()
    assert "The square marks k = 20, b = 20," in " ".join(md.value for md in app.markdown)
    # What use_clicked_start does with that click (AppTest cannot click a chart).
    app.session_state["k0"], app.session_state["b0"] = start_values(click).values()
    app.session_state[CLAMPED] = note
    app.run()
    assert not app.exception
    assert [info.value for info in app.info] == [note]
    (marker,) = dataset(app, surface_charts.START_MARK)
    assert (marker["k"], marker["b"]) == (100.0, -100.0)
    text = " ".join(md.value for md in app.markdown)
    assert "The square marks k = 100, b = −100," in text
    assert [app.select_slider(key=key).value for key in ("start_pick_k", "start_pick_b")] == [
        100.0,
        -100.0,
    ]
    app.button[[button.label for button in app.button].index("Start here")].click().run()
    assert (app.number_input(key="k0").value, app.number_input(key="b0").value) == (100, -100)
    assert not app.info  # the note is said once, after the click


def test_a_start_axis_keeps_the_maps_points_inside_the_range_and_the_start():
    assert start_axis([-300.0, -5.0, 0.5, 7.0, 250.0], 3.0, (-100.0, 100.0)) == [
        -5.0,
        0.5,
        3.0,
        7.0,
    ]
    # A map with one point or none inside: the whole range, in steps of 5, and the start.
    axis = start_axis([-1e8, 50.0, 1e8], 2.5, (-100.0, 100.0))
    assert axis[0] == -100.0 and axis[-1] == 100.0 and 2.5 in axis
    assert sorted(set(np.diff([v for v in axis if v != 2.5]).round(9))) == [5.0]


def test_adams_long_gradient_arrow_stops_at_the_maps_edge_and_the_map_keeps_the_chart():
    """Adam at η = 0.1 (?optimizer=adam&lr_k=0.1): at epoch 0, −η·g runs to k ≈ 16.7 while the
    map covers k ≤ 2.5; drawn whole, it stretched the k axis to 17 over a blank chart."""
    app = fresh_app(optimizer="adam", lr_k="0.1").run()
    app.switch_page("pages/parameters.py").run()
    assert not app.exception
    cells = dataset(app, "surface")
    k_low, k_high = min(c["k_low"] for c in cells), max(c["k_high"] for c in cells)
    b_low, b_high = min(c["b_low"] for c in cells), max(c["b_high"] for c in cells)
    run = gd.train(DATA, gd.make_optimizer("adam", 0.1), 450)
    gradient = np.array(gd.step_receipt(DATA, gd.make_optimizer("adam", 0.1), run, 0).gradient)
    arrows = dataset(app, surface_charts.ARROWS)
    (first,) = [row for row in arrows if row["epoch"] == 0 and row["arrow"] == "−η·g"]
    np.testing.assert_allclose((first["k_end"], first["b_end"]), -0.1 * gradient, rtol=1e-9)
    assert first["k_end"] > 3 * k_high and first["cut"]  # the true end, off the map
    assert first["k_tip"] == pytest.approx(k_high)  # drawn to the map's edge...
    direction = np.array([first["k_end"], first["b_end"]])  # ...along the same line
    assert first["b_tip"] == pytest.approx(first["k_tip"] * direction[1] / direction[0])
    for row in arrows:  # every drawn end on the map; an uncut arrow drawn whole
        assert k_low - 1e-12 <= row["k_tip"] <= k_high + 1e-12
        assert b_low - 1e-12 <= row["b_tip"] <= b_high + 1e-12
        if not row["cut"]:
            assert (row["k_tip"], row["b_tip"]) == (row["k_end"], row["b_end"])
    steps = [row for row in arrows if row["arrow"] == "step taken"]
    assert not any(row["cut"] for row in steps)  # the step that moves the point, whole
    contour = charts(app)[-1]
    text = json.dumps(contour)
    assert '"x2": {"field": "k_tip"' in text and '"field": "k_end"' in text  # tooltip: true end
    assert {"field": "k_end", "type": "quantitative", "title": "to k"}.items() <= next(
        item for item in _tooltips(contour) if item.get("title") == "to k"
    ).items()
    assert "stops at its edge without a head" in " ".join(c.value for c in app.caption)
    # Adam has no velocity arrow, and its legend no longer lists one.
    assert _legend_values(contour) == ["step taken", "−η·g"]


def test_momentums_legend_lists_its_velocity_arrow():
    app = fresh_app(optimizer="momentum").run()
    app.switch_page("pages/parameters.py").run()
    assert _legend_values(charts(app)[-1]) == ["step taken", "−η·g", "velocity"]


def _legend_values(spec) -> list[str]:
    """The values of the arrows' legend (the one titled for them), wherever it is in `spec`."""
    text = json.dumps(spec)
    start = text.index('"title": "arrows at the shown epoch"')
    legend_start = text.rindex('"legend": {', 0, start)
    legend = json.JSONDecoder().raw_decode(text, legend_start + len('"legend": '))[0]
    return legend["values"]


def test_clip_arrows_cuts_only_what_leaves_the_box_and_keeps_each_arrows_direction():
    surface = pd.DataFrame({"k_low": [0.0, 1.0], "k_high": [1.0, 2.0], "b_low": [-1.0, 0.0]})
    surface["b_high"] = [0.0, 1.0]  # the box: k in [0, 2], b in [-1, 1]
    arrows = pd.DataFrame(
        {
            "k": [1.0, 1.0, 1.0, 5.0],
            "b": [0.0, 0.0, 0.0, 5.0],  # the last starts off the map: left alone
            "k_end": [1.5, 5.0, 0.0, 6.0],
            "b_end": [0.5, 0.0, -4.0, 6.0],
        }
    )
    clipped = surface_charts.clip_arrows(arrows, surface)
    assert list(clipped["cut"]) == [False, True, True, False]
    assert list(clipped["k_tip"]) == [1.5, 2.0, 0.75, 6.0]  # by hand: b reaches −1 at t = ¼
    assert list(clipped["b_tip"]) == [0.5, 0.0, -1.0, 6.0]
    assert list(clipped["k_end"]) == list(arrows["k_end"])  # the true ends kept
    tiny = pd.DataFrame({"k": [1.0], "b": [0.0], "k_end": [1.0 + 5e-324], "b_end": [5e-324]})
    with np.errstate(all="raise"):  # a subnormal rate's arrow: no overflow warning, not cut
        assert not surface_charts.clip_arrows(tiny, surface)["cut"].any()


def _tooltips(spec):
    """Every tooltip entry anywhere in a chart's spec."""
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "tooltip" and isinstance(value, list):
                yield from value
            else:
                yield from _tooltips(value)
    elif isinstance(spec, list):
        for value in spec:
            yield from _tooltips(value)


def _opening_epoch(spec: dict) -> int:
    (epoch,) = [param for param in spec["params"] if param["name"] == "epoch"]
    return epoch["value"]


@pytest.mark.parametrize("query", [{}, {"epochs": "1000000"}, {"lr_k": "0.05"}], ids=str)
def test_the_loss_maps_player_opens_at_the_last_epoch_as_fits_does(query):
    """Fit's player opened at the run's result and the Parameters page's at epoch 0: both open
    at the last epoch now (a diverged run's is the epoch it blew up)."""
    app = fresh_app(**query).run()
    (fit,) = [spec for spec in charts(app) if any(p["name"] == "epoch" for p in spec["params"])]
    app.switch_page("pages/parameters.py").run()
    assert not app.exception
    (path,) = [s for s in charts(app) if any(p["name"] == "epoch" for p in s.get("params", []))]
    run = gd.train(DATA, gd.sgd(float(query.get("lr_k", 0.01))), int(query.get("epochs", 450)))
    last = len(run.k) - 1
    assert _opening_epoch(fit) == _opening_epoch(path) == frames_for(last).last == last


def test_the_panels_bulk_formatting_writes_each_number_as_one_at_a_time():
    # The reference is the panel's cell written number by number (its format before bulk).
    from ui.plain import receipts

    values = [0.0, -0.0, 1.0, -1.5, 123456.789, -9.87654e-7, 1e300, -1e-300, np.nan, np.inf]
    pairs = np.array([(k, b) for k in values for b in values[::-1][:3]])

    def cell(value):
        return f"{value:.5g}".replace("-", "−").rjust(receipts.CELL, SPACE)

    head = receipts._padded("gradient g_t", receipts.LABEL)
    assert receipts._cells("gradient g_t", pairs) == [head + cell(k) + cell(b) for k, b in pairs]
    shorts = receipts._shorts(np.array(values))
    assert shorts == [receipts._short(value) for value in values]
    assert shorts[3] == "(−1.5)" and shorts[1] == "−0"  # only a value below 0 in brackets


@pytest.mark.parametrize("name", ["momentum", "adam"])
def test_the_contours_arrows_are_sent_as_the_clipped_frame_would_be(name):
    # The columns' way (arrow_columns, clip_arrows on columns) against the frame's way.
    from streamlit import dataframe_util

    from ui.compute import runs
    from ui.config import Config, TrainSpec

    config = Config(train=TrainSpec(optimizer=name, lr_k=0.05, lr_b=0.05, epochs=300))
    data = runs.load_dataset(config.data)
    run = runs.reduced_run(config, data, steps=True)
    sent, kinds = runs.contour_arrows._info.func(config, data, run)
    frame = surface_charts.clip_arrows(arrow_rows(run.steps), runs.surface(config, data, run))
    assert isinstance(frame, pd.DataFrame) and len(frame) > 0
    assert sent == dataframe_util.convert_anything_to_arrow_bytes(frame)
    assert kinds == surface_charts.arrow_kinds(frame)
