"""Every value a link could not use is named together, whatever else is wrong with the link.

A link whose x range makes no data (`?x_min=5&x_max=5`) stops the page on that message; the
notice of the link's other unusable values used to be drawn after the page and so never was,
and a key no page reads stayed in the address after being called "left out".
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.ui.helpers import fresh_app
from tests.ui.test_link_notice import BAD, notices

X_RANGES = {
    "none": {},
    "equal": {"x_min": "5", "x_max": "5"},
    "backwards": {"x_min": "9", "x_max": "2"},
}
UNKNOWN = {"foo": "1", "standardise": "true"}


@settings(max_examples=10, deadline=None)
@given(
    bad=st.lists(st.sampled_from(sorted(BAD)), min_size=1, max_size=4, unique=True),
    unknown=st.lists(st.sampled_from(sorted(UNKNOWN)), max_size=2, unique=True),
    x_range=st.sampled_from(sorted(X_RANGES)),
)
def test_every_bad_value_is_named_together_and_unknown_keys_leave_the_address(
    bad, unknown, x_range
):
    query = {key: BAD[key] for key in bad} | {key: UNKNOWN[key] for key in unknown}
    app = fresh_app(**query, **X_RANGES[x_range]).run()
    assert not app.exception
    (text,) = notices(app)
    for key in bad:
        assert f"`{key}={BAD[key]}` could not be used, so it is " in text, key
    for key in unknown:
        assert f"`{key}={UNKNOWN[key]}` is not a setting of this app" in text
        assert key not in app.query_params, key  # left out of the link, as the notice says
    assert bool(app.error) == (x_range != "none")  # the x range's own message, beside it


def test_a_page_widget_not_drawn_before_the_stop_is_named_once_the_page_draws_it():
    app = fresh_app(sweep="bogus", n="7", x_min="5", x_max="5")
    app.switch_page("pages/sweep.py").run()
    (text,) = notices(app)
    assert "`n=7`" in text and "sweep=bogus" not in text  # the Sweeps box is not drawn yet
    app.number_input(key="x_max").set_value(10.0).run()
    assert not app.error
    (text,) = notices(app)
    assert "`n=7`" in text and "`sweep=bogus` could not be used" in text


def test_with_an_upload_the_sweep_box_is_said_to_take_only_what_it_offers():
    """The box hides noise σ and n for an uploaded file; the notice listed them all the same."""
    app = fresh_app(sweep="noise", x_min="5", x_max="5")
    app.switch_page("pages/sweep.py").run()  # stopped by the x range: the box waits
    raw = (Path(__file__).resolve().parents[1] / "data" / "header_comma.csv").read_bytes()
    app.file_uploader(key="csv_upload").upload("points.csv", raw, "text/csv").run()
    assert not app.exception and not app.error
    (text,) = notices(app)
    assert "`sweep=noise` could not be used" in text
    takes = text.split("`sweep=noise` could not be used")[1]
    assert "(`lr`)" in takes and "(`noise`)" not in takes and "(`n`)" not in takes
    assert "not Noise σ or Number of points n: an uploaded file's points have no noise" in takes
