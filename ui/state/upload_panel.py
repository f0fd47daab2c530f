"""The sidebar's upload: the file, how it was read, and which columns are x and y."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

import gd_core as gd
from ui.compute.runs import uploaded_table
from ui.plain import csv_cells, upload
from ui.state.presets import UPLOAD_KEY

# Said beside every readable upload: a link reopens the settings, never the file.
LINK_NOTE = (
    "A link copied from the address bar keeps every setting but not this file: whoever opens "
    "it sees the generated points, unless they upload the same file."
)


@dataclass(frozen=True)
class UploadChoice:
    """What the sidebar passes on to DataSpec: the bytes and how to read points from them."""

    csv: bytes
    x_column: str = ""
    y_column: str = ""
    drop_missing: bool = False


def render_upload_ui() -> UploadChoice | None:
    """The uploader; for a readable file also its summary, the column choice and the drop offer.

    An unreadable file still yields a choice: the page then says what is wrong with it, in the
    main area where a student looks, while every other setting stays as it was.
    """
    limit = st.get_option("server.maxUploadSize")  # MB, .streamlit/config.toml
    file = st.file_uploader(
        "Your own points (CSV with x and y columns)",
        type=["csv", "txt", "tsv"],
        key=UPLOAD_KEY,
        help=(
            "A text file with one point per line: comma, semicolon or tab between values, "
            f"with or without a header row; at most {csv_cells.MAX_UPLOAD_ROWS:,} rows and "
            f"{limit:g} MB. It replaces the generated points until you remove it."
        ),
    )
    # Streamlit refuses a file over the limit in the browser, before this script sees it, and
    # says why only in a tooltip over the red row: the reason and the way out, always in sight.
    st.caption(upload.too_large(limit))
    if file is None:
        return None
    raw = file.getvalue()
    try:
        table = uploaded_table(raw)
    except gd.DataError:
        return UploadChoice(raw)
    st.caption(upload.describe(table))  # the file's name is on the widget itself
    st.caption(LINK_NOTE)
    x, y = table.default_columns()
    note = st.empty()  # above the boxes, said of the columns they hold
    if len(table.columns) > 2:
        # Plain options: Streamlit shows option text as typed, never as Markdown.
        left, right = st.columns(2)
        x = left.selectbox("x column", table.columns, index=table.columns.index(x), key="csv_x")
        y = right.selectbox("y column", table.columns, index=table.columns.index(y), key="csv_y")
    if used := upload.columns_used(table, x, y):
        note.caption(used)
    missing = len(table.missing_lines(x, y))
    drop = missing > 0 and st.checkbox(upload.drop_missing_label(missing), key="csv_drop")
    return UploadChoice(raw, x, y, drop)
