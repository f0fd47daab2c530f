"""What the Stability page says about its map: the fastest cell, and the rings round rare cells."""

from collections.abc import Mapping

import numpy as np
import pandas as pd


def rings_caption(per_band: Mapping[str, int], rare: int) -> str | None:
    """Which bands are ringed (those of at most `rare` cells), computed from the map's own
    band counts; None when no band is that rare."""
    ringed = [f"{band} ({count:,})" for band, count in per_band.items() if 0 < count <= rare]
    if not ringed:
        return None
    return (
        f"A ring marks each cell of an outcome with at most {rare} cells, here "
        f"{', '.join(ringed)}, so that one cell still shows on a small screen."
    )


# The map's four edges: which rate is at its end there, and which way lies beyond.
_EDGES = (
    ("lr_k", "min", "left", "a smaller η_k"),
    ("lr_k", "max", "right", "a larger η_k"),
    ("lr_b", "min", "bottom", "a smaller η_b"),
    ("lr_b", "max", "top", "a larger η_b"),
)


def fastest_cell(cells: pd.DataFrame) -> str:
    """The fastest pair on the map, from its cells (lr_k, lr_b, epochs; NaN where a cell did
    not converge), told as a tie when several cells share the fewest epochs, and, when every
    one of them lies on the map's border, that a faster pair may lie beyond: the map spans a
    fixed range, so its best cells are only the best of that range. A fewest of 0 epochs is
    a start at the optimum, which nothing beats. '' when no cell converges.

    In NumPy, on the columns' arrays: the map's alt text and its caption both say this on
    every rerun of the Stability page, and pandas took about 0.9 ms for it each time (a
    Series per tied cell and a column's minimum and maximum per edge per cell)."""
    epochs = cells["epochs"].to_numpy(dtype=float)
    converged = ~np.isnan(epochs)
    if not converged.any():
        return ""
    fewest = epochs[converged].min()
    tied = np.flatnonzero(epochs == fewest)
    if fewest == 0:  # settled at epoch 0: nothing to name but how many
        return fastest_told(0.0, len(tied), len(cells), (np.nan, np.nan), [])
    rates = {name: cells[name].to_numpy(dtype=float) for name in ("lr_k", "lr_b")}
    ends = {(name, end): getattr(np, f"nan{end}")(rates[name]) for name, end, *_ in _EDGES}
    edges = [[edge for edge in _EDGES if rates[edge[0]][i] == ends[edge[:2]]] for i in tied]
    inside = [i for i, sides in zip(tied, edges, strict=True) if not sides]
    best = inside[0] if inside else tied[0]
    # Every fastest cell on the border: the edges they touch, where a faster pair may lie.
    touched = [] if inside else [edge for edge in _EDGES if any(edge in s for s in edges)]
    pair = (float(rates["lr_k"][best]), float(rates["lr_b"][best]))
    return fastest_told(fewest, len(tied), len(cells), pair, touched)


def fastest_told(
    fewest: float,
    tied: int,
    cells: int,
    pair: tuple[float, float],
    touched: list[tuple[str, str, str, str]],
) -> str:
    """`fastest_cell`'s words for what it found: the fewest epochs, how many of the map's
    `cells` cells tie at it, the (η_k, η_b) named (an inner cell's where one ties), and the
    edges (of _EDGES) the tied cells touch when none of them is inside the map, else []."""
    if fewest == 0:  # settled at epoch 0: both gaps were nil at the start
        who = (
            "Every pair on the map converges"
            if tied == cells
            else f"{tied:,} of the map's {cells:,} pairs converge"
        )
        return f"{who} at epoch 0: the start is the optimum, so no pair is faster."
    named = f"η_k = {pair[0]:.4g}, η_b = {pair[1]:.4g}"
    if tied == 1:
        text = f"The fastest pair on the map is {named}, converging in {fewest:,.0f} epochs."
        where = "It is"
    else:
        text = (
            f"{tied:,} pairs on the map tie as the fastest, converging in {fewest:,.0f} "
            f"epochs; one is {named}."
        )
        where = "Both are" if tied == 2 else f"All {tied:,} are"
    if touched:
        # One cell touches each edge named (a corner: two); tied cells each touch one or more.
        sides = (" and " if tied == 1 else " or ").join(side for _, _, side, _ in touched)
        beyond = " or ".join(beyond for *_, beyond in touched)
        edge = "edges" if tied == 1 and len(touched) > 1 else "edge"
        text += (
            f" {where} at the map's {sides} {edge}: a faster pair may lie beyond the map "
            f"(try {beyond} in the sidebar)."
        )
    return text
