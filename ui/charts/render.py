"""Drawing a chart template with its rows: the structure is built once, the rows each run.

Building and validating a layered Altair chart costs 10–30 ms, more than Streamlit takes to
send it. A chart's structure depends on a few scalars only (an epoch count, an axis title), the
builder's own arguments, so it is cached under the builder's qualified name and those
arguments: no key is written by hand, so no scalar can be left out of one. Nothing that follows
the data (an axis extent, an optimum, a limit) is an argument: it arrives as rows, so a class of
students, each with their own data, shares every template (tests/ui/test_charts.py checks each
page). The rows are attached as named datasets, which Streamlit sends as Arrow.

Converting a DataFrame with pyarrow's pandas layer costs 0.3–0.8 ms, whatever the size: most of
it is reading the frame's layout (each column's pandas type, the index) and writing the pandas
metadata, which depend on the column names, dtypes and index alone. `arrow_bytes` reads that
once per layout and then builds each frame's table from its columns' own arrays, the call
pyarrow makes per column (0.1–0.35 ms a frame, the same bytes: tests/ui/test_render.py); a
frame outside that path (another index, a layout seen for the first time) goes pyarrow's way.
Rows of a layout learnt before are converted on every draw, not cached: from their columns
that costs about what a cache hit does (a 451-row curve 0.06 ms against 0.055; 1,600 map cells
0.12 against 0.15) and a third of a miss, which digests, converts and stores (0.16; 0.39), and
a class's visits are mostly misses (bench_class at 20 students: 841 of 1,350). Rows that go
pyarrow's way (a layout met for the first time, a frame that path cannot rebuild: 0.3–0.8 ms)
are kept by `arrow_rows`, keyed on a digest of their pickle (values, dtypes, index and column
names), so equal rows give equal bytes and a changed row cannot hit a stale entry.

Rows that are only ever drawn need no DataFrame at all: `Columns` (a column name → NumPy array
mapping) are the rows `pd.DataFrame(columns)` would hold, converted into that frame's bytes
straight from the arrays once its layout is learnt. Building the frame (0.1–0.35 ms, most of it
pandas 3 making pyarrow strings of the column labels and of any text), pickling it for the
digest and reading its columns back out cost more than the conversion itself; a mapping of
arrays is digested from their buffers (`_columns_digest`, tests/ui/test_render.py).
"""

from __future__ import annotations

import functools
import hashlib
import html
import inspect
import json
import math
import pickle
import re
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any

import altair as alt
import numpy as np
import pandas as pd
import pyarrow as pa  # Streamlit's own dependency: how it sends every frame
import streamlit as st
from streamlit import dataframe_util

from ui.charts import palette
from ui.compute import sizes
from ui.plain.alt_text import SEPARATOR

# A builder returns an Altair chart, or a finished spec where it adds what Altair cannot
# express (the player's event handlers, ui/charts/player.py).
Builder = Callable[..., alt.TopLevelMixin | dict[str, Any]]

# A chart's rows as columns: what `pd.DataFrame(columns)` would hold (a plain RangeIndex), each
# a 1-D NumPy array of numbers or bools, text as `text` makes it, or a pandas Categorical or
# str array. Any other column (an object array, a list) is sent as that DataFrame is, by pandas.
Columns = Mapping[str, Any]
Rows = pd.DataFrame | Columns | bytes  # bytes: converted already, sent as they are
# The dtype pandas 3 gives a column of strings: pyarrow-backed, NaN for missing, sent as Arrow
# large_string.
TEXT = pd.StringDtype(na_value=np.nan)


def text(values: Iterable[str]) -> pa.Array:
    """A text column for `Columns` (or a DataFrame, which keeps it as its str column as it is):
    the large_string array pandas 3 holds and sends strings as, made from Python strings in one
    pass. pandas takes 3–6 µs a string to make one from a list (`_from_sequence`), and pyarrow
    about 0.5 µs a string to read a NumPy "U" array; from a list it takes 0.05 µs."""
    return pa.array(values if isinstance(values, list) else list(values), type=pa.large_string())


# One template per builder and arguments for the whole process, shared by every session and
# never changed (render_chart copies the two top-level entries it sets). A dictionary look-up on
# the arguments' own hash: st.cache_data hashed them with its own hasher and unpickled a fresh
# copy of the whole spec for every chart of every rerun. The key holds each argument's type
# beside it (template_key): equal values of other types (1, 1.0, True; 0.0, -0.0 differ in
# type or not at all) must not share a template, and lru_cache compares with == alone.
@functools.lru_cache(maxsize=256)
def _template(
    name: str, key: tuple[Hashable, ...], args: tuple[Hashable, ...], build: Builder
) -> dict[str, Any]:
    # Validation doubles the cost of a layered chart; tests/ui/test_charts.py validates every
    # builder's output instead.
    chart = build(*args)
    return chart if isinstance(chart, dict) else chart.to_dict(validate=False)


def arrow_bytes(frame: pd.DataFrame | Columns) -> bytes:
    """`frame` as the Arrow IPC bytes of a chart dataset: the bytes st.vega_lite_chart would
    send for it (it passes bytes through as they are), made on this thread. `Columns` give
    the bytes of `pd.DataFrame(columns)`, from their arrays once that layout is known.

    Streamlit converts with pyarrow's defaults, and for a frame of more than 100 rows a column
    pyarrow starts a pool of threads for that one call: starting them cost twice the conversion
    (a 451-row loss curve 0.65 → 0.21 ms, 1,600 surface cells 2.4 → 0.7 ms), on a server whose
    cores are already shared by the class's sessions. A layout seen before is built from its
    columns (`_known_layout`). Same table, same bytes (tests/ui/test_render.py); a frame
    pyarrow cannot take as it is goes Streamlit's way, with its fixes of column types.
    """
    table = _known_table(frame)
    if table is not None:
        return dataframe_util.convert_arrow_table_to_arrow_bytes(table)
    if not isinstance(frame, pd.DataFrame):  # a layout met for the first time, or other kinds
        return arrow_bytes(_frame(frame))
    try:
        table = pa.Table.from_pandas(frame, nthreads=1)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return dataframe_util.convert_anything_to_arrow_bytes(frame)
    _learn_layout(frame, table, _layout(frame, list(frame.items())))
    return dataframe_util.convert_arrow_table_to_arrow_bytes(table)


def _known_table(frame: pd.DataFrame | Columns) -> pa.Table | None:
    """The table pyarrow makes of `frame` (of `pd.DataFrame(columns)`), built from its
    columns, if its layout was learnt; else None."""
    if isinstance(frame, pd.DataFrame):
        columns = list(frame.items())
        return _known_layout(frame, columns, _layout(frame, columns))
    return _known_columns(frame)


# A layout: the column names and dtypes of a frame with a plain RangeIndex and plain column
# labels. pyarrow's pandas metadata depends on nothing else but that index's start, stop, step
# and name (`_metadata`); a categorical dtype holds its categories, so they are in the key too.
Layout = tuple[tuple[Hashable, Any], ...]
_LAYOUTS: dict[Layout, tuple[tuple[str, ...], dict[str, Any]]] = {}
LAYOUTS = 256  # the pages draw about 40; user-named columns (uploads) make more, so bounded


def _layout(frame: pd.DataFrame, columns: list[tuple[Hashable, pd.Series]]) -> Layout | None:
    plain = (
        type(frame.index) is pd.RangeIndex
        and type(frame.columns) is pd.Index
        and frame.columns.name is None
        and not frame.attrs
    )
    if not plain or not columns or not all(isinstance(name, str) for name, _ in columns):
        return None
    return tuple((name, column.dtype) for name, column in columns)


def _metadata(known: dict[str, Any], index: pd.RangeIndex) -> bytes:
    """pyarrow's pandas metadata for a frame of a known layout, with `index`: the same JSON
    (json.dumps of the same dict in the same order, as pyarrow writes it)."""
    range_index = {
        "kind": "range",
        "name": index.name,
        "start": index.start,
        "stop": index.stop,
        "step": index.step,
    }
    return json.dumps(known | {"index_columns": [range_index]}).encode("utf8")


def _learn_layout(frame: pd.DataFrame, table: pa.Table, layout: Layout | None) -> None:
    """Keep what pyarrow wrote for `layout`, if `_metadata` gives back exactly its bytes."""
    if layout is None or layout in _LAYOUTS:
        return
    written = (table.schema.metadata or {}).get(b"pandas")
    if written is None:
        return
    known = json.loads(written)
    plain_fields = all(field.nullable and not field.metadata for field in table.schema)
    if not plain_fields or _metadata(known, frame.index) != written:
        return  # not a layout this path can rebuild: pyarrow's way each time
    if len(_LAYOUTS) >= LAYOUTS:
        _LAYOUTS.clear()  # rare (uploads with ever new column names): learnt again as met
    _LAYOUTS[layout] = (tuple(table.schema.names), known)


def _known_layout(
    frame: pd.DataFrame, columns: list[tuple[Hashable, pd.Series]], layout: Layout | None
) -> pa.Table | None:
    """The table pyarrow's from_pandas makes of `frame`, built from its columns, if its layout
    was learnt; else None.

    Per column the call pyarrow makes itself (pyarrow/pandas_compat.py, convert_column):
    pa.array(column, from_pandas=True), so NaN is a null as there; a NumPy column is passed as
    its array, which is what pyarrow reads from it, without pandas' checks on the way.
    """
    if layout is None or layout not in _LAYOUTS:
        return None
    arrays = [
        pa.array(column.to_numpy() if _numeric(dtype) else column, from_pandas=True)
        for (_, column), (_, dtype) in zip(columns, layout, strict=True)
    ]
    schema = _schema(layout, tuple(array.type for array in arrays), _range(frame.index))
    return pa.Table.from_arrays(arrays, schema=schema)


def _frame(columns: Columns) -> pd.DataFrame:
    """The frame `columns` are the rows of: `text` columns as pandas' str columns, even empty
    (pandas would guess an empty Arrow array to be of objects)."""
    return pd.DataFrame(
        {
            name: pd.array(values, dtype=TEXT) if _column_dtype(values) is TEXT else values
            for name, values in columns.items()
        }
    )


def _column_dtype(values: Any) -> Any:
    """The dtype `values` would have as a column of pd.DataFrame, for the kinds `Columns` are
    built from directly; None for any other (pandas then makes the frame and converts it)."""
    if isinstance(values, np.ndarray):
        return values.dtype if values.ndim == 1 and _numeric(values.dtype) else None
    if isinstance(values, pa.Array):
        return TEXT if values.type == pa.large_string() else None
    if isinstance(values, pd.Categorical) or (
        isinstance(values, pd.api.extensions.ExtensionArray) and values.dtype == TEXT
    ):
        return values.dtype
    return None


def _columns_layout(columns: Columns) -> Layout | None:
    """The layout `pd.DataFrame(columns)` would have, or None if it is not one built here."""
    layout = []
    for name, values in columns.items():
        dtype = _column_dtype(values)
        if dtype is None or not isinstance(name, str):
            return None
        layout.append((name, dtype))
    return tuple(layout) or None


def _known_columns(columns: Columns) -> pa.Table | None:
    """The table pyarrow makes of `pd.DataFrame(columns)`, from the arrays, if that layout was
    learnt (`_known_layout` for a frame); else None. Text is in Arrow already; every other
    array goes as `_known_layout` passes a frame's column."""
    layout = _columns_layout(columns)
    if layout is None or layout not in _LAYOUTS:
        return None
    arrays = [
        values if isinstance(values, pa.Array) else pa.array(values, from_pandas=True)
        for values in columns.values()
    ]
    if len({len(array) for array in arrays}) != 1:
        return None  # pandas' own message for columns of unequal lengths
    schema = _schema(layout, tuple(array.type for array in arrays), (0, len(arrays[0]), 1, None))
    return pa.Table.from_arrays(arrays, schema=schema)


def _range(index: pd.RangeIndex) -> tuple[int, int, int, Hashable]:
    return index.start, index.stop, index.step, index.name


@functools.lru_cache(maxsize=1024)
def _schema(
    layout: Layout, types: tuple[pa.DataType, ...], index: tuple[int, int, int, Hashable]
) -> pa.Schema:
    """The schema of a learnt layout's table with these column types and this RangeIndex
    (start, stop, step, name): the same for every draw of a chart at the same length, so built
    once, not with its metadata's JSON on every draw (25 µs of a 60 µs conversion)."""
    names, known = _LAYOUTS[layout]
    return pa.schema(
        [pa.field(name, kind) for name, kind in zip(names, types, strict=True)],
        metadata={b"pandas": _metadata(known, pd.RangeIndex(*index[:3], name=index[3]))},
    )


def _columns_digest(columns: Columns) -> bytes:
    """A digest of `columns` for `arrow_rows`: each column's name, kind, length and values
    (a NumPy array's buffer, another column's pickle), apart from any frame's digest."""
    digest = hashlib.sha256(b"columns")
    for name, values in columns.items():
        kind = str(values.type if isinstance(values, pa.Array) else values.dtype)
        digest.update(pickle.dumps((name, kind, len(values)), protocol=5))
        if isinstance(values, np.ndarray):
            digest.update(np.ascontiguousarray(values).data)
        else:
            digest.update(pickle.dumps(values, protocol=5))
    return digest.digest()


def _numeric(dtype: Any) -> bool:
    """A NumPy bool, integer or float column: pyarrow reads its values array as they are (other
    NumPy kinds, datetimes say, it treats apart, so they are passed as the column)."""
    return isinstance(dtype, np.dtype) and dtype.kind in "biuf"


@st.cache_data(
    max_entries=sizes.ROWS_ENTRIES,
    max_size=sizes.ROWS_BYTES,
    ttl=sizes.CLASS_SECONDS,
    show_spinner=False,
)
def _arrow(digest: bytes, _frame: pd.DataFrame | Columns) -> bytes:
    return arrow_bytes(_frame)


def arrow_rows(frame: Rows) -> bytes:
    """`frame` as the Arrow IPC bytes Streamlit sends for a chart's dataset (`arrow_bytes`);
    bytes are rows converted already, passed on as they are.

    Rows of a learnt layout are built from their columns every time: that costs what a digest
    and a cache hit cost, and a third of a miss (see the module's docstring). Rows that go
    pyarrow's way are converted once per content and kept."""
    if isinstance(frame, bytes):
        return frame
    if not isinstance(frame, pd.DataFrame) and _columns_layout(frame) is None:
        frame = _frame(frame)  # columns of other kinds: as the frame pandas makes of them
    if (table := _known_table(frame)) is not None:
        return dataframe_util.convert_arrow_table_to_arrow_bytes(table)
    if isinstance(frame, pd.DataFrame):
        digest = hashlib.sha256(pickle.dumps(frame, protocol=5)).digest()
    else:
        digest = _columns_digest(frame)
    # By keyword: for each positional argument st.cache_data looks the parameter's name up in
    # the function's signature (inspect.signature, ~12 µs), which made a hit 42 µs instead of
    # 18. The key is the same (names and values, in order).
    return _arrow(digest=digest, _frame=frame)


# A field name as an expression reads it: datum.k, datum['k'] or datum["k"].
_DATUM_FIELD = re.compile(r"""datum(?:\.([A-Za-z_$][\w$]*)|\[\s*(['"])(.*?)\2\s*\])""")


@functools.lru_cache(maxsize=256)
def _fields_read(
    name: str, key: tuple[Hashable, ...], args: tuple[Hashable, ...], build: Builder
) -> frozenset[str]:
    """Every name by which `build(*args)`'s spec could read a field of its rows: each string
    in it (an encoding's, a tooltip's, a sort's or a selection's field) and each field its
    expressions read as `datum.name` (filters, conditions, the player's handlers). A superset:
    a title that happens to be a column's name keeps that column, which costs bytes, never a
    mark."""
    found: set[str] = set()
    pending: list[Any] = [_template(name, key, args, build)]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            found.update(k for k in node if isinstance(k, str))
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
        elif isinstance(node, str):
            found.add(node)
            for plain, _, quoted in _DATUM_FIELD.findall(node):
                found.add(plain or quoted)
    return frozenset(found)


def only_read(frame: Rows, read: frozenset[str]) -> Rows:
    """`frame` without the columns the chart never reads (a name in no field of its spec).

    A page hands a chart the rows it has: Parameters' k chart got the run's seven columns to
    draw two, the map four, and Stability's cells an epoch count the map writes as words. The
    browser decodes every cell it is sent into each row's object, on every rerun: without them
    a Parameters move sent 413 KB instead of 462, Loss 121 instead of 159. Rows converted
    already (bytes), and columns named by something other than a string, go as they are.

    A frame with a plain RangeIndex gives the kept columns' arrays (`Columns`, the same bytes
    as the frame of them): pandas took longer to select the columns (`frame[kept]`, ~0.2 ms)
    than the conversion takes."""
    if isinstance(frame, bytes):
        return frame
    names = list(frame.columns if isinstance(frame, pd.DataFrame) else frame)
    kept = [name for name in names if not isinstance(name, str) or name in read]
    if len(kept) == len(names) or not kept:  # none read: its rows may still each draw a mark
        return frame
    if not isinstance(frame, pd.DataFrame):
        return {name: frame[name] for name in kept}
    index = frame.index
    if type(index) is not pd.RangeIndex or _range(index) != (0, len(frame), 1, None):
        return frame[kept]
    if not frame.columns.is_unique:
        return frame[kept]
    return {name: _array(frame[name]) for name in kept}


def _array(column: pd.Series) -> Any:
    """A frame's column as `Columns` hold it: a NumPy array of numbers, else pandas' own array
    (a str column's, a Categorical), which `arrow_rows` converts as pyarrow would the column."""
    return column.to_numpy() if _numeric(column.dtype) else column.array


def shared_template(build: Builder, *args: Hashable) -> dict[str, Any]:
    """The dictionary of `build(*args)`, built once per process and shared by every session:
    copy what is added to it (as render_chart and ui/charts/player.with_player do), change
    nothing. A builder that adds to another's chart builds on this one, so that its own
    arguments (a run's frames, say) do not make the other's layers be built again."""
    return _template(*template_key(build, args), build)


def template_key(
    build: Builder, args: tuple[Any, ...]
) -> tuple[str, Hashable, tuple[Hashable, ...]]:
    """The cache key of `build(*args)`: its qualified name, its arguments with their types, and
    the arguments themselves (what `_template` builds with).

    Only a module-level function has a name that says what it builds; a lambda, a nested
    function or a partial could capture a value the key does not hold. Arguments must be
    hashable (numbers, strings, tuples): a DataFrame belongs in the datasets.
    """
    if not inspect.isfunction(build) or "<" in build.__qualname__:
        raise TypeError(f"A chart builder must be a module-level function; got {build!r}.")
    try:
        hash(args)
    except TypeError as error:
        raise TypeError(f"{build.__qualname__}'s arguments must be hashable: {error}") from None
    return f"{build.__module__}.{build.__qualname__}", _typed(args), args


def _typed(value: Any) -> Hashable:
    """`value` with the type of it and of everything in it, so that == tells types apart; a
    float also by its sign bit (0.0 == -0.0)."""
    if isinstance(value, tuple):
        return (tuple, *(_typed(item) for item in value))
    if isinstance(value, float):
        return (float, value, math.copysign(1.0, value))
    return (type(value), value)


def render_chart(
    build: Builder,
    *args: Hashable,
    datasets: dict[str, Rows],
    alt: str,
    **selection: Any,
) -> Any:
    """Draw `build(*args)`'s chart with `datasets` (the rows by name: frames, `Columns`, or
    the Arrow bytes of one that `arrow_bytes` converted before).

    `alt` is what a screen reader says for the chart, in place of "Vega visualization": what
    it shows, with this run's numbers (ui/plain/alt_text.py). It is required, so that no chart
    is drawn without one. Its first line names the chart (the chart's own label) and the rest,
    this run's numbers, is a text for screen readers right after the chart: Streamlit's
    frontend keys a chart's view on its spec and label together, so a label that quoted the
    run would rebuild the chart from scratch on every rerun instead of swapping its rows.
    `selection` (a widget `key` and `on_select`) makes the chart report its selections.
    """
    key = template_key(build, args)
    template, read = _template(*key, build), _fields_read(*key, build)
    rows = {name: arrow_rows(only_read(frame, read)) for name, frame in datasets.items()}
    config = dict(template.get("config", {}))
    for part, colours in palette.text_config().items():  # the template's own settings win
        config[part] = colours | config.get(part, {})
    params = [*template.get("params", []), *palette.shade_params()]
    spec = template | {
        "datasets": template.get("datasets", {}) | rows,
        "config": config,
        "params": params,
    }
    label, _, numbers = alt.partition(SEPARATOR)
    chosen = st.vega_lite_chart(spec, width="stretch", alt=label, **selection)
    if numbers:  # out of sight, out of the layout (assets/chart_controls.css: .chart-numbers)
        st.html(f'<p class="chart-numbers">{html.escape(numbers)}</p>')
    return chosen
