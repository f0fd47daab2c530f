"""Which of plain GD's two modes carries each parameter's error, and how fast each mode shrinks.

The seed story ("k settles, b crawls") is a fact about the modes, not about k and b: the error
splits into a mode across the valley (D·H's larger eigenvalue s) and one along it (the
smaller), each multiplied by |1 − s| per epoch. k's error starts mostly across the valley and
b's along it. Well below the stability limit the mode across shrinks fastest, so k settles
first; at the limit s_across nears 2, |1 − s_across| nears 1 and that mode is the slower one,
so the roles swap. Texts that say which parameter is faster read it from here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gd_core.data import Dataset
from gd_core.settling import CoordinateModes


@dataclass(frozen=True)
class ModePace:
    """Plain GD at rates (η_k, η_b) from one start.

    `factors`: |1 − s| per epoch of the mode (along the valley, across it). `across`: per
    parameter (k, b), the share of its starting error in the mode across the valley,
    |A_across| / (|A_along| + |A_across|), NaN for a parameter with no starting error in
    either mode. `cancel`: per parameter, its two parts mostly cancel at the start
    (|A_along + A_across| < ½·(|A_along| + |A_across|)): it starts near its optimum, and the
    faster mode's fading moves it away before the slower brings it back, so which mode "holds
    its error" says nothing about it.
    """

    factors: tuple[float, float]
    across: tuple[float, float]
    cancel: tuple[bool, bool] = (False, False)

    @property
    def swapped(self) -> bool:
        """The mode across the valley shrinks no faster than the one along it."""
        return self.factors[1] >= self.factors[0]


def mode_pace(data: Dataset, lr: tuple[float, float], init: tuple[float, float]) -> ModePace:
    """The two modes' factors and each parameter's share in them (rates > 0)."""
    delta = (init[0] - data.slope_ols, init[1] - data.intercept_ols)
    modes = CoordinateModes.of(data, float(lr[0]), float(lr[1]), delta)
    along, across = (abs(1.0 - float(s)) for s in np.ravel(modes.eigenvalues)[:2])
    sizes = np.abs(np.asarray(modes.amplitudes, dtype=float).reshape(2, 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = sizes[:, 1] / sizes.sum(axis=1)
    starts = np.abs(np.asarray(modes.amplitudes, dtype=float).reshape(2, 2).sum(axis=1))
    cancel = starts < 0.5 * sizes.sum(axis=1)
    return ModePace(
        factors=(along, across),
        across=(float(shares[0]), float(shares[1])),
        cancel=(bool(cancel[0]), bool(cancel[1])),
    )
