"""The kept runs' memory figure, said in the README and in ui/plain/history.py, is one figure,
and it is what the largest kept trajectory measures (its chart rows are capped)."""

import re
from pathlib import Path

import numpy as np
import pandas as pd

import ui.plain.history as history
from ui.compute.runs import MAX_CHART_POINTS

CLASS = 60


def test_the_class_figure_is_one_number_and_the_measured_one():
    worst = pd.DataFrame(
        np.zeros((MAX_CHART_POINTS, len(history.COLUMNS))), columns=history.COLUMNS
    )
    per_run = worst.memory_usage(deep=True).sum()  # bytes: the rows dominate, as measured
    measured = CLASS * history.MAX_KEPT * per_run / 1e6
    readme = Path(__file__).parents[2].joinpath("README.md").read_text()
    said = {
        "README": re.search(r"class of 60 adds at most about (\d+) MB", readme).group(1),
        "history.py": re.search(
            r"class of 60 adds at most about\s+(\d+) MB", history.__doc__
        ).group(1),
    }
    assert len(set(said.values())) == 1, said
    assert abs(float(said["README"]) - measured) <= 0.05 * measured, (said, measured)
    assert "115 KB" in history.__doc__ and abs(per_run / 1e3 - 115) <= 6
