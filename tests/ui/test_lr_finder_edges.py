"""The LR-finder page at its edges: a curve that cannot move, and one that blows up at once.

Every sentence must be true of the test on screen (and its advice must help): checked against
gd.lr_range_test run here on the same settings.
"""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import gd_core as gd
from tests.ui.helpers import dataset, fresh_app
from ui.compute import lr_finder


def finder(**query: str):
    app = fresh_app(**query).run()
    app.switch_page("pages/lr-finder.py").run()
    assert not app.exception and not app.error
    return app


def test_a_start_on_the_least_squares_line_is_said_to_give_a_flat_curve():
    app = finder(k0="2", b0="1", noise="0")  # y = 2x + 1 exactly: the start is the fit
    data = gd.make_dataset(100, 2.0, 1.0, 0.0)
    losses = gd.lr_range_test(data, 1e-7, 10.0, 100, init=(2.0, 1.0)).losses
    assert np.ptp(losses) == 0 and losses[0] == 0.0  # L* = 0: rounding alone reads 0
    assert "The loss never changed" in app.info[0].value
    # At 0 there is nothing a log axis can draw: no curve, no rule's mark, and the text says so.
    assert "no curve and no rule can read one" in app.info[0].value
    assert dataset(app, "suggestions") == [] and dataset(app, "curve") == []
    moving = finder(k0="2", b0="0", noise="0")
    assert not [info for info in moving.info if "never changed" in info.value]


def test_a_test_that_blows_up_at_once_advises_lower_rates_not_higher():
    app = finder(lr_min="100000", lr_max="1000000", lr_steps="10")
    test = gd.lr_range_test(gd.make_dataset(100, 2.0, 1.0, 1.0), 1e5, 1e6, 10)
    assert test.stopped_at is not None and test.stopped_at < 5  # nothing left for the rules
    text = " ".join(m.value for m in app.markdown)
    assert "No rule could read this curve" in text
    assert "Lower lr_min or lr_max" in text and "raise lr_max" not in text


@settings(max_examples=60, deadline=None)
@given(
    picks=st.lists(st.sampled_from([(0.1, 2.0), (0.1, 3.0), (0.2, 2.0), (1e-3, 0.5)]), max_size=6)
)
def test_rules_marking_one_point_share_one_label_on_the_first_of_them(picks):
    """The labels as pandas gives them (groupby, transform, duplicated): the reference."""
    marks = pd.DataFrame(
        {
            "rule": [f"rule {i}" for i in range(len(picks))],
            "point_lr": [lr for lr, _ in picks],
            "point_loss": [loss for _, loss in picks],
        }
    )
    by = ["point_lr", "point_loss"]
    names = marks.groupby(by, sort=False)["rule"].transform(", ".join)
    first = ~marks.duplicated(by)
    expected = [name if keep else "" for name, keep in zip(names, first, strict=True)]
    assert lr_finder._labels(marks) == expected
