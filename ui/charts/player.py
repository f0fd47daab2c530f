"""Play, pause, step and scrub through a run's epochs in the browser, with no Python rerun.

The player is a handful of Vega signals added to a chart's Vega-Lite spec:

- `epoch`, bound to a range slider ("Epoch"): where the student is; the arrow keys move it by one;
- `frame`, the last player frame at or before `epoch`, and `shown`, that frame's epoch (the
  frames are ui/plain/player_frames.py's, written here as a Vega expression); layers draw the
  rows at `shown`;
- `playing`, switched by the Play/Pause button; while it is on, a timer every 50 ms puts
  `epoch` at the frame `speed` frames a second after where Play was pressed, and it stops at
  the last epoch;
- Step back and Step forward buttons, one frame each (they pause, as the slider does).

The buttons are `<input type="button">` elements that Vega creates as bindings (so they are in
the tab order and answer Enter, Space and a tap); their clicks reach the signals as window
click events filtered by the button's name, which is why each chart's names carry a prefix.
The speed is a drop-down, and its changes arrive the same way.

Vega-Lite passes a parameter's extra properties through to its Vega signal, and `on` (event
handlers) is what a timer and buttons need, but the Vega-Lite schema does not list it: Altair
refuses it. So the chart is built and validated in Altair without the player, and
`with_player` adds these parameters to its dictionary.
"""

from __future__ import annotations

from typing import Any

import altair as alt

from ui.plain.panel_heads import HEAD_ROW
from ui.plain.player_frames import Frames
from ui.plain.receipts import LINES

RECEIPTS = "receipts"  # one row per frame, in frame order: the update panel's lines' tails
RECEIPT_HEADS = "receipt_heads"  # a row per group of frames: each line's text common to them
SPEEDS = (2, 5, 10, 20, 50)  # frames a second
DEFAULT_SPEED = 20
TICK_MS = 50  # the timer's period: 20 updates a second, and nothing to redraw when paused
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


def button_names(prefix: str) -> dict[str, str]:
    """The `name` of each button's element: what a test or a click finds it by."""
    return {action: f"{prefix}_{action}" for action in ("play", "back", "forward")}


def _dom(kind: str, name: str) -> dict[str, str]:
    """A DOM event of `kind` on the page's element named `name` (a button, the slider…)."""
    return {"source": "window", "type": kind, "filter": f"event.target.name === '{name}'"}


def player_params(prefix: str, frames: Frames) -> list[dict[str, Any]]:
    """The player's Vega-Lite parameters for a chart whose controls are named `prefix`_…;
    it opens at the last epoch, the run's result (Fit and the loss map alike).

    Every change starts from a DOM or timer event, never from another signal's change: Vega
    runs a signal's own handlers first in a new update, so what depends on `epoch` (the frame,
    the layers, the slider) follows it; a handler set off by a signal that another handler
    changed would leave those a step behind. Playing is timed from when Play (or a new speed)
    was chosen, so the speed holds however often the timer fires; a step or the slider pauses.
    """
    names = button_names(prefix)
    speed = f"{prefix}_speed"
    last, count = frames.last, frames.count
    play, back, forward = (_dom("click", names[action]) for action in ("play", "back", "forward"))
    new_speed, slid = _dom("change", speed), _dom("input", EPOCH)
    timer = {"type": "timer", "throttle": TICK_MS}
    at_frame = epoch_of(frames, FRAME)
    played = f"from_frame + floor({speed} * (now() - from_time) / 1000)"
    button = {"input": "button", "name": " "}  # the button's own text is its label
    return [
        # The buttons and the speed before the epoch: Vega adds each bound control to the page
        # in the order the signals are defined, and that is the keyboard's order, which the
        # style sheet's flex `order` does not change. With the epoch first, Tab reached the
        # slider (drawn under the buttons) before Play. The label follows `playing` as an
        # update, which Vega evaluates after `playing` whatever the order of definition.
        {
            "name": names["play"],
            "value": "▶ Play",
            "bind": button,
            "update": f"{PLAYING} ? '❚❚ Pause' : '▶ Play'",
        },
        {"name": names["back"], "value": "◀ Step back", "bind": button},
        {"name": names["forward"], "value": "Step forward ▶", "bind": button},
        {
            "name": speed,
            "value": DEFAULT_SPEED,
            "bind": {
                "input": "select",
                "options": list(SPEEDS),
                "labels": [f"{value} steps a second" for value in SPEEDS],
                "name": "Speed ",
            },
        },
        {
            "name": EPOCH,
            "value": last,
            "bind": {"input": "range", "min": 0, "max": last, "step": 1, "name": "Epoch "},
            "on": [
                {
                    "events": timer,
                    "update": f"{PLAYING} ? "
                    + epoch_of(frames, f"min({count}, {played})")
                    + f" : {EPOCH}",
                },
                {
                    "events": [back],
                    "update": f"{EPOCH} > {at_frame} ? {at_frame} : "
                    + epoch_of(frames, "max(0, frame - 1)"),
                },
                {"events": [forward], "update": epoch_of(frames, f"min({count}, frame + 1)")},
                # Play at the last epoch starts again from the first.
                {"events": [play], "update": f"{EPOCH} >= {last} ? 0 : {EPOCH}"},
            ],
        },
        {"name": FRAME, "expr": _frame_at(frames)},
        {"name": SHOWN, "expr": at_frame},
        {
            "name": PLAYING,
            "value": False,
            "on": [
                {"events": [play], "update": f"!{PLAYING}"},
                {"events": [back, forward, slid], "update": "false"},
                {"events": timer, "update": f"{EPOCH} >= {last} ? false : {PLAYING}"},
            ],
        },
        # Where and when playing (re)started: the frame, and the time in milliseconds.
        {
            "name": "from_frame",
            "value": 0,
            "on": [
                # `epoch` may already be back at 0 from this click, and `frame` not yet.
                {"events": [play], "update": f"{EPOCH} >= {last} || {EPOCH} == 0 ? 0 : frame"},
                {"events": [new_speed], "update": "frame"},
            ],
        },
        {"name": "from_time", "value": 0, "on": [{"events": [play, new_speed], "update": "now()"}]},
    ]


def with_player(spec: dict[str, Any], prefix: str, frames: Frames) -> dict[str, Any]:
    """`spec` (a chart's dictionary) with the player's parameters at its top level."""
    return spec | {"params": [*spec.get("params", []), *player_params(prefix, frames)]}


LINE_HEIGHT = 16
PHONE_PLOT_WIDTH = 420  # plots narrower than this are on a phone


def panel_height(lines: int) -> int:
    """Pixels the panel's `lines` take under the chart (Vega takes them from the height)."""
    return LINE_HEIGHT * lines + 14 if lines else 0


def panel_title(lines: int) -> alt.TitleParams:
    """The update panel, as the chart's title under it: the RECEIPTS row of the current frame.

    A title, not text marks: Vega makes room for it at any width, and it follows `frame` with no
    data transform. `data()` reads a dataset only if some layer uses it: see `panel_anchor`.
    """
    row = f"data('{RECEIPTS}')[{FRAME}]"
    heads = f"data('{RECEIPT_HEADS}')[{row}.{HEAD_ROW}]"
    # Each line is its head and the frame's tail (ui/plain/panel_heads.py); no tail, no line.
    shown = ", ".join(
        f"isValid({row}.line{index}) ? {heads}.line{index} + {row}.line{index} : ''"
        for index in range(min(lines, LINES))
    )
    return alt.TitleParams(
        text=alt.ExprRef(expr=f"{row} ? [{shown}] : ''"),
        orient="bottom",
        anchor="start",
        frame="bounds",  # from the chart's left edge, axes included: a phone needs the room
        font="monospace",
        # 46 characters a line: 12 px fits a laptop, 10 px a phone's 390 px.
        fontSize=alt.ExprRef(expr=f"width < {PHONE_PLOT_WIDTH} ? 10 : 12"),
        fontWeight="normal",
        lineHeight=LINE_HEIGHT,
        offset=14,
    )


def panel_anchor() -> alt.LayerChart:
    """Empty layers that read RECEIPTS and RECEIPT_HEADS, so that Vega keeps the datasets the
    panel reads."""
    return alt.layer(
        *(
            alt.Chart(alt.NamedData(name)).transform_filter("false").mark_text()
            for name in (RECEIPTS, RECEIPT_HEADS)
        )
    )
