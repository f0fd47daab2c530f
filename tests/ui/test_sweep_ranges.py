"""The Sweeps page's ranges: the offset of x opens around the centring offset, a fastest point
at an end that could be widened is called an edge, a whole-number sweep says when it runs
fewer points than asked, and the ρ chart keeps ρ = 1 readable."""

import json

import numpy as np
import pytest

import gd_core as gd
from tests.ui.helpers import assert_page_ok, caption_paragraphs, datasets, fresh_app
from ui.charts import sweep_charts
from ui.plain.sweep_values import MAX_WHOLE_POINTS, opening_range, whole_points_note

DATA = gd.make_dataset(100, 2.0, 1.0, 1.0)


def sweep_page(**query: str):
    app = fresh_app(**query).run()
    app.switch_page("pages/sweep.py").run()
    assert_page_ok(app, "pages/sweep.py")
    return app


@pytest.mark.parametrize("x_range", [(0.0, 10.0), (-3.0, 50.0), (100.0, 101.0), (-7.0, -2.0)])
def test_the_offset_range_opens_around_the_offset_that_centres_x(x_range):
    x = gd.make_dataset(50, 1.0, 0.0, 1.0, x_range).x
    low, high = opening_range("x_offset", x)
    span = x.max() - x.min()
    centring = -x.mean()  # the offset after which mean(x) = 0
    assert low < centring < high
    if abs(x.mean()) <= span:  # the data as it is, offset 0, is in the range too
        assert low <= 0.0 <= high
    # One span either side, to the rounding of the ends (a tenth of the span's power of ten).
    assert centring - low == pytest.approx(span, rel=0.1)
    assert high - centring == pytest.approx(span, rel=0.1)
    assert opening_range("momentum", x) == (0.0, 0.99)  # the others open as their row says


def test_a_whole_number_sweep_says_when_it_runs_fewer_points_than_asked():
    assert whole_points_note("n", 10, 10_000, 20) is None
    assert whole_points_note("noise", 0, 5, 200) is None
    assert whole_points_note("n", 10, 10_000, 200) == (
        f"{MAX_WHOLE_POINTS} of the 200 points asked for: a sweep of n runs at most "
        f"{MAX_WHOLE_POINTS} points, since each is a dataset of its own, trained on its own."
    )
    assert whole_points_note("n", 2, 10, 20) == (
        "9 of the 20 points asked for: n takes whole numbers, and the range holds only 9 of them."
    )


def test_points_lost_to_rounding_are_not_blamed_on_a_range_short_of_whole_numbers():
    # n from 10 to 50 holds 41 whole numbers, more than the 30 asked for; 30 values spaced by
    # ratio are closer than 1 apart near 10, and rounded, some coincide. The note said "the
    # range holds only 27 of them", false of a range holding 41.
    ratio = 5.0 ** (1 / 29)
    distinct = len({round(10 * ratio**i) for i in range(30)})
    assert distinct < 30 < len(range(10, 51))
    note = whole_points_note("n", 10, 50, 30)
    assert note.startswith(f"{distinct} of the 30 points asked for: ")
    assert "the range holds only" not in note
    assert "30 values spaced by ratio over the range lie less than 1 apart in places" in note
    # A range that does hold fewer whole numbers than asked says so, with their count.
    assert "the range holds only 3 of them" in whole_points_note("n", 10, 12, 20)


def test_the_offset_sweep_opens_on_the_centred_optimum_inside_its_range():
    app = sweep_page(sweep="x_offset", sweep_with="Gradient descent")
    boxes = {box.key: box.value for box in app.number_input}
    assert boxes["from_x_offset"] < -DATA.x.mean() < boxes["to_x_offset"]
    offsets = np.linspace(boxes["from_x_offset"], boxes["to_x_offset"], 40)
    # Plain GD's epochs at each offset from theory, on the shifted data: the fastest is inside.
    shifted = [gd.make_dataset(100, 2.0, 1.0, 1.0, (o, 10.0 + o)) for o in offsets]
    predicted = [gd.analyze(data, (0.01, 0.01)).predicted_epochs or np.inf for data in shifted]
    fastest = offsets[int(np.argmin(predicted))]
    assert offsets[0] < fastest < offsets[-1]
    summary = app.markdown[0].value
    assert f"**Gradient descent** converges fastest at the offset = {fastest:.4g}" in summary
    assert "edge of the range" not in summary


def test_the_old_offset_range_is_called_an_edge_and_rho_stays_readable():
    app = sweep_page(sweep="x_offset", from_x_offset="0", to_x_offset="50")
    summary = app.markdown[0].value
    assert "**Momentum** converges fastest at the offset = 0 (" in summary
    assert (
        "Momentum is fastest at the range's lowest value, the offset = 0: at the edge of the "
        "range, so the optimum may lie below it; lower From to see." in summary
    )
    (chart,) = [c for c in app.get("vega_lite_chart") if "spectral" in c.proto.spec]
    radius = [row["radius"] for row in datasets(chart)["points"]]
    # ρ of plain GD at the offset's rates, from the Hessian of each shifted dataset.
    offsets = np.linspace(0.0, 50.0, 40)
    shifted = [gd.make_dataset(100, 2.0, 1.0, 1.0, (o, 10.0 + o)) for o in offsets]
    plain = [gd.analyze(data, (0.01, 0.01)).spectral_radius for data in shifted]
    np.testing.assert_allclose(sorted(radius)[-1], max(plain), rtol=1e-9)
    above = [value for value in radius if value > sweep_charts.RADIUS_TOP]
    assert above and max(radius) > 50
    (rho,) = [p for p in caption_paragraphs(app) if p.startswith("ρ is")]
    assert f"{len(above)} of {len(radius)} points lie above it" in rho
    assert f"(ρ up to {max(above):.4g})" in rho
    assert json.loads(chart.proto.spec)["layer"][1]["encoding"]["y"]["scale"]["domainMax"] == 2


def test_a_reversed_range_says_which_box_to_move_to_widen_it():
    # From 50 down to 0: the lowest value, 0, is in the To box. "lower From" would have the
    # student narrow the range from its other end.
    app = sweep_page(sweep="x_offset", from_x_offset="50", to_x_offset="0")
    summary = app.markdown[0].value
    assert "Momentum is fastest at the range's lowest value, the offset = 0" in summary
    assert "may lie below it; lower To to see." in summary and "lower From" not in summary


def test_the_rate_sweeps_rho_chart_keeps_its_own_axis_when_every_rho_fits():
    app = sweep_page(sweep_with="Gradient descent", sweep_points="8")
    (rho,) = [p for p in caption_paragraphs(app) if p.startswith("ρ is")]
    assert "The axis stops" not in rho
    (chart,) = [c.proto.spec for c in app.get("vega_lite_chart") if "spectral" in c.proto.spec]
    assert "domainMax" not in chart


def test_a_sweep_of_n_says_it_ran_fewer_points_than_the_slider_asked():
    app = sweep_page(sweep="n", sweep_points="200", sweep_with="Gradient descent")
    assert (
        f"{MAX_WHOLE_POINTS} of the 200 points asked for: a sweep of n runs at most "
        f"{MAX_WHOLE_POINTS} points" in app.markdown[0].value
    )
    (points,) = [s for s in app.slider if s.key == "sweep_points"]
    assert f"At most {MAX_WHOLE_POINTS} points" in points.help


def test_the_batch_sweep_says_the_sizes_past_n_are_one_full_batch_run():
    app = sweep_page(sweep="batch_size", sweep_with="Momentum")
    summary = app.markdown[0].value
    assert "**Momentum** converges fastest at batch size from 128 to 1,024" in summary
    assert (
        "With n = 100, every batch of 100 or more is the full batch: the sizes 128 to 1,024 "
        "are 4 points of one run, so they tie." in summary
    )
    assert "edge of the range" not in summary  # larger sizes are the same full batch
