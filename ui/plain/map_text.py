"""What the Stability page says about its map: the fastest cell, and the rings round rare cells."""

from collections.abc import Mapping

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
    not converge), and, when it lies on the map's border, that a faster pair may lie beyond:
    the map spans a fixed range, so its best cell is only the best of that range. '' when
    no cell converges."""
    if not cells.epochs.notna().any():
        return ""
    best = cells.loc[cells.epochs.idxmin()]
    text = (
        f"The fastest pair on the map is η_k = {best.lr_k:.4g}, η_b = {best.lr_b:.4g}, "
        f"converging in {best.epochs:,.0f} epochs."
    )
    edges = [
        (side, beyond)
        for column, end, side, beyond in _EDGES
        if best[column] == getattr(cells[column], end)()
    ]
    if edges:
        sides = " and ".join(side for side, _ in edges)
        beyond = " or ".join(beyond for _, beyond in edges)
        text += (
            f" It is at the map's {sides} edge: a faster pair may lie beyond the map "
            f"(try {beyond} in the sidebar)."
        )
    return text
