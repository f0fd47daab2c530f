"""Which runs of a linear rule settle too late to be shown to stay, from train()'s own orbits.

train() runs plain GD, momentum and Nesterov at a constant rate from their closed form
(closed_form.orbit): z_0 … z_T by doubling, each step one matrix product of the rows known so
far with M^m transposed, then M^2m = M^m·M^m. One batched matmul over a group of runs makes
the same products of the same floats, run by run, so these orbits are train()'s to the last
bit (tests/core/test_late_orbits.py); the block stepper (linear_sweep.orbit_verdict) sums its
products in another order and carries each stay from chunk to chunk, which cost a momentum
sweep of 100 values of μ more than its whole verdict (issue 17). Each parameter's stays are
then read off its orbit at once, as progress.late_settlers reads them. A momentum or
Nesterov sweep judged at once reads its runs from its block tables first (late_blocks.py):
only those with an epoch within rounding of a band come here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gd_core.progress import HOLD_SHARE

# Orbit values held at once (32 MB): the runs go a group at a time.
ORBIT_VALUES = 2**22


def late_from_orbits(
    matrices: np.ndarray, start: np.ndarray, thresholds: tuple[Any, Any], epochs: int
) -> np.ndarray:
    """(runs,): the runs with a parameter that settled but has not shown that it stays
    (progress.late_settlers), from `matrices` (size, size, runs), `start` (size, runs) and
    the thresholds on |δk|, |δb| (each shared or one per run) over epochs 0 … `epochs`."""
    size, runs = start.shape
    limits = np.empty((runs, 2))
    limits[:, 0], limits[:, 1] = thresholds
    # (runs, size, size) and (runs, size): each run's matrix and start as train() holds them.
    powers = np.ascontiguousarray(matrices.transpose(2, 0, 1))
    starts = np.ascontiguousarray(start.T)
    late = np.zeros(runs, bool)
    group = max(1, ORBIT_VALUES // ((epochs + 1) * size))
    for first in range(0, runs, group):
        chosen = slice(first, min(first + group, runs))
        rows = _orbits(powers[chosen], starts[chosen], epochs)
        late[chosen] = _late_in(rows, limits[chosen], epochs)
    return late


def _orbits(powers: np.ndarray, starts: np.ndarray, steps: int) -> np.ndarray:
    """(runs, steps + 1, size): closed_form.orbit of every run, its products batched."""
    runs, size = starts.shape
    rows = np.empty((runs, steps + 1, size))
    rows[:, 0] = starts
    power, known = powers, 1
    with np.errstate(all="ignore"):
        while known <= steps:
            take = min(known, steps + 1 - known)
            np.matmul(rows[:, :take], power.transpose(0, 2, 1), out=rows[:, known : known + take])
            power = power @ power
            known += take
    return rows


def _late_in(rows: np.ndarray, limits: np.ndarray, epochs: int) -> np.ndarray:
    """(runs,) from orbits (runs, epochs + 1, size) and (runs, 2) thresholds on |δk|, |δb|:
    `stays_late` of each parameter's epochs inside. NaN is outside."""
    runs = rows.shape[0]
    # (parameter of a run, epoch), k's then b's of each run, every row contiguous: NumPy's
    # calls along a row of 2 (δk, δb) or across strided rows cost several times as much.
    sizes = np.empty((runs, 2, epochs + 1))
    sizes[...] = rows[:, :, :2].transpose(0, 2, 1)
    np.abs(sizes, out=sizes)
    with np.errstate(invalid="ignore"):
        inside = sizes.reshape(2 * runs, -1) <= limits.reshape(-1, 1)
    return stays_late(inside, epochs)


def stays_late(inside: np.ndarray, epochs: int) -> np.ndarray:
    """(runs,) from (2·runs, epochs + 1) flags, k's then b's of each run, each parameter's
    epochs inside its band: a parameter inside at the last epoch, with a stay before its last
    epoch outside L that is at least as long as its final stay (epochs − L), or a final stay
    of HOLD_SHARE of the run or less."""
    runs = inside.shape[0] // 2
    last = epochs - np.argmin(inside[:, ::-1], axis=1)  # the last epoch outside (argmin: False)
    # A late parameter is inside at the end (so `last` < epochs where it was ever outside) and
    # was inside before its last epoch outside: one that walked in once, the usual case, has
    # no earlier stay. Its final stay is at most the stay before it, within the L epochs
    # before it, or a tenth of the run: either way L ≥ epochs / 2. Only those are read.
    first = np.argmax(inside, axis=1)  # the first epoch inside (argmax: True)
    chosen = inside[:, -1] & (last < epochs) & (first < last) & (2 * last >= epochs)
    chosen = np.flatnonzero(chosen)
    last = last[chosen]
    late = np.zeros(2 * runs, bool)
    if chosen.size:
        # Each row's stays as the rises (+1) and falls (−1) of its inside flags with nothing
        # either side, found flat (NumPy's nonzero over two axes costs four times as much).
        width = epochs + 3
        flags = np.zeros((chosen.size, width), np.int8)
        flags[:, 1:-1] = inside[chosen]
        change = np.diff(flags, axis=1).reshape(-1)
        opened, closed = np.flatnonzero(change == 1), np.flatnonzero(change == -1)
        row = opened // (width - 1)  # in order along each row: the k-th rise, the k-th fall
        # Stays that began before L ended by L (epoch L is outside); the final stay did not.
        before = opened - row * (width - 1) < last[row]
        longest = np.zeros(chosen.size)
        np.maximum.at(longest, row[before], (closed - opened)[before])
        final = epochs - last
        late[chosen] = (longest > 0) & ((final <= HOLD_SHARE * epochs) | (final <= longest))
    return late.reshape(-1, 2).any(axis=1)
