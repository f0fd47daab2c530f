"""A link value the app could not use is said above the page, and only then."""

from __future__ import annotations

import pytest

from tests.ui.helpers import fresh_app
from ui import registry
from ui.plain.link_values import allowed, means, unused

BAD = {
    "epochs": "3000",
    "noise": "7",
    "lr_k": "abc",
    "optimizer": "foo",
    "n": "37",
    "standardize": "maybe",
    "seed": "-1",
}


def notices(app) -> list[str]:
    return [w.value for w in app.warning if "could not be used" in w.value]


def test_each_unusable_value_is_named_with_what_is_shown_instead():
    app = fresh_app(**BAD, slope="-3.5")
    app.run()
    assert not app.exception
    (text,) = notices(app)
    for key, raw in BAD.items():
        assert f"`{key}={raw}`" in text
    assert "`slope=" not in text  # a usable value is not mentioned
    assert "so it is 450" in text and "Gradient descent (`sgd`)" in text
    assert app.slider(key="slope").value == -3.5


def test_the_notice_stays_on_its_page_and_goes_when_the_student_leaves_or_closes_it():
    app = fresh_app(epochs="3000")
    app.run()
    app.slider(key="noise").set_value(2.0).run()
    assert notices(app), "a rerun on the same page keeps the notice"
    app.switch_page("pages/loss.py").run()
    assert not notices(app)
    app = fresh_app(epochs="3000")
    app.run()
    app.button(key="_gdlab_link_close").click().run()
    assert not notices(app)


# Written as the browser writes a link (tests/e2e check the browser's own): bools in lower
# case, numbers as JavaScript prints them, a select slider by its shown text.
WRITTEN = {
    "optimizer": "adam",
    "same_rate": "false",
    "lr_k": "0.02",
    "lr_b": "0.037",
    "beta1": "0.85",
    "epochs": "1000",
    "batch": "8",
    "standardize": "true",
    "noise": "0.3",
    "seed": "12",
    "k0": "-1.5",
    "schedule": "cosine",
    "warmup": "20",
}


@pytest.mark.parametrize("page", ["pages/fit.py", "pages/sweep.py", "pages/lr-finder.py"])
def test_a_link_the_app_writes_opens_without_a_notice(page):
    app = fresh_app(**WRITTEN)
    app.switch_page(page).run()
    assert not app.exception
    assert not notices(app)
    assert app.toggle(key="standardize").value is True
    assert app.select_slider(key="batch").value == 8


@pytest.mark.parametrize("key", list(registry.CONTROLS))
def test_a_control_reads_its_own_default_as_written_in_a_link(key):
    control = registry.CONTROLS[key]
    default = control.default
    written = str(default).lower() if isinstance(default, bool) else str(default)
    assert means(written, default, control)
    assert allowed(control)


def test_what_is_shown_is_told_apart_from_what_was_asked():
    epochs = registry.CONTROLS["epochs"]
    assert not means("3000", 450, epochs)
    assert means("450.0", 450, epochs)
    assert not means("true", False)
    assert means("TRUE", True)
    assert not means("nan", 0.5)
    line = unused("noise", "`x`\x00" + "9" * 60, 1.0, registry.CONTROLS["noise"])
    assert "\x00" not in line and line.count("`") == 2 and "…" in line


def test_a_multi_choice_link_is_checked_value_by_value():
    # The Sweeps page's optimizer pills put each choice in the link as its own sweep_with=.
    chosen = ["Gradient descent", "RMSProp", "Adam"]
    app = fresh_app(sweep_with=chosen)
    app.switch_page("pages/sweep.py").run()
    assert not app.exception and app.session_state["sweep_with"] == chosen
    assert notices(app) == []  # every value was used (it named the last one before)
    app = fresh_app(sweep_with=["Adam", "Bogus"])
    app.switch_page("pages/sweep.py").run()
    (text,) = notices(app)
    assert "`sweep_with=Bogus` could not be used, so it is Adam." in text
    assert "sweep_with=Adam`" not in text


@pytest.mark.parametrize(
    ("query", "said"),
    [
        (
            {"standardise": "true"},  # the sidebar label's spelling; the key is standardize
            "The link's `standardise=true` is not a setting of this app, so it was left out; "
            "did you mean `standardize` (**Standardise x**)?",
        ),
        (
            {"lr": "0.02"},
            "The link's `lr=0.02` is not a setting of this app, so it was left out; did you "
            "mean `lr_k` (**Learning rate η_k**) or `lr_b` (**Learning rate η_b**)?",
        ),
        (
            {"bogus_key": "1"},
            "The link's `bogus_key=1` is not a setting of this app, so it was left out.",
        ),
    ],
)
def test_a_key_the_app_does_not_know_is_named_with_the_nearest_it_does(query, said):
    app = fresh_app(**query, noise="0.5").run()
    assert not app.exception
    (text,) = notices(app)
    assert text.endswith(f"- {said}"), text
    assert app.slider(key="noise").value == 0.5  # the link's other values still used


def test_streamlits_own_and_the_apps_page_keys_are_not_called_unknown():
    every_page = {"embed": "true", "embed_options": "dark_theme", "tune": "true", "map": "adam"}
    every_page |= {"lr_steps": "50", "sweep": "lr", "from_lr": "0.1", "sweep_points": "20"}
    every_page |= {"tune_metric": "loss_at", "tune_at": "50", "lesson": ""}
    app = fresh_app(**every_page).run()
    assert not app.exception
    assert not [line for line in notices(app) if "not a setting" in line]


def test_every_key_a_page_binds_to_the_address_is_a_known_url_parameter(monkeypatch):
    """registry.URL_PARAMS is written out by hand: each page's bound widgets must be in it,
    or the link notice would call a link the app itself wrote unknown."""
    from streamlit.runtime.state.query_params import QueryParams

    bound = set()
    bind = QueryParams.bind_widget

    def record(self, param_key, *args, **kwargs):
        bound.add(param_key)
        return bind(self, param_key, *args, **kwargs)

    monkeypatch.setattr(QueryParams, "bind_widget", record)
    app = fresh_app(tune="true", tune_metric="loss_at", optimizer="adam").run()
    for page in registry.PAGES:
        app.switch_page(page.file).run()
        assert not app.exception, page.file
    assert {"epochs", "tune_at", "lr_steps", "map", "sweep_points", "from_lr"} <= bound
    assert bound <= registry.URL_PARAMS, bound - registry.URL_PARAMS


def test_a_slider_of_many_stops_names_the_stops_nearest_the_asked_value():
    epochs = registry.CONTROLS["epochs"]
    assert allowed(epochs, "500").endswith("; the nearest to 500 are 450 and 1,000")
    assert allowed(epochs, "5e6").endswith("; the nearest to 5,000,000 is 1,000,000")
    stops = ", ".join(f"{stop:,}" for stop in epochs.options)
    assert allowed(epochs, "abc").endswith(f"stops from 10 to 1,000,000: {stops}")
    app = fresh_app(epochs="500").run()
    (text,) = notices(app)
    assert "so it is 450, its default. It takes one of the slider's" in text
    assert "; the nearest to 500 are 450 and 1,000." in text
    # Only the default is called the default: a value kept from before is just named.
    line = unused("epochs", "1", 1_000, epochs)
    assert "so it is 1,000. It takes" in line and "the nearest to 1 is 10" in line
