"""The sidebar's pickers, preset trace, reset, rate boxes, standardise switch and upload note."""

import numpy as np
import pytest

import gd_core as gd
from tests.data.make_corpus import corpus
from tests.ui.helpers import assert_page_ok, dataset, fresh_app
from ui.charts import run_charts as charts
from ui.config import OPTIMIZER_LABELS, SCHEDULE_LABELS
from ui.registry import STRATEGIES
from ui.state.controls import DEFAULTS, PRESETS
from ui.state.lessons import BY_SLUG
from ui.state.pickers import label_key
from ui.state.presets import PRESET_POINTS
from ui.state.upload_panel import LINK_NOTE

DATA = gd.make_dataset(100, 2.0, 1.0, 1.0)  # the sidebar's default data
FIX_1 = "Fix 1: a rate for each parameter"


def last_k(app) -> float:
    """k at the last epoch of the run the Fit page drew."""
    return dataset(app, charts.MODEL)[-1]["k"]


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


# The preset stays visible, says what it set and what has changed since; reset.


def test_an_applied_preset_stays_chosen_and_says_what_it_set():
    app = fresh_app().run()
    app.selectbox(key="_gdlab_preset").select(FIX_1).run()
    assert app.selectbox(key="_gdlab_preset").value == FIX_1
    trace = app.sidebar.caption[0].value
    assert trace == (
        f"Preset “{FIX_1}”: separate rates, η_k = 0.02, η_b = 0.2; "
        f"every other setting at its default. {PRESET_POINTS[FIX_1]}"
    )
    assert "Apply the preset again" not in [b.label for b in app.sidebar.button]


def test_the_preset_trace_says_what_was_changed_since_and_applies_again():
    app = fresh_app().run()
    app.selectbox(key="_gdlab_preset").select(FIX_1).run()
    app.number_input(key="lr_k").set_value(0.03).run()
    assert app.sidebar.caption[0].value.endswith("Since changed: η_k.")
    app.slider(key="noise").set_value(2.0).run()
    assert app.sidebar.caption[0].value.endswith("Since changed: noise σ, η_k.")
    app.button(key="_gdlab_reapply").click().run()
    assert app.session_state["lr_k"] == 0.02 and app.session_state["noise"] == 1.0
    assert "Since changed" not in app.sidebar.caption[0].value


@pytest.mark.parametrize("preset", PRESETS)
def test_every_preset_has_a_trace(preset):
    app = fresh_app().run()
    app.selectbox(key="_gdlab_preset").select(preset).run()
    trace = app.sidebar.caption[0].value
    assert trace.startswith(f"Preset “{preset}”: ") and "Since changed" not in trace


def test_opening_a_lesson_clears_the_preset():
    app = fresh_app().run()
    app.selectbox(key="_gdlab_preset").select(FIX_1).run()
    app.selectbox(key=label_key("lesson")).select("Momentum overshoots").run()
    assert app.selectbox(key="_gdlab_preset").value is None
    assert not any(c.value.startswith("Preset") for c in app.sidebar.caption)


def test_reset_puts_every_control_back_and_empties_the_link():
    changed = {"noise": "2", "epochs": "2000", "optimizer": "momentum", "momentum": "0.5"}
    changed |= {"schedule": "step", "batch": "8", "standardize": "true"}
    app = fresh_app(**changed, same_rate="false", lr_b="0.3", lesson="divergence").run()
    app.selectbox(key="_gdlab_preset").select("Fix 2: more epochs").run()
    assert app.query_params
    app.button(key="_gdlab_reset").click().run()
    assert not app.exception
    for key, default in DEFAULTS.items():
        assert app.session_state[key] == default, key
    assert not set(app.query_params) & (set(DEFAULTS) | {"lesson"}), app.query_params
    assert app.selectbox(key="_gdlab_preset").value is None
    assert app.selectbox(key=label_key("lesson")).value is None
    assert app.selectbox(key=label_key("optimizer")).value == "Gradient descent"
    # No preset trace, no lesson card: only the uploader's size limit.
    assert [c.value for c in app.sidebar.caption if "refused" not in c.value] == []
    assert not any("Lesson:" in md.value for md in app.markdown)


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
    run = gd.train(DATA, gd.make_optimizer("sgd", (0.01, 0.01)), 450, standardize=True)
    assert last_k(app) == pytest.approx(run.k[-1], rel=1e-12)
    plain = gd.train(DATA, gd.make_optimizer("sgd", (0.01, 0.01)), 450)
    assert not np.isclose(last_k(app), plain.k[-1], rtol=1e-6)
    app.switch_page("pages/compare.py").run()
    assert_page_ok(app, "pages/compare.py")
    assert len(app.dataframe[-1].value) == len(STRATEGIES)


def test_turning_the_standardise_switch_on_retrains():
    app = fresh_app().run()
    app.toggle(key="standardize").set_value(True).run()
    assert app.session_state["standardize"] is True
    assert last_k(app) == pytest.approx(
        gd.train(DATA, gd.sgd(0.01), 450, standardize=True).k[-1], rel=1e-12
    )


# An upload: a link carries every setting but not the file.


def test_an_upload_says_that_a_link_does_not_carry_the_file():
    app = fresh_app().run()
    assert not any(c.value == LINK_NOTE for c in app.sidebar.caption)
    content = corpus()["header_comma.csv"]
    app.file_uploader(key="csv_upload").upload("points.csv", content, "text/csv").run()
    assert LINK_NOTE in [c.value for c in app.sidebar.caption]
    assert "not this file" in LINK_NOTE and "generated points" in LINK_NOTE
