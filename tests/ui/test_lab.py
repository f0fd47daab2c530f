"""The learning-rate lab through AppTest: stability map, theory, lessons; and its chart specs."""

import json
import re
from collections import Counter

import numpy as np
import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState

import gd_core as gd
from tests.ui.helpers import (
    assert_page_ok,
    caption_paragraphs,
    dataset,
    fresh_app,
    map_cells,
    sidebar_values,
)
from tests.ui.helpers import charts as chart_specs
from tests.ui.test_charts import named_sources
from ui import registry
from ui.charts import lab_charts
from ui.charts import run_charts as charts
from ui.compute import lab
from ui.config import OPTIMIZER_LABELS, TrainSpec, hyperparameters
from ui.state.lessons import LESSON_KEY, LESSONS, settings_of

DATA = gd.make_dataset(100, 2.0, 1.0, 1.0)  # the sidebar's default data


def fine_cells(app) -> list[dict]:
    """The map's own 40×40 cells, the same on every screen."""
    return map_cells(app)


def open_page(page, **query):
    app = fresh_app(**query).run()
    app.switch_page(page).run()
    assert_page_ok(app, page)
    return app


@pytest.mark.parametrize("optimizer", OPTIMIZER_LABELS)
def test_the_stability_map_runs_for_every_optimizer(optimizer):
    app = open_page("pages/stability.py", map=optimizer)
    cells = fine_cells(app)
    assert len(cells) == lab.MAP_RESOLUTION**2
    boundary = dataset(app, lab_charts.BOUNDARY)
    assert bool(boundary) == (optimizer in ("sgd", "momentum", "nesterov"))
    if optimizer == "sgd":  # the whole edge: every point at radius 1, down to the map's foot
        k, b = (np.array([row[rate] for row in boundary]) for rate in ("lr_k", "lr_b"))
        np.testing.assert_allclose(gd.spectral_radius(DATA, k, b), 1.0, rtol=1e-9)
        assert b.min() == pytest.approx(min(cell["b_low"] for cell in cells), rel=1e-9)
    # The fastest cells, counted here from the cells drawn: a lone one is named, a tie is told
    # as one, and "beyond the map" only when every fastest cell has a rate at the map's end.
    done = [cell for cell in cells if cell["epochs"] is not None]
    said = [c.value for c in app.caption if "the fastest" in c.value.lower()]
    if not done:  # Adagrad and Adamax converge nowhere on the map in 450 epochs
        assert not said
        return
    fewest = min(cell["epochs"] for cell in done)
    tied = [cell for cell in done if cell["epochs"] == fewest]
    ends = {rate: (min(c[rate] for c in cells), max(c[rate] for c in cells)) for rate in RATES}
    inside = [cell for cell in tied if all(cell[rate] not in ends[rate] for rate in RATES)]
    (said,) = said
    named = re.search(r"η_k = ([^,]+), η_b = ([-+.e\d]*\d)", said)
    assert any(
        f"{cell['lr_k']:.4g}" == named[1] and f"{cell['lr_b']:.4g}" == named[2]
        for cell in inside or tied
    ), said
    assert f"{fewest:,.0f} epochs" in said
    assert (f"{len(tied):,} pairs on the map tie" in said) == (len(tied) > 1), said
    assert ("a faster pair may lie beyond the map" in said) == (not inside), said
    if optimizer == "adam":
        assert not inside and "right" in said and "a larger η_k" in said


RATES = ("lr_k", "lr_b")


def test_a_start_at_the_optimum_ties_every_cell_at_epoch_0_and_sends_no_one_past_the_map():
    app = open_page("pages/stability.py", k0=repr(DATA.slope_ols), b0=repr(DATA.intercept_ols))
    cells = fine_cells(app)
    at_zero = sum(cell["epochs"] == 0 for cell in cells)
    assert at_zero > 1  # the tie this caption must tell as a tie
    (said,) = [p for p in caption_paragraphs(app) if "epoch 0" in p]
    if at_zero == len(cells):
        assert said.startswith("Every pair on the map converges at epoch 0"), said
    else:
        assert said.startswith(f"{at_zero:,} of the map's {len(cells):,} pairs converge"), said
    assert "the start is the optimum" in said
    assert "η_k =" not in said and "beyond the map" not in said


def test_the_map_shows_gd_cores_outcome_for_every_cell():
    app = open_page("pages/stability.py")
    cells = fine_cells(app)
    lr_k, lr_b = (lab.shown_rates(axis) for axis in gd.rate_grid(DATA, lab.MAP_RESOLUTION))
    expected = gd.stability_map(DATA, lr_k, lr_b, 450)
    diverged = np.array([cell["outcome"] == "diverged" for cell in cells])
    np.testing.assert_array_equal(diverged, expected.diverged.ravel())
    epochs = np.array([np.nan if cell["epochs"] is None else cell["epochs"] for cell in cells])
    np.testing.assert_array_equal(epochs, expected.epochs_to_converge.ravel())
    moving = np.array([cell["outcome"] == "moving away" for cell in cells])
    np.testing.assert_array_equal(moving, expected.diverging.ravel())
    outcomes = {"converged", "not converged", "moving away", "diverged"}
    assert {cell["outcome"] for cell in cells} == outcomes
    counts = {name: sum(cell["outcome"] == name for cell in cells) for name in outcomes}
    caption = app.caption[0].value
    assert f"{counts['converged']:,} of 1,600 pairs converge" in caption
    assert f"{counts['moving away']:,} are moving away" in caption


def test_the_boundary_is_cut_where_it_leaves_the_map_on_its_log_log_line():
    lr_k = np.geomspace(1e-3, 1.0, 7)
    lr_b = 0.5 / lr_k  # a straight line on log-log axes, from 500 down to 0.5
    cut = lab.within_span(lr_k, lr_b, (1.0, 100.0))
    assert cut.lr_b.between(1.0, 100.0 * (1 + 1e-12)).all()
    assert list(cut.lr_k) == sorted(cut.lr_k)
    # Its ends are on the edges, and still on the line b = 0.5/k.
    assert (cut.lr_b.iloc[0], cut.lr_b.iloc[-1]) == pytest.approx((100.0, 1.0))
    np.testing.assert_allclose(cut.lr_b * cut.lr_k, 0.5, rtol=1e-12)
    inside = lr_b[(lr_b >= 1.0) & (lr_b <= 100.0)]
    assert len(cut) == len(inside) + 2


def test_a_rate_off_the_map_is_left_out_of_its_marks():
    app = open_page("pages/stability.py", lr_k="9", same_rate="false", lr_b="0.3")
    marks = [mark["mark"] for mark in dataset(app, "marks")]
    # The keyboard marker stays: it is always on a cell of the map.
    assert marks == ["fastest pace for plain GD", lab_charts.PICKED]


def test_the_map_marks_the_sidebar_rates_and_the_fastest_pair():
    app = open_page("pages/stability.py", lr_k="0.005", same_rate="false", lr_b="0.3")
    marks = {mark["mark"]: (mark["lr_k"], mark["lr_b"]) for mark in dataset(app, "marks")}
    assert marks["your rates (sidebar)"] == (0.005, 0.3)
    assert marks["fastest pace for plain GD"] == pytest.approx(gd.analyze(DATA).best_rates)


def test_a_click_trains_exactly_the_run_its_cell_showed():
    # Every cell's tooltip promises an epoch count; the click copies the cell's rates as they
    # are, so the sidebar's run must converge at exactly that epoch.
    for cell in dataset(open_page("pages/stability.py"), lab_charts.CELLS):
        picked = lab.sidebar_rates({lab_charts.CELL_SELECTION: [cell]}, "sgd")
        run = gd.train(DATA, gd.sgd((picked["lr_k"], picked["lr_b"])), 450)
        assert cell["settles"] == (  # the tooltip's words: the map draws no other count
            f"{run.converged_at:,}" if run.converged_at is not None else "not within 450"
        )


def test_a_stepped_map_is_capped_and_says_so():
    app = open_page("pages/stability.py", map="adam", epochs="1000000")
    assert any(f"{lab.MAP_MAX_EPOCHS:,} epochs per cell" in c.value for c in app.caption)


def test_a_clicked_cell_becomes_the_sidebar_rates_inside_that_cell():
    lr_k, lr_b = gd.rate_grid(DATA, lab.MAP_RESOLUTION)
    selection = {lab_charts.CELL_SELECTION: [{"lr_k": float(lr_k[7]), "lr_b": float(lr_b[30])}]}
    rates = lab.sidebar_rates(selection, "sgd")
    assert rates["same_rate"] is False and rates["optimizer"] == "sgd"
    half_step = np.sqrt(lr_k[1] / lr_k[0])
    assert lr_k[7] / half_step < rates["lr_k"] < lr_k[7] * half_step
    assert lr_b[30] / half_step < rates["lr_b"] < lr_b[30] * half_step
    assert lab.sidebar_rates({lab_charts.CELL_SELECTION: []}, "adam") == {}
    assert lab.sidebar_rates({}, "adam") == {}


def click_cell(app, lr_k: float, lr_b: float):
    """Click a cell of the stability map as the browser reports it: the chart's selection
    state sent with the other widgets' values, so the page's own on_select callback runs.
    (AppTest has no API for chart selections; this is what its run() sends, plus one.)"""
    (chart,) = app.get("vega_lite_chart")
    cell = {lab_charts.CELL_SELECTION: [{"lr_k": lr_k, "lr_b": lr_b}]}
    states = app._tree.get_widget_states()
    states.widgets.append(
        WidgetState(id=chart.proto.id, string_value=json.dumps({"selection": cell}))
    )
    return app._run(states)


@pytest.mark.parametrize("optimizer", OPTIMIZER_LABELS)
def test_a_click_on_a_map_trains_that_maps_optimizer_at_the_cells_rates(optimizer):
    app = open_page("pages/stability.py", map=optimizer)
    click_cell(app, 0.0123456, 0.0234567)
    assert_page_ok(app, "pages/stability.py")
    state = app.session_state
    assert (state["optimizer"], state["same_rate"]) == (optimizer, False)
    assert (state["lr_k"], state["lr_b"]) == (0.01235, 0.02346)
    assert app.query_params.get("optimizer", "sgd") == optimizer  # sgd is the default
    assert app.query_params["lr_k"] == "0.01235"
    # The sidebar now trains what the cell showed: that optimizer, its hyperparameters.
    app.switch_page("pages/fit.py").run()
    hyper = hyperparameters(TrainSpec(), optimizer)
    run = gd.train(DATA, gd.make_optimizer(optimizer, (0.01235, 0.02346), **hyper), 450)
    last = dataset(app, charts.MODEL)[-1]
    assert last["k"] == pytest.approx(run.k[last["epoch"]], rel=1e-12)


def test_the_picked_rates_drive_every_page():
    # What the click callback writes, applied the way Streamlit applies it before a rerun.
    app = fresh_app().run()
    app.switch_page("pages/stability.py").run()
    for key, value in lab.sidebar_rates(
        {lab_charts.CELL_SELECTION: [{"lr_k": 0.012739, "lr_b": 0.5}]}, "sgd"
    ).items():
        app.session_state[key] = value
    app.run()
    assert_page_ok(app, "pages/stability.py")
    app.switch_page("pages/loss.py").run()
    predicted = gd.analyze(DATA, (0.012739, 0.5)).predicted_epochs
    assert f"Converged at epoch {predicted} " in app.success[0].value


def theory_metrics(app):
    return {metric.label: metric.value for metric in app.metric}


def test_theory_predicts_the_seed_story_and_train_agrees():
    app = open_page("pages/theory.py")
    metrics = theory_metrics(app)
    run = gd.train(DATA, gd.sgd(0.01), 3_000)
    assert run.converged_at == 1_426 == gd.analyze(DATA, (0.01, 0.01)).predicted_epochs
    assert metrics["predicted epochs to converge"] == "1,426"
    assert metrics["observed in a run"] == "1,426"
    deltas = {metric.label: metric.proto.delta for metric in app.metric}
    assert deltas["predicted epochs to converge"] == f"k at {run.settled_at[0]:,}, b at 1,426"
    assert len(app.latex) >= 4


def test_theory_predicts_divergence_and_train_diverges():
    app = open_page("pages/theory.py", lr_k="0.05")
    metrics = theory_metrics(app)
    assert metrics["predicted epochs to converge"] == "never"
    assert metrics["observed in a run"] == "diverged"


def test_theory_shows_adams_effective_rates_with_b_above_k():
    app = open_page("pages/theory.py", optimizer="adam", lr_k="0.1")
    rates = dataset(app, lab_charts.RATES)
    last = {
        row["parameter"]: row["rate"]
        for row in rates
        if row["epoch"] == max(r["epoch"] for r in rates)
    }
    assert last["b"] > last["k"]
    assert not any("Adam is shown" in c.value for c in app.caption)
    app = open_page("pages/theory.py")  # plain GD in the sidebar: Adam stands in
    assert any("Adam is shown" in c.value for c in app.caption)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.slug)
def test_each_lesson_opens_from_the_sidebar_with_its_settings_and_page(lesson):
    app = fresh_app().run()
    app.selectbox(key=LESSON_KEY).select(lesson.slug).run()
    shown = sidebar_values(app)  # the widgets as drawn, not the state the callback wrote
    for key, value in settings_of(lesson).items():
        if key in shown:  # hyperparameters of other optimizers are not drawn
            assert shown[key] == value, key
    assert set(lesson.settings) <= set(shown), "a lesson sets a control that is not drawn"
    # Choosing it opened its page: no further step between the box and the lesson.
    heading = next(page.heading for page in registry.PAGES if page.file == lesson.page)
    assert app.title[0].value == heading
    assert_page_ok(app, lesson.page)
    assert any(lesson.title in md.value for md in app.markdown)
    # The card links to the lesson's page from every other page, not from the page itself.
    assert lesson_links(app) == []
    elsewhere = next(page.file for page in registry.PAGES if page.file != lesson.page)
    app.switch_page(elsewhere).run()
    path = next(page.url_path for page in registry.PAGES if page.file == lesson.page)
    assert lesson_links(app) == [path]


def lesson_links(app) -> list[str]:
    links = [link.proto for link in app.get("page_link")]
    return [link.page for link in links if link.label == "Go to the lesson's page"]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.slug)
def test_each_lesson_starts_from_the_lessons_page(lesson):
    app = fresh_app().run()
    app.switch_page("pages/lessons.py").run()
    app.button(key=f"start_{lesson.slug}").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.session_state[LESSON_KEY] == lesson.slug
    assert app.title[0].value != "Lessons"  # it moved on to the lesson's page


def test_a_bare_lesson_link_brings_its_settings():
    app = fresh_app(lesson="divergence").run()
    assert app.session_state["lr_k"] == 0.05
    assert "Diverged" in app.warning[0].value


def test_a_lesson_link_with_its_settings_changed_keeps_the_change():
    app = fresh_app(lesson="divergence", lr_k="0.001").run()
    assert app.session_state["lr_k"] == 0.001


def test_lab_templates_are_valid_vega_lite_with_plain_numbers():
    bands = lab.speed_bands(lab.speed_edges(450))
    specs = {
        "stability": lab_charts.stability_chart(tuple(bands.items()), True),
        "rates": lab_charts.effective_rate_chart(),
    }
    for name, chart in specs.items():
        spec = chart.to_dict()
        text = json.dumps(spec)
        assert "np.float" not in text and "NaN" not in text, name
        assert named_sources(spec) <= {"cells", "boundary", "marks", "rates", "limits"}, name
    params = specs["stability"].to_dict()["params"]
    assert [param["name"] for param in params] == [lab_charts.CELL_SELECTION]


def test_the_effective_rate_charts_highest_limit_is_drawn_inside_the_plot():
    """b's limit alone is often exactly 1, and a log scale rounded to decades put it on the
    plot's top border, where its dotted line vanished (E's walkthrough, a phone)."""
    lines, limits = lab_charts.effective_rate_chart().to_dict()["layer"]
    scale = lines["encoding"]["y"]["scale"]
    assert scale["type"] == "log" and scale["nice"] is False and scale["padding"] >= 8
    assert limits["encoding"]["y"]["field"] == "limit"  # on the same, padded, scale


def test_speed_bands_have_one_colour_each_and_end_at_the_epoch_count():
    for epochs in (10, 450, 5_000, 1_000_000):
        edges = lab.speed_edges(epochs)
        assert edges[-1] == epochs and edges == sorted(set(edges))
        bands = lab.speed_bands(edges)
        assert len(set(bands.values())) == len(bands)


def test_the_map_picker_moves_a_marker_cell_by_cell_and_trains_with_it():
    app = open_page("pages/stability.py", map="momentum")
    picker_k = app.select_slider(key="map_pick_k")
    rates_k = sorted({cell["lr_k"] for cell in fine_cells(app)})
    rates_b = sorted({cell["lr_b"] for cell in fine_cells(app)})
    assert picker_k.options == [f"{rate:.4g}" for rate in rates_k]  # one step is one cell
    # It starts on the cell nearest the sidebar's rates (0.01, 0.01).
    nearest = min(rates_k, key=lambda rate: abs(np.log(rate / 0.01)))
    assert picker_k.value == nearest
    picker_k.set_value(rates_k[5]).run()
    app.select_slider(key="map_pick_b").set_value(rates_b[30]).run()
    marks = {mark["mark"]: (mark["lr_k"], mark["lr_b"]) for mark in dataset(app, "marks")}
    assert marks[lab_charts.PICKED] == (rates_k[5], rates_b[30])
    cell = next(c for c in fine_cells(app) if (c["lr_k"], c["lr_b"]) == marks[lab_charts.PICKED])
    said = " ".join(block.value for block in app.markdown)
    assert f"η_k = {rates_k[5]:.4g}, η_b = {rates_b[30]:.4g}: column 6 of 40, row 31 of 40" in said
    assert ("It diverges." in said) == (cell["outcome"] == "diverged")
    next(b for b in app.button if b.label == "Train with this cell").click().run()
    assert sidebar_values(app)["lr_k"] == pytest.approx(rates_k[5])
    assert sidebar_values(app)["lr_b"] == pytest.approx(rates_b[30])
    assert app.session_state["optimizer"] == "momentum"


def test_every_screen_draws_the_cells_the_captions_count_and_rare_ones_are_ringed():
    """A phone once drew a coarse 10×10 map under captions about 1,600 pairs; the map now
    sends and draws exactly the counted cells, whatever the width, and rings rare outcomes."""
    app = open_page("pages/stability.py")
    cells = fine_cells(app)
    assert len(cells) == lab.MAP_RESOLUTION**2
    assert len({(c["lr_k"], c["lr_b"]) for c in cells}) == len(cells)
    layers = [layer for spec in chart_specs(app) for layer in spec.get("layer", [])]
    drawn = [layer for layer in layers if layer.get("data", {}).get("name") == lab_charts.CELLS]
    assert "width" not in json.dumps([layer.get("transform", []) for layer in drawn])
    captions = " ".join(c.value for c in app.caption)
    counted = re.search(r"([\d,]+) pairs", captions)
    assert counted and int(counted.group(1).replace(",", "")) == len(cells)
    # The rings: every band with at most RARE_CELLS cells, hollow so a tap reaches the cell.
    rings = [layer for layer in drawn if layer["mark"]["type"] == "point"]
    assert len(rings) == 2 and all(not ring["mark"]["filled"] for ring in rings)
    transforms = json.dumps(rings[0]["transform"])
    assert '"groupby": ["band"]' in transforms
    assert f"datum.cells_in_band <= {lab_charts.RARE_CELLS}" in transforms
    per_band = Counter(c["band"] for c in cells)
    assert 0 < per_band["moving away"] <= lab_charts.RARE_CELLS  # the default map's rare one
    ringed = ", ".join(f"{b} ({n})" for b, n in per_band.items() if n <= lab_charts.RARE_CELLS)
    assert f"with at most {lab_charts.RARE_CELLS} cells, here {ringed}, so" in captions


def test_the_maps_settle_texts_are_each_cells_number_as_written_alone():
    from ui.compute.lab import settles_text

    epochs = np.array([np.nan, 0.0, 1.0, 2.5, 3.5, 1234.5, 1e7, np.inf, -np.inf, 999_999.5])
    expected = [f"{e:,.0f}" if np.isfinite(e) else "not within 5,000" for e in epochs]
    assert settles_text(epochs, 5_000) == expected
    assert settles_text(np.array([]), 10) == []
