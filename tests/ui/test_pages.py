"""Every page through AppTest: defaults, presets, each sidebar control, URLs, divergence."""

from dataclasses import replace

import numpy as np
import pytest

import gd_core as gd
from tests.ui.helpers import (
    PAGES,
    assert_page_ok,
    charts,
    datasets,
    fresh_app,
    sidebar_values,
    visit_every_page,
)
from ui import registry
from ui.compute.comparison import CURVE_POINTS
from ui.config import TrainSpec
from ui.plain import budget
from ui.registry import STRATEGIES
from ui.state.controls import DEFAULTS, EPOCH_CHOICES, PRESETS


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_at_defaults(page):
    app = fresh_app().run()
    app.switch_page(page).run()
    assert_page_ok(app, page)
    heading = next(p.heading for p in registry.PAGES if p.file == page)
    assert app.title[0].value == heading  # the title browser tests wait for


@pytest.mark.parametrize("preset", PRESETS)
def test_every_page_runs_on_each_preset(preset):
    app = fresh_app().run()
    app.selectbox(key="_gdlab_preset").select(preset).run()
    # An independent effect, not the state the callback just wrote: the widgets show the
    # preset's values (a misspelt key would leave its widget at the default).
    shown = sidebar_values(app)
    for key, value in PRESETS[preset].items():
        assert shown[key] == value, key
    visit_every_page(app)


def test_the_seed_preset_shows_b_lagging_and_the_per_parameter_fix_converges():
    app = fresh_app().run()
    assert "Still converging after 450 epochs" in app.info[0].value
    app.selectbox(key="_gdlab_preset").select("Fix 1: a rate for each parameter").run()
    assert "Converged at epoch" in app.success[0].value


CHANGES = {
    "n": lambda w: w.set_value(1_000),
    "slope": lambda w: w.set_value(-10.0),
    "intercept": lambda w: w.set_value(10.0),
    "noise": lambda w: w.set_value(0.0),
    "x_min": lambda w: w.set_value(-50.0),
    "x_max": lambda w: w.set_value(50.0),
    "seed": lambda w: w.set_value(12345),
    "epochs": lambda w: w.set_value(500_000),  # the most Compare's runs may take
    "k0": lambda w: w.set_value(-100.0),
    "b0": lambda w: w.set_value(100.0),
    "optimizer": lambda w: w.select("adam"),
    "lr_k": lambda w: w.set_value(10.0),
    "same_rate": lambda w: w.set_value(False),
    "batch": lambda w: w.set_value(16),
    "schedule": lambda w: w.select("cosine"),
}


def widget(app, key):
    for kind in ("slider", "select_slider", "number_input", "selectbox", "toggle"):
        found = [w for w in getattr(app.sidebar, kind) if w.key == key]
        if found:
            return found[0]
    raise KeyError(key)


@pytest.mark.parametrize("key", CHANGES)
def test_every_page_runs_after_changing_each_control(key):
    app = fresh_app().run()
    CHANGES[key](widget(app, key))
    app.run()
    visit_every_page(app)
    assert app.session_state[key] != DEFAULTS[key]


@pytest.mark.parametrize(
    ("optimizer", "hyper"),
    [("momentum", "momentum"), ("nesterov", "momentum"), ("rmsprop", "alpha"), ("adam", "beta2")],
)
def test_each_optimizer_shows_its_own_hyperparameter(optimizer, hyper):
    app = fresh_app(optimizer=optimizer).run()
    keys = {w.key for w in app.sidebar.slider}
    assert hyper in keys
    assert optimizer.replace("rmsprop", "RMSProp")[:3].lower() in app.expander[0].label.lower()


@pytest.mark.parametrize(
    ("schedule", "hyper"), [("step", "every"), ("exponential", "gamma"), ("inverse", "decay")]
)
def test_each_schedule_shows_its_parameter(schedule, hyper):
    app = fresh_app(schedule=schedule).run()
    assert hyper in {w.key for w in app.sidebar.number_input}
    visit_every_page(app)


def test_url_parameters_open_the_state_they_name():
    app = fresh_app(
        n="500",
        noise="0.5",
        epochs="2000",
        optimizer="adam",
        lr_k="0.05",
        lr_b="0.2",
        same_rate="false",
        batch="32",
        schedule="inverse",
        k0="1.5",
    ).run()
    state = app.session_state
    assert (state["n"], state["noise"], state["epochs"], state["optimizer"]) == (
        500,
        0.5,
        2000,
        "adam",
    )
    assert (state["lr_k"], state["lr_b"], state["same_rate"]) == (0.05, 0.2, False)
    assert (state["batch"], state["schedule"], state["k0"]) == (32, "inverse", 1.5)
    assert not app.exception


@pytest.mark.parametrize(
    ("key", "bad"),
    [
        ("lr_k", "banana"),
        ("lr_k", "99"),
        ("n", "7"),
        ("optimizer", "lbfgs"),
        ("epochs", "-3"),
        ("noise", ""),
    ],
)
def test_a_bad_url_value_falls_back_to_its_default(key, bad):
    app = fresh_app(**{key: bad}).run()
    assert app.session_state[key] == DEFAULTS[key]
    assert not app.exception and not app.error


def test_a_diverging_url_shows_which_epoch_parameter_and_rate():
    app = fresh_app(lr_k="0.9", lr_b="0.9", same_rate="false").run()
    visit_every_page(app)
    app.switch_page("pages/fit.py").run()
    warning = app.warning[0].value
    assert "Diverged at epoch" in warning and "η = 0.9 is above it" in warning


def test_an_impossible_x_range_explains_itself():
    app = fresh_app(x_min="5", x_max="5").run()
    assert not app.exception
    (message,) = [e.value for e in app.error]
    # In the sidebar's words, with the way out; not gd_core's argument names.
    assert "“x from” (5) must be below “x to” (5)" in message
    assert "raise “x to”" in message and "x_range" not in message


def test_the_fit_chart_scrubs_every_epoch():
    app = fresh_app(epochs="1000").run()
    (fit,) = charts(app)
    (epoch,) = [p for p in fit["params"] if p["name"] == "epoch"]
    assert epoch["bind"]["max"] == 1000 and epoch["value"] == 1000


def test_compare_lists_every_strategy_with_its_result():
    app = fresh_app().run()
    app.switch_page("pages/compare.py").run()
    table = app.dataframe[-1].value  # [0] is the strategy editor
    assert (
        len(table) == len(STRATEGIES) and "status" not in table
    )  # outcomes in words, not code values
    plain = table.set_index("strategy").loc["Plain GD"]
    per_parameter = table.set_index("strategy").loc["Per-parameter rates"]
    assert plain["outcome"].startswith("not yet after 450: ")
    data = gd.make_dataset(100, 2.0, 1.0, 1.0)
    limit_k, limit_b = gd.single_parameter_limits(data)
    run = gd.train(data, gd.sgd((0.5 * limit_k, 0.5 * limit_b)), 450)
    assert per_parameter["outcome"] == f"settled at {run.converged_at:,}"


def test_a_mini_batch_run_too_long_for_one_rerun_is_refused_with_a_way_out():
    app = fresh_app(batch="1", epochs="1000000").run()
    assert not app.exception
    message = app.error[0].value
    assert message.startswith("1,000,000 epochs of 100 mini-batches on 100 points would take")
    assert "Choose at most" in message and "a larger batch, or full batch." in message
    nearest = _nearest_feasible_epochs(TrainSpec(batch=1), runs=1)
    assert app.button[0].label == f"Use {nearest:,} epochs"
    app.button[0].click().run()
    assert app.select_slider(key="epochs").value == nearest
    assert not app.error and not app.exception and app.select_slider(key="batch").value == 1


def _nearest_feasible_epochs(spec: TrainSpec, runs: int) -> int:
    """The largest epoch choice whose estimate fits the budget (the button's offer)."""
    data = gd.make_dataset(100, 2.0, 1.0, 1.0)
    fitting = [
        epochs
        for epochs in EPOCH_CHOICES
        if budget.estimated_seconds(data, [replace(spec, epochs=epochs)] * runs)
        <= budget.BUDGET_SECONDS
    ]
    return fitting[-1]


def test_compare_offers_fewer_epochs_for_every_strategy_at_a_million():
    app = fresh_app(epochs="1000000").run()
    assert not app.error  # one run of a million full-batch epochs fits
    app.switch_page("pages/compare.py").run()
    assert (
        f"1,000,000 epochs on 100 points for each of {len(STRATEGIES)} strategies"
        in app.error[0].value
    )
    assert [button.label for button in app.main.button] == ["Use 500,000 epochs"]  # already full
    app.button[0].click().run()
    assert app.select_slider(key="epochs").value == 500_000
    assert not app.error and len(app.dataframe[-1].value) == len(STRATEGIES)


def test_compare_counts_every_strategy_against_the_budget():
    app = fresh_app(batch="1", epochs="20000").run()  # one run fits
    assert not app.error
    app.switch_page("pages/compare.py").run()
    message = app.error[0].value
    assert (
        f"20,000 epochs of 100 mini-batches on 100 points for each of {len(STRATEGIES)} strategies"
        in message
    )
    assert "or show fewer strategies." in message
    assert app.button[0].label.startswith("Use ") and app.button[1].label == "Use full batch"
    app.button[1].click().run()
    assert not app.error and not app.exception and app.select_slider(key="batch").value == 0


def test_compare_sends_each_chart_only_its_columns_of_the_real_runs():
    app = fresh_app().run()
    app.switch_page("pages/compare.py").run()
    loss, k, b = (datasets(chart) for chart in app.get("vega_lite_chart"))
    data = gd.make_dataset(100, 2.0, 1.0, 1.0)
    plain = gd.train(data, gd.make_optimizer("sgd", 0.01), 450)  # the sidebar's defaults
    design = np.column_stack([data.x, np.ones_like(data.x)])
    (k_star, b_star), *_ = np.linalg.lstsq(design, data.y, rcond=None)
    for sent, column in ((k, "k"), (b, "b")):
        assert set(sent["curves"][0]) == {"strategy", "epoch", column}
        (optimum,) = sent["optimum"]
        # Only the chart's own parameter: a chart is sent the columns it draws (render.py).
        assert optimum == pytest.approx({column: {"k": k_star, "b": b_star}[column]}, rel=1e-12)
        rows = [row for row in sent["curves"] if row["strategy"] == "Plain GD"]
        epochs = [row["epoch"] for row in rows]
        assert epochs[0] == 0 and epochs[-1] == 450 and len(rows) <= CURVE_POINTS
        reference = getattr(plain, column)[epochs]
        np.testing.assert_allclose([row[column] for row in rows], reference, rtol=1e-12)
    assert set(loss["curves"][0]) == {"strategy", "epoch", "excess"}
    assert all(row["excess"] > 0 for row in loss["curves"])
    assert len({row["strategy"] for row in loss["curves"]}) == len(STRATEGIES)


def test_parameters_sends_the_distances_of_the_real_run():
    app = fresh_app().run()
    app.switch_page("pages/parameters.py").run()
    rows = datasets(app.get("vega_lite_chart")[0])["distance"]
    data = gd.make_dataset(100, 2.0, 1.0, 1.0)
    plain = gd.train(data, gd.make_optimizer("sgd", 0.01), 450)
    design = np.column_stack([data.x, np.ones_like(data.x)])
    (k_star, b_star), *_ = np.linalg.lstsq(design, data.y, rcond=None)
    for label, values in (("|k − k*|", plain.k - k_star), ("|b − b*|", plain.b - b_star)):
        shown = [row for row in rows if row["parameter"] == label]
        epochs = [row["epoch"] for row in shown]
        assert epochs[0] == 0 and epochs[-1] == 450
        np.testing.assert_allclose(
            [row["value"] for row in shown], np.abs(values[epochs]), rtol=1e-9
        )


def test_a_spinner_only_for_what_the_session_has_not_drawn_with_these_inputs(monkeypatch):
    """Fit's run and Compare's strategies: a spinner on the first visit and after a change,
    none on a revisit with the same inputs (its timer thread cost every revisit)."""
    import streamlit as st

    shown = []
    spinner = st.spinner
    monkeypatch.setattr(st, "spinner", lambda text, **kw: shown.append(text) or spinner(text, **kw))
    app = fresh_app().run()
    for page in ("pages/compare.py", "pages/fit.py", "pages/compare.py", "pages/fit.py"):
        app.switch_page(page).run()
        assert_page_ok(app, page)
    assert len(shown) == 2, shown  # app.py's first run, Compare's first visit
    app.sidebar.slider(key="noise").set_value(1.5).run()  # a new run for Fit
    app.switch_page("pages/compare.py").run()  # new strategies' runs for Compare
    assert len(shown) == 4, shown
