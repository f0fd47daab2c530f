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


def finish_run(
    data: Dataset,
    init: tuple[float, float],
    dk: np.ndarray,
    db: np.ndarray,
    epochs: int,
    tol: float,
) -> Run:
    """Turn deviations from the optimum, (k − k*, b − b*) per epoch from `init`, into a `Run`."""
    excess = excess_loss(data, dk, db)
    diverged_at = first_divergence(data, dk, db, divergence_threshold(data.loss_ols + excess[0]))
    if diverged_at is not None:
        dk, db, excess = dk[: diverged_at + 1], db[: diverged_at + 1], excess[: diverged_at + 1]
    with np.errstate(invalid="ignore"):
        reached = np.flatnonzero(excess <= tol * excess[0])
    converged_at = int(reached[0]) if reached.size and diverged_at is None else None
    if diverged_at is not None:
        status: Status = "diverged"
    elif converged_at is not None:
        status = "converged"
    else:
        status = "max_epochs"
    k, b = data.slope_ols + dk, data.intercept_ols + db
    k[0], b[0] = init  # k* + (k0 − k*) may differ from k0 in the last bit
    return Run(
        k=_read_only(k),
        b=_read_only(b),
        loss=_read_only(data.loss_ols + excess),
        status=status,
        converged_at=converged_at,
        diverged_at=diverged_at,
        epochs=epochs,
        tol=tol,
    )
