"""The Stability map's fastest cell, said from the cells' arrays, against pandas row by row."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from ui.plain import map_text

RATES = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2]


def fastest_by_rows(cells: pd.DataFrame) -> str:
    """The sentence with the cells chosen as pandas chooses them, row by row (the page's code
    before it went to NumPy): an independent reading of which cells tie, which edges they
    touch and which pair is named; the words are the page's own (map_text.fastest_told)."""
    if not cells.epochs.notna().any():
        return ""
    fewest = cells.epochs.min()
    tied = cells[cells.epochs == fewest]
    if fewest == 0:
        return map_text.fastest_told(0.0, len(tied), len(cells), (np.nan, np.nan), [])

    def on(cell, column, end):
        return cell[column] == getattr(cells[column], end)()

    edges = [
        [edge for edge in map_text._EDGES if on(cell, edge[0], edge[1])]
        for _, cell in tied.iterrows()
    ]
    inside = [cell for (_, cell), sides in zip(tied.iterrows(), edges, strict=True) if not sides]
    best = inside[0] if inside else tied.iloc[0]
    touched = [] if inside else [e for e in map_text._EDGES if any(e in s for s in edges)]
    pair = (best.lr_k, best.lr_b)
    return map_text.fastest_told(fewest, len(tied), len(cells), pair, touched)


def grid(epochs: list[float | None]) -> pd.DataFrame:
    """A map of len(RATES)² cells, η_k across and η_b up, with these epochs (None: NaN), and
    the text columns a map holds beside them."""
    lr_k, lr_b = np.meshgrid(RATES, RATES)
    values = np.array([np.nan if e is None else e for e in epochs], dtype=float)
    return pd.DataFrame(
        {
            "lr_k": lr_k.ravel(),
            "lr_b": lr_b.ravel(),
            "outcome": ["converged"] * len(values),
            "epochs": values,
        }
    )


CELLS = len(RATES) ** 2
# Few distinct epochs, so that ties, 0 and "none converges" all come up.
EPOCHS = st.lists(
    st.one_of(st.none(), st.sampled_from([0.0, 3.0, 17.0, 1234.0])),
    min_size=CELLS,
    max_size=CELLS,
)


@settings(max_examples=300)
@given(EPOCHS)
def test_the_fastest_cell_is_said_as_pandas_says_it_row_by_row(epochs):
    cells = grid(epochs)
    assert map_text.fastest_cell(cells) == fastest_by_rows(cells)


def test_each_kind_of_sentence_comes_up_and_agrees():
    inner, corner = 6, 0  # a cell off every edge; the bottom-left corner
    none = [None] * CELLS
    one_inside = grid([5.0 if i == inner else None for i in range(CELLS)])
    assert "It is" not in map_text.fastest_cell(one_inside)
    assert "is η_k = 0.0003, η_b = 0.0003, converging in 5 epochs." in map_text.fastest_cell(
        one_inside
    )
    in_corner = grid([5.0 if i == corner else None for i in range(CELLS)])
    assert "at the map's left and bottom edges" in map_text.fastest_cell(in_corner)
    tied = grid([5.0 if i in (corner, CELLS - 1) else None for i in range(CELLS)])
    assert "Both are at the map's left or right or bottom or top edge" in (
        map_text.fastest_cell(tied)
    )
    at_start = grid([0.0] * CELLS)
    assert map_text.fastest_cell(at_start).startswith("Every pair on the map converges at")
    assert map_text.fastest_cell(grid(none)) == ""
    for cells in (one_inside, in_corner, tied, at_start, grid(none)):
        assert map_text.fastest_cell(cells) == fastest_by_rows(cells)
