"""Every file of the upload corpus (tests/data) through the sidebar's real st.file_uploader.

An accepted file must give exactly the corpus points and np.linalg.lstsq's optimum; a refused
one a message naming the problem and where it is, with no exception and nothing else lost.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.data.make_corpus import X, Y
from tests.ui.helpers import charts, dataset, fresh_app, shown

DATA = Path(__file__).resolve().parents[1] / "data"
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
    "all_x_equal.csv": ["Every value in the x column x is 4"],
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
    (optimum,) = dataset(app, "optimum")
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


def test_the_sidebar_says_how_a_file_was_read():
    app = uploaded("latin1_header.csv")
    assert app.sidebar.caption[0].value == "12 rows · header row · comma-separated · Latin-1"
    app = uploaded("decimal_comma.csv")
    assert "semicolon-separated · decimal commas · UTF-8" in app.sidebar.caption[0].value


def test_extra_columns_are_chosen_in_the_sidebar():
    app = uploaded("extra_columns.csv")
    x, y = app.selectbox(key="csv_x"), app.selectbox(key="csv_y")
    assert x.options == ["id", "student", "time_s", "distance_m", "notes"]
    assert (x.value, y.value) == ("id", "time_s")  # the first two numeric columns
    x.set_value("time_s").run()
    app.selectbox(key="csv_y").set_value("distance_m").run()
    (fit,) = charts(app)
    scatter = next(  # the points' layer, wherever the chart puts it
        layer["encoding"] for layer in fit["layer"] if layer.get("mark", {}).get("type") == "circle"
    )
    assert (scatter["x"]["title"], scatter["y"]["title"]) == ("time_s", "distance_m")
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
