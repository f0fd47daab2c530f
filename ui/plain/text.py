"""Quoting text a student supplied (CSV headers and cells) so that it is shown exactly as typed.

Streamlit renders messages as Markdown, where a header such as `**x**`, `<b>x</b>`, `$x$`,
`:red[x]` or `http://…` would become formatting, HTML, maths, colour or a link. Inside a code
span Markdown shows every character as it is, and the monospace marks it as the file's text.
"""

from __future__ import annotations

import re


def quoted(text: str) -> str:
    """`text` as a Markdown code span, on one line, whatever backticks it contains."""
    text = " ".join(text.splitlines()) or " "
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    # Markdown removes one space from each end when both ends have one (unless it is all
    # spaces); a backtick at either end needs such a space too, to keep it off the fence.
    spaced = text[0] == text[-1] == " " and text.strip()
    pad = " " if spaced or "`" in (text[0], text[-1]) else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def short(text: str, limit: int = 40) -> str:
    """`text` cut to `limit` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
