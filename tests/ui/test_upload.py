"""Every file of the upload corpus (tests/data) through the sidebar's real st.file_uploader.

An accepted file must give exactly the corpus points and np.linalg.lstsq's optimum; a refused
one a message naming the problem and where it is, with no exception and nothing else lost.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

import gd_core as gd
from tests.data.make_corpus import X, Y
from tests.ui.helpers import charts, dataset, datasets, fresh_app, shown
from ui.plain.upload import read_points, read_table
from ui.state.presets import KEPT_FILE_NOTE

DATA = Path(__file__).resolve().parents[1] / "data"
CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"
POINTS = np.column_stack([X, Y]).astype(float)

ACCEPTED = [
    "header_comma.csv",
    "no_header.csv",
    "semicolon_crlf.csv",
    "tab_separated.tsv",
    "utf8_bom.csv",
    "latin1_header.csv",
    "scientific_notation.csv",
    "blank_lines_and_spaces.csv",
    "decimal_comma.csv",
    "excel_unicode_text.txt",
    "numpy_savetxt.txt",
    "quoted_header.csv",
    "markup_header.csv",
]
# File → what the message must say (the problem, and the line or column where it is).
REFUSED = {
    "empty.csv": ["The file is empty"],
    "blank.csv": ["The file is empty"],
    "one_row.csv": ["1 complete row(s)", "at least 2 points"],
    "single_column.csv": ["Only one column", "the first line reads y"],
    "non_numeric.csv": ["Line 9, column y: fifteen is not a number"],
    "markup_cell.csv": ["Line 9, column y: <img src=x onerror=alert(1)>**b** is not"],
    "ragged_rows.csv": ["Line 5 has 3 values", "the lines before it have 2"],
    # Only x and y: no other column to choose, so the way out is the file or its removal.
    "all_x_equal.csv": ["Every value in the x column x is 4", "Fix the file, or remove it (×"],
    "overflow.csv": ["Line 3, column y: 2.8e200 is too large", "rescale"],
    "missing_values.csv": ["3 row(s) have a missing x or y value", "lines 4, 7, 11"],
    "xlsx_renamed.csv": ["Excel (.xlsx)", "not CSV text", "Save As"],
    "png_renamed.csv": ["a PNG picture", "not CSV text"],
    "binary_noise.csv": ["binary data, not CSV text"],
}


def uploaded(name: str, content: bytes | None = None, **query: str):
    app = fresh_app(**query).run()
    raw = (DATA / name).read_bytes() if content is None else content
    return app.file_uploader(key="csv_upload").upload(name, raw, "text/csv").run()


def least_squares(points: np.ndarray) -> np.ndarray:
    design = np.column_stack([points[:, 0], np.ones(len(points))])
    return np.linalg.lstsq(design, points[:, 1], rcond=None)[0]


def assert_fitted(app, points: np.ndarray) -> None:
    assert not app.exception and not app.error, [e.value for e in app.error]
    drawn = np.array([[row["x"], row["y"]] for row in dataset(app, "points")])
    np.testing.assert_array_equal(drawn, points)
    app.switch_page("pages/parameters.py").run()
    # The loss map's: the k and b charts are each sent their own parameter's optimum only.
    sent = [datasets(chart) for chart in app.get("vega_lite_chart")]
    ((optimum,),) = [rows["optimum"] for rows in sent if "surface" in rows]
    np.testing.assert_allclose([optimum["k"], optimum["b"]], least_squares(points), rtol=1e-12)


def test_the_corpus_is_what_make_corpus_writes():
    from tests.data.make_corpus import corpus

    written = corpus()
    on_disk = {path.name for path in DATA.iterdir() if path.name != "make_corpus.py"}
    assert on_disk == set(written) == set(ACCEPTED) | set(REFUSED) | {"extra_columns.csv"}
    for name, content in written.items():
        assert (DATA / name).read_bytes() == content, f"{name}: run tests/data/make_corpus.py"


@pytest.mark.parametrize("name", ACCEPTED)
def test_an_accepted_file_is_fitted_exactly(name):
    assert_fitted(uploaded(name), POINTS)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_refused_file_says_what_is_wrong_and_where(name):
    app = uploaded(name)
    assert not app.exception
    message = shown(app.error[0])
    for phrase in REFUSED[name]:
        assert phrase in message
    assert not app.get("vega_lite_chart"), "a refused file must not be drawn"


def test_a_constant_x_is_advised_on_by_the_columns_the_file_has():
    """With a third column another x can be chosen; with only x and y there is none, and the
    advice to choose one (all a two-column file got) pointed at a picker that is not there."""
    rows = "".join(f"5,{y},{2 * y}\n" for y in Y)
    with pytest.raises(gd.DataError) as three:
        read_points(read_table(("x,y,z\n" + rows).encode()), "x", "y")
    assert "Choose an x column whose values differ." in str(three.value)
    assert "remove it" not in str(three.value)
    two = "".join(f"5,{y}\n" for y in Y)
    with pytest.raises(gd.DataError) as only:
        read_points(read_table(("x,y\n" + two).encode()), "x", "y")
    assert "Choose an x column" not in str(only.value)
    assert "Fix the file, or remove it (× beside its name in the uploader)" in str(only.value)


def test_the_sidebar_says_how_a_file_was_read():
    app = uploaded("latin1_header.csv")
    captions = [c.value for c in app.sidebar.caption]
    assert "12 rows · header row · comma-separated · Latin-1" in captions
    app = uploaded("decimal_comma.csv")
    assert any("semicolon-separated · decimal commas · UTF-8" in c for c in captions_of(app))


def captions_of(app) -> list[str]:
    return [c.value for c in app.sidebar.caption]


def test_the_size_limit_and_the_way_to_fit_it_are_said_beside_the_uploader():
    """Streamlit refuses a file over server.maxUploadSize in the browser and says why only in
    a tooltip over its red row (E's walkthrough: a 7.5 MB file, no reason on screen)."""
    limit = tomllib.loads(CONFIG.read_text())["server"]["maxUploadSize"]
    (note,) = [c for c in captions_of(fresh_app().run()) if "refused" in c]
    assert f"over {limit} MB is refused" in note and "keep only the x and y columns" in note


@pytest.mark.parametrize(
    ("content", "note"),
    [
        (b"time,value\n0,1\n1,3\n2,4\n", "Using `time` as x and `value` as y: no columns"),
        (b"x,yy\n0,1\n1,3\n2,4\n", "Using `x` as x and `yy` as y: no column is named y."),
        (b"xx,y\n0,1\n1,3\n2,4\n", "Using `xx` as x and `y` as y: no column is named x."),
        (b"0,1\n1,3\n2,4\n", "Using `column 1` as x and `column 2` as y: the file has no"),
        (b"X,Y\n0,1\n1,3\n2,4\n", None),
        (b"y,x\n1,0\n3,1\n4,2\n", None),  # named: x is the second column, as read
    ],
)
def test_a_two_column_file_says_which_column_is_x_and_which_y(content, note):
    app = uploaded("two.csv", content)
    assert_fitted(app, np.array([[0.0, 1.0], [1.0, 3.0], [2.0, 4.0]]))
    used = [c for c in captions_of(app) if c.startswith("Using ")]
    if note is None:
        assert used == []
    else:
        assert len(used) == 1 and used[0].startswith(note)


def test_reset_says_under_the_button_that_an_uploaded_file_stays_the_data():
    app = uploaded("header_comma.csv", lr_k="0.02")
    app.button(key="_gdlab_reset").click().run()
    assert KEPT_FILE_NOTE in captions_of(app)
    assert_fitted(app, POINTS)  # still the file's points, as the note says
    app.run()
    assert KEPT_FILE_NOTE not in captions_of(app)  # said once, where it happened
    app = fresh_app(lr_k="0.02").run()
    app.button(key="_gdlab_reset").click().run()
    assert KEPT_FILE_NOTE not in captions_of(app)  # no file: nothing to say


def test_extra_columns_are_chosen_in_the_sidebar():
    app = uploaded("extra_columns.csv")
    x, y = app.selectbox(key="csv_x"), app.selectbox(key="csv_y")
    assert x.options == ["id", "student", "time_s", "distance_m", "notes"]
    assert (x.value, y.value) == ("id", "time_s")  # the first two numeric columns
    # Said, not taken silently (E's walkthrough: a,b,c became x = a, y = b without a word).
    taken = "Using id as x and time_s as y, the first two columns of numbers"
    assert any(shown(c).startswith(taken) for c in app.sidebar.caption)
    x.set_value("time_s").run()
    app.selectbox(key="csv_y").set_value("distance_m").run()
    assert not any(shown(c).startswith("Using") for c in app.sidebar.caption)  # the boxes say it
    (fit,) = charts(app)
    scatter = next(  # the points' layer, wherever the chart puts it
        layer["encoding"] for layer in fit["layer"] if layer.get("mark", {}).get("type") == "circle"
    )
    # The model's x and y, the file's names beside them: a column "b" is not the intercept.
    assert (scatter["x"]["title"], scatter["y"]["title"]) == (
        "x (column “time_s”)",
        "y (column “distance_m”)",
    )
    assert scatter["x"]["scale"]["nice"] is False  # the axis ends at the last point
    assert_fitted(app, POINTS)


def test_choosing_a_text_column_names_it():
    app = uploaded("extra_columns.csv")
    app.selectbox(key="csv_y").set_value("notes").run()
    assert "Line 2, column notes: ok is not a number" in shown(app.error[0])
    app.selectbox(key="csv_y").set_value("id").run()
    assert "x and y are both column id" in shown(app.error[0])


def test_missing_values_are_dropped_when_the_student_agrees():
    app = uploaded("missing_values.csv")
    assert "Tick 'Drop the 3 row(s) with a missing value'" in shown(app.error[0])
    drop = app.checkbox(key="csv_drop")
    assert drop.label == "Drop the 3 row(s) with a missing value"
    drop.check().run()
    complete = np.delete(POINTS, [2, 5, 9], axis=0)  # lines 4, 7 and 11 of the file
    assert_fitted(app, complete)


def test_markup_in_a_file_is_shown_as_typed():
    app = uploaded("markup_cell.csv")
    assert "column `y`: `<img src=x onerror=alert(1)>**b**` is not a number" in app.error[0].value


@pytest.mark.parametrize(
    ("header", "rows", "said", "step"),
    [
        ("x,y\n", 100_001, "100,001 rows of data below its header", "2nd"),
        ("x,y\n", 200_000, "200,000 rows of data below its header", "2nd"),
        ("", 200_001, "200,001 rows of data;", "3rd"),
    ],
)
def test_more_rows_than_the_lab_fits_are_refused_with_a_sample_to_take(header, rows, said, step):
    lines = "".join(f"{i},{2 * i + 1}\n" for i in range(rows))
    app = uploaded("big.csv", f"{header}{lines}".encode())
    message = shown(app.error[0])
    assert f"The file has {said}" in message and "at most 100,000 points" in message
    assert f"such as every {step} row" in message
    # The step asked for is the least that fits: every step-th row from the first.
    taken = len(range(0, rows, int(step[:-2])))
    assert taken <= 100_000 < len(range(0, rows, int(step[:-2]) - 1))


def test_the_most_rows_the_lab_fits_are_taken():
    lines = "".join(f"{i % 1000},{2 * (i % 1000) + 1}\n" for i in range(100_000))
    app = uploaded("most.csv", f"x,y\n{lines}".encode())
    assert not app.error and not app.exception


def test_removing_a_refused_file_brings_back_the_settings():
    app = uploaded("non_numeric.csv", noise="2.5", n="50")
    assert app.error
    app.file_uploader(key="csv_upload").clear().run()
    assert not app.error and not app.exception
    assert app.slider(key="noise").value == 2.5 and app.select_slider(key="n").value == 50
    assert len(dataset(app, "points")) == 50
