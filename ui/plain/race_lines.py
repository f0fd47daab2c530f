"""Compare's results as lines of text, for a phone: the results table is five columns wide,
and at 390 px its outcome was cut mid-sentence and its final values were off screen, with
nothing to say the table scrolls sideways. A line wraps; it says the same as the row."""

from __future__ import annotations


def _number(value: float) -> str:
    return f"{value:.5g}".replace("-", "−")


def race_line(row: dict, idea: str, tuned: bool) -> str:
    """One strategy's row of the results table (`row`, with its `idea` from the strategy
    table) as a Markdown list item; with `tuned`, the rates it raced at."""
    rates = f" Tuned η_k = {_number(row['η_k'])}, η_b = {_number(row['η_b'])}." if tuned else ""
    finals = ", ".join(f"{name} {_number(row[f'final {name}'])}" for name in ("k", "b", "loss"))
    return f"- **{row['strategy']}** ({idea}): {row['outcome']}.{rates} Final {finals}."
