"""The values a sweep runs at: spaced as its setting acts (by ratios on a log scale), plain
Python and NumPy, shared by the page (its range boxes) and the cached computation."""

from __future__ import annotations

import numpy as np

from ui.registry import SWEEP_SETTINGS

MAX_WHOLE_POINTS = 30  # n and batch size: each point is its own dataset or its own batches


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
