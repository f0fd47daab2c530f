"""A small table's rows as dictionaries, the way `DataFrame.to_dict("records")` gives them.

Pages read their tables (Compare's race, the LR finder's grades, the strategy editor's cells)
row by row for their sentences on every rerun. pandas 3 builds those rows through itertuples,
a Series per column and a boxed scalar per cell: 1.7 ms for Compare's ten-row table, read
three times a visit. Its values as one object array are the same Python scalars (float, int,
bool, str, NaN where a cell is missing) in 0.04 ms (tests/ui/test_records.py compares both on
every column kind a page's table holds).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import pandas as pd


def records(frame: pd.DataFrame) -> list[dict[Hashable, Any]]:
    """`frame.to_dict("records")`: one dictionary per row, column name → the cell's value as
    a Python scalar."""
    names = frame.columns.tolist()
    if not names:  # rows without cells: to_dict gives an empty dictionary per row
        return [{} for _ in range(len(frame))]
    return [dict(zip(names, row, strict=True)) for row in frame.to_numpy(dtype=object).tolist()]
