"""The result of training: the trajectory and how the run ended."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from gd_core.data import Dataset
from gd_core.model import excess_loss

Status = Literal["converged", "max_epochs", "diverged"]

# A run has diverged once its loss is this many times its starting loss (or not finite).
DIVERGENCE_FACTOR = 1e12


@dataclass(frozen=True, eq=False)
class Run:
    """Trajectory of one training run, entry 0 being the starting point.

    `k`, `b`, `loss` (full-data MSE after each epoch) are read-only arrays of length `epochs + 1`,
    or `diverged_at + 1` when the run diverged: they stop at the first epoch whose loss is not
    finite or exceeds `DIVERGENCE_FACTOR` times the initial loss. `converged_at` is the first
    epoch whose excess loss L − L* is at most `tol` times the initial excess loss.
    """

    k: np.ndarray
    b: np.ndarray
    loss: np.ndarray
    status: Status
    converged_at: int | None
    diverged_at: int | None
    epochs: int
    tol: float

    @property
    def message(self) -> str:
        """One sentence on how the run ended."""
        if self.status == "diverged":
            return (
                f"Diverged at epoch {self.diverged_at}: the loss grew past "
                f"{DIVERGENCE_FACTOR:.0e} times its starting value."
            )
        if self.status == "converged":
            return (
                f"Converged at epoch {self.converged_at}: the excess loss fell to "
                f"{self.tol:g} of its starting value."
            )
        return f"Ran all {self.epochs} epochs without reaching the tolerance {self.tol:g}."


def divergence_threshold(initial_loss: float) -> float:
    # A start at an exact, noiseless optimum has loss 0; rounding must not count as divergence.
    return DIVERGENCE_FACTOR * max(initial_loss, np.finfo(np.float64).tiny)


def first_divergence(data: Dataset, dk: np.ndarray, db: np.ndarray, threshold: float) -> int | None:
    """Index of the first (δk, δb) whose loss is not finite or above `threshold`, else None."""
    loss = data.loss_ols + excess_loss(data, dk, db)
    with np.errstate(invalid="ignore"):
        bad = ~(loss <= threshold)  # NaN compares False, so it counts as bad
    hits = np.flatnonzero(bad)
    return int(hits[0]) if hits.size else None


def _read_only(values: np.ndarray) -> np.ndarray:
    values = np.ascontiguousarray(values, dtype=np.float64)
    values.setflags(write=False)
    return values


def _excess(data: Dataset, dk: np.ndarray, db: np.ndarray) -> np.ndarray:
    """`excess_loss(data, dk, db)`, bit for bit, with one temporary array instead of four."""
    with np.errstate(all="ignore"):
        excess = dk * data.x_mean
        excess += db
        np.square(excess, out=excess)  # offset², offset = x̄·δk + δb
        spread = dk * data.x_var
        spread *= dk  # var(x)·δk·δk, in excess_loss's order
        excess += spread
    return excess


def _shifted(deviation: np.ndarray, optimum: float) -> np.ndarray:
    """optimum + deviation, written over `deviation` when it may be (it is not used again)."""
    return np.add(deviation, optimum, out=deviation if deviation.flags.writeable else None)


def finish_run(
    data: Dataset,
    init: tuple[float, float],
    dk: np.ndarray,
    db: np.ndarray,
    epochs: int,
    tol: float,
) -> Run:
    """Turn deviations from the optimum, (k − k*, b − b*) per epoch from `init`, into a `Run`.

    A run can be a million epochs long, so this holds as few full-length arrays as it can:
    `dk` and `db` become k and b in place (the caller hands them over).
    """
    excess = _excess(data, dk, db)
    loss = excess + data.loss_ols
    with np.errstate(invalid="ignore"):
        bad = ~(loss <= divergence_threshold(loss[0]))  # NaN compares False, so it counts
    diverged_at = int(bad.argmax()) if bad.any() else None
    end = len(loss) if diverged_at is None else diverged_at + 1
    with np.errstate(invalid="ignore"):
        below = excess[:end] <= tol * excess[0]
    converged_at = int(below.argmax()) if diverged_at is None and below.any() else None
    del excess, bad, below
    if diverged_at is not None:
        status: Status = "diverged"
    elif converged_at is not None:
        status = "converged"
    else:
        status = "max_epochs"
    k, b = _shifted(dk[:end], data.slope_ols), _shifted(db[:end], data.intercept_ols)
    k[0], b[0] = init  # k* + (k0 − k*) may differ from k0 in the last bit
    return Run(
        k=_read_only(k),
        b=_read_only(b),
        loss=_read_only(loss[:end]),
        status=status,
        converged_at=converged_at,
        diverged_at=diverged_at,
        epochs=epochs,
        tol=tol,
    )
