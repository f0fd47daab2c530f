"""Reading an uploaded CSV of points with pandas into a gd_core.Dataset."""

from __future__ import annotations

import io

import pandas as pd

import gd_core as gd


def read_points(raw: bytes) -> gd.Dataset:
    """The first two columns of a CSV (header or not, any common separator) as x and y.

    Raises gd.DataError with a message naming the problem, never a pandas traceback.
    """
    if not raw.strip():
        raise gd.DataError("The file is empty; upload a CSV with one x,y pair per line.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    try:
        table = pd.read_csv(io.StringIO(text), sep=None, engine="python", header=None)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as error:
        raise gd.DataError(f"This file cannot be read as CSV ({error}).") from None
    if table.shape[1] < 2:
        raise gd.DataError("The file needs two columns, x and y, separated by commas.")
    numbers = table.iloc[:, :2].apply(pd.to_numeric, errors="coerce")
    if numbers.iloc[0].isna().any() and not numbers.iloc[1:].isna().all().any():
        numbers = numbers.iloc[1:]  # the first row was a header
    bad = numbers.isna().any(axis=1)
    if bad.any():
        row = int(bad.idxmax()) + 1
        raise gd.DataError(f"Row {row} has a value that is not a number; fix or remove it.")
    return gd.Dataset(numbers.iloc[:, 0].to_numpy(), numbers.iloc[:, 1].to_numpy())
