"""What to tell a student whose link held a value the app could not use.

Streamlit drops a bad URL value (`?epochs=3000`, `?noise=abc`) and draws the widget at its
default without a word, so a shared link can quietly show something else than its sender saw.
These functions compare what the link asked for with what was drawn and say what changed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from ui.registry import Control

ShownAs = Callable[[Any], str]


def means(
    raw: str, drawn: Any, control: Control | None = None, shown_as: ShownAs | None = None
) -> bool:
    """Whether the URL text `raw` asks for the value `drawn` (as Streamlit reads URL text);
    `shown_as` formats a page widget's value as it shows it (and so writes it in links)."""
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
    if shown_as is not None:
        shown.add(shown_as(drawn))
    return text in shown


def _number(value: float) -> str:
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:.6g}"


def allowed(control: Control, asked: str = "") -> str:
    """The values `control` takes, in a few words; for a slider of many stops, the stops
    nearest the number `asked`, or every stop when it is not a number."""
    if "takes" in control.extra:  # stops the page works out as it draws them
        return control.extra["takes"]
    if control.widget == "picker":  # each choice as the box shows it, and as a link writes it
        labels = control.extra["labels"].items()
        left_out = control.extra.get("left_out")
        return (
            "one of "
            + ", ".join(f"{label} (`{value}`)" for value, label in labels)
            + (f" ({left_out})" if left_out else "")
        )
    if control.widget == "toggle":
        return "`true` or `false`"
    if control.widget == "choice":
        show = control.extra.get("format_func", _stop)
        stops = [str(show(option)) for option in control.options]
        if len(stops) <= 8:
            return "one of " + ", ".join(stops)
        ends = f"one of the slider's {len(stops)} stops from {stops[0]} to {stops[-1]}"
        near = _nearest(control.options, asked)
        if near is None:  # not a number: every stop
            return f"{ends}: {', '.join(stops)}"
        verb = "are" if len(near) == 3 else "is"
        closest = " and ".join(str(show(option)) for option in near[1:])
        return f"{ends}; the nearest to {_number(near[0])} {verb} {closest}"
    whole = "a whole number" if control.widget == "whole" else "a number"
    if control.low is not None and control.high is not None:
        top = _number(control.high)
        if "high_is" in control.extra:  # a top the page sets from another setting
            top = f"{top} ({control.extra['high_is']})"
        return f"{whole} from {_number(control.low)} to {top}"
    return whole


def _stop(option: Any) -> str:
    """A select slider's or pill's stop as shown: numbers grouped, names as they are."""
    return _number(option) if isinstance(option, int | float) else str(option)


def _nearest(options: tuple[Any, ...], asked: str) -> tuple[float, ...] | None:
    """(the asked number, the stop below it, the stop above it), either stop left out past
    the ends; None when `asked` is not a finite number or the stops are not numbers."""
    try:
        number = float(asked.strip().replace(",", ""))
    except ValueError:
        return None
    if not math.isfinite(number) or not all(isinstance(o, int | float) for o in options):
        return None
    below = [option for option in options if option < number]
    above = [option for option in options if option > number]
    return (number, *below[-1:], *above[:1])


def _shown(drawn: Any, control: Control | None, shown_as: ShownAs | None = None) -> str:
    if drawn is None:
        return control.extra.get("none_is", "left unset") if control is not None else "left unset"
    if isinstance(drawn, list | tuple):  # a multi-choice widget's choices
        return ", ".join(_shown(item, control) for item in drawn) if drawn else "none chosen"
    if control is not None and "format_func" in control.extra:
        return str(control.extra["format_func"](drawn))
    if control is not None and control.widget == "picker":
        return f"{control.extra['labels'].get(drawn, drawn)} (`{drawn}`)"
    if isinstance(drawn, bool):
        return "on" if drawn else "off"
    if shown_as is not None:
        return shown_as(drawn)
    if isinstance(drawn, int | float):
        return _number(drawn)
    return str(drawn)


def _printable(text: str) -> str:
    """Printable, without backticks (they would end the code span), and short."""
    text = "".join(c for c in text if c.isprintable()).replace("`", "'")
    return text if len(text) <= 40 else text[:40] + "…"


def unknown(key: str, raw: str | None, near: list[str], labels: dict[str, str]) -> str:
    """One line: the link's `key` is no setting of the app; the keys it is `near`, if any
    (with their sidebar `labels`), as the likely meaning."""
    asked = _printable(key if raw is None else f"{key}={raw}")
    guesses = [f"`{name}`" + (f" (**{labels[name]}**)" if name in labels else "") for name in near]
    meant = f"; did you mean {' or '.join(guesses)}?" if guesses else "."
    return f"The link's `{asked}` is not a setting of this app, so it was left out{meant}"


def unused(
    key: str, raw: str, drawn: Any, control: Control | None, shown_as: ShownAs | None = None
) -> str:
    """One line: the link's `key=raw` was not used, what it takes, and what is shown instead."""
    name = f"**{control.label}**" if control is not None else f"`{key}`"
    asked = _printable(raw)
    takes = f" It takes {allowed(control, raw)}." if control is not None else ""
    instead = _shown(drawn, control, shown_as)
    if control is not None and drawn == control.default:  # a bad value falls back to it
        instead += ", its default"
    return f"{name}: the link's `{key}={asked}` could not be used, so it is {instead}.{takes}"
