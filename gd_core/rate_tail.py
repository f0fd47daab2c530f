"""When a schedule has left a run nothing to move with: the first epoch from which the rates
still to come add up to a negligible share of all the rates the run used.

Every update rule here scales its step by the rate (plain GD, momentum and Nesterov by η times
a gradient or velocity; the adaptive rules by at most a fixed multiple of η), so the rates'
sum is how far a run could still travel, in units of its own steps. A decay or a
reduce-on-plateau that cut η to 1e-8 leaves the rest of the run a flat line: the schedule
froze it, the bowl's slow direction did not slow it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# The rates from the frozen epoch on add up to at most this share of the run's total, over
# at least this share of its epochs: the last 1 % of a constant rate's epochs use 1 % of its
# rates, and are no frozen stretch; a tenth of the run at a tenth of its mean rate is.
FROZEN_SHARE = 0.01
FROZEN_STRETCH = 0.1


def frozen_from(
    rates: np.ndarray, share: float = FROZEN_SHARE, stretch: float = FROZEN_STRETCH
) -> int | None:
    """The first epoch e from which rates[e:] sum to at most `share` of rates[:] for every
    column (one per rate, η or η_k and η_b), or None if there is none, or if the epochs from
    e on are fewer than `stretch` of the run's.

    `rates` is (epochs,) or (epochs, columns), the rate each epoch used; all ≥ 0."""
    values = np.asarray(rates, dtype=float)
    if values.ndim == 1:
        values = values[:, None]
    if values.shape[0] == 0:
        return None
    total = values.sum(axis=0)
    if not np.all(total > 0):
        return None  # a rate of 0 never moved: that is no schedule's doing
    # tail[e] = rates[e:].sum(); the reversed cumulative sum adds the smallest rates first.
    tail = np.cumsum(values[::-1], axis=0)[::-1]
    small = np.all(tail <= share * total, axis=1)
    if not small.any():
        return None
    # The tail only shrinks with e, so the small ones are a suffix: its first epoch.
    epoch = int(np.argmax(small))
    return epoch if values.shape[0] - epoch >= stretch * values.shape[0] else None


@dataclass(frozen=True)
class FrozenStretch:
    """The stretch a schedule froze: from `epoch` on, the rates add up to at most
    FROZEN_SHARE of the run's, and each parameter asked about ranges over at most `moved`
    (k's, b's; nan for one not asked about), under `calm` of its distance at the end."""

    epoch: int
    moved: tuple[float, float]


def frozen_stretch(
    rates: np.ndarray,
    k: np.ndarray,
    b: np.ndarray,
    optimum: tuple[float, float],
    parameters: str = "kb",
    calm: float = 0.1,
) -> FrozenStretch | None:
    """The first epoch at or after frozen_from(rates) from which every parameter in
    `parameters` ("k", "b" or "kb") ranges over less than `calm` times its final distance
    from its optimum, till the end; None if there is none, or if it leaves fewer than
    FROZEN_STRETCH of the epochs. Momentum's velocity carries a parameter on for a few epochs
    after a cut, so the rates alone do not say where the path goes still.

    rates: (epochs,) or (epochs, columns), the rate of epoch t moving θ_t to θ_{t+1};
    k, b: the run's positions θ_0 … θ_epochs."""
    epochs = np.asarray(rates).shape[0]
    cut = frozen_from(rates)
    if cut is None or not parameters:
        return None
    calm_from = np.ones(epochs + 1, dtype=bool)
    calm_from[:cut] = False
    moved = {}
    for name, values, best in (("k", k, optimum[0]), ("b", b, optimum[1])):
        if name not in parameters:
            continue
        path = np.asarray(values, dtype=float)
        # spread[e]: max − min of path[e:], the farthest it moves from epoch e to the end.
        spread = np.maximum.accumulate(path[::-1])[::-1] - np.minimum.accumulate(path[::-1])[::-1]
        moved[name] = spread
        calm_from &= spread <= calm * abs(path[-1] - best)
    if not calm_from.any():
        return None
    epoch = int(np.argmax(calm_from))
    if epochs - epoch < FROZEN_STRETCH * epochs:
        return None
    return FrozenStretch(
        epoch, tuple(float(moved[p][epoch]) if p in moved else np.nan for p in "kb")
    )
