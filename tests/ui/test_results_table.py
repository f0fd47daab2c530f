"""Compare's untuned results table shows each outcome whole on a laptop.

At `?batch=16` the outcomes run to 144 characters ("…, b 68 % left, swinging out to 1.55 times
of it from epoch to epoch"); the column was as wide as the table left it and cut them off at
"b 68 % left, swi". Now the column has a fixed width and the rows wrap as many lines as the
longest outcome needs, and stay one line tall when every outcome fits one.
"""

from __future__ import annotations

import json
import math

import pytest

from tests.ui.helpers import fresh_app
from ui.state import tuning

MEASURED = 5.4  # px: an outcome's characters on average in the grid's font (Chromium, 14 px)
# px: each row's padding and each line's height as Chromium drew the two-line rows
PADDING, LINE = 24, 21


def _results(**query: str):
    app = fresh_app(**query).run()
    app.switch_page("pages/compare.py").run()
    assert not app.exception and not app.error
    (table,) = [frame for frame in app.dataframe if "final loss" in frame.value.columns]
    return table


def _lines_held(row_height: int) -> int:
    return 1 if not row_height else (row_height - PADDING) // LINE


def test_a_mini_batch_race_wraps_every_outcome_whole():
    table = _results(batch="16")
    outcomes = list(table.value["outcome"])
    assert max(map(len, outcomes)) > 100  # long enough to have been cut
    width = json.loads(table.proto.columns)["outcome"]["width"]
    assert width == tuning.OUTCOME_WIDTH
    held = _lines_held(table.proto.row_height)
    for outcome in outcomes:
        assert math.ceil(len(outcome) * MEASURED / width) <= held, outcome
    assert held > 1 and table.proto.row_height > 64  # Streamlit wraps only past 4 rem


def test_the_default_race_holds_its_longest_outcome():
    # Adam's "k back within 0.1 % since epoch 407 (not shown to stay), b 0.64 % left" (89
    # characters) needs a second line; rows of outcomes that fit one stay one line tall (below).
    table = _results()
    outcomes = list(table.value["outcome"])
    assert table.proto.row_height == (tuning.outcome_row_height(outcomes) or 0)
    held = _lines_held(table.proto.row_height)
    for outcome in outcomes:
        assert math.ceil(len(outcome) * MEASURED / tuning.OUTCOME_WIDTH) <= held, outcome


@pytest.mark.parametrize(
    ("longest", "height"),
    [(0, None), (78, None), (79, tuning.TWO_LINES), (156, tuning.TWO_LINES), (157, 87)],
)
def test_rows_grow_a_line_at_a_time(longest, height):
    assert tuning.outcome_row_height(["x" * longest, "short"]) == height
