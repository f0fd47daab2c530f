"""The registry: every name the app offers is registered once, and everything uses those keys."""

from __future__ import annotations

from dataclasses import asdict, fields
from pathlib import Path

import pytest

import gd_core as gd
from tests.ui.helpers import assert_page_ok, fresh_app
from ui import registry
from ui.config import DataSpec, TrainSpec, build_optimizer
from ui.state.lessons import LESSONS
from ui.state.presets import PRESETS
from ui.state.upload_panel import UploadChoice


def assert_valid_settings(settings: dict, where: str) -> None:
    for key, value in settings.items():
        assert key in registry.CONTROLS, f"{where}: {key!r} is not a registered control"
        control = registry.CONTROLS[key]
        if control.widget == "picker":
            assert value in registry.labels(key), f"{where}: {key}={value!r}"
        if control.options:
            assert value in control.options, f"{where}: {key}={value!r}"
        if control.low is not None:
            assert control.low <= value <= control.high, f"{where}: {key}={value!r}"


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_sets_registered_controls_to_allowed_values(name):
    assert_valid_settings(PRESETS[name], name)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.slug)
def test_every_lesson_sets_registered_controls_and_opens_a_registered_page(lesson):
    assert_valid_settings(lesson.settings, lesson.slug)
    assert lesson.page in {page.file for page in registry.PAGES}


def test_a_misspelt_key_is_caught():
    with pytest.raises(AssertionError, match="not a registered control"):
        assert_valid_settings({"lr_kk": 0.1}, "a typo")


def test_the_controls_are_the_config_fields_with_the_same_defaults():
    uploads = {field.name for field in fields(UploadChoice)}
    config = {k: v for k, v in asdict(DataSpec()).items() if k not in uploads}
    config |= asdict(TrainSpec())
    registered = {key: control.default for key, control in registry.CONTROLS.items()}
    assert registered.pop("same_rate") is True  # a sidebar switch, not a training setting
    assert registered == config


@pytest.mark.parametrize("name", registry.OPTIMIZERS)
def test_every_optimizer_builds_with_its_own_hyperparameters(name):
    optimizer = build_optimizer(TrainSpec(optimizer=name, lr_k=0.02, lr_b=0.3))
    assert optimizer.name == name and optimizer.learning_rate == (0.02, 0.3)
    for key in registry.OPTIMIZERS[name].controls:
        assert registry.CONTROLS[key].section == "training"
    assert optimizer.name in gd.OPTIMIZERS


def test_adamax_runs_through_the_sidebar_from_its_link():
    app = fresh_app(optimizer="adamax", lr_k="0.1", lr_b="0.1").run()
    assert_page_ok(app, "pages/fit.py")
    assert app.session_state["optimizer"] == "adamax"
    assert {slider.key for slider in app.sidebar.slider} >= {"beta1", "beta2"}
    assert "Update rule: Adamax" in [expander.label for expander in app.expander]
    expected = gd.train(gd.make_dataset(100, 2.0, 1.0, 1.0), gd.adamax(0.1), 450)
    metric = next(m for m in app.metric if m.label.startswith("k after"))
    assert metric.value == f"{expected.k[-1]:.5g}"


def test_adamax_has_a_stability_map_and_a_compare_row():
    app = fresh_app(map="adamax").run()
    app.switch_page("pages/stability.py").run()
    assert_page_ok(app, "pages/stability.py")
    assert "Adamax" in app.caption[0].value
    app.switch_page("pages/compare.py").run()
    assert "Adamax" in list(app.dataframe[-1].value["strategy"])


def test_every_pages_file_is_named_as_its_url_path():
    # A fresh server's first request for /lr-finder runs in Streamlit's pages-folder mode,
    # which finds a page by its file name: any other name shows "Page not found" first.
    for page in registry.PAGES:
        if page.url_path:
            assert Path(page.file).stem == page.url_path, page.file


def test_the_obvious_other_paths_of_every_page_open_that_page():
    """The menu's titles, underscores for hyphens, the other number: each opens its page, and
    none is a page's own path (st.navigation refuses two pages with one path)."""
    paths = {page.url_path for page in registry.PAGES}
    expected = {
        "sweeps": "sweep",
        "lr_finder": "lr-finder",
        "lrfinder": "lr-finder",
        "parameter": "parameters",
        "stability-map": "stability",
        "stability_map": "stability",
        "lesson": "lessons",
        "losses": "loss",
        "fit": "",
        "compare-strategies": "compare",
    }
    for alias, path in expected.items():
        assert registry.ALIASES[alias] == path, alias
    assert not set(registry.ALIASES) & paths
    assert set(registry.ALIASES.values()) == paths  # every page has one
