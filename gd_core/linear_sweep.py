"""Many runs of a linear optimizer (momentum, Nesterov) at constant rates, with no epoch loop.

train() runs such an optimizer from its closed form (closed_form.py): z_{t+1} = M·z_t for
z = (δk, δb, state), the orbit by doubling. A sweep does the same for every run at once with a
stack of matrices, one per run (its own rates, μ or data): the first block of epochs by
doubling, each later block as M^block times the one before, so a thousand epochs of a hundred
runs cost a dozen batched matrix products instead of a thousand rounds of a dozen NumPy calls.
Each block is judged at once (chunks.py), as the stepper's are.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np

from gd_core.chunks import ChunkVerdict
from gd_core.mode_radii import spectral_radii
from gd_core.model import excess_loss
from gd_core.optimizers import Optimizer
from gd_core.orbit_search import Blocks, block_tables, judge, table_values

# Epochs × runs × state values a block holds, when that leaves MIN_BLOCK epochs (512 kB: the
# passes over a block then stay in cache).
BLOCK_VALUES = 2**16
# Fewer epochs a block than this cost more in calls than they save in cache.
MIN_BLOCK = 64
# Runs judged from block bounds at once (orbit_search.py): at most 512, and fewer where their
# tables would pass TABLE_VALUES floats (4 MB; very long runs have many blocks).
GROUP = 512
TABLE_VALUES = 2**19


def transition_matrices(
    hessian: tuple[Any, Any, Any], rule: Optimizer, rates: np.ndarray
) -> np.ndarray:
    """(size, size, runs): each run's M, read off the rule by stepping every basis vector.

    As closed_form.transition_matrix, with the basis on the first axis and the runs (their
    rates, hyperparameters given per run, Hessian entries per run) on the last one.
    """
    h_kk, h_kb, h_bb = hessian
    slots = len(rule.init(0.0))
    size = 2 + 2 * slots
    basis = np.eye(size)[:, :, np.newaxis]  # basis[j] is column j of the identity, (size, 1)
    dk, db = basis[0], basis[1]
    grad_k = h_kk * dk + h_kb * db
    grad_b = h_kb * dk + h_bb * db
    step_k, state_k = rule.update(grad_k, tuple(basis[2 : 2 + slots]), rates[0])
    step_b, state_b = rule.update(grad_b, tuple(basis[2 + slots :]), rates[1])
    matrices = np.empty((size, size, rates.shape[1]))  # [i, j, run] = M_run[i, j]
    for i, row in enumerate((dk - step_k, db - step_b, *state_k, *state_b)):
        matrices[i] = row  # broadcast where a row is the same for every run
    return matrices


def orbits(
    data: Any,
    rule: Optimizer,
    rates: np.ndarray,
    delta: tuple[Any, Any],
    epochs: int,
    thresholds: tuple[Any, Any],
    excess_limit: Any,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(final excess loss, diverged, epoch both settled or NaN) of every run, as
    stepping.simulate returns them, for a rule with a closed form (linear, constant rates).

    Most runs are decided from bounds on blocks of epochs and a few blocks computed
    (orbit_search.py); the rest from every epoch of their orbits.
    """
    matrices = _matrices(data, rule, rates)
    return _orbits(data, matrices, delta, epochs, thresholds, excess_limit)[0]


def orbits_and_radii(
    data: Any,
    rule: Optimizer,
    rates: np.ndarray,
    delta: tuple[Any, Any],
    epochs: int,
    thresholds: tuple[Any, Any],
    excess_limit: Any,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """As `orbits`, and each run's spectral radius from the same matrices (a sweep reports
    it, and says from it which runs are diverging)."""
    return orbits_radii_and_matrices(data, rule, rates, delta, epochs, thresholds, excess_limit)[:4]


def orbits_radii_and_matrices(
    data: Any,
    rule: Optimizer,
    rates: np.ndarray,
    delta: tuple[Any, Any],
    epochs: int,
    thresholds: tuple[Any, Any],
    excess_limit: Any,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, Blocks | None]:
    """`orbits_and_radii`, the matrices (size, size, runs) they came from and their block
    tables (orbit_search.Blocks; None where the runs went a group at a time), which a sweep's
    late settles read again (outcomes._late) rather than build twice."""
    matrices = _matrices(data, rule, rates)
    judged, tables = _orbits(data, matrices, delta, epochs, thresholds, excess_limit)
    return (*judged, spectral_radii(data, rule, rates, matrices), matrices, tables)


def _matrices(data: Any, rule: Optimizer, rates: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        hessian = (2.0 * data.x_sq_mean, 2.0 * data.x_mean, 2.0)  # stepping.simulate's entries
        return transition_matrices(hessian, rule, rates)


def _orbits(
    data: Any,
    matrices: np.ndarray,
    delta: tuple[Any, Any],
    epochs: int,
    thresholds: tuple[Any, Any],
    excess_limit: Any,
) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], Blocks | None]:
    """`orbits`'s results, and the block tables of all runs where they were judged at once."""
    runs = matrices.shape[2]
    start = np.zeros((matrices.shape[0], runs))
    start[0], start[1] = delta
    group = max(1, min(GROUP, TABLE_VALUES // table_values(epochs, matrices.shape[0])))
    if runs <= group:
        tables = block_tables(matrices, start, epochs)
        return _decided(data, matrices, start, epochs, thresholds, excess_limit, tables), tables
    # A few hundred runs at a time: the block tables stay a few MB (a 100 × 100 map at once
    # took 200 MB and was slower, out of cache).
    results = (np.empty(runs), np.empty(runs, dtype=bool), np.empty(runs))
    for first in range(0, runs, group):
        chosen = np.arange(first, min(first + group, runs))
        some, limits, limit = _subset(data, thresholds, excess_limit, chosen)
        judged = _decided(some, matrices[..., chosen], start[:, chosen], epochs, limits, limit)
        for result, part in zip(results, judged, strict=True):
            result[chosen] = part
    return results, None


def _decided(
    data: Any,
    matrices: np.ndarray,
    start: np.ndarray,
    epochs: int,
    thresholds: tuple[Any, Any],
    excess_limit: Any,
    tables: Blocks | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """As `orbits`, for runs given by their matrices and starts: from block bounds (their
    `tables`, if built already), and every epoch for the runs those leave undecided."""
    final, diverged, converged, unresolved = judge(
        data, matrices, start, epochs, thresholds, excess_limit, tables
    )
    if unresolved.any():
        chosen = np.flatnonzero(unresolved)
        some, limits, limit = _subset(data, thresholds, excess_limit, chosen)
        judged = every_epoch(some, matrices[..., chosen], start[:, chosen], epochs, limits, limit)
        for result, exact in zip((final, diverged, converged), judged, strict=True):
            result[chosen] = exact
    return final, diverged, converged


def _subset(
    data: Any, thresholds: tuple[Any, Any], excess_limit: Any, chosen: np.ndarray
) -> tuple[SimpleNamespace, tuple[Any, Any], Any]:
    """What the verdict reads of the data, the thresholds and the limit, for the chosen runs."""
    some = SimpleNamespace(x_mean=_of(data.x_mean, chosen), x_var=_of(data.x_var, chosen))
    limits = (_of(thresholds[0], chosen), _of(thresholds[1], chosen))
    return some, limits, _of(excess_limit, chosen)


def every_epoch(
    data: Any,
    matrices: np.ndarray,
    start: np.ndarray,
    epochs: int,
    thresholds: tuple[Any, Any],
    excess_limit: Any,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """As `orbits`, from every epoch of each run's orbit, z_{t+1} = M·z_t from `start`."""
    return orbit_verdict(data, matrices, start, epochs, thresholds, excess_limit).result()


def orbit_verdict(
    data: Any,
    matrices: np.ndarray,
    start: np.ndarray,
    epochs: int,
    thresholds: tuple[Any, Any],
    excess_limit: Any,
    stays: bool = False,
) -> ChunkVerdict:
    """`every_epoch`'s verdict itself, with `stays` what tells a late settle (its `late`)."""
    size, runs = start.shape
    with np.errstate(all="ignore"):
        # The runs on the last axis: a 4 × 4 product per run is then a few elementwise passes
        # over all runs (einsum), not one BLAS call per run.
        first_loss = excess_loss(data, *start[:2])
        verdict = ChunkVerdict(data, start[:2], thresholds, excess_limit, first_loss, stays=stays)
        # A power of two, so that doubling fills the first block exactly.
        fits = max(MIN_BLOCK, BLOCK_VALUES // (runs * size))
        block = 2 ** int(np.log2(max(2, min(epochs + 1, fits))))
        rows = np.empty((block, size, runs))
        rows[0] = start
        power, known = matrices, 1
        while known < block:  # rows known … 2·known − 1 = M^known · rows 0 … known − 1
            np.einsum("ijn,tjn->tin", power, rows[:known], out=rows[known : 2 * known])
            power = np.einsum("ijn,jkn->ikn", power, power)
            known *= 2
        # `power` is now M^block: each later block is it times the block before.
        begin = 0
        while begin <= epochs:
            first = 1 if begin == 0 else 0  # epoch 0 is the start, judged already
            done = rows[first : min(block, epochs + 1 - begin), :2]
            if len(done):
                verdict.add(begin + first - 1, done)
            begin += block
            if begin <= epochs:
                rows = np.einsum("ijn,tjn->tin", power, rows)
    return verdict


def _of(value: Any, runs: np.ndarray) -> Any:
    """`value` for the chosen runs: one per run, or one shared by all."""
    value = np.asarray(value)
    return value[..., runs] if value.ndim else value
