"""A CSV file's text as a grid of cells: which separator, which decimal mark, which header.

Forgiving about form: a header or not; comma, semicolon, tab, bar or spaces between values;
decimal commas beside semicolons; blank lines; spaces around values. Cells stay text, indexed
by the file's own line numbers; upload.py turns the chosen columns into numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Sequence

import pandas as pd

import gd_core as gd
from ui.plain.text import quoted, short

# Same as the largest "Number of points": a bigger table adds nothing to the lessons, and
# parsing it as text would take seconds and hundreds of megabytes.
MAX_UPLOAD_ROWS = 100_000
SEPARATORS = {"\t": "tab", ";": "semicolon", ",": "comma", "|": "vertical bar"}
SPACES = "spaces"
SAMPLE_LINES = 50  # lines that decide the separator and the decimal mark
SAMPLE_CHARS = 64 * 1024
# Parsed this many rows at a time: the parser's text objects for a whole 5 MB file at once
# would add tens of megabytes to the server's peak memory.
CHUNK_ROWS = 10_000
NON_BLANK_LINE = re.compile(r"^[ \t]*\S", re.MULTILINE)


def read_cells(text: str) -> tuple[pd.DataFrame, str, bool, bool]:
    """The file's text as stripped cells indexed by line, with the separator's human name
    ("comma", "tab", …), whether the first line was a header, and whether decimals use ','."""
    head = text[:SAMPLE_CHARS].splitlines()
    if len(text) > SAMPLE_CHARS:
        head = head[:-1]  # the sample may end inside a line
    numbered = [(number, line) for number, line in enumerate(head, 1) if line.strip()]
    lines = [line for _, line in numbered]
    separator, width, decimal_comma = _separator(lines[:SAMPLE_LINES])
    if separator is None:
        raise gd.DataError(_no_columns(numbered[:SAMPLE_LINES]))
    _check_first_line(*numbered[0], separator, width)
    first, *second = (_split(line, separator) for line in lines[:2])
    _check_length(text, header=_has_header(first, next(iter(second), None), decimal_comma))
    cells = _cells(text, separator, width)
    header = _has_header(cells.iloc[0], cells.iloc[1] if len(cells) > 1 else None, decimal_comma)
    if header:
        cells = _named(cells.iloc[1:], cells.iloc[0])
    else:
        cells.columns = [f"column {i + 1}" for i in range(cells.shape[1])]
    return cells, SEPARATORS.get(separator, SPACES), header, decimal_comma


def _no_columns(numbered: list[tuple[int, str]]) -> str:
    """Why no separator gives the sample numbers in two or more columns: the lines line up
    but no cell is a number (dates, words, 'n/a'), a separator splits them in varying numbers
    (extra commas), or truly one column."""
    ragged = None
    for separator in SEPARATORS:
        counts = [(number, len(_split(line, separator))) for number, line in numbered]
        if sum(count >= 2 for _, count in counts) < 0.5 * len(counts):
            continue
        firsts: dict[int, int] = {}  # each number of values, at the first line that has it
        for number, count in counts:
            firsts.setdefault(count, number)
        if len(firsts) == 1:  # every line has the same values: none of them is a number
            return _no_numbers(numbered, separator)
        ragged = ragged or (separator, firsts)
    if ragged:
        separator, firsts = ragged
        name = SEPARATORS[separator]
        shown = ", ".join(
            f"line {number} has {count}" for count, number in list(firsts.items())[:4]
        )
        return (
            f"The lines have different numbers of {name}-separated values ({shown}), so they "
            f"do not line up in columns. Give every line the same values: x and y, with "
            f"nothing after them (a {name} at the end of a line starts an empty value)."
        )
    if len({len(line.split()) for _, line in numbered}) == 1 and len(numbered[0][1].split()) > 1:
        return _no_numbers(numbered, SPACES)
    return (
        f"Only one column was found (the first line reads {quoted(short(numbered[0][1]))}). "
        "Put x and y on each line, separated by a comma, semicolon or tab."
    )


def _no_numbers(numbered: list[tuple[int, str]], separator: str) -> str:
    """Lines that split into the same columns, none of them numbers: quote a line's cells."""
    number, line = (numbered[1:] or numbered)[0]  # the first line may be a header
    cells = " and ".join(quoted(short(cell)) for cell in _split(line, separator)[:2])
    return (
        f"No column holds numbers (line {number} reads {cells}). x and y must be numbers "
        "such as 3 or -1.5: dates, words and marks such as 'n/a' cannot be fitted. Turn "
        "them into numbers (a date into days from the first, for example) and upload again."
    )


def _check_first_line(number: int, line: str, separator: str, width: int) -> None:
    """The first line may not have more values than most lines: pandas would take its first
    value for the row names and shift every column (a header such as 'x,y,')."""
    if separator == SPACES:
        return
    cells = _split(line, separator)
    if len(cells) <= width:
        return
    name = SEPARATORS[separator]
    fix = (
        f"It ends with an extra {name}: delete it, or end every line with one."
        if not any(cells[width:])
        else "Give every line the same number of values."
    )
    raise gd.DataError(
        f"Line {number} has {len(cells)} values, but most lines after it have {width}. {fix}"
    )


def _check_length(text: str, header: bool) -> None:
    # Counted without splitting, so an over-long file is refused before it costs memory.
    if text.count("\n") > MAX_UPLOAD_ROWS:
        rows = sum(1 for _ in NON_BLANK_LINE.finditer(text)) - header
        if rows > MAX_UPLOAD_ROWS:
            # Every step-th row from the first keeps ceil(rows / step) of them.
            step = -(-rows // MAX_UPLOAD_ROWS)
            below = " below its header" if header else ""
            raise gd.DataError(
                f"The file has {rows:,} rows of data{below}; the lab fits at most "
                f"{MAX_UPLOAD_ROWS:,} points (the largest 'Number of points'), so that every "
                f"change stays quick. Upload an even sample, such as every "
                f"{_ordinal(step)} row."
            )


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


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
    series = decimal_points(pd.Series(cells, dtype=str).str.strip(), decimal_comma)
    return float(pd.to_numeric(series, errors="coerce").notna().mean())


def decimal_points(cells: pd.Series, decimal_comma: bool) -> pd.Series:
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


def _has_header(first: Sequence[str], second: Sequence[str] | None, decimal_comma: bool) -> bool:
    """A first row with text where the second row has numbers is a header (with no second
    row: a first row with any text)."""
    if second is None:
        return not all(_is_number(cell, decimal_comma) for cell in first if cell)
    return any(
        cell and not _is_number(cell, decimal_comma) and _is_number(below, decimal_comma)
        for cell, below in zip(first, second, strict=False)  # sample lines may be ragged
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
