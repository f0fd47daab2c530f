"""The app's one palette: every colour a chart draws comes from here.

Hues are Okabe and Ito's colour-blind-safe set, each in two shades: one for Streamlit's light
theme and one for its dark theme. A chart does not know the theme when Python builds it (and
its template is cached for both), so each hue is a Vega signal (`shade_params`, added to every
chart by render.py) that picks its shade from the background Streamlit gives the chart, and a
mark's colour refers to that signal: the colours follow the theme in the browser, with no rerun.
The choice is made once per chart view, not once per point: Vega (as Streamlit runs it, through
its expression interpreter) evaluates a mark's colour expression for every item it draws, and
parsing the background colour for each of a line's 451 points cost 25–50 ms a page per rerun.

Chosen so that (tests/ui/test_palette.py checks each against its background and against the
others under simulated deuteranopia, protanopia and tritanopia):
- every shade is at least 3:1 against its theme's background (WCAG 1.4.11, graphics), and the
  ones that colour text (TEXT_HUES) at least 4.5:1 (WCAG 1.4.3);
- any two hues stay apart under the common colour-vision deficiencies. Charts still never rely
  on colour alone: lines that share a chart also differ in dash (DASHES), marks in shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import altair as alt

# Streamlit 1.67's chart backgrounds (its themes' bgColor); the tests measure against these.
LIGHT_BACKGROUND, DARK_BACKGROUND = "#ffffff", "#171614"


@dataclass(frozen=True)
class Hue:
    light: str  # on LIGHT_BACKGROUND
    dark: str  # on DARK_BACKGROUND


HUES = {
    "blue": Hue("#0072B2", "#56B4E9"),
    "vermillion": Hue("#C24E00", "#E69F00"),
    "green": Hue("#00664A", "#00A87A"),
    "purple": Hue("#B0609A", "#CC79A7"),
    "yellow": Hue("#6B4500", "#F0E442"),  # dark ochre on white: yellow cannot reach 3:1 there
    "neutral": Hue("#333333", "#E8E6E3"),
    # Four more for charts of many series (Compare's ten strategies shared five hues, told
    # apart only by dashes too short to see in a legend): found by a greedy search over sRGB
    # for the largest smallest ΔE to every hue above, in normal vision and under the three
    # simulated deficiencies, at 3:1 on the theme's background; each dark shade in its light
    # shade's hue family (within 20° of hue angle). Smallest ΔE: 20 (the test's bar is 12).
    "violet": Hue("#8A00FC", "#8A66FC"),  # dark: 4.6:1, was #7E36F6 at 3.2 (RMSProp, dotted)
    # Olive's dark shade, #6C6C1E, was 3.3:1: Compare's Adam, a dotted line, was the hardest
    # trace to see on the dark plot. #909C48 is 6.1:1, found by the same search with 4.5:1 as
    # its floor, as a dotted line shows a third of its length (ΔE ≥ 24 to every dark hue, 26
    # to those that share its dots); violet's, for RMSProp's dots, the same way.
    "olive": Hue("#849660", "#909C48"),
    "indigo": Hue("#422AAE", "#5466C6"),
    "plum": Hue("#3C0048", "#905496"),
}
# What a hue means, the same on every page: k is always blue, b always vermillion (its light
# shade; the dark theme's is Okabe-Ito orange), which a sentence calls by SAID.
K, B, MODEL, OPTIMUM, NOISE, POINTS = (
    "blue",
    "vermillion",
    "vermillion",
    "green",
    "purple",
    "neutral",
)
# A hue's name in a sentence: one true of the shade either theme draws (#C24E00 on white and
# #E69F00 on dark are both orange, 24° and 41° of hue; only the first is vermillion).
SAID = {"blue": "blue", "vermillion": "orange"}
TEXT_HUES = ("blue", "vermillion", "neutral")  # the hues charts write text in
NEUTRAL_TEXT = "neutral"  # axis, legend and title text
# Line styles in the order series take them: solid, dashed, dotted, dash-dot.
DASHES = ([1, 0], [7, 4], [2, 3], [8, 3, 2, 3])
# A legend's line swatch (a "stroke" symbol) is √size px long: 900 gives 30 px, which holds a
# whole dash-dot-dot period (21 px, below) and the dash it starts again with. Vega's default,
# 100, drew 10 px: dash-dot read as a plain dash there, and a dash as a solid line.
DASH_SWATCH = 900
# On a phone's plot two columns of Compare's names fill the width: 22 px still hold a whole
# period of every style (dash-dot-dot's 21), and 30 cut "Adam + cosine decay" short.
DASH_SWATCH_NARROW = 484

# The stability map's cells: viridis bands from slow (purple) to fast (yellow), which stays
# ordered in lightness under every colour-vision deficiency, and the outcomes that are not a
# speed apart from it. Cells sit on each other, not on the page, so one set serves both themes.
SPEED = ["#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779"]
SPEED += ["#6ece58", "#b5de2b", "#fde725"]
# Diverged is the darkest brown of ColorBrewer's oranges: a shade lighter (#a63603) read as
# the same orange as "moving away" on the dark theme (ΔE 21 under tritanopia; now ≥ 35).
NOT_CONVERGED, MOVING_AWAY, DIVERGED = "#c8c8c8", "#e66101", "#7f2704"
# Marks drawn over coloured cells: a white shape with a black outline reads on any cell.
MARK_FILL, MARK_STROKE = "#ffffff", "#000000"


def text_config() -> dict:
    """Vega-Lite config for the text around every chart (axes, legends, titles), in the
    neutral hue, well past 4.5:1 on both themes. Streamlit's theme draws it in a grey (about
    #808495, measured in Chromium: 3.8:1 on white), and axe cannot see text on a canvas, so
    nothing else would catch it. JSON, for render.py to merge into each spec."""
    text = {"expr": shade_signal(NEUTRAL_TEXT)}
    return {
        "axis": {"labelColor": text, "titleColor": text},
        "legend": {"labelColor": text, "titleColor": text},
        "title": {"color": text, "subtitleColor": text},
    }


def shade_expression(hue: str) -> str:
    """The Vega expression for `hue`'s shade on the chart's own background."""
    shades = HUES[hue]
    return f"luminance(background) < 0.4 ? '{shades.dark}' : '{shades.light}'"


def shade_signal(hue: str) -> str:
    """The name of the signal holding `hue`'s shade for the chart's theme."""
    return f"shade_{hue}"


def shade_params() -> list[dict]:
    """Every hue's shade signal, as top-level Vega-Lite params: each is evaluated when the view
    is made (Streamlit makes a new view when the theme changes) and read by the marks."""
    return [{"name": shade_signal(hue), "expr": shade_expression(hue)} for hue in HUES]


def color(hue: str) -> alt.ExprRef:
    """`hue` as a mark property (`mark_line(color=palette.color(palette.K))`): a reference
    to its shade signal, which every chart drawn by render.py defines."""
    return alt.expr(shade_signal(hue))


def scale(domain: Sequence[str], hues: Sequence[str]) -> alt.Scale:
    """A colour scale giving each value of `domain` its hue, in the theme's shade."""
    return alt.Scale(domain=list(domain), range=[color(hue) for hue in hues])


def dash_scale(domain: Sequence[str], first: int = 0) -> alt.Scale:
    """A strokeDash scale: the values of `domain` take DASHES in order from DASHES[first]
    (first=1 leaves the solid line to a chart's main series)."""
    dashes = [DASHES[(first + i) % len(DASHES)] for i in range(len(domain))]
    return alt.Scale(domain=list(domain), range=dashes)


# The order many series take hues in: ten, one each for Compare's ten strategies.
SERIES = ("blue", "vermillion", "green", "purple", "yellow", "violet", "olive", "indigo", "plum")
SERIES += ("neutral",)
# A fifth line style, for many series only: the five hues that a colour-deficient eye (or the
# dark theme) confuses with one another need five styles.
DASH_DOT_DOT = [8, 3, 2, 3, 2, 3]
SERIES_STYLES = (*DASHES, DASH_DOT_DOT)
# Each series' style (an index into SERIES_STYLES), chosen so that hues alike in hue and
# lightness in either theme, to normal or simulated colour-deficient vision, differ in style:
# blue, purple, violet, indigo and plum (one blue under deuteranopia, or four purples in the
# dark theme) take all five, and no two series that share a style come nearer than ΔE 25.
# Styles in turn had drawn violet and indigo dashed and dash-dot (both mid-blue under
# deuteranopia), and blue and plum both solid (apart only in lightness there).
SERIES_DASHES = (0, 0, 2, 1, 2, 2, 2, 3, 4, 0)


def series_scales(names: Sequence[str]) -> tuple[alt.Scale, alt.Scale]:
    """Colour and dash scales for many series (Compare's strategies): a hue each (SERIES, in
    order) and a dash each (SERIES_DASHES), so that colour is never the only difference; past
    ten series the hues repeat, each time with the next dash, so no two share both."""
    colors = [color(SERIES[i % len(SERIES)]) for i in range(len(names))]
    dashes = [
        SERIES_STYLES[(SERIES_DASHES[i % len(SERIES)] + i // len(SERIES)) % len(SERIES_STYLES)]
        for i in range(len(names))
    ]
    return alt.Scale(domain=list(names), range=colors), alt.Scale(domain=list(names), range=dashes)
