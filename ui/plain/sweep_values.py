"""The values a sweep runs at: spaced as its setting acts (by ratios on a log scale), plain
Python and NumPy, shared by the page (its range boxes) and the cached computation."""

from __future__ import annotations

import math

import numpy as np

from ui.registry import SWEEP_SETTINGS

# n and batch size: each point is its own dataset (n up to 100,000 points, generated again and
# trained on its own) or its own shuffled batches, so a point costs what a whole run costs,
# where a point of the other settings shares its steps with every other point. Thirty keeps a
# sweep of n within the page's time and memory budget; the page says so where it applies
# (`whole_points_note`).
MAX_WHOLE_POINTS = 30


def sweep_values(
    setting: str, low: float, high: float, points: int, scale: float = 1.0
) -> np.ndarray:
    """`points` values from `low` to `high` (times `scale` for a range given relative to a
    limit), spaced as the setting's row says; whole-number settings give distinct integers
    (batch sizes: the powers of two in the range)."""
    row = SWEEP_SETTINGS[setting]
    low, high = sorted((float(low), float(high)))
    if setting == "batch_size":
        powers = 2.0 ** np.arange(0, 18)
        return powers[(powers >= low) & (powers <= high)] if high >= 1 else np.array([1.0])
    if row.whole:
        points = min(points, MAX_WHOLE_POINTS)
    if row.spacing == "log":
        values = np.geomspace(max(low, 1e-300), high, points)
    elif row.spacing == "log1m":  # 1 − value spaced by ratios: 0.9, 0.99, 0.999 equally apart
        values = 1.0 - np.geomspace(1.0 - low, 1.0 - high, points)
    else:
        values = np.linspace(low, high, points)
    if row.whole:
        values = np.unique(np.round(values))
    return values * scale


def whole_points_note(setting: str, low: float, high: float, asked: int) -> str | None:
    """Why a whole-number sweep runs fewer points than the Points slider asks for (the cap,
    fewer whole numbers in the range than points, or values that round to the same whole
    number), or None when it runs them all."""
    row = SWEEP_SETTINGS[setting]
    if not row.whole or setting == "batch_size":  # batch sizes: the powers of two, no slider
        return None
    ran = len(sweep_values(setting, low, high, asked))
    if ran >= asked:
        return None
    why = []
    if asked > MAX_WHOLE_POINTS:
        why.append(
            f"a sweep of {row.symbol} runs at most {MAX_WHOLE_POINTS} points, since each is "
            "a dataset of its own, trained on its own"
        )
    most = min(asked, MAX_WHOLE_POINTS)
    low, high = sorted((low, high))
    # The whole numbers the rounded values can take: those between the rounded ends.
    whole = int(np.round(high) - np.round(low)) + 1
    if whole < most:
        why.append(f"{row.symbol} takes whole numbers, and the range holds only {whole:,} of them")
    if ran < min(whole, most):
        # n from 10 to 50 holds 41, but 30 values spaced by ratio lie closer than 1 apart near
        # 10, and rounded, several become one: 27 points, not "only 27 in the range".
        spaced = "spaced by ratio" if row.spacing == "log" else "evenly spaced"
        why.append(
            f"{row.symbol} takes whole numbers, and {most} values {spaced} over the range lie "
            "less than 1 apart in places, where several round to the same one"
        )
    return f"{ran} of the {asked} points asked for: {'; '.join(why)}."


def opening_range(setting: str, x: np.ndarray) -> tuple[float, float]:
    """The range a setting's boxes open with. The offset of x opens around −mean(x), the
    offset that centres x (where b is as fast as k), one span of x either side, so that the
    sweep shows the fastest offset between slower ones, and the data as it is (offset 0) too
    when x's mean is within a span of 0 (x far from 0 keeps the range narrow, where the
    optimum is, over reaching back to 0). The ends are rounded to a tenth of the span's
    nearest power of ten, to read well in the boxes. Every other setting opens with its
    row's default."""
    row = SWEEP_SETTINGS[setting]
    if not row.centred:
        return row.default
    span = float(np.ptp(x)) or 1.0
    step = 10.0 ** (round(math.log10(span)) - 1)
    centre = -float(np.mean(x))
    low, high = row.bounds
    return tuple(  # type: ignore[return-value]
        min(max(math.floor(end / step + 0.5) * step, low), high)
        for end in (centre - span, centre + span)
    )
