"""The update panel's gradient lines and cells, against text written out by hand."""

import numpy as np

import gd_core as gd
from ui.plain import receipts
from ui.plain.receipts import SPACE, gradient_lines

# x = 1, 2 and y = 3, 5: n = 2, Σx² = 5, Σx = 3, Σxy = 13, Σy = 8.
DATA = gd.Dataset(np.array([1.0, 2.0]), np.array([3.0, 5.0]))


def test_the_gradient_is_written_with_the_datas_sums_and_the_point():
    lines = [
        line.replace(SPACE, " ") for line in gradient_lines(gd.gradient_sums(DATA), -1.5, 0.25)
    ]
    assert lines == [
        "g_k = (2/n)·(k·Σx² + b·Σx − Σxy)",
        "g_k = (2/2)·((−1.5)·5 + 0.25·3 − 13)",
        "g_b = (2/n)·(k·Σx + n·b − Σy)",
        "g_b = (2/2)·((−1.5)·3 + 2·0.25 − 8)",
    ]


def test_the_gradient_lines_of_several_frames_are_each_frames_own():
    sums = gd.gradient_sums(DATA)
    k, b = np.array([2.0, np.nan, 1e300]), np.array([-0.5, 1.0, -3.0])
    second = [line.replace(SPACE, " ") for line in receipts._gradient_columns(sums, k, b)[1]]
    assert second == [
        "g_k = (2/2)·(2·5 + (−0.5)·3 − 13)",
        "g_k = (2/2)·(nan·5 + 1·3 − 13)",
        "g_k = (2/2)·(1e+300·5 + (−3)·3 − 13)",
    ]


def test_each_cell_is_cell_columns_wide_and_right_aligned():
    (line,) = receipts._cells("rate η", np.array([[-0.00012345678, 1234567.0]]))
    cells = line.replace(SPACE, " ")[receipts.LABEL :]
    width = receipts.CELL
    assert len(cells) == 2 * width
    assert cells == "−0.00012346".rjust(width) + "1.2346e+06".rjust(width)
