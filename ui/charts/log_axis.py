"""Axes for log scales whose labels stay evenly spaced and readable at any width.

Vega asks a log scale for about one tick per 40 px, gets 1, 2, … 9 × every power of ten, and
then drops labels that overlap one by one: at 1,024 px the map's η_b axis read 3, 2, 1, 0.3,
0.2, 0.1, 0.03, … and the LR finder's 300, 100, 20, 3, 1, gaps that mean nothing. Here the
ticks and grid stay, and a label is written only where it keeps an even rhythm, chosen from
the axis's own extent (its scale's domain) and length, so it follows the data and the screen:

- over two decades or more, the powers of ten, every `step`-th one so that labels stay
  `space` px apart (every decade on a laptop, every other one on a phone if they crowd);
- over less, 1, 2 and 5 × each power of ten, which sit at nearly even log steps;
- over less than two fifths of a decade, Vega's own labels (its ticks are plain numbers then).

An axis within 10⁻⁵ … 10⁶ writes its powers of ten as numbers (0.001, 1,000,000); one that
reaches past either end writes every one of them as 10ⁿ, so one axis has one kind of label.
"""

from __future__ import annotations

from typing import Any, Literal

import altair as alt

from gd_core.run import SUPERSCRIPTS

Channel = Literal["x", "y"]
# Room for one label along each axis (px): a number like 0.00001 or 1,000,000 across, a line
# of text up the side.
SPACE = {"x": 64, "y": 28}
_SIZE = {"x": "width", "y": "height"}
FLUSH = 20  # px: about half of the widest label, so a centred one near an end would stick out
_POWER = "(log(datum.value) / LN10)"
_EXPONENT = f"round({_POWER})"
_PLAIN = "format(datum.value, ',~r')"


def _superscript(text: str) -> str:
    """A Vega expression: the string `text` with each digit and minus sign raised."""
    for plain, raised in SUPERSCRIPTS.items():
        text = f"replace({text}, regexp('{plain}', 'g'), '{raised}')"
    return text


def _decades(channel: Channel) -> str:
    """A Vega expression: how many powers of ten the scale's domain spans."""
    return f"abs(log(peek(domain('{channel}')) / domain('{channel}')[0]) / LN10)"


def label_expression(channel: Channel) -> str:
    """The axis's labelExpr (see the module's docstring); '' hides a tick's label."""
    decades = _decades(channel)
    step = f"max(1, ceil({decades} * {SPACE[channel]} / {_SIZE[channel]}))"
    on_decade = f"abs({_POWER} - {_EXPONENT}) < 1e-6"
    mantissa = f"(datum.value / pow(10, floor({_POWER} + 1e-9)))"
    one_two_five = " || ".join(f"abs({mantissa} - {m}) < 1e-6" for m in (1, 2, 5))
    power = "'10' + " + _superscript("'' + " + _EXPONENT)
    ends = f"domain('{channel}')[0], peek(domain('{channel}'))"
    # One style on the whole axis: 0.00001 beside 10⁻⁶ reads as two kinds of number.
    plain = f"min({ends}) > 0.99e-5 && max({ends}) < 1.01e6"
    decade_text = f"({plain} ? {_PLAIN} : {power})"
    return (
        f"{decades} >= 2 ? ({on_decade} && {_EXPONENT} % {step} == 0 ? {decade_text} : '') : "
        f"{decades} >= 0.4 ? ({one_two_five} ? {_PLAIN} : '') : datum.label"
    )


def log_axis(channel: Channel, **kwargs: Any) -> alt.Axis:
    """An axis for a log scale on `channel` ("x" or "y", the scale's name in the chart), with
    even labels; other axis properties (title, orient, …) pass through."""
    # A label within FLUSH px of an end is kept inside the axis: the LR finder's last power of
    # ten stands a few px from its end, and half of "10⁰" was cut off past the chart's edge.
    return alt.Axis(
        labelExpr=label_expression(channel),
        labelOverlap="greedy",
        labelFlush=FLUSH,
        tickCount=alt.ExprRef(tick_count(channel)),
        **kwargs,
    )


def tick_count(channel: Channel) -> str:
    """A Vega expression: Vega-Lite's own tick count (one per 40 px), or one per decade when
    the axis spans more decades than that. With fewer, Vega puts its ticks only on every
    5th or 10th decade, and the labels, which keep every `step`-th decade, met them only at
    0 and −30: Compare's L − L* axis read just 10⁰ and 10⁻³⁰. At most 400 (float64's range
    is 630 decades)."""
    own, decades = f"ceil({_SIZE[channel]} / 40)", _decades(channel)
    # An empty or overflowed domain (a diverging run's loss) has no decades to count: an
    # infinite count crashed Vega ("Invalid array length").
    return f"isFinite({decades}) ? max({own}, min(ceil({decades}) + 1, 400)) : {own}"


def legend_labels(scale: str) -> str:
    """A log colour scale's legend labelExpr: numbers (1,000) while the scale `scale` ("color")
    stays within 10⁻⁵ … 10⁶, as the axes write them; past that every label as 10ⁿ (or m×10ⁿ),
    so that one legend has one kind of label (a diverged run's loss legend read
    "100,000,000,000" beside "1e+14")."""
    ends = f"domain('{scale}')[0], peek(domain('{scale}'))"
    plain = f"min({ends}) > 0.99e-5 && max({ends}) < 1.01e6"
    exponent = f"floor({_POWER} + 1e-9)"
    mantissa = f"(datum.value / pow(10, {exponent}))"
    power = "'10' + " + _superscript(f"'' + {exponent}")
    scientific = (
        f"(abs({mantissa} - 1) < 1e-6 ? {power} : format({mantissa}, '~r') + '×' + {power})"
    )
    return f"{plain} ? {_PLAIN} : {scientific}"


def log_y(field: str, title: str) -> alt.Y:
    """A y channel on a log scale with this module's even labels: every log chart's y."""
    return alt.Y(field, title=title, scale=alt.Scale(type="log"), axis=log_axis("y"))
