"""The link notice says, for every parameter alike, what the box is called, why the link's
value could not be used (the range, or the options by name) and what is shown instead, as
the student sees it: `?sweep=Momentum μ` used to say "so it is lr" (lr is the key, the box
shows "Single rate η (k and b)"), and `?tune_at=5000` "so it is 100" without a reason.
"""

from __future__ import annotations

import pytest

from tests.ui.helpers import fresh_app
from tests.ui.test_link_notice import notices
from ui import registry

# Where each page widget is drawn, and what else its link needs for it to be drawn.
PAGE_OF = {
    "tune": ("pages/compare.py", {}),
    "tune_metric": ("pages/compare.py", {"tune": "true"}),
    "tune_at": ("pages/compare.py", {"tune": "true", "tune_metric": "loss_at"}),
    "lr_seeds": ("pages/lr-finder.py", {"batch": "8"}),
    "map": ("pages/stability.py", {}),
    "map_pick_k": ("pages/stability.py", {}),
    "map_pick_b": ("pages/stability.py", {}),
    "sweep_with": ("pages/sweep.py", {}),
    "sweep_points": ("pages/sweep.py", {}),
    "sweep": ("pages/sweep.py", {}),
    "lesson": ("pages/fit.py", {}),
}
for key in ("lr_min", "lr_max", "lr_steps"):
    PAGE_OF[key] = ("pages/lr-finder.py", {})
for setting in registry.SWEEP_SETTINGS:
    if setting != "batch_size":  # its range boxes are drawn too; its points are not
        for end in ("from", "to"):
            PAGE_OF[f"{end}_{setting}"] = ("pages/sweep.py", {"sweep": setting})
PAGE_OF["from_batch_size"] = ("pages/sweep.py", {"sweep": "batch_size"})
PAGE_OF["to_batch_size"] = ("pages/sweep.py", {"sweep": "batch_size"})


def a_bad_value(control: registry.Control) -> str:
    """A value the widget cannot take, worked out from its description alone."""
    if control.high is not None:
        return repr(float(control.high) * 10 + 1)
    if "high_from" in control.extra:
        return "999999999"
    return "maybe" if control.widget == "toggle" else "Bogus"


def test_every_parameter_a_link_can_carry_is_described():
    assert set(registry.LINK_CONTROLS) == registry.URL_PARAMS - {"embed", "embed_options"}
    assert set(registry.PAGE_CONTROLS) == set(PAGE_OF)


@pytest.mark.parametrize("key", sorted(registry.PAGE_CONTROLS))
def test_a_page_widgets_bad_value_is_told_like_a_sidebar_controls(key):
    control = registry.PAGE_CONTROLS[key]
    page, needs = PAGE_OF[key]
    bad = a_bad_value(control)
    app = fresh_app(**needs, **{key: bad})
    app.switch_page(page).run()
    assert not app.exception
    (text,) = notices(app)
    (line,) = [line for line in text.splitlines() if f"`{key}=" in line]
    assert line.startswith(f"- **{control.label}**: the link's `{key}="), line
    assert " could not be used, so it is " in line and ". It takes " in line, line
    if control.widget == "picker" and "labels" in control.extra:
        shown = st_label(app, key)
        assert f"so it is {shown} (`" in line, line  # as the box shows it, then the key
        assert all(label in line for label in control.extra["labels"].values())


def st_label(app, key: str) -> str:
    return app.session_state[key + "__readable"]


def test_the_walkthroughs_two_links_say_what_is_shown_and_why():
    app = fresh_app(sweep="Momentum μ")
    app.switch_page("pages/sweep.py").run()
    (text,) = notices(app)
    assert "so it is Single rate η (k and b) (`lr`), its default." in text
    assert "It takes one of Single rate η (k and b) (`lr`), Ratio η_b/η_k (`lr_ratio`)" in text
    app = fresh_app(tune="true", tune_metric="loss_at", tune_at="5000")
    app.switch_page("pages/compare.py").run()
    (text,) = notices(app)
    assert "**Loss at epoch**: the link's `tune_at=5000` could not be used, so it is 100" in text
    assert "It takes a whole number from 1 to 450 (the run's Epochs)." in text
    app = fresh_app(tune="true", tune_metric="loss_at", tune_at="5000", epochs="10000")
    app.switch_page("pages/compare.py").run()
    assert not notices(app)  # within a longer run's epochs: used
