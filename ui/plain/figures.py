"""How the banners and captions write the run's numbers and names: rates with the digits the
Theory page shows, counts with their nouns, shares of a starting gap, spectral radii with the
digits that tell them from 1 (and 0 for one at rounding level), optimizers by name."""

from __future__ import annotations

import math

import numpy as np

from ui import registry


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


# A spectral radius this close to 1 is 1 up to an eigenvalue solver's rounding; one this close
# to 0 is 0 (radius_text): the solver's error is a few units in the last place of the identity
# in I − D·H, about 1e-16 against a 1, whatever rates gave the zero.
ROUNDING = 1e-12


def starting_gaps(parameters: list[str] | str) -> str:
    """ "its starting gap" for one parameter, "their starting gaps" for both."""
    return "its starting gap" if len(parameters) == 1 else "their starting gaps"


def percent(fraction: float) -> str:
    """A share of a starting gap, with enough digits to tell 0.3 % from 0 %; a share too small
    to print meaningfully (an exponential decay's 1e-134) in words."""
    if 0.0 <= fraction < 1e-8:
        return "0 %" if fraction == 0.0 else "practically none (under 10⁻⁶ %)"
    return f"{100 * fraction:.2g} %" if fraction < 0.1 else f"{100 * fraction:.0f} %"


def at_rounding_zero(radius: np.ndarray) -> np.ndarray:
    """Spectral radii (or other contraction factors) with those within ROUNDING of 0 made 0.

    With standardised x the Hessian is 2·I and the rate ½ takes both modes to 0 in one step:
    ρ = 0, which the eigenvalue solver returns as 3.3e-16, and a student reads as a number."""
    radius = np.asarray(radius, dtype=float)
    return np.where(np.abs(radius) <= ROUNDING, 0.0, radius)


def radius_text(radius: float) -> str:
    """A spectral radius with the digits that tell it from 1, and 0 for one at rounding level."""
    if abs(radius) <= ROUNDING:
        return "0"
    gap = abs(1.0 - radius)
    digits = 6 if gap == 0 else max(6, int(np.ceil(-np.log10(gap))) + 2)
    return f"{radius:.{min(digits, 16)}g}"
