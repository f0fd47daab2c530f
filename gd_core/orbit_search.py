"""The verdict of many linear runs without their whole orbits: bound each block, look inside few.

A linear run is z_{t+1} = M·z_t (linear_sweep.py). Cut its epochs into blocks of B; block j
starts at z_{jB} = (M^B)^j·z_0 and holds δ(jB + τ) = F_τ·z_{jB}, τ < B, where F_τ is the first
two rows of M^τ (the rows that give δk, δb). So every epoch of block j has

    |δ_a(jB + τ)| ≤ Σ_i A_ai·|z_{jB, i}|,   A_ai = max over τ < B of |F_τ[a, i]|,

a bound per block from the block's start alone. What train()'s verdict needs is then found by
looking inside only the blocks whose bound does not already decide it:

- the last epoch each parameter is outside its threshold: the last blocks whose bounds are not
  surely inside, computed epoch by epoch (LOOK of them at once); if all turn out inside after
  all, the LOOK before them;
- diverged: the first blocks whose loss bound (x_var·K² + (|x_mean|·K + B)², chunks.py) could
  pass the limit, computed; if they stay below, the next;
- the final loss: the last epoch's δ, computed; a run outside at its end (or diverged) never
  settled, so it needs no search for its last epoch outside.

"Surely inside" keeps a relative margin (MARGIN) far above rounding, so a bound that decides
decides for train()'s own floats too. NaN and ∞ (a run that blew up) never pass a bound, so
those blocks are looked into, where NaN counts as outside and diverged, as train() counts it.
Runs still undecided after SEARCHES looks are returned as such, for the caller
(linear_sweep.py) to judge epoch by epoch; the others' results are final.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

BLOCK = 32  # epochs a block: every pass over F (2·size·BLOCK values a run) costs its length
MARGIN = 1e-6  # a bound decides only when it is this far (relatively) from the limit
LOOK = 4  # blocks looked into at once, per run
SEARCHES = 3  # looks per run and question before judging every epoch
MAX_BLOCKS = 2_048  # past BLOCK × this many epochs, blocks grow: the starts stay this many


def block_length(epochs: int) -> int:
    """Epochs a block: a power of two ≥ epochs + 1 for short runs, else BLOCK, or longer
    where BLOCK would make more than MAX_BLOCKS blocks."""
    enough = 1 << int(epochs).bit_length()  # a power of two > epochs
    spread = 1 << max(0, int(epochs // MAX_BLOCKS).bit_length())
    return min(enough, max(BLOCK, spread))


def table_values(epochs: int, size: int) -> int:
    """Floats `judge` holds per run: F three times (as computed, per parameter with τ last,
    and its magnitudes with τ first: 2 × size × B each) and the block starts with their bounds
    (about 2 × size per block)."""
    block = block_length(epochs)
    return 6 * size * block + 2 * size * (epochs // block + 1)


@dataclass(frozen=True)
class Blocks:
    """Every run's orbit cut into blocks of `length` epochs (`count` of them), as `judge`
    reads it: `rows` F_τ (runs, B, 2, size), `across` the same per parameter with τ last
    (runs, 2, size, B), `starts` z_{jB} (runs, count, size) and `bounds` the bound on each
    parameter's |δ| over each block (runs, 2, count). Built once, it also gives every epoch's
    δ of a few runs in one product (`deviations`), which a sweep's late settles read."""

    length: int
    count: int
    rows: np.ndarray
    across: np.ndarray
    starts: np.ndarray
    bounds: np.ndarray

    def deviations(self, runs: np.ndarray) -> np.ndarray:
        """(runs, 2, count·B): δk, δb of the chosen runs at epochs 0 … count·B − 1, in these
        products' floats (not train()'s: they differ by rounding)."""
        with np.errstate(all="ignore"):
            done = np.matmul(self.starts[runs][:, np.newaxis], self.across[runs])
        return done.reshape(runs.size, 2, -1)


def block_tables(matrices: np.ndarray, start: np.ndarray, epochs: int) -> Blocks:
    """The block tables of runs z_{t+1} = M·z_t: `matrices` (size, size, runs) [i, j, run],
    `start` (size, runs) with δk, δb first."""
    size, runs = start.shape
    block = block_length(epochs)
    count = epochs // block + 1  # blocks: j covers epochs jB … min(jB + B − 1, epochs)
    # The runs on the first axis: each product is then one batched matmul (NumPy's own small
    # loops, 3× faster here than einsum with the runs last).
    with np.errstate(all="ignore"):
        power = np.ascontiguousarray(matrices.transpose(2, 0, 1))  # (runs, size, size)
        rows = np.empty((runs, block, 2, size))  # F_τ of each run
        rows[:, 0] = np.eye(size)[:2]
        flat = rows.reshape(runs, 2 * block, size)
        known = 1
        while known < block:  # F_{known + τ} = F_τ·M^known
            np.matmul(flat[:, : 2 * known], power, out=flat[:, 2 * known : 4 * known])
            power = power @ power
            known *= 2
        # F again per parameter with τ last, (runs, 2, size, B): a block looked into is then
        # z_{jB}ᵀ·F[a] for each parameter a, and every reduction over epochs (A, the last
        # epoch outside) runs along contiguous memory, the fast axis of a NumPy reduction.
        across = np.ascontiguousarray(rows.transpose(0, 2, 3, 1))
        # A = max over τ of |F_τ|: the magnitudes written with τ first, so that the maximum
        # runs over whole rows of every run at once (along τ within each run it took 7× as
        # long, a short reduction per run, parameter and state).
        magnitudes = np.empty((block, runs, 2, size))
        np.abs(rows, out=magnitudes.transpose(1, 0, 2, 3))
        reach = magnitudes.reshape(block, -1).max(axis=0).reshape(runs, 2, size)  # A
        starts = np.empty((runs, count, size))  # z_{jB} as rows
        starts[:, 0] = start.T
        later = power.transpose(0, 2, 1)  # (M^B)ᵀ: z_{(j+1)B}ᵀ = z_{jB}ᵀ·(M^B)ᵀ
        known = 1
        while known < count:  # starts[known + j] = (M^B)^known · starts[j]
            more = min(known, count - known)
            np.matmul(starts[:, :more], later, out=starts[:, known : known + more])
            known *= 2
            if known < count:
                later = later @ later
        # (runs, 2, count): each parameter's blocks contiguous, the axis reduced over below
        bounds = reach @ np.abs(starts).transpose(0, 2, 1)
    return Blocks(block, count, rows, across, starts, bounds)


def judge(
    data: Any,
    matrices: np.ndarray,
    start: np.ndarray,
    epochs: int,
    thresholds: tuple[Any, Any],
    excess_limit: Any,
    tables: Blocks | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(final excess loss, diverged, epoch both settled or NaN, unresolved) of runs
    z_{t+1} = M·z_t, as ChunkVerdict finds them from every epoch, except where `unresolved`.

    `matrices` is (size, size, runs) [i, j, run], `start` (size, runs) with δk, δb first;
    `tables`, their `block_tables`, where the caller built them already.
    """
    if tables is None:
        tables = block_tables(matrices, start, epochs)
    runs = start.shape[1]
    block, count, rows, bounds = tables.length, tables.count, tables.rows, tables.bounds
    starts, across = tables.starts, tables.across
    with np.errstate(all="ignore"):
        limits = np.empty((runs, 2))
        limits[:, 0], limits[:, 1] = thresholds  # each shared or one per run
        surely_inside = bounds * (1.0 + MARGIN) < limits[:, :, np.newaxis]
        x_mean, x_var = _per_run(data.x_mean, runs), _per_run(data.x_var, runs)
        far_k, far_b = bounds[:, 0], bounds[:, 1]
        loss_bound = x_var * far_k * far_k + (np.abs(x_mean) * far_k + far_b) ** 2
        limit = _per_run(excess_limit, runs)
        surely_below = loss_bound * (1.0 + MARGIN) < limit  # (runs, count)
    past = (count - 1) * block + np.arange(block) > epochs  # epochs of the last block past the end

    def looked_into(blocks: np.ndarray, looked: np.ndarray) -> np.ndarray:
        """Which epochs of blocks[p, c] count, (points, looks, B): looked into (`looked`)
        and not past the end."""
        return ~((blocks == count - 1)[:, :, np.newaxis] & past) & looked[:, :, np.newaxis]

    unresolved = np.zeros(runs, dtype=bool)
    # The last epoch's δ of every run, F_τ·z_{jB} for that one τ: the final loss, and whether
    # each parameter ends inside at all.
    tail = epochs - (count - 1) * block
    with np.errstate(all="ignore"):
        end = (rows[:, tail] @ starts[:, count - 1, :, np.newaxis])[..., 0]  # (runs, 2)
    final = _losses(x_mean, x_var, end[:, :, np.newaxis])[:, 0]

    window = np.arange(LOOK)
    # Diverged: from the first blocks whose loss could pass the limit, LOOK at a time.
    diverged = np.zeros(runs, dtype=bool)
    open_blocks = ~surely_below
    todo = np.flatnonzero(open_blocks.any(axis=1))
    for _ in range(SEARCHES):
        if not todo.size:
            break
        earliest = np.argmax(open_blocks[todo], axis=1)
        blocks = earliest[:, np.newaxis] + window  # the LOOK blocks from the earliest open one
        looked = blocks < count
        blocks = np.minimum(blocks, count - 1)
        with np.errstate(all="ignore"):  # both parameters: (points, 2, looks, B)
            done = np.matmul(starts[todo[:, np.newaxis], blocks][:, np.newaxis], across[todo])
        real = looked_into(blocks, looked)
        real[:, :, 0] &= blocks != 0  # epoch 0 is the start, within the limit by construction
        losses = _losses(x_mean[todo, :, np.newaxis], x_var[todo, :, np.newaxis], done)
        with np.errstate(invalid="ignore"):
            above = ~(losses <= limit[todo, :, np.newaxis]) & real
        found = above.any(axis=(1, 2))
        diverged[todo[found]] = True
        # Every block up to the window's last has been looked into, or could not pass.
        open_blocks[todo] &= np.arange(count) >= earliest[:, np.newaxis] + LOOK
        todo = todo[~found]
        todo = todo[open_blocks[todo].any(axis=1)]
    unresolved[todo] = True

    # The last epoch each parameter is outside: for each run and parameter on its own, from
    # the last blocks not surely inside, LOOK at a time (so one look usually finds both
    # parameters' epochs, however far apart they settle). A block left out is surely inside.
    # Runs that end outside for a parameter never settled, and a diverged run's settling is
    # not read: no search for either.
    last_outside = np.full((runs, 2), -1.0)
    unsettled = ~(np.abs(end) <= limits).all(axis=1) | diverged  # NaN counts as outside
    last_outside[unsettled] = epochs
    pending = ~surely_inside  # (runs, 2, count)
    pending[unsettled] = False
    run, a = np.nonzero(pending.any(axis=2))  # the (run, parameter) pairs to search
    offsets = window - (LOOK - 1)  # the window's blocks in order of epochs, up to the latest
    for _ in range(SEARCHES):
        if not run.size:
            break
        # The LOOK blocks up to the latest open one (a block in between that is surely inside
        # is looked into all the same: cheaper than picking around it).
        latest = count - 1 - np.argmax(pending[run, a, ::-1], axis=1)
        blocks = latest[:, np.newaxis] + offsets
        looked = blocks >= 0
        np.maximum(blocks, 0, out=blocks)
        with np.errstate(all="ignore"):  # (pairs, looks, B), epochs in order
            done = np.matmul(starts[run[:, np.newaxis], blocks], across[run, a])
            np.abs(done, out=done)
            outside = np.less_equal(done, limits[run, a, np.newaxis, np.newaxis])
        np.logical_not(outside, out=outside)  # NaN counts as outside
        outside &= looked_into(blocks, looked)
        outside = outside.reshape(run.size, LOOK * block)
        hit = outside.any(axis=1)
        at = LOOK * block - 1 - np.argmax(outside[hit, ::-1], axis=1)  # the last one outside
        last_outside[run[hit], a[hit]] = blocks[hit, at // block] * block + at % block
        # Every block from the window's earliest on has been looked into, or was not open.
        pending[run, a] &= np.arange(count) < latest[:, np.newaxis] - (LOOK - 1)
        left = ~hit & pending[run, a].any(axis=1)
        run, a = run[left], a[left]
    unresolved[run] = True

    settled = np.where(last_outside == epochs, np.nan, last_outside + 1.0)
    return final, diverged, np.maximum(settled[:, 0], settled[:, 1]), unresolved


def _per_run(value: Any, runs: int) -> np.ndarray:
    """One value per run, as a column against blocks or epochs: (runs, 1)."""
    value = np.asarray(value, dtype=float)
    return np.full((runs, 1), value) if value.ndim == 0 else value.reshape(runs, 1)


def _losses(x_mean: np.ndarray, x_var: np.ndarray, done: np.ndarray) -> np.ndarray:
    """The excess loss of (runs, 2, …) deviations, as chunks.ChunkVerdict computes it."""
    with np.errstate(all="ignore"):
        dk, db = done[:, 0], done[:, 1]
        offset = x_mean * dk + db
        return x_var * dk * dk + offset * offset
