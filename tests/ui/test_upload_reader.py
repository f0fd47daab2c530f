"""The CSV reader against the numbers that were written: any separator, header and format."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

import gd_core as gd
from ui.plain.text import quoted
from ui.plain.upload import MISSING, columns_used, read_points, read_table

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_subnormal=False)
FORMATS = ["{!r}", "{:.17g}", "{:.17e}", "{:.17E}"]


@settings(max_examples=150, deadline=None)
@given(
    points=st.lists(st.tuples(finite, finite), min_size=2, max_size=30).filter(
        lambda points: np.ptp([x for x, _ in points]) > 1e-3  # a slope can be fitted
    ),
    separator=st.sampled_from([",", ";", "\t", "|", " "]),
    header=st.sampled_from(["", "x{s}y", "time{s}distance", '"a, b"{s}c']),
    fmt=st.sampled_from(FORMATS),
    end=st.sampled_from(["\n", "\r\n"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]),
    padding=st.sampled_from(["", " ", "  "]),
)
def test_written_points_are_read_back_exactly(
    points, separator, header, fmt, end, encoding, padding
):
    if header.startswith('"') and separator != ",":
        header = header.replace('"a, b"', "ab")
    if separator == " " and header:
        header = header.replace('"a, b"', "ab").replace(" ", "")
    lines = [header.format(s=separator)] if header else []
    lines += [
        f"{padding}{fmt.format(x)}{padding}{separator}{padding}{fmt.format(y)}" for x, y in points
    ]
    raw = end.join(lines).encode(encoding)
    table = read_table(raw)
    data = read_points(table, *table.default_columns())
    expected = np.array(points)
    np.testing.assert_array_equal(data.x, expected[:, 0])
    np.testing.assert_array_equal(data.y, expected[:, 1])
    assert table.header == bool(header)


@pytest.mark.parametrize("cell", sorted(MISSING - {""}))
def test_each_no_value_word_counts_as_missing(cell):
    table = read_table(f"x,y\n1,2\n2,{cell}\n3,7\n4,9\n".encode())
    assert table.missing_lines("x", "y") == [3]
    data = read_points(table, "x", "y", drop_missing=True)
    assert list(data.x) == [1, 3, 4]


def test_decimal_commas_are_read_only_beside_another_separator():
    table = read_table(b"x;y\n0,5;1,25\n1,5;3,25\n2,5;5,5\n")
    data = read_points(table, "x", "y")
    assert list(data.x) == [0.5, 1.5, 2.5] and list(data.y) == [1.25, 3.25, 5.5]
    table = read_table(b"x,y\n1,5\n2,7\n")  # with commas between values, 1,5 is two values
    assert not table.decimal_comma and list(read_points(table, "x", "y").y) == [5, 7]


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(exclude_characters="\x00"), min_size=1, max_size=60))
def test_quoted_text_renders_as_exactly_that_text(text):  # (a NUL means a binary file: refused)
    """CommonMark (markdown-it) must read one code span holding the text, on one line."""
    tokens = MarkdownIt("commonmark").parseInline(f"Column {quoted(text)} is bad")
    (line,) = tokens
    spans = [child for child in line.children if child.type == "code_inline"]
    assert len(spans) == 1
    one_line = " ".join(text.splitlines()) or " "
    # CommonMark turns line endings into spaces and drops one space of padding on each side.
    assert spans[0].content == one_line or (
        one_line.strip() == "" and spans[0].content.strip() == ""
    )


@pytest.mark.parametrize(
    ("raw", "said"),
    [
        # A header with a trailing comma once shifted every column (pandas took x for the row
        # names) and raised a TypeError: now the line and the fix.
        (
            b"x,y,\n1,2\n3,4\n",
            "Line 1 has 3 values, but most lines after it have 2. It ends "
            "with an extra comma: delete it, or end every line with one.",
        ),
        (b"x;y;\n1;2\n3;4\n", "It ends with an extra semicolon"),
        (b"x,y,z\n1,2\n3,4\n", "Line 1 has 3 values, but most lines after it have 2. Give "),
        # Widths that no separator makes agree were told "Only one column was found".
        (
            b"x,y\n1,2,3\n4,5\n6,7,8,9\n1,1,1,1,1\n",
            "The lines have different numbers of "
            "comma-separated values (line 1 has 2, line 2 has 3, line 4 has 4, line 5 has 5)",
        ),
        (b"y\n1\n2\n", "Only one column was found (the first line reads `y`)"),
    ],
)
def test_extra_commas_are_told_as_what_they_are(raw, said):
    with pytest.raises(gd.DataError) as error:
        read_table(raw)
    assert said in str(error.value)


def test_a_trailing_comma_on_every_line_is_an_empty_column():
    table = read_table(b"x,y,\n1,2,\n3,5,\n")
    assert table.columns[:2] == ["x", "y"] and table.default_columns() == ("x", "y")
    data = read_points(table, "x", "y")
    assert data.x.tolist() == [1.0, 3.0] and data.y.tolist() == [2.0, 5.0]


@pytest.mark.parametrize(
    ("raw", "said"),
    [
        # Every line has two values, none a number: once told "different numbers of values".
        (b"date,price\n2024-01-01,n/a\n2024-01-02,n/a\n", "line 2 reads `2024-01-01` and `n/a`"),
        (b"x,y\na,b\nc,d\n", "No column holds numbers (line 2 reads `a` and `b`)"),
        (b"x;y\na;b\nc;d\n", "No column holds numbers (line 2 reads `a` and `b`)"),
        (b"day price\nmon n/a\ntue n/a\n", "No column holds numbers (line 2 reads `mon` and"),
        (b"a,b\n", "No column holds numbers (line 1 reads `a` and `b`)"),
    ],
)
def test_a_file_of_text_is_told_that_no_column_holds_numbers(raw, said):
    with pytest.raises(gd.DataError) as error:
        read_table(raw)
    assert said in str(error.value)
    assert "different numbers" not in str(error.value)


def test_text_with_varying_widths_is_told_the_widths():
    with pytest.raises(gd.DataError) as error:
        read_table(b"x,y\na,b,c\nd,e\nf,g,h,i\n")
    assert "different numbers of comma-separated values (line 1 has 2, line 2 has 3" in str(
        error.value
    )


def test_one_text_column_is_named_with_its_first_cell():
    table = read_table(b"x,y\na,1\nb,2\nc,3\n")
    with pytest.raises(gd.DataError) as error:
        read_points(table, "x", "y")
    assert str(error.value).startswith("Line 2, column `x`: `a` is not a number")


def test_other_columns_are_offered_only_when_the_file_has_them():
    """Two columns: nothing else to choose (and no column picker), so only "Fix the cell"."""
    two = read_table(b"x,y\n1,2\n2,abc\n3,4\n")
    with pytest.raises(gd.DataError) as error:
        read_points(two, "x", "y")
    assert str(error.value).endswith("`abc` is not a number. Fix the cell.")
    three = read_table(b"x,y,z\n1,2,5\n2,abc,6\n3,4,7\n")
    with pytest.raises(gd.DataError) as error:
        read_points(three, "x", "y")
    assert str(error.value).endswith("is not a number. Fix the cell, or choose other columns.")


@pytest.mark.parametrize(
    ("raw", "taken"),
    [
        (
            b"a,b,c\n1,2,3\n4,5,6\n",
            "Using `a` as x and `b` as y, the first two columns of numbers:",
        ),
        (
            b"city,score,grade\nParis,1,A\nRome,2,B\n",
            "Using `score` as x and `city` as y, the only column of numbers and the first "
            "column of text:",
        ),
    ],
)
def test_the_columns_taken_are_described_as_what_they_hold(raw, taken):
    table = read_table(raw)
    assert columns_used(table, *table.default_columns()).startswith(taken)
