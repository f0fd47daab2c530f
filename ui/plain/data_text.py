"""What is wrong with the sidebar's data settings, in the sidebar's own words.

gd_core's messages name its arguments (x_range, low < high), which a student never sees; a
link or a typed value can still set them so (`?x_min=5&x_max=5`).
"""

from __future__ import annotations

from ui import registry


def x_range_problem(x_min: float, x_max: float) -> str | None:
    """Why x_min and x_max cannot make data, and how to fix it; None when they can."""
    if x_min < x_max:
        return None
    low, high = registry.CONTROLS["x_min"].label, registry.CONTROLS["x_max"].label
    same = "every point would have the same x, and a line through a single x has no one slope"
    reason = same if x_min == x_max else "the range runs backwards"
    return (
        f"“{low}” ({x_min:g}) must be below “{high}” ({x_max:g}): {reason}. Lower “{low}” or "
        f"raise “{high}” under Data in the sidebar."
    )
