"""The result of training: the trajectory and how the run ended (see verdict.py)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gd_core.data import Dataset
from gd_core.model import excess_loss
from gd_core.verdict import (
    DIVERGENCE_FACTOR,
    Status,
    divergence_threshold,
    diverging_radius,
    settle_thresholds,
    settled_epoch,
    trend_growth,
)

__all__ = ["DIVERGENCE_FACTOR", "Run", "Status", "divergence_threshold", "finish_run"]


@dataclass(frozen=True, eq=False)
class Run:
    """Trajectory of one training run, entry 0 being the starting point, and its verdict.

    `k`, `b`, `loss` (full-data MSE after each epoch) are read-only arrays of length `epochs + 1`,
    or `diverged_at + 1` when the run diverged: they stop at the first epoch whose loss is not
    finite or exceeds `DIVERGENCE_FACTOR` times the initial loss.

    `settled_at` is (epoch k settled, epoch b settled), each None if it has not by the end;
    `converged_at` the later of the two when both settled and the run is not diverging.
    `status` is "converged" exactly when `converged_at` is not None; otherwise "diverged",
    "diverging" (ends finite but moving away) or "max_epochs" (still on its way).
    `spectral_radius` is that of the run's transition matrix when its update is linear (plain
    GD, momentum, Nesterov; constant rate; full batch), else None; `growth` is the factor per
    epoch by which the distance to the optimum grows in a diverging run.
    """

    k: np.ndarray
    b: np.ndarray
    loss: np.ndarray
    status: Status
    settled_at: tuple[int | None, int | None]
    converged_at: int | None
    diverged_at: int | None
    epochs: int
    tol: float
    spectral_radius: float | None = None
    growth: float | None = None
    # verdict.settle_thresholds' `rounding`: the size of other terms k and b were computed
    # from (a run on standardised x, standardize.py), which their settling bands allow for.
    rounding: tuple[float, float] = (0.0, 0.0)

    @property
    def message(self) -> str:
        """One sentence on how the run ended."""
        if self.status == "diverged":
            if not math.isfinite(self.loss[-1]):
                how = "became non-finite (too large for a float)"
            else:
                how = f"grew past {power_of_ten(DIVERGENCE_FACTOR)} times its starting value"
            return f"Diverged at epoch {self.diverged_at}: the loss {how}."
        if self.status == "diverging":
            return (
                f"Diverging: after {self.epochs} epochs the distance to the optimum grows "
                f"×{self.growth:.4g} per epoch."
            )
        if self.status == "converged":
            return (
                f"Converged at epoch {self.converged_at}: k settled at epoch "
                f"{self.settled_at[0]} and b at epoch {self.settled_at[1]}, each within "
                f"{self.tol:g} of its starting distance from the optimum."
            )
        lagging = " and ".join(
            name for name, epoch in zip("kb", self.settled_at, strict=True) if epoch is None
        )
        return (
            f"Ran all {self.epochs} epochs; {lagging} not yet within {self.tol:g} of its "
            "starting distance from the optimum."
        )


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


def _settled(
    data: Dataset, k: np.ndarray, b: np.ndarray, tol: float, rounding: tuple[float, float]
) -> tuple[int | None, ...]:
    """Each parameter's settled epoch, from the arrays as a reader would recompute it."""
    start = (float(k[0]), float(b[0]))
    threshold_k, threshold_b = settle_thresholds(data, start, tol, rounding=rounding)
    with np.errstate(invalid="ignore"):
        return (
            settled_epoch(np.abs(k - data.slope_ols), threshold_k),
            settled_epoch(np.abs(b - data.intercept_ols), threshold_b),
        )


def judge(
    data: Dataset,
    k: np.ndarray,
    b: np.ndarray,
    loss: np.ndarray,
    epochs: int,
    tol: float,
    spectral_radius: float | None,
    rounding: tuple[float, float] = (0.0, 0.0),
) -> Run:
    """A `Run` of these arrays (k[0], b[0] the start), with its verdict (verdict.py);
    `rounding` as Run's.

    The arrays are read-only afterwards and must already stop at a divergence, if any.
    """
    excess = loss - data.loss_ols
    diverged = not (loss[-1] <= divergence_threshold(float(loss[0])))
    diverged_at = len(loss) - 1 if diverged else None
    settled = (None, None) if diverged else _settled(data, k, b, tol, rounding)
    growth: float | None = None
    if diverged:
        status: Status = "diverged"
    elif spectral_radius is not None:
        # A start exactly at the optimum has nothing for a growing mode to grow from.
        at_optimum = k[0] == data.slope_ols and b[0] == data.intercept_ols
        moving = not at_optimum and diverging_radius(spectral_radius)
        growth = spectral_radius if moving else None
        status = "diverging" if moving else "max_epochs"
    elif None not in settled:
        status = "max_epochs"
    else:
        growth = trend_growth(excess)
        status = "diverging" if growth is not None else "max_epochs"
    converged_at: int | None = None
    if status == "max_epochs" and None not in settled:
        status, converged_at = "converged", max(settled)  # type: ignore[type-var]
    return Run(
        k=_read_only(k),
        b=_read_only(b),
        loss=_read_only(loss),
        status=status,
        settled_at=settled,  # type: ignore[arg-type]
        converged_at=converged_at,
        diverged_at=diverged_at,
        epochs=epochs,
        tol=tol,
        spectral_radius=spectral_radius,
        growth=growth,
        rounding=rounding,
    )


def finish_run(
    data: Dataset,
    init: tuple[float, float],
    dk: np.ndarray,
    db: np.ndarray,
    epochs: int,
    tol: float,
    spectral_radius: float | None = None,
) -> Run:
    """Turn deviations from the optimum, (k − k*, b − b*) per epoch from `init`, into a `Run`.

    A run can be a million epochs long, so this holds as few full-length arrays as it can:
    `dk` and `db` become k and b in place (the caller hands them over).
    """
    excess = _excess(data, dk, db)
    loss = excess + data.loss_ols
    del excess
    with np.errstate(invalid="ignore"):
        bad = ~(loss <= divergence_threshold(loss[0]))  # NaN compares False, so it counts
    end = int(bad.argmax()) + 1 if bad.any() else len(loss)
    del bad
    k, b = _shifted(dk[:end], data.slope_ols), _shifted(db[:end], data.intercept_ols)
    k[0], b[0] = init  # k* + (k0 − k*) may differ from k0 in the last bit
    return judge(data, k, b, loss[:end], epochs, tol, spectral_radius)


# Each digit and the minus sign raised: the one table for every "10⁻⁶" the app writes (the
# log axes' Vega labels replace these characters one by one).
SUPERSCRIPTS = dict(zip("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹", strict=True))


def superscript(text: str) -> str:
    """`text` with each digit and minus sign raised: "-18" → "⁻¹⁸"."""
    return text.translate(str.maketrans(SUPERSCRIPTS))


def power_of_ten(value: float) -> str:
    """A factor such as DIVERGENCE_FACTOR as a student reads it: 10¹², not 1e+12 or
    1,000,000,000,000 (the message above and the app's banners say it the same way)."""
    exponent = round(math.log10(value))
    if value == 10.0**exponent:
        return "10" + superscript(str(exponent))
    return f"{value:,.4g}"
