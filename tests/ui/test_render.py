"""What render_chart sends: the rows as Streamlit would convert them, from shared templates."""

import copy
import json
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest

from tests.ui.helpers import datasets, fresh_app
from ui.charts import parameter_charts, render
from ui.charts import run_charts as charts
from ui.state.pickers import LABEL_SUFFIX


def rows(frame: pd.DataFrame) -> bytes:
    return render.arrow_rows(frame)


def test_rows_of_every_kind_and_size_a_chart_draws_are_the_bytes_streamlit_sends():
    # Past 100 rows a column pyarrow converts with threads of its own; arrow_bytes does not,
    # and must still send the same table: each dtype the pages draw, gaps, another index.
    size = 1601
    frame = pd.DataFrame(
        {
            "epoch": np.arange(size),
            "loss": np.where(np.arange(size) % 7 == 0, np.nan, np.linspace(-1, 1e300, size)),
            "series": pd.Series(["k", "b", None] * (size // 3) + ["k"] * (size % 3), dtype="str"),
            "kind": pd.Categorical(["sgd", "adam"] * (size // 2) + ["sgd"] * (size % 2)),
            "settled": np.arange(size) % 2 == 0,
        }
    )
    for sample in (frame, frame.head(3), frame.iloc[::-2], frame.set_index("series")):
        assert render.arrow_bytes(sample) == dataframe_util.convert_anything_to_arrow_bytes(sample)
    mixed = pd.DataFrame({"value": [1.0, "one", None] * 50})  # pyarrow refuses it as it is
    assert render.arrow_bytes(mixed) == dataframe_util.convert_anything_to_arrow_bytes(mixed)


def _column(kind: str, size: int, seed: int) -> object:
    rng = np.random.default_rng(seed)
    if kind == "float":  # NaN is a null in Arrow, as pyarrow's pandas layer makes it
        return np.where(rng.random(size) < 0.2, np.nan, rng.normal(size=size) * 1e6)
    if kind == "int":
        return rng.integers(-(2**62), 2**62, size)
    if kind == "bool":
        return rng.random(size) < 0.5
    if kind == "str":
        words = ["k", "b", "", "η_k ≤ 1", None]
        return pd.array([words[i] for i in rng.integers(0, 5, size)], dtype="str")
    names = ["Plain GD", "Adam", "Momentum"]
    return pd.Categorical([names[i] for i in rng.integers(0, 3, size)], categories=names)


KINDS = ("float", "int", "bool", "str", "category")


@settings(max_examples=60, deadline=None)
@given(
    kinds=st.lists(st.sampled_from(KINDS), min_size=1, max_size=5),
    sizes=st.lists(st.integers(0, 300), min_size=2, max_size=2),
    start=st.integers(-5, 5),
    step=st.sampled_from([1, 2, 7]),
    named=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_a_layout_seen_before_is_built_from_its_columns_into_the_same_bytes(
    kinds, sizes, start, step, named, seed
):
    """The first frame of a layout goes pyarrow's way and teaches its metadata; every later
    one (other rows, other length, another RangeIndex) is built from its columns, and must give
    the bytes Streamlit's own conversion gives."""
    names = [f"{kind} {i}" for i, kind in enumerate(kinds)]
    for turn, size in enumerate(sizes):
        index = pd.RangeIndex(start, start + step * size, step, name="row" if named else None)
        columns = {n: _column(k, size, seed + turn) for n, k in zip(names, kinds, strict=True)}
        frame = pd.DataFrame(columns, index=index)
        expected = dataframe_util.convert_anything_to_arrow_bytes(frame)
        assert render.arrow_bytes(frame) == expected
        assert rows(frame) == expected
        layout = render._layout(frame, list(frame.items()))
        assert render._known_layout(frame, list(frame.items()), layout) is not None


def test_frames_the_column_path_cannot_rebuild_go_pyarrows_way_with_the_same_bytes():
    plain = pd.DataFrame({"epoch": np.arange(4), "loss": [4.0, np.nan, 2.0, 1.0]})
    others = [
        plain.set_index("loss"),  # an index pyarrow keeps as a column
        plain.iloc[[0, 2, 1, 3]],  # an Index of integers, not a RangeIndex
        plain.set_axis([0, 1], axis="columns"),  # labels that are not strings
        plain.assign(when=pd.date_range("2026-01-01", periods=4)),  # a kind apart
        plain.rename_axis(columns="what"),  # a named column index
    ]
    for frame in [plain, *others, *others]:  # twice: nothing learnt for them either
        expected = dataframe_util.convert_anything_to_arrow_bytes(frame)
        assert render.arrow_bytes(frame) == expected
        assert rows(frame) == expected
    for frame in others[:3] + others[4:]:
        columns = list(frame.items())
        assert render._known_layout(frame, columns, render._layout(frame, columns)) is None
    categories = pd.DataFrame({"c": pd.Categorical(["a", "b"])})
    render.arrow_bytes(categories)
    fewer = pd.DataFrame({"c": pd.Categorical(["a", "a"], categories=["a"])})  # its own layout
    assert render.arrow_bytes(fewer) == dataframe_util.convert_anything_to_arrow_bytes(fewer)


def test_a_charts_rows_are_the_bytes_streamlit_would_send_and_follow_every_change():
    frame = pd.DataFrame(
        {"epoch": np.arange(5), "loss": np.linspace(1, 2, 5), "name": list("abcde")}
    )
    assert rows(frame) == dataframe_util.convert_anything_to_arrow_bytes(frame)
    assert rows(frame.copy()) == rows(frame)  # equal rows: the same bytes
    changed = [
        frame.assign(loss=frame["loss"].where(frame.index != 3, 1.5 + 1e-15)),  # one value
        frame.assign(name=list("abcdf")),  # one string
        frame.rename(columns={"loss": "excess"}),  # a column's name
        frame.astype({"epoch": float}),  # a dtype
        frame.iloc[::-1],  # the order (and the index)
        frame.head(4),  # a row fewer
    ]
    for other in changed:
        sent = pa.ipc.open_stream(rows(other)).read_all().to_pandas()
        assert rows(other) != rows(frame)
        expected = other.reset_index(drop=isinstance(other.index, pd.RangeIndex))
        pd.testing.assert_frame_equal(sent.reset_index(drop=True), expected.reset_index(drop=True))


def _page() -> None:
    import numpy as np
    import pandas as pd

    from ui.charts import render
    from ui.charts import run_charts as charts

    path = pd.DataFrame({"epoch": np.arange(3), "loss": [3.0, 2.0, 1.0], "excess": [2.0, 1.0, 0.5]})
    references = pd.DataFrame({"line": ["noise floor σ²"], "loss": [1.0]})
    for _ in range(2):  # the same template twice in one run, then again on the rerun
        render.render_chart(
            charts.loss_chart, datasets={"path": path, "references": references}, alt="Loss"
        )


def test_drawing_never_changes_the_shared_template():
    key = render.template_key(charts.loss_chart, ())
    fresh = copy.deepcopy(render._template.__wrapped__(*key, charts.loss_chart))
    app = AppTest.from_function(_page).run()
    app.run()
    assert not app.exception
    shared = render._template(*key, charts.loss_chart)
    assert json.dumps(shared, sort_keys=True) == json.dumps(fresh, sort_keys=True)
    drawn = [chart.proto for chart in app.get("vega_lite_chart")]
    assert len(drawn) == 2 and drawn[0].spec == drawn[1].spec
    assert {d.name for d in drawn[0].datasets} == {"path", "references"}


def test_the_style_sheet_every_rerun_sends_survives_the_html_sanitiser():
    """app.py sends assets/chart_controls.css with st.html on every rerun; DOMPurify drops a
    style element whose text has a "<", which would show the pickers' hidden halves
    and unstyle the player."""
    sheet = (Path(__file__).resolve().parents[2] / "assets" / "chart_controls.css").read_text()
    assert "<" not in sheet
    # The pickers' bound halves: hidden as the element before a visible half (pickers.py).
    assert f'[data-testid="stElementContainer"][class*="{LABEL_SUFFIX}"]) {{' in sheet


def test_arguments_equal_in_value_but_not_in_type_get_their_own_template():
    keys = {render.template_key(charts.loss_chart, (value,))[1] for value in (1, 1.0, True)}
    assert len(keys) == 3
    assert render.template_key(charts.loss_chart, (0.0,)) != render.template_key(
        charts.loss_chart, (-0.0,)
    )
    assert render.template_key(charts.loss_chart, ((1, "a"),)) == render.template_key(
        charts.loss_chart, ((1, "a"),)
    )


def _array(kind: str, size: int, seed: int) -> object:
    """A column as the pages' `Columns` hold it: NumPy arrays, text as a list of strings (which
    the test turns into render.text's column)."""
    if kind == "text":
        words = ["k", "b", "", "η_k ≤ 1", "mode 1: fast, ×0.04 per epoch"]
        return [words[i] for i in np.random.default_rng(seed).integers(0, 5, size)]
    column = _column(kind, size, seed)
    return column if kind in ("str", "category") else np.asarray(column)


@settings(max_examples=60, deadline=None)
@given(
    kinds=st.lists(st.sampled_from((*KINDS, "text")), min_size=1, max_size=5),
    sizes=st.lists(st.integers(0, 300), min_size=2, max_size=2),
    seed=st.integers(0, 2**16),
    strided=st.booleans(),
)
def test_columns_are_sent_as_the_bytes_of_the_frame_pandas_makes_of_them(
    kinds, sizes, seed, strided
):
    """The first mapping of a layout teaches it through pandas; every later one is built from
    its arrays, and must give the bytes Streamlit sends for the frame pandas makes of the same
    values (text from its Python strings)."""
    names = [f"{kind} {i}" for i, kind in enumerate(kinds)]
    for turn, size in enumerate(sizes):
        plain = {n: _array(k, size, seed + turn) for n, k in zip(names, kinds, strict=True)}
        if strided:  # every other row: arrays that are views with a step
            plain = {name: values[::2] for name, values in plain.items()}
        columns = {n: render.text(v) if isinstance(v, list) else v for n, v in plain.items()}
        frame = pd.DataFrame(  # pandas' str column of the strings (an empty list is one too)
            {n: pd.array(v, dtype="str") if isinstance(v, list) else v for n, v in plain.items()}
        )
        expected = dataframe_util.convert_anything_to_arrow_bytes(frame)
        assert render.arrow_bytes(columns) == expected
        assert rows(columns) == expected
    assert render._known_columns(columns) is not None


def test_columns_of_other_kinds_go_by_pandas_and_every_change_changes_the_digest():
    objects = {"value": np.array([1.0, "one", None] * 5, dtype=object)}
    assert render._columns_layout(objects) is None
    assert rows(objects) == dataframe_util.convert_anything_to_arrow_bytes(pd.DataFrame(objects))
    as_lists = {"epoch": [0, 1, 2], "loss": [3.0, np.nan, 1.0]}
    assert rows(as_lists) == dataframe_util.convert_anything_to_arrow_bytes(pd.DataFrame(as_lists))
    columns = {"epoch": np.arange(5), "loss": np.linspace(1, 2, 5), "name": render.text("abcde")}
    digest = render._columns_digest(columns)
    equal = columns | {"epoch": np.arange(5), "name": render.text(list("abcde"))}  # new arrays
    assert render._columns_digest(equal) == digest
    changed = [
        columns | {"loss": np.where(np.arange(5) == 3, 1.5 + 1e-15, columns["loss"])},
        columns | {"name": render.text("abcdf")},
        columns | {"name": render.text(["ab", "c", "d", "e", "f"])},  # same characters, cut apart
        columns | {"name": np.array(list("abcde"))},  # NumPy text: by pandas, not the same kind
        {"epoch": columns["epoch"], "excess": columns["loss"], "name": columns["name"]},
        columns | {"epoch": columns["epoch"].astype(float)},
        {name: values[::-1] for name, values in columns.items()},
        {name: values[:4] for name, values in columns.items()},
        {"loss": columns["loss"], "epoch": columns["epoch"], "name": columns["name"]},
    ]
    for other in changed:
        assert render._columns_digest(other) != digest
        sent = pa.ipc.open_stream(rows(other)).read_all().to_pandas()
        pd.testing.assert_frame_equal(sent, pd.DataFrame(other))
    with pytest.raises(ValueError):  # pandas' own message for columns of unequal lengths
        render.arrow_bytes({"epoch": np.arange(3), "loss": np.arange(2.0)})


def test_rows_of_a_learnt_layout_are_built_each_draw_and_only_pyarrows_way_is_kept(monkeypatch):
    """Building a learnt layout's table costs what a digest and a cache hit cost, so such rows
    skip the cache; rows that go pyarrow's way (0.3–0.8 ms) are converted once and kept."""
    columns = {
        "epoch": np.arange(451),
        "loss": np.linspace(3.0, 1.0, 451),
        "name": render.text("k" * 451),
    }
    frame = pd.DataFrame({"x": np.arange(5.0), "y": np.arange(5.0) ** 2})
    render.arrow_bytes(columns), render.arrow_bytes(frame)  # their layouts learnt
    kept = []

    def keep(digest: bytes, _frame: object) -> bytes:
        kept.append(digest)
        return render.arrow_bytes(_frame)

    monkeypatch.setattr(render, "_arrow", keep)
    for _ in range(2):
        assert rows(columns) == render.arrow_bytes(columns)
        assert rows(frame) == dataframe_util.convert_anything_to_arrow_bytes(frame)
    assert kept == []
    mixed = pd.DataFrame({"value": [1.0, "one", None]})  # pyarrow refuses it as it is
    assert rows(mixed) == dataframe_util.convert_anything_to_arrow_bytes(mixed)
    as_lists = {"turn": [0, 1, 2], "cost": [3.0, np.nan, 1.0]}  # lists, of a new layout
    assert rows(as_lists) == dataframe_util.convert_anything_to_arrow_bytes(pd.DataFrame(as_lists))
    assert len(kept) == 2


def _filtered_points() -> alt.Chart:
    """A chart that reads three fields by expression only, in each way an expression can."""
    return (
        alt.Chart(alt.NamedData("rows"))
        .transform_filter("datum.cut && datum['odd name'] > 0 && datum[\"quoted\"] < 1")
        .mark_point()
        .encode(x="x:Q", tooltip=[alt.Tooltip("note:N")])
    )


def _read(build, *args) -> frozenset[str]:
    return render._fields_read(*render.template_key(build, args), build)


@settings(max_examples=40, deadline=None)
@given(
    kinds=st.lists(st.sampled_from(KINDS), min_size=1, max_size=5),
    size=st.integers(0, 300),
    seed=st.integers(0, 2**16),
    wanted=st.sets(st.integers(0, 4)),
)
def test_a_chart_gets_the_bytes_of_the_columns_it_reads_and_no_others(kinds, size, seed, wanted):
    """Columns a chart never reads are not sent; the rest go as the frame of them would."""
    names = [f"{kind} {i}" for i, kind in enumerate(kinds)]
    frame = pd.DataFrame({n: _column(k, size, seed) for n, k in zip(names, kinds, strict=True)})
    read = frozenset(names[i] for i in wanted if i < len(names)) | {"not a column"}
    kept = [name for name in names if name in read] or names  # none read: the rows still count
    sent = render.only_read(frame, read)
    if kept == names:
        assert sent is frame
    expected = dataframe_util.convert_anything_to_arrow_bytes(frame[kept])
    assert render.arrow_rows(sent) == expected
    assert render.arrow_rows(render.only_read(frame, read)) == expected  # its layout learnt
    other_index = frame.set_axis(pd.RangeIndex(3, 3 + size), axis="index")
    assert render.arrow_rows(render.only_read(other_index, read)) == (
        dataframe_util.convert_anything_to_arrow_bytes(other_index[kept])
    )
    columns = {name: frame[name].to_numpy() for name in names if "float" in name}
    assert list(render.only_read(columns, read)) == (
        [name for name in columns if name in read] or list(columns)
    )
    assert render.only_read(b"converted", frozenset()) == b"converted"


def test_the_fields_a_chart_reads_are_its_encodings_and_its_expressions_own():
    read = _read(_filtered_points)
    assert {"x", "note", "cut", "odd name", "quoted"} <= read
    assert not {"y", "loss", "k"} & read
    # Written out for the page's charts: what each draws of the run's seven columns.
    run = {"epoch", "k", "b", "loss", "excess", "dist_k", "dist_b"}
    assert run & _read(parameter_charts.parameter_chart, "k", 0) == {"epoch", "k"}
    assert run & _read(parameter_charts.parameter_chart, "b", 2) == {"epoch", "b"}
    assert run & _read(charts.loss_chart) == {"epoch", "loss"}


def test_parameters_sends_each_chart_only_the_columns_it_draws():
    app = fresh_app(seed="4").run()
    app.switch_page("pages/parameters.py").run()
    assert not app.exception
    sent = [
        {name: set(rows[0]) if rows else set() for name, rows in datasets(chart).items()}
        for chart in app.get("vega_lite_chart")
    ]
    distance, k, b, contour = sent
    assert distance[charts.DISTANCE] == {"epoch", "parameter", "value"}
    assert k[charts.PATH] == {"epoch", "k"} and b[charts.PATH] == {"epoch", "b"}
    assert contour[charts.PATH] >= {"epoch", "k", "b"}
    assert not {"excess", "dist_k", "dist_b"} & contour[charts.PATH]
    assert {"k_low", "k_high", "b_low", "b_high", "k", "b", "loss"} <= contour["surface"]
