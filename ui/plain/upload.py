"""An uploaded CSV file as a table of named columns, and two of its columns as the points to fit.

Reading is forgiving about form (csv_text.py decodes the bytes, csv_cells.py finds the
separator, the decimal mark and the header) and strict about content: every refusal is a
`gd.DataError` that names the line and the column. Line numbers are the file's own, counted
from 1 with the header and blank lines, as a text editor shows them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

import gd_core as gd
from gd_core.data import MAX_ABS_VALUE, MAX_ABS_X, OVERFLOWS
from ui.plain.csv_cells import SAMPLE_LINES, decimal_points, read_cells
from ui.plain.csv_text import decode
from ui.plain.text import quoted, short

# The way back from a file that cannot be fitted: the uploader's own remove button.
REMOVE_FILE = "remove it (× beside its name in the uploader) to go back to the generated points"
# Cells that mean "no value" in the files students bring (compared in lower case).
MISSING = frozenset({"", "na", "n/a", "nan", "null", "none", "-", "?", "#n/a", "missing"})


@dataclass(frozen=True, eq=False)
class Table:
    """The file's cells as stripped text, one column per field, indexed by the file's line."""

    cells: pd.DataFrame
    encoding: str
    separator: str  # the human name: "comma", "tab", …
    header: bool
    decimal_comma: bool

    @property
    def columns(self) -> list[str]:
        return list(self.cells.columns)

    @property
    def rows(self) -> int:
        return len(self.cells)

    def default_columns(self) -> tuple[str, str]:
        """Columns named x and y if there are such; otherwise the first two numeric ones."""
        names = {name.strip().lower(): name for name in self.columns}
        if "x" in names and "y" in names:
            return names["x"], names["y"]
        numeric = [name for name in self.columns if self.mostly_numbers(name)]
        chosen = (numeric + [n for n in self.columns if n not in numeric])[:2]
        return chosen[0], chosen[1]

    def missing_lines(self, x: str, y: str) -> list[int]:
        """File lines whose x or y cell is empty or says that there is no value."""
        missing = self.cells[[x, y]].apply(lambda cells: cells.str.lower().isin(MISSING))
        return list(self.cells.index[missing.any(axis=1)])

    def numbers(self, column: str, role: str = "y") -> pd.Series:
        """A column as floats, NaN where a value is missing; DataError naming the first bad cell.
        `role` ("x" or "y") sets how large a value may be (gd_core.data's limits)."""
        values = pd.to_numeric(self._as_numbers(column), errors="coerce").astype(np.float64)
        missing = self.cells[column].str.lower().isin(MISSING)
        values[missing] = np.nan
        text = self.cells[column]
        bad = values.isna() & ~missing
        if bad.any():
            line = bad.idxmax()
            raise gd.DataError(
                f"{_cell(line, column, text[line])} is not a number{_and_more(int(bad.sum()))}. "
                # Only a file with a third column has other columns to choose (and a picker).
                f"Fix the cell{', or choose other columns' if len(self.columns) > 2 else ''}."
            )
        limit = MAX_ABS_X if role == "x" else MAX_ABS_VALUE
        huge = ~missing & ~(values.abs() <= limit)
        if huge.any():
            line = huge.idxmax()
            raise gd.DataError(
                f"{_cell(line, column, text[line])} is too large. Values of {role} must lie "
                f"within ±{limit:.0e}, or {OVERFLOWS[role]} overflows; "
                "rescale the column (divide it by a power of ten)."
            )
        return values

    def _as_numbers(self, column: str) -> pd.Series:
        return decimal_points(self.cells[column], self.decimal_comma)

    def mostly_numbers(self, column: str) -> bool:
        cells = self._as_numbers(column).head(SAMPLE_LINES)
        return bool(pd.to_numeric(cells, errors="coerce").notna().mean() >= 0.5)


def read_table(raw: bytes) -> Table:
    """The uploaded bytes as a Table; DataError for anything that is not a table of values."""
    text, encoding = decode(raw)
    cells, separator, header, decimal_comma = read_cells(text)
    return Table(cells, encoding, separator, header, decimal_comma)


def read_points(table: Table, x: str, y: str, drop_missing: bool = False) -> gd.Dataset:
    """Columns x and y of the table as a Dataset; DataError naming the line and column if not."""
    if x == y:
        raise gd.DataError(f"x and y are both column {quoted(x)}. Choose two different columns.")
    xs, ys = table.numbers(x, "x"), table.numbers(y, "y")
    missing = xs.isna() | ys.isna()
    if missing.any() and not drop_missing:
        lines = list(table.cells.index[missing])
        raise gd.DataError(
            f"{len(lines):,} row(s) have a missing x or y value ({_lines(lines)}). Tick "
            f"'{drop_missing_label(len(lines))}' in the sidebar to fit the other "
            f"{table.rows - len(lines):,}, or fill the cells in."
        )
    xs, ys = xs[~missing], ys[~missing]
    if len(xs) < 2:
        raise gd.DataError(
            f"Columns {quoted(x)} and {quoted(y)} have {len(xs)} complete row(s); a line needs "
            "at least 2 points. Add more rows."
        )
    if xs.nunique() == 1:
        # Only a file with a third column has another x to choose (and a picker for it).
        advice = (
            "Choose an x column whose values differ."
            if len(table.columns) > 2
            else f"Fix the file, or {REMOVE_FILE}."
        )
        raise gd.DataError(
            f"Every value in the x column {quoted(x)} is {xs.iloc[0]:g}, so no slope can be "
            f"fitted. {advice}"
        )
    return gd.Dataset(xs.to_numpy(), ys.to_numpy())


def drop_missing_label(count: int) -> str:
    """The sidebar's offer to fit without the incomplete rows (also quoted in the message)."""
    return f"Drop the {count:,} row(s) with a missing value"


def describe(table: Table) -> str:
    """One line for the sidebar saying how the file was read, so a student can check it."""
    parts = [
        f"{table.rows:,} row{'s' * (table.rows != 1)}",
        "header row" if table.header else "no header row",
        f"{table.separator}-separated",
        *(["decimal commas"] if table.decimal_comma else []),
        table.encoding,
    ]
    return " · ".join(parts)


def columns_used(table: Table, x: str, y: str) -> str | None:
    """Which columns were taken as x and y when that is not plain from their names: a typo
    such as "yy" is read as y without a word, and of a,b,c the first two were taken silently.
    With more than two columns the boxes under it choose others; once the student has, this
    is None (the boxes say it)."""
    if (x.strip().lower(), y.strip().lower()) == ("x", "y"):
        return None
    several = len(table.columns) > 2
    if several and (x, y) != table.default_columns():
        return None
    named = [axis for axis, name in (("x", x), ("y", y)) if name.strip().lower() == axis]
    missing = [axis for axis in "xy" if axis not in named]
    why = (
        "the file has no header row"
        if not table.header
        else "no columns are named x and y"
        if len(missing) == 2
        else f"no column is named {missing[0]}"
    )
    if several:
        return (
            f"Using {quoted(x)} as x and {quoted(y)} as y, {_first_two(table)}: "
            f"{why}. Pick others in the boxes below."
        )
    return f"Using {quoted(x)} as x and {quoted(y)} as y: {why}."


def _first_two(table: Table) -> str:
    """What default_columns took: numbers first, then text columns to make up two."""
    numeric = sum(table.mostly_numbers(name) for name in table.columns)
    if numeric >= 2:
        return "the first two columns of numbers"
    if numeric == 1:
        return "the only column of numbers and the first column of text"
    return "the first two columns (none holds mostly numbers)"


def axis_titles(x: str, y: str) -> tuple[str, str]:
    """The Fit chart's axis titles for the columns taken as x and y ("" for generated data):
    the model's x and y, with a file's own column name beside them, so that a column called
    "b" or "k" is not read as the intercept or the slope on the page that shows both."""
    return _axis_title("x", x), _axis_title("y", y)


def _axis_title(axis: str, column: str) -> str:
    return axis if column.strip().lower() in ("", axis) else f"{axis} (column “{column}”)"


def too_large(megabytes: float) -> str:
    """What the uploader's red row means, and how to make such a file fit."""
    return (
        f"A file over {megabytes:g} MB is refused (its row turns red) and the points stay as "
        "they were: to fit, keep only the x and y columns, round the values, or upload a "
        "sample of the rows."
    )


def _lines(lines: list[int]) -> str:
    shown = ", ".join(str(line) for line in lines[:5])
    return f"line {shown}" if len(lines) == 1 else f"lines {shown}{', …' * (len(lines) > 5)}"


def _and_more(count: int) -> str:
    return f" (and {count - 1:,} more cell(s) in this column)" if count > 1 else ""


def _cell(line: int, column: str, text: str) -> str:
    return f"Line {line}, column {quoted(column)}: {quoted(short(text))}"
