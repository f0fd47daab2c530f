"""Compare's results as lines of text, for a phone: the results table is five columns wide,
and at 390 px its outcome was cut mid-sentence and its final values were off screen, with
nothing to say the table scrolls sideways. A line wraps; it says the same as the row."""

from __future__ import annotations

import math


def _number(value: float) -> str:
    if not math.isfinite(value):  # a run on huge data whose first step overflowed float64
        return "overflowed"
    return f"{value:.5g}".replace("-", "−")


def _short(value: float) -> str:
    return f"{value:.4g}".replace("-", "−")


def rates_tried(
    pair: bool, k_rates: tuple[float, float, int], b_rates: tuple[float, float, int]
) -> str:
    """Which rates "tuned" was the best of (lowest, highest, how many of η_k and of η_b), so
    that "best" is not read as the best of every rate: "41 rates, 2.499e−05 to 0.02499"."""
    low, high, count = k_rates
    if not pair:
        return f"{count:,} rates, {_short(low)} to {_short(high)}"
    b_low, b_high, b_count = b_rates
    return (
        f"{count:,} × {b_count:,} pairs, η_k {_short(low)} to {_short(high)}, "
        f"η_b {_short(b_low)} to {_short(b_high)}"
    )


def race_line(row: dict, idea: str, tried: str | None = None) -> str:
    """One strategy's row of the results table (`row`, with its `idea` from the strategy
    table) as a Markdown list item; when tuned (`tried`: rates_tried's text), the rates it
    raced at and which rates they were the best of."""
    rates = (
        f" Tuned η_k = {_number(row['η_k'])}, η_b = {_number(row['η_b'])} (the best of {tried})."
        if tried
        else ""
    )
    finals = ", ".join(f"{name} {_number(row[f'final {name}'])}" for name in ("k", "b", "loss"))
    return f"- **{row['strategy']}** ({idea}): {row['outcome']}.{rates} Final {finals}."
