"""The update panel's lines split for sending: each line's text common to its frames, once.

The panel's rows (ui/plain/receipts.py) repeat most of their text on every frame: each line's
label padded to 22 columns, the gradient formula and the data's sums around k and b. Sent as
they are, a 450-epoch run's lines were 296 KB of Arrow strings on every rerun of Fit and
Parameters, which the browser decodes into JavaScript strings and collects again: the same
rows with one-letter lines took about 35 ms off a slider move's main-thread work on Fit
(benchmarks/profile_browser.py, medians of 3). So each line is sent as a head, the longest
prefix it shares with the same line of the other frames of its group, and each frame's tail;
the chart joins the two for the frame it shows (ui/charts/player.py: panel_title), so the text
shown is the same string. A rerun of Fit then sends 214 KB, not 360; Parameters 464, not 609.

Frames are grouped because the run's end is laid out apart ("Epoch 450: the end", no step):
its lines are not those of the steps, one below the other, and in one group with them they
would share almost nothing.
"""

from __future__ import annotations

HEAD_ROW = "head_row"  # the tails' column that says which row of the heads a frame joins


def split_heads(
    lines: dict[str, list[str]], groups: list[int]
) -> tuple[dict[str, list[str]], dict[str, list[str | None]]]:
    """Each line's heads, one per group (0, 1, …: `groups` gives each frame's), and each
    frame's tail, so that its group's head + its tail is the line. A frame's empty line (its
    panel has fewer lines than the longest) has no tail, None, and shows as an empty line."""
    count = max(groups, default=-1) + 1
    heads: dict[str, list[str]] = {}
    tails: dict[str, list[str | None]] = {}
    for name, column in lines.items():
        heads[name] = [
            _shared_prefix(
                [line for line, group in zip(column, groups, strict=True) if group == at and line]
            )
            for at in range(count)
        ]
        tails[name] = [
            line[len(heads[name][group]) :] if line else None
            for line, group in zip(column, groups, strict=True)
        ]
    return heads, tails


def _shared_prefix(lines: list[str]) -> str:
    """The longest text every one of `lines` starts with ("" for none): the one the first and
    the last in sorted order share, since every line sorts between them."""
    if not lines:
        return ""
    first, last = min(lines), max(lines)
    shared = 0
    while shared < len(first) and first[shared] == last[shared]:
        shared += 1
    return first[:shared]


def joined(head: str, tail: str | None) -> str:
    """The line a frame shows: what the chart's title expression writes, in Python."""
    return "" if tail is None else head + tail
