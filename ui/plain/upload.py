"""An uploaded CSV file as a table of named columns, and two of its columns as the points to fit.

Reading is forgiving about form (header or not; comma, semicolon, tab, bar or spaces between
values; decimal commas beside semicolons; blank lines; spaces around values) and strict about
content: every refusal is a `gd.DataError` that names the line and the column. Line numbers are
the file's own, counted from 1 with the header and blank lines, as a text editor shows them.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

import gd_core as gd
from gd_core.data import MAX_ABS_VALUE
from ui.plain.csv_text import decode
from ui.plain.text import quoted

# Same as the largest "Number of points": a bigger table adds nothing to the lessons, and
# parsing it as text would take seconds and hundreds of megabytes.
MAX_UPLOAD_ROWS = 100_000
SEPARATORS = {"\t": "tab", ";": "semicolon", ",": "comma", "|": "vertical bar"}
SPACES = "spaces"
# Cells that mean "no value" in the files students bring (compared in lower case).
MISSING = frozenset({"", "na", "n/a", "nan", "null", "none", "-", "?", "#n/a", "missing"})
SAMPLE_LINES = 50  # lines that decide the separator and the decimal mark
SAMPLE_CHARS = 64 * 1024
# Parsed this many rows at a time: the parser's text objects for a whole 5 MB file at once
# would add tens of megabytes to the server's peak memory.
CHUNK_ROWS = 10_000
NON_BLANK_LINE = re.compile(r"^[ \t]*\S", re.MULTILINE)


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
        numeric = [name for name in self.columns if self._mostly_numbers(name)]
        chosen = (numeric + [n for n in self.columns if n not in numeric])[:2]
        return chosen[0], chosen[1]

    def missing_lines(self, x: str, y: str) -> list[int]:
        """File lines whose x or y cell is empty or says that there is no value."""
        missing = self.cells[[x, y]].apply(lambda cells: cells.str.lower().isin(MISSING))
        return list(self.cells.index[missing.any(axis=1)])

    def numbers(self, column: str) -> pd.Series:
        """A column as floats, NaN where a value is missing; DataError naming the first bad cell."""
        values = pd.to_numeric(self._as_numbers(column), errors="coerce").astype(np.float64)
        missing = self.cells[column].str.lower().isin(MISSING)
        values[missing] = np.nan
        text = self.cells[column]
        bad = values.isna() & ~missing
        if bad.any():
            line = bad.idxmax()
            raise gd.DataError(
                f"{_cell(line, column, text[line])} is not a number{_and_more(int(bad.sum()))}. "
                "Fix the cell, or choose other columns."
            )
        huge = ~missing & ~(values.abs() <= MAX_ABS_VALUE)
        if huge.any():
            line = huge.idxmax()
            raise gd.DataError(
                f"{_cell(line, column, text[line])} is too large. Values must lie within "
                f"±{MAX_ABS_VALUE:.0e}, or the squared error overflows; "
                "rescale the column (divide it by a power of ten)."
            )
        return values

    def _as_numbers(self, column: str) -> pd.Series:
        return _decimal_points(self.cells[column], self.decimal_comma)

    def _mostly_numbers(self, column: str) -> bool:
        cells = self._as_numbers(column).head(SAMPLE_LINES)
        return bool(pd.to_numeric(cells, errors="coerce").notna().mean() >= 0.5)


def read_table(raw: bytes) -> Table:
    """The uploaded bytes as a Table; DataError for anything that is not a table of values."""
    text, encoding = decode(raw)
    _check_length(text)
    head = text[:SAMPLE_CHARS].splitlines()
    if len(text) > SAMPLE_CHARS:
        head = head[:-1]  # the sample may end inside a line
    lines = [line for line in head if line.strip()]
    separator, width, decimal_comma = _separator(lines[:SAMPLE_LINES])
    if separator is None:
        raise gd.DataError(
            f"Only one column was found (the first line reads {quoted(_short(lines[0]))}). Put "
            "x and y on each line, separated by a comma, semicolon or tab."
        )
    cells = _cells(text, separator, width)
    header = _has_header(cells, decimal_comma)
    if header:
        cells = _named(cells.iloc[1:], cells.iloc[0])
    else:
        cells.columns = [f"column {i + 1}" for i in range(cells.shape[1])]
    name = SEPARATORS.get(separator, SPACES)
    return Table(cells, encoding, name, header, decimal_comma)


def read_points(table: Table, x: str, y: str, drop_missing: bool = False) -> gd.Dataset:
    """Columns x and y of the table as a Dataset; DataError naming the line and column if not."""
    if x == y:
        raise gd.DataError(f"x and y are both column {quoted(x)}. Choose two different columns.")
    xs, ys = table.numbers(x), table.numbers(y)
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
        raise gd.DataError(
            f"Every value in the x column {quoted(x)} is {xs.iloc[0]:g}, so no slope can be "
            "fitted. Choose an x column whose values differ."
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


def _check_length(text: str) -> None:
    # Counted without splitting, so an over-long file is refused before it costs memory.
    if text.count("\n") > MAX_UPLOAD_ROWS:
        rows = sum(1 for _ in NON_BLANK_LINE.finditer(text))
        if rows > MAX_UPLOAD_ROWS + 1:
            raise gd.DataError(
                f"The file has {rows:,} rows; the lab fits at most {MAX_UPLOAD_ROWS:,} points "
                f"(the largest 'Number of points'), so that every change stays quick. Upload an "
                f"even sample, such as one row in every {-(-rows // MAX_UPLOAD_ROWS)}."
            )


def _separator(lines: list[str]) -> tuple[str | None, int, bool]:
    """The separator that splits the sample into the most numbers, the number of fields it
    gives most lines, and whether decimals use ','.

    Counting numbers rather than separators tells '1,5;2,5' (semicolons, decimal commas)
    from '1.5,2.5' (commas), and ignores a comma inside a quoted header.
    """
    best: tuple[float, str | None, int, bool] = (0.0, None, 0, False)
    body = lines[1:] or lines  # the first line may be a header
    for separator in [*SEPARATORS, SPACES]:
        widths = Counter(len(_split(line, separator)) for line in lines)
        width, count = widths.most_common(1)[0]
        if width < 2 or count < 0.5 * len(lines):
            continue
        cells = [cell for line in body for cell in _split(line, separator)]
        for decimal_comma in (False, True) if separator != "," else (False,):
            share = _numeric_share(cells, decimal_comma)
            if share > best[0]:
                best = (share, separator, width, decimal_comma)
    return best[1:]


def _split(line: str, separator: str) -> list[str]:
    if separator == SPACES:
        return line.split()
    return next(csv.reader([line], delimiter=separator, skipinitialspace=True))


def _numeric_share(cells: list[str], decimal_comma: bool) -> float:
    if not cells:
        return 0.0
    series = _decimal_points(pd.Series(cells, dtype=str).str.strip(), decimal_comma)
    return float(pd.to_numeric(series, errors="coerce").notna().mean())


def _decimal_points(cells: pd.Series, decimal_comma: bool) -> pd.Series:
    """Text as Python writes numbers: with decimal commas, each comma becomes a point."""
    return cells.str.replace(",", ".", regex=False) if decimal_comma else cells


def _cells(text: str, separator: str, width: int) -> pd.DataFrame:
    """Every field as stripped text, blank lines dropped, indexed by the file's line number."""
    options = {"sep": r"\s+" if separator == SPACES else separator}
    try:
        chunks = pd.read_csv(
            io.BytesIO(text.encode()),  # as UTF-8 bytes: a StringIO holds 4 bytes per character
            encoding="utf-8",
            chunksize=CHUNK_ROWS,
            header=None,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,  # kept, so that index + 1 is the line number
            skipinitialspace=True,
            names=range(width),  # not guessed from the first line, which may be blank
            **options,
        )
        cells = pd.concat(chunks)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise gd.DataError(_ragged(str(error))) from None
    cells = cells.fillna("").apply(lambda column: column.str.strip())
    cells.index = cells.index + 1
    return cells[(cells != "").any(axis=1)]


def _ragged(message: str) -> str:
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if not found:
        return f"The file cannot be read as a table ({message.strip()})."
    expected, line, saw = found.groups()
    return (
        f"Line {line} has {saw} values, but the lines before it have {expected}. "
        "Give every line the same number of values (an empty cell still needs its separator)."
    )


def _has_header(cells: pd.DataFrame, decimal_comma: bool) -> bool:
    """A first row with text where the second row has numbers is a header."""
    if len(cells) < 2:
        return not all(_is_number(cell, decimal_comma) for cell in cells.iloc[0] if cell)
    first, second = cells.iloc[0], cells.iloc[1]
    return any(
        cell and not _is_number(cell, decimal_comma) and _is_number(below, decimal_comma)
        for cell, below in zip(first, second, strict=True)
    )


def _is_number(cell: str, decimal_comma: bool) -> bool:
    if decimal_comma:
        cell = cell.replace(",", ".")
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _named(cells: pd.DataFrame, header: pd.Series) -> pd.DataFrame:
    names: list[str] = []
    for i, cell in enumerate(header):
        name = cell or f"column {i + 1}"
        names.append(name if name not in names else f"{name} ({i + 1})")
    return cells.set_axis(names, axis="columns")


def _lines(lines: list[int]) -> str:
    shown = ", ".join(str(line) for line in lines[:5])
    return f"line {shown}" if len(lines) == 1 else f"lines {shown}{', …' * (len(lines) > 5)}"


def _and_more(count: int) -> str:
    return f" (and {count - 1:,} more cell(s) in this column)" if count > 1 else ""


def _cell(line: int, column: str, text: str) -> str:
    return f"Line {line}, column {quoted(column)}: {quoted(_short(text))}"


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
