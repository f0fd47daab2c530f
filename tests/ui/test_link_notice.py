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
