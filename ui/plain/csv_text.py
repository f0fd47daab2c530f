"""Turning an uploaded file's bytes into text, or saying plainly why it is not a CSV file.

Students upload what their tools wrote: UTF-8 with or without Excel's byte-order mark, Latin-1
from older spreadsheets, UTF-16 from Excel's "Unicode text", and now and then a workbook or a
picture renamed to .csv. Each of those gets either text or a message naming what the file is.
"""

from __future__ import annotations

import codecs

import gd_core as gd

# Leading bytes of files that are often renamed to .csv by mistake, and what to do instead.
SIGNATURES = {
    b"PK\x03\x04": "a zip archive, such as an Excel (.xlsx) or LibreOffice (.ods) workbook",
    b"\xd0\xcf\x11\xe0": "an old Excel (.xls) or Word (.doc) file",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG picture",
    b"\xff\xd8\xff": "a JPEG picture",
    b"GIF8": "a GIF picture",
}
SAVE_AS_CSV = (
    "In your spreadsheet, choose File › Save As (or Download) › CSV, and upload that file."
)
# Share of control characters (other than tab and line breaks) above which text is binary.
MAX_CONTROL_SHARE = 0.01


def decode(raw: bytes) -> tuple[str, str]:
    """The file's text and the name of its encoding; DataError for empty or binary files."""
    if not raw.strip():
        raise gd.DataError(
            "The file is empty. Upload a CSV file with one x, y pair per line, such as "
            "'x,y' followed by '1,2.9'."
        )
    for signature, kind in SIGNATURES.items():
        if raw.startswith(signature):
            raise gd.DataError(f"This file is {kind}, not CSV text. {SAVE_AS_CSV}")
    text, encoding = _text(raw)
    sample = text[:8192]
    controls = sum(1 for char in sample if char < " " and char not in "\t\r\n")
    if "\x00" in text or controls > MAX_CONTROL_SHARE * len(sample):
        raise gd.DataError(f"This file holds binary data, not CSV text. {SAVE_AS_CSV}")
    return text, encoding


def _text(raw: bytes) -> tuple[str, str]:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            pass  # not really UTF-16: fall through to the 8-bit encodings
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "UTF-8 with BOM"
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        # Every byte is a Latin-1 character, so this never fails; binary data is caught after.
        return raw.decode("latin-1"), "Latin-1"
