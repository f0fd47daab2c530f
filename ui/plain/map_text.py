"""What the Stability page says about the rings round the map's rare cells."""

from collections.abc import Mapping


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
