"""The sidebar's pickers, preset trace, reset, rate boxes, standardise switch and upload note."""

import numpy as np
import pytest

import gd_core as gd
from tests.ui.helpers import assert_page_ok, dataset, fresh_app
from ui import charts
from ui.config import OPTIMIZER_LABELS, SCHEDULE_LABELS
from ui.controls import DEFAULTS
from ui.lessons import BY_SLUG
from ui.pickers import label_key

DATA = gd.make_dataset(100, 2.0, 1.0, 1.0)  # the sidebar's default data


def last_k(app) -> float:
    """k at the last epoch of the run the Fit page drew."""
    return dataset(app, charts.PATH)[-1]["k"]


# Readable names in the pickers, the short values in links.


def test_pickers_show_readable_names():
    app = fresh_app().run()
    assert app.selectbox(key=label_key("optimizer")).options == list(OPTIMIZER_LABELS.values())
    assert app.selectbox(key=label_key("schedule")).options == list(SCHEDULE_LABELS.values())
    titles = [lesson.title for lesson in BY_SLUG.values()]
    assert app.selectbox(key=label_key("lesson")).options == titles
    assert app.selectbox(key=label_key("optimizer")).value == "Gradient descent"
    assert app.selectbox(key=label_key("lesson")).value is None


def test_choosing_adam_by_name_links_optimizer_adam_and_trains_adam():
    app = fresh_app().run()
    app.selectbox(key=label_key("optimizer")).select("Adam").run()
    assert app.query_params["optimizer"] == "adam"
    assert app.session_state["optimizer"] == "adam"
    adam = gd.make_optimizer("adam", (0.01, 0.01), betas=(0.9, 0.999))
    assert last_k(app) == pytest.approx(gd.train(DATA, adam, 450).k[-1], rel=1e-12)
    assert {w.key for w in app.sidebar.slider} >= {"beta1", "beta2"}


def test_choosing_a_schedule_by_name_links_its_short_value():
    app = fresh_app().run()
    app.selectbox(key=label_key("schedule")).select("Exponential decay").run()
    assert app.query_params["schedule"] == "exponential"
    assert "gamma" in {w.key for w in app.sidebar.number_input}


@pytest.mark.parametrize(
    ("key", "value", "label"),
    [
        ("optimizer", "adam", "Adam"),
        ("optimizer", "nesterov", "Nesterov momentum"),
        ("schedule", "cosine", "Cosine decay"),
        ("lesson", "divergence", "When a rate is too large"),
    ],
)
def test_a_link_shows_its_value_by_name(key, value, label):
    app = fresh_app(**{key: value}).run()
    assert app.selectbox(key=label_key(key)).value == label
    assert app.session_state[key] == value
    assert app.query_params[key] == value


def test_the_bound_keys_still_set_the_pickers():
    app = fresh_app().run()
    app.selectbox(key="optimizer").select("rmsprop").run()
    assert app.selectbox(key=label_key("optimizer")).value == "RMSProp"
    assert "alpha" in {w.key for w in app.sidebar.slider}


@pytest.mark.parametrize("key", ["optimizer", "schedule", "lesson"])
def test_a_bad_picker_value_in_a_link_falls_back(key):
    app = fresh_app(**{key: "nope"}).run()
    assert not app.exception and not app.error
    default = DEFAULTS.get(key)
    assert app.session_state[key] == default
    shown = {"optimizer": "Gradient descent", "schedule": "Constant rate", "lesson": None}
    assert app.selectbox(key=label_key(key)).value == shown[key]
    assert key not in app.query_params


def test_choosing_a_lesson_by_title_links_its_slug_and_applies_it():
    app = fresh_app().run()
    app.selectbox(key=label_key("lesson")).select("When a rate is too large").run()
    assert app.query_params["lesson"] == "divergence"
    assert app.session_state["lr_k"] == 0.05
    assert "Diverged" in app.warning[0].value


def open_stability(**query):
    app = fresh_app(**query).run()
    app.switch_page("pages/stability.py").run()
    assert_page_ok(app, "pages/stability.py")
    return app


def map_switch(app):
    """The visible "Map for" switch (the bound one beside it is hidden)."""
    return next(w for w in app.get("segmented_control") if w.key == label_key("map"))


def test_the_map_switch_shows_names_and_links_short_values():
    app = open_stability()
    visible = map_switch(app)
    assert list(visible.options) == list(OPTIMIZER_LABELS.values())
    assert visible.value == "Gradient descent"
    visible.set_value("RMSProp").run()
    assert app.query_params["map"] == "rmsprop"
    assert app.caption[0].value.startswith("RMSProp on your data")


def test_a_map_link_shows_its_optimizer_by_name():
    app = open_stability(map="adam")
    visible = map_switch(app)
    assert visible.value == "Adam"
    assert app.caption[0].value.startswith("Adam on your data")


def test_a_bad_map_value_falls_back_to_gradient_descent():
    app = open_stability(map="nope")
    assert app.session_state["map"] == "sgd" and "map" not in app.query_params
    assert app.caption[0].value.startswith("Gradient descent on your data")


# With one rate for both, the η_b box shows the rate in use.


def test_the_disabled_rate_box_shows_the_rate_in_use():
    app = fresh_app().run()
    app.number_input(key="lr_k").set_value(0.03).run()
    box = app.number_input(key="lr_b")
    assert box.proto.disabled and box.value == 0.03
    app.toggle(key="same_rate").set_value(False).run()
    assert not app.number_input(key="lr_b").proto.disabled
    assert app.number_input(key="lr_b").value == 0.03  # separate rates start from the one


def test_an_old_link_with_a_stale_lr_b_shows_the_rate_in_use_from_the_first_run():
    app = fresh_app(lr_k="0.02", lr_b="0.3").run()
    assert app.number_input(key="lr_b").value == 0.02
    app.toggle(key="same_rate").set_value(False).run()
    assert app.number_input(key="lr_b").value == 0.02
    assert app.query_params["lr_b"] == "0.02"  # the link now says what the box shows


def test_a_link_with_separate_rates_keeps_its_lr_b():
    app = fresh_app(same_rate="false", lr_b="0.3").run()
    assert app.number_input(key="lr_b").value == 0.3 and app.session_state["lr_b"] == 0.3


# Standardise x.


def test_the_standardise_switch_is_off_by_default_and_says_what_it_does():
    app = fresh_app().run()
    switch = app.toggle(key="standardize")
    assert switch.value is False and DEFAULTS["standardize"] is False
    assert "(x − x̄)/std(x)" in switch.help and "original units" in switch.help


def test_a_standardise_link_trains_on_standardised_x_in_original_units():
    app = fresh_app(standardize="true").run()
    assert app.toggle(key="standardize").value is True
    run = gd.train_standardized(DATA, gd.make_optimizer("sgd", (0.01, 0.01)), 450)
    assert last_k(app) == pytest.approx(run.k[-1], rel=1e-12)
    plain = gd.train(DATA, gd.make_optimizer("sgd", (0.01, 0.01)), 450)
    assert not np.isclose(last_k(app), plain.k[-1], rtol=1e-6)
    app.switch_page("pages/compare.py").run()
    assert_page_ok(app, "pages/compare.py")
    assert len(app.dataframe[-1].value) == 9


def test_turning_the_standardise_switch_on_retrains():
    app = fresh_app().run()
    app.toggle(key="standardize").set_value(True).run()
    assert app.session_state["standardize"] is True
    assert last_k(app) == pytest.approx(
        gd.train_standardized(DATA, gd.sgd(0.01), 450).k[-1], rel=1e-12
    )
