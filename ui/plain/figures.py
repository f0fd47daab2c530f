"""How the banners and captions write the run's numbers and names: rates with the digits the
Theory page shows, counts with their nouns, shares of a starting gap, optimizers by name."""

from __future__ import annotations

import math

from ui import registry
from ui.plain.stalls import percent, radius_text


def rate(value: float) -> str:
    """A rate or limit as the banners and the Theory page both print it."""
    return f"{value:.5g}"


def distinct(value: float, other: float) -> str:
    """`value` with the digits that tell it from `other` (at least those of `rate`)."""
    for digits in range(5, 17):
        if f"{value:.{digits}g}" != f"{other:.{digits}g}":
            return f"{value:.{digits}g}"
    return f"{value:.17g}"


def in_sentence(optimizer: str) -> str:
    """An optimizer's name inside a sentence."""
    entry = registry.OPTIMIZERS[optimizer]
    return entry.in_sentence or entry.label


def growth(factor: float) -> str:
    """A factor per epoch close to 1, with the digits that tell it from 1."""
    return radius_text(factor)


def epochs(count: int) -> str:
    """The count with its noun: "1 epoch", "450 epochs" (a run of one epoch is allowed)."""
    return f"{count:,} epoch" + ("" if count == 1 else "s")


def share(fraction: float) -> str:
    """A distance as a share of the starting one: "8.9 %", "1.6 times" or "9,380 times" past
    100 % (three significant figures, never in e-notation: a student reads "9.38e+03 times" as
    noise), "infinitely many times" for a start at the optimum."""
    if fraction <= 1:
        return percent(fraction)
    if math.isinf(fraction):
        return "infinitely many times"
    rounded = float(f"{fraction:.3g}")
    return f"{rounded:.3g} times" if rounded < 1_000 else f"{rounded:,.0f} times"
