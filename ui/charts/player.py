"""Play, pause, step and scrub through a run's epochs in the browser, with no Python rerun.

The player is a handful of Vega signals added to a chart's Vega-Lite spec:

- `epoch`, bound to a range slider ("Epoch"): where the student is; the arrow keys move it by one;
- `frame`, the last player frame at or before `epoch`, and `shown`, that frame's epoch (the
  frames are ui/plain/player_frames.py's, written here as a Vega expression); layers draw the
  rows at `shown`;
- `playing`, switched by the Play/Pause button; a timer `tick` every 50 ms advances `epoch` by
  `speed` frames a second while it is on, and it stops at the last epoch;
- Step back and Step forward buttons, one frame each.

The buttons are `<input type="button">` elements that Vega creates as bindings (so they are in
the tab order and answer Enter, Space and a tap); their clicks reach the signals as window
click events filtered by the button's name, which is why each chart's names carry a prefix.

Vega-Lite passes a parameter's extra properties through to its Vega signal, and `on` (event
handlers) is what a timer and buttons need, but the Vega-Lite schema does not list it: Altair
refuses it. So the chart is built and validated in Altair without the player, and
`with_player` adds these parameters to its dictionary.
"""

from __future__ import annotations

from typing import Any

import altair as alt

from ui.plain.player_frames import Frames
from ui.plain.receipts import LINES

RECEIPTS = "receipts"  # one row per frame, in frame order: the update panel's lines
SPEEDS = (2, 5, 10, 20, 50)  # frames a second
DEFAULT_SPEED = 20
TICKS_PER_SECOND = 20  # the timer's rate: smooth enough, cheap when paused
EPOCH, SHOWN, FRAME, PLAYING = "epoch", "shown", "frame", "playing"


def epoch_of(frames: Frames, index: str) -> str:
    """Vega expression: the epoch of frame `index` (an expression), as Frames.epoch has it."""
    linear, ratio, last = frames.linear, frames.ratio, frames.last
    return (
        f"(({index}) <= {linear} ? ({index}) : "
        f"min({last}, floor({linear} * pow({ratio!r}, ({index}) - {linear}) + 0.5)))"
    )


def _frame_at(frames: Frames) -> str:
    """Vega expression: the last frame at or before `epoch`. A logarithm guesses it, and one
    comparison each way corrects the guess where rounding put it one off."""
    if frames.linear >= frames.last:
        return f"clamp(floor({EPOCH}), 0, {frames.count})"
    guess = (
        f"({EPOCH} <= {frames.linear} ? floor({EPOCH}) : "
        f"{frames.linear} + floor(log({EPOCH} / {frames.linear}) / log({frames.ratio!r})))"
    )
    above, at = epoch_of(frames, "frame_guess + 1"), epoch_of(frames, "frame_guess")
    return (
        f"clamp({above} <= {EPOCH} ? frame_guess + 1 : "
        f"({at} > {EPOCH} ? frame_guess - 1 : frame_guess), 0, {frames.count})"
    ).replace("frame_guess", guess)


def _clicked(name: str) -> dict[str, str]:
    return {"source": "window", "type": "click", "filter": f"event.target.name === '{name}'"}


def button_names(prefix: str) -> dict[str, str]:
    """The `name` of each button's element: what a test or a click finds it by."""
    return {action: f"{prefix}_{action}" for action in ("play", "back", "forward")}


def player_params(prefix: str, frames: Frames, start: int | None = None) -> list[dict[str, Any]]:
    """The player's Vega-Lite parameters for a chart whose buttons are named `prefix`_…;
    it opens at epoch `start` (the last by default)."""
    names = button_names(prefix)
    last, count = frames.last, frames.count
    advance = (
        f"floor(speed * tick / {TICKS_PER_SECOND}) - floor(speed * (tick - 1) / {TICKS_PER_SECOND})"
    )
    at_frame = epoch_of(frames, FRAME)
    button = {"input": "button", "name": " "}  # the button's own text is its label
    return [
        {
            "name": EPOCH,
            "value": last if start is None else start,
            "bind": {"input": "range", "min": 0, "max": last, "step": 1, "name": "Epoch "},
            "on": [
                {
                    "events": {"signal": "tick"},
                    "update": epoch_of(frames, f"min({count}, frame + {advance})"),
                },
                {
                    "events": [_clicked(names["back"])],
                    "update": f"{EPOCH} > {at_frame} ? {at_frame} : "
                    + epoch_of(frames, "max(0, frame - 1)"),
                },
                {
                    "events": [_clicked(names["forward"])],
                    "update": epoch_of(frames, f"min({count}, frame + 1)"),
                },
                # Play at the last epoch starts again from the first.
                {"events": [_clicked(names["play"])], "update": f"{EPOCH} >= {last} ? 0 : {EPOCH}"},
            ],
        },
        {"name": FRAME, "expr": _frame_at(frames)},
        {"name": SHOWN, "expr": at_frame},
        {
            "name": PLAYING,
            "value": False,
            "on": [
                {"events": [_clicked(names["play"])], "update": f"!{PLAYING}"},
                {"events": {"signal": EPOCH}, "update": f"{EPOCH} >= {last} ? false : {PLAYING}"},
            ],
        },
        {
            "name": names["play"],
            "value": "▶ Play",
            "bind": button,
            "on": [{"events": {"signal": PLAYING}, "update": f"{PLAYING} ? '❚❚ Pause' : '▶ Play'"}],
        },
        {"name": names["back"], "value": "◀ Step back", "bind": button},
        {"name": names["forward"], "value": "Step forward ▶", "bind": button},
        {
            "name": "speed",
            "value": DEFAULT_SPEED,
            "bind": {
                "input": "select",
                "options": list(SPEEDS),
                "labels": [f"{speed} steps a second" for speed in SPEEDS],
                "name": "Speed ",
            },
        },
        {
            "name": "tick",
            "value": 0,
            "on": [
                {
                    "events": {"type": "timer", "throttle": 1000 // TICKS_PER_SECOND},
                    "update": f"{PLAYING} ? tick + 1 : tick",
                }
            ],
        },
    ]


def with_player(
    spec: dict[str, Any], prefix: str, frames: Frames, start: int | None = None
) -> dict[str, Any]:
    """`spec` (a chart's dictionary) with the player's parameters at its top level."""
    return spec | {"params": [*spec.get("params", []), *player_params(prefix, frames, start)]}


LINE_HEIGHT = 16


def panel_height(lines: int) -> int:
    """Pixels the panel's `lines` take under the chart (Vega takes them from the height)."""
    return LINE_HEIGHT * lines + 14 if lines else 0


def panel_title(lines: int) -> alt.TitleParams:
    """The update panel, as the chart's title under it: the RECEIPTS row of the current frame.

    A title, not text marks: Vega makes room for it at any width, and it follows `frame` with no
    data transform. `data()` reads a dataset only if some layer uses it: see `panel_anchor`.
    """
    row = f"data('{RECEIPTS}')[{FRAME}]"
    shown = ", ".join(f"{row}.line{index}" for index in range(min(lines, LINES)))
    return alt.TitleParams(
        text=alt.ExprRef(expr=f"{row} ? [{shown}] : ''"),
        orient="bottom",
        anchor="start",
        font="monospace",
        fontSize=12,
        fontWeight="normal",
        lineHeight=LINE_HEIGHT,
        offset=14,
    )


def panel_anchor() -> alt.Chart:
    """An empty layer that reads RECEIPTS, so that Vega keeps the dataset the panel reads."""
    return alt.Chart(alt.NamedData(RECEIPTS)).transform_filter("false").mark_text()
