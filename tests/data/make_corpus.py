"""Writes the upload corpus: files a student might upload, each in one form or with one fault.

The files are committed; run `python tests/data/make_corpus.py` to write them again after a
change here. Every accepted file holds the same twelve points (POINTS) in another form, so a
test can compare what the app fitted with np.linalg.lstsq on POINTS. Two cases are made by the
tests themselves instead of being committed: a file over the 5 MB upload limit and one with
more rows than the lab fits.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
X = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
Y = [1.3, 2.8, 5.4, 6.9, 9.2, 10.8, 13.1, 15.2, 16.7, 19.1, 21.0, 23.2]


def rows(separator: str = ",", end: str = "\n", fmt: str = "{}") -> str:
    return "".join(
        f"{fmt.format(x)}{separator}{fmt.format(y)}{end}" for x, y in zip(X, Y, strict=True)
    )


def corpus() -> dict[str, bytes]:
    files = {
        # Accepted: the twelve points in every form a student's tools write.
        "header_comma.csv": ("x,y\n" + rows()).encode(),
        "no_header.csv": rows().encode(),
        "semicolon_crlf.csv": ("x;y\r\n" + rows(";", "\r\n")).encode(),
        "tab_separated.tsv": ("x\ty\n" + rows("\t")).encode(),
        "utf8_bom.csv": ("\ufeffZeit,Weg\n" + rows()).encode("utf-8"),
        "latin1_header.csv": ("température (°C),débit (m³)\n" + rows()).encode("latin-1"),
        "scientific_notation.csv": ("x,y\n" + rows(fmt="{:.6E}")).encode(),
        "blank_lines_and_spaces.csv": (
            "\n  x  ,   y \n"
            + "".join(
                f"  {x} ,\t{y}  \n" + ("\n" if x % 4 == 0 else "")
                for x, y in zip(X, Y, strict=True)
            )
            + "\n\n"
        ).encode(),
        "decimal_comma.csv": ("x;y\n" + rows(";").replace(".", ",")).encode(),
        "excel_unicode_text.txt": ("x\ty\r\n" + rows("\t", "\r\n")).encode("utf-16"),
        "numpy_savetxt.txt": rows(" ", fmt="{:.18e}").encode(),
        "quoted_header.csv": ('"time, s","distance, m"\n' + rows()).encode(),
        "extra_columns.csv": (
            "id,student,time_s,distance_m,notes\n"
            + "".join(
                f"{i},s{i},{x},{y},ok\n" for i, (x, y) in enumerate(zip(X, Y, strict=True), 100)
            )
        ).encode(),
        "markup_header.csv": (
            "**x** <b>bold</b>,:red[y] $y$ [link](http://example.com)\n" + rows()
        ).encode(),
        # Refused, or fitted only after the student agrees to drop rows.
        "missing_values.csv": (
            "x,y\n"
            + rows().replace("2,5.4", "2,").replace("5,10.8", ",10.8").replace("9,19.1", "9,NA")
        ).encode(),
        "empty.csv": b"",
        "blank.csv": b"  \n\n \t \n",
        "one_row.csv": b"x,y\n1,2.9\n",
        "single_column.csv": ("y\n" + "".join(f"{y}\n" for y in Y)).encode(),
        "non_numeric.csv": ("x,y\n" + rows().replace("15.2", "fifteen")).encode(),
        "markup_cell.csv": (
            "x,y\n" + rows().replace("15.2", "<img src=x onerror=alert(1)>**b**")
        ).encode(),
        "ragged_rows.csv": ("x,y\n" + rows().replace("3,6.9", "3,6.9,7")).encode(),
        "all_x_equal.csv": ("x,y\n" + "".join(f"4,{y}\n" for y in Y)).encode(),
        "overflow.csv": ("x,y\n" + rows().replace("2.8", "2.8e200")).encode(),
        "xlsx_renamed.csv": _zip(),
        "png_renamed.csv": (HERE.parents[1] / "assets" / "favicon.png").read_bytes(),
        "binary_noise.csv": np.random.default_rng(6).integers(0, 256, 2048, np.uint8).tobytes(),
    }
    return files


def _zip() -> bytes:
    """A zip archive laid out like an .xlsx workbook (its first bytes are what matter)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in (
            ("[Content_Types].xml", '<?xml version="1.0"?><Types/>'),
            ("xl/worksheets/sheet1.xml", "<worksheet/>"),
        ):
            # A fixed date, so that writing the corpus again gives the same bytes.
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()


if __name__ == "__main__":
    for name, content in corpus().items():
        (HERE / name).write_bytes(content)
    print(f"wrote {len(corpus())} files to {HERE}")
