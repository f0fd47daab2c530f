"""Which linear runs settle too late to be shown to stay, from the block tables of their verdict.

A sweep of momentum or Nesterov judges its runs from block tables (orbit_search.py), which
hold each run's orbit as z_{jB} and F_τ: every epoch's δ of a run is then one product away.
Those are not train()'s floats (closed_form.orbit doubles in another order), so they say
which epochs are inside a band only where none is within ROUNDING of it: there the flags are
train()'s, and so is progress.late_settlers's rule read off them (late_orbits.stays_late).
A run with an epoch that close is left to the caller, to read from train()'s own orbit
(late_orbits.py). Computing those orbits for every run that converged past half its epochs
cost a 100-point momentum sweep about as much as its whole verdict (issue 17).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gd_core.late_orbits import ORBIT_VALUES, stays_late
from gd_core.orbit_search import Blocks

# The block products and train()'s orbit both reach each epoch in a few dozen products (by
# doubling, not epoch by epoch), so they differ by a few eps of the run's largest bound: at
# most 12 eps over 6,000 random momentum and Nesterov runs, many at critical damping or with
# a start next to the optimum, of 10 to 30,000 epochs. An epoch within ROUNDING eps of that
# scale from its band, over a thousand times as far, could be read either way.
ROUNDING = 2.0**14
_EPS = float(np.finfo(np.float64).eps)


def late_from_blocks(
    tables: Blocks, runs: np.ndarray, thresholds: tuple[Any, Any], epochs: int
) -> tuple[np.ndarray, np.ndarray]:
    """(late, unsure) of the chosen `runs` of `tables`, against the thresholds on |δk|, |δb|
    (each shared or one per chosen run) over epochs 0 … `epochs`: `late` as
    late_orbits.late_from_orbits finds it, wherever `unsure` is False."""
    late = np.zeros(runs.size, bool)
    unsure = np.zeros(runs.size, bool)
    limits = np.empty((runs.size, 2, 1))
    limits[:, 0, 0], limits[:, 1, 0] = thresholds
    group = max(1, ORBIT_VALUES // (2 * tables.count * tables.length))
    for first in range(0, runs.size, group):
        chosen = slice(first, min(first + group, runs.size))
        some = runs[chosen]
        sizes = tables.deviations(some)  # epochs past the end too: they only add doubt
        np.abs(sizes, out=sizes)
        # Every bound covers the epochs of its block: the largest is the run's scale. A
        # finite one bounds every δ of the run, so none is NaN or ∞.
        scale = tables.bounds[some].max(axis=(1, 2))
        margin = ((ROUNDING * _EPS) * scale)[:, np.newaxis, np.newaxis]
        with np.errstate(invalid="ignore"):
            inside = sizes <= limits[chosen] + margin  # maybe inside
            surely = sizes <= limits[chosen] - margin
        doubt = ~np.isfinite(scale)
        if np.count_nonzero(inside) != np.count_nonzero(surely):  # surely ⊆ inside
            doubt |= (inside != surely).any(axis=(1, 2))
        unsure[chosen] = doubt
        # Where no epoch is in doubt, `inside` holds train()'s flags.
        flags = inside[:, :, : epochs + 1].reshape(2 * some.size, epochs + 1)
        late[chosen] = stays_late(flags, epochs)
    return late & ~unsure, unsure
