"""What to tell a student whose link held a value the app could not use.

Streamlit drops a bad URL value (`?epochs=3000`, `?noise=abc`) and draws the widget at its
default without a word, so a shared link can quietly show something else than its sender saw.
These functions compare what the link asked for with what was drawn and say what changed.
"""

from __future__ import annotations

import math
from typing import Any

from ui.registry import Control


def means(raw: str, drawn: Any, control: Control | None = None) -> bool:
    """Whether the URL text `raw` asks for the value `drawn` (as Streamlit reads URL text)."""
    text = raw.strip()
    if isinstance(drawn, bool):
        return text.lower() == str(drawn).lower()
    if isinstance(drawn, int | float):
        try:
            number = float(text.replace(",", ""))
        except ValueError:
            number = math.nan
        if number == drawn:
            return True
    shown = {str(drawn)}
    if control is not None and "format_func" in control.extra:
        shown.add(str(control.extra["format_func"](drawn)))
    return text in shown


def _number(value: float) -> str:
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:.6g}"


def allowed(control: Control) -> str:
    """The values `control` takes, in a few words."""
    if control.widget == "picker":
        return "one of " + ", ".join(f"`{value}`" for value in control.extra["labels"])
    if control.widget == "toggle":
        return "`true` or `false`"
    if control.widget == "choice":
        show = control.extra.get("format_func", _number)
        stops = [str(show(option)) for option in control.options]
        if len(stops) > 8:  # the slider's stops, by their ends
            return f"one of the slider's {len(stops)} stops from {stops[0]} to {stops[-1]}"
        return "one of " + ", ".join(stops)
    whole = "a whole number" if control.widget == "whole" else "a number"
    if control.low is not None and control.high is not None:
        return f"{whole} from {_number(control.low)} to {_number(control.high)}"
    return whole


def _shown(drawn: Any, control: Control | None) -> str:
    if drawn is None:
        return "left unset"
    if isinstance(drawn, list | tuple):  # a multi-choice widget's choices
        return ", ".join(_shown(item, control) for item in drawn) if drawn else "none chosen"
    if control is not None and "format_func" in control.extra:
        return str(control.extra["format_func"](drawn))
    if control is not None and control.widget == "picker":
        return f"{control.extra['labels'].get(drawn, drawn)} (`{drawn}`)"
    if isinstance(drawn, bool):
        return "on" if drawn else "off"
    if isinstance(drawn, int | float):
        return _number(drawn)
    return str(drawn)


def unused(key: str, raw: str, drawn: Any, control: Control | None) -> str:
    """One line: the link's `key=raw` was not used, what it takes, and what is shown instead."""
    name = f"**{control.label}**" if control is not None else f"`{key}`"
    # Printable, without backticks (they would end the code span), and short.
    asked = "".join(c for c in raw if c.isprintable()).replace("`", "'")
    asked = asked if len(asked) <= 40 else asked[:40] + "…"
    takes = f" It takes {allowed(control)}." if control is not None else ""
    instead = _shown(drawn, control)
    return f"{name}: the link's `{key}={asked}` could not be used, so it is {instead}.{takes}"
