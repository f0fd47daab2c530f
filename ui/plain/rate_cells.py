"""What is wrong with a rate typed into Compare's strategy table, and what runs meanwhile.

A cell that cannot run (emptied with Delete, letters the grid turned into nothing, a minus
sign, a rate past the sidebar's range) is said by name: which strategy, which rate, why, and
how to fix it. The strategy keeps the last rate its cell held that could run, so nothing on
the page vanishes or changes without a word.
"""

from __future__ import annotations

import math

from ui import registry

# The sidebar's range for a rate (ui/registry/interface.py): the table takes the same rates.
LOW, HIGH = registry.CONTROLS["lr_k"].low, registry.CONTROLS["lr_k"].high


def rate_problem(value: object) -> str | None:
    """Why `value` (a cell of the table) cannot be a rate, or None when it can."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "is empty"
    number = float(value)  # the grid's number column holds numbers or nothing
    if not math.isfinite(number):
        return f"is {number}, not a number a run can use"
    if number < LOW:
        return f"is {number:.4g}: a rate cannot be negative (a minus sign climbs the loss)"
    if number > HIGH:
        return f"is {number:.4g}, past the largest rate the app takes ({HIGH:g})"
    return None


def bad_rate(strategy: str, rate: str, problem: str, kept: float) -> str:
    """One line of the table's notice: the cell, what is wrong, the fix, what runs meanwhile."""
    return (
        f"{strategy}'s {rate} {problem}. Type a rate from {LOW:g} to {HIGH:g}, or untick Show "
        f"to hide {strategy}. Until then {strategy} runs at its last usable {rate}, {kept:.4g}."
    )
