"""Compare's results as lines of text, for a phone: the results table is five columns wide,
and at 390 px its outcome was cut mid-sentence and its final values were off screen, with
nothing to say the table scrolls sideways. A line wraps; it says the same as the row."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class RatesTried:
    """The grid one strategy was tuned over: (lowest, highest, how many) of its η_k and η_b
    (the same for one rate), and how many of those the log grid spaced evenly per axis; an
    axis with more has theory's fastest rate sorted in (gd_core.Tuning.points)."""

    label: str
    pair: bool
    k_rates: tuple[float, float, int]
    b_rates: tuple[float, float, int]
    points: int

    @property
    def text(self) -> str:
        return rates_tried(self.pair, self.k_rates, self.b_rates)

    def words(self) -> str:
        """ "41 rates (40 evenly spaced on a log scale, and theory's fastest … sorted in)"."""
        k_count, b_count, points = self.k_rates[2], self.b_rates[2], self.points
        if not self.pair:
            if k_count == points:
                return f"{k_count:,} rates evenly spaced on a log scale"
            return (
                f"{k_count:,} rates ({points:,} evenly spaced on a log scale, and theory's "
                "fastest, 2/(λ_min + λ_max), sorted in)"
            )
        spaced = f"{points:,} of each rate evenly spaced on a log scale"
        sorted_in = [
            name
            for name, count in (
                ("1/H_kk among the η_k", k_count),
                ("1/H_bb among the η_b", b_count),
            )
            if count > points
        ]
        theory = f", and theory's fastest pair's {' and '.join(sorted_in)}" if sorted_in else ""
        return f"{k_count:,} × {b_count:,} pairs ({spaced}{theory})"


def grids_tried(tried: Sequence[RatesTried]) -> str:
    """Each strategy's grid in words, strategies with the same grid named together: "Plain
    GD and Standardised x: 41 rates (…); Per-parameter rates: 21 × 21 pairs (…)"."""
    groups: dict[str, list[str]] = {}
    for each in tried:
        groups.setdefault(each.words(), []).append(each.label)
    return "; ".join(f"{_names(labels)}: {words}" for words, labels in groups.items())


def _names(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


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
