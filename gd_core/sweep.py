"""Many runs at once: a grid of (η_k, η_b), every cell trained for the same epochs.

Plain GD at a constant rate needs no simulation: its excess loss is a sum of two exponential
modes (theory.py), so every cell's final loss, divergence and epoch of convergence follow in a
few vectorised operations, whatever the number of epochs. Every other optimizer steps all cells
together: the coordinate-wise update rules of optimizers.py run on a (2, cells) array, one
NumPy call per operation for the whole grid, with no Python loop per run.

Cells mean what train() means for one run: `diverged` when the loss passes DIVERGENCE_FACTOR
times its start, `epochs_to_converge` the epoch both parameters have settled (verdict.py), and
no epoch where the run is diverging. Plain GD's settled epochs come from the two modes of each
coordinate (settling.py); stepped cells record the last epoch each parameter was outside.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from gd_core import packed as packed_rules
from gd_core.chunks import ChunkVerdict
from gd_core.closed_form import spectral_radius
from gd_core.data import Dataset
from gd_core.descent import rate_multipliers
from gd_core.linear_sweep import orbits
from gd_core.model import excess_loss
from gd_core.optimizers import Optimizer, make_optimizer
from gd_core.plateau import ReduceOnPlateau
from gd_core.settling import CoordinateModes
from gd_core.stability import single_parameter_limits
from gd_core.verdict import (
    DEFAULT_TOL,
    RADIUS_ROUNDING,
    divergence_threshold,
    settle_thresholds,
)

# Deviations a chunk of stepped epochs holds before it is judged: ~8 MB.
HISTORY_VALUES = 2**20


@dataclass(frozen=True, eq=False)
class StabilityMap:
    """Outcome of full-batch training for every (η_k, η_b); arrays shaped (len(lr_b), len(lr_k)).

    `final_loss` is the loss after the last epoch (NaN where the run diverged);
    `epochs_to_converge` the epoch train() reports as converged_at (NaN where it is None);
    `diverging` where train() reports "diverging" for a linear update (plain GD, momentum,
    Nesterov at a constant rate: the spectral radius is above 1); False for other optimizers,
    whose trend rule needs the whole trajectory of each cell.
    """

    lr_k: np.ndarray
    lr_b: np.ndarray
    final_loss: np.ndarray
    diverged: np.ndarray
    diverging: np.ndarray
    epochs_to_converge: np.ndarray
    epochs: int
    optimizer: str
    exact: bool  # from the modes at any epoch count (plain GD at a constant rate), not stepped

    def cells(self) -> dict[str, np.ndarray]:
        """Every cell flattened (row by row): its rates and its bounds on log axes, so that
        cells tile the map when drawn as rectangles (`rate_grid` spaces rates evenly in log)."""
        grid_k, grid_b = (grid.ravel() for grid in np.meshgrid(self.lr_k, self.lr_b))
        half_k = np.sqrt(self.lr_k[1] / self.lr_k[0]) if self.lr_k.size > 1 else 1.0
        half_b = np.sqrt(self.lr_b[1] / self.lr_b[0]) if self.lr_b.size > 1 else 1.0
        return {
            "lr_k": grid_k,
            "lr_b": grid_b,
            "k_low": grid_k / half_k,
            "k_high": grid_k * half_k,
            "b_low": grid_b / half_b,
            "b_high": grid_b * half_b,
        }


def rate_grid(
    data: Dataset, resolution: int = 40, span: tuple[float, float] = (1e-3, 4.0)
) -> tuple[np.ndarray, np.ndarray]:
    """Log-spaced η_k and η_b from span[0] to span[1] times each parameter's own limit.

    The limits (1/mean(x²) for k, 1 for b) put the stability boundary inside the grid whatever
    the data, and a span of three decades shows the slow corner, the fast valley and blow-up.
    """
    limit_k, limit_b = single_parameter_limits(data)
    factors = np.geomspace(span[0], span[1], resolution)
    return factors * limit_k, factors * limit_b


def _rate_axis(values: Any, name: str) -> np.ndarray:
    axis = np.asarray(values, dtype=np.float64)
    if axis.ndim != 1 or axis.size == 0 or not (np.isfinite(axis) & (axis > 0)).all():
        raise ValueError(f"{name} must be a non-empty list of finite rates > 0.")
    return axis


def stability_map(
    data: Dataset,
    lr_k_values: Any,
    lr_b_values: Any,
    epochs: int,
    optimizer: Optimizer | str = "sgd",
    *,
    init: tuple[float, float] = (0.0, 0.0),
    tol: float = DEFAULT_TOL,
    **hyper: Any,
) -> StabilityMap:
    """Train `optimizer` on every pair of rates; its own rates are ignored (the grid's are used).

    `optimizer` is an Optimizer such as `adam(1.0, betas=(0.8, 0.99))`, or a name from
    OPTIMIZERS with `hyper` for its factory. The result says whether it is `exact` (plain GD at
    a constant rate, from the modes) or stepped.
    """
    lr_k, lr_b = _rate_axis(lr_k_values, "lr_k_values"), _rate_axis(lr_b_values, "lr_b_values")
    if isinstance(epochs, bool) or not isinstance(epochs, int | np.integer) or epochs < 0:
        raise ValueError(f"epochs must be a whole number ≥ 0; got {epochs!r}.")
    if isinstance(optimizer, Optimizer):
        if hyper:
            raise TypeError("Pass hyperparameters to the optimizer's factory, not here.")
        rule = optimizer
    else:
        rule = make_optimizer(optimizer, 1.0, **hyper)  # the rates come from the grid
    # A row of η_k against a column of η_b: broadcasting makes the grid, and per-axis work
    # stays per axis.
    grid_k, grid_b = lr_k[np.newaxis, :], lr_b[:, np.newaxis]
    delta = (init[0] - data.slope_ols, init[1] - data.intercept_ols)
    start = float(excess_loss(data, *delta))
    excess_limit = divergence_threshold(data.loss_ols + start) - data.loss_ols
    thresholds = settle_thresholds(data, init, tol)
    if rule.exact_map:
        final, converged, modes = plain_gd(data, grid_k, grid_b, delta, epochs, thresholds)
        diverged = ~(final <= excess_limit)
        diverging = modes.radius > 1.0 + RADIUS_ROUNDING
    else:
        shape = (lr_b.size, lr_k.size)
        rates = np.stack([np.broadcast_to(grid, shape).ravel() for grid in (grid_k, grid_b)])
        final, diverged, converged = (
            result.reshape(shape)
            for result in simulate(data, rule, rates, delta, epochs, thresholds, excess_limit)
        )
        diverging = np.zeros_like(diverged)
        if rule.closed_form:
            # As train() judges a linear run: diverging from the first epoch when ρ > 1.
            radius = spectral_radius(data, rule, np.broadcast_arrays(grid_k, grid_b))
            diverging = radius > 1.0 + RADIUS_ROUNDING
    diverging &= delta != (0.0, 0.0)  # a start at the optimum stays there
    if delta == (0.0, 0.0):
        converged = np.zeros_like(final)  # at the optimum already: nothing moves
    return StabilityMap(
        lr_k=lr_k,
        lr_b=lr_b,
        final_loss=np.where(diverged, np.nan, data.loss_ols + final),
        diverged=diverged,
        diverging=diverging & ~diverged,
        epochs_to_converge=np.where(diverged | diverging, np.nan, converged),
        epochs=int(epochs),
        optimizer=rule.name,
        exact=rule.exact_map,
    )


def plain_gd(
    data: Any,
    lr_k: np.ndarray,
    lr_b: np.ndarray,
    delta: tuple[Any, Any],
    epochs: int,
    thresholds: tuple[Any, Any],
) -> tuple[np.ndarray, np.ndarray, CoordinateModes]:
    """Final excess loss and convergence epoch from the modes, with no stepping; and the
    modes themselves (their spectral radius says which runs are diverging).

    Elementwise over the rates, and over runs on different data when `data` is a stack of
    datasets' sums (sweeps.Stack) and `delta` and `thresholds` hold one value per run (one
    rate for both parameters on one dataset has a leaner path: single_rate.py). The
    excess loss is a sum of two terms each growing or shrinking geometrically, so its largest
    value over 0…epochs is at an end: checking the last epoch for divergence checks them all.
    """
    modes = CoordinateModes.of(data, lr_k, lr_b, delta)
    end = modes.at(epochs)
    with np.errstate(all="ignore"):
        offset = data.x_mean * end[0] + end[1]
        final = data.x_var * end[0] * end[0] + offset * offset
    return final, modes.converged(thresholds, epochs, end), modes


def simulate(
    data: Any,
    rule: Optimizer,
    rates: np.ndarray,
    delta: tuple[Any, Any],
    epochs: int,
    thresholds: tuple[Any, Any],
    excess_limit: Any,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Final excess loss, divergence and convergence epoch of runs, stepped all together.

    `rates` is (2, runs): row 0 is η_k, row 1 η_b, so each update-rule operation is a single
    NumPy call for every run. `data`, `delta`, `thresholds` and `excess_limit` are one dataset's
    or hold one value per run (a stack of datasets' sums, sweeps.Stack); so may the rule's
    hyperparameters. Each parameter has settled one epoch after the last epoch it was outside
    its threshold, if it is inside at the end.
    """
    if rule.closed_form:  # linear at constant rates: from the closed form, as train() does
        return orbits(data, rule, rates, delta, epochs, thresholds, excess_limit)
    return stepped(data, rule, rates, delta, epochs, thresholds, excess_limit).result()


def recorded_excess(
    data: Any,
    rule: Optimizer,
    rates: np.ndarray,
    delta: tuple[Any, Any],
    epochs: int,
    first: int,
) -> np.ndarray:
    """(epochs − first + 1, runs): every run's excess loss over epochs first … epochs, as
    train() computes it from its losses (what verdict.quarters_growth reads), stepped as
    `simulate` steps them, for a rule without a closed form. `data` and `delta` as there."""
    record = (first, epochs, data.loss_ols)
    unset = (np.inf, np.inf)  # nothing settles, nothing is judged diverged: only recorded
    verdict = stepped(data, rule, rates, delta, epochs, unset, np.inf, record)
    return verdict.recorded  # type: ignore[return-value]


def stepped(
    data: Any,
    rule: Optimizer,
    rates: np.ndarray,
    delta: tuple[Any, Any],
    epochs: int,
    thresholds: tuple[Any, Any],
    excess_limit: Any,
    record: tuple[int, int, Any] | None = None,
) -> ChunkVerdict:
    """`simulate` for a rule without a closed form: the verdict of its runs, stepped (with
    the excess losses of `record`'s epochs kept, if asked: chunks.ChunkVerdict)."""
    # Reduce-on-plateau gives each run its own rates, from that run's losses (plateau.py).
    plateau = rule.schedule if isinstance(rule.schedule, ReduceOnPlateau) else None
    # Whole packed epochs pay off for a few hundred runs at most (packed.WHOLE_EPOCHS says why).
    if (
        rule.packed_epochs is not None
        and plateau is None
        and rates.shape[1] < packed_rules.WHOLE_EPOCHS
    ):
        return packed_epochs(data, rule, rates, delta, epochs, thresholds, excess_limit, record)
    runs = rates.shape[1]
    # The full-batch gradient is H·δ, exactly, whatever the number of points, with hessian(data)'s
    # entries bit for bit (H_bb is 2 for every dataset), as two products and an add:
    # - up to LARGE runs, where a call costs its overhead, on contiguous operands of one shape
    #   (packed.py says why): each epoch's deviations are kept as (δk, δb, δk), rows 0–1 times
    #   (H_kk, H_bb) plus rows 1–2 times (H_kb, H_kb) is (H_kk·δk + H_kb·δb, H_bb·δb + H_kb·δk),
    #   the same floats as train()'s (a + b is b + a exactly);
    # - from LARGE runs on, where a call costs its memory traffic, δk times the column
    #   (H_kk, H_kb) plus δb times (H_kb, H_bb), without the copy of δk.
    small = runs < packed_rules.LARGE
    with np.errstate(all="ignore"):
        h_kk, h_kb = 2.0 * data.x_sq_mean, 2.0 * data.x_mean
        if small:
            first = np.array([np.broadcast_to(h_kk, (runs,)), np.full(runs, 2.0)])
            second = np.array(np.broadcast_to(h_kb, (2, runs)))
        else:
            first = np.array(np.broadcast_arrays(h_kk, h_kb)).reshape(2, -1)
            second = np.array(np.broadcast_arrays(h_kb, 2.0)).reshape(2, -1)
    chunk = max(1, min(256, HISTORY_VALUES // (2 * runs)))
    history = np.empty((chunk, 3 if small else 2, runs))  # the chunk's epochs, judged at once
    if small:  # views made once: δ, the two factors of the products, δk and its copy
        rows = [(row[:2], row[:2], row[1:], row[0], row[2]) for row in history]
    else:
        rows = [(row, row[0], row[1], None, None) for row in history]
    start = np.empty((3, runs))
    start[0], start[1] = delta
    start[2] = start[0]
    dev = start[:2]
    along_first, along_second = (dev, start[1:]) if small else (dev[0], dev[1])
    state = rule.init(np.zeros((2, runs)))
    packed = rule.packed_steps(runs) if rule.packed_steps is not None else None
    optimum = (data.slope_ols, data.intercept_ols)  # distances as train() reads them
    verdict = ChunkVerdict(
        data, dev, thresholds, excess_limit, excess_loss(data, *dev), optimum, record
    )
    along, across = np.empty((2, runs)), np.empty((2, runs))
    gradient, step = np.empty((2, runs)), np.empty((2, runs))
    multiply, add, subtract, copy = np.multiply, np.add, np.subtract, np.copyto
    constant = rule.schedule is None
    watched, loss = None, None
    x_var, x_mean = data.x_var, data.x_mean
    with np.errstate(all="ignore"):
        for begin in range(0, epochs, chunk):
            stop = min(begin + chunk, epochs)
            scale = [1.0] * (stop - begin) if plateau else rate_multipliers(rule, begin, stop)
            for i, multiplier in enumerate(scale if plateau else scale.tolist()):
                if plateau is not None:
                    watched = plateau.advance(watched, begin + i, rates, loss, np.where)
                    given = np.stack(plateau.rates(watched, begin + i, rates))
                else:  # without a schedule every multiplier is 1: the rates as they are
                    given = rates if constant else rates * multiplier
                multiply(along_first, first, along)
                multiply(along_second, second, across)
                add(along, across, gradient)
                if packed is not None:
                    packed(gradient, given, step)
                else:
                    step, state = rule.update(gradient, state, given)
                previous = dev
                dev, along_first, along_second, dev_k, again_k = rows[i]
                subtract(previous, step, dev)
                if again_k is not None:
                    copy(again_k, dev_k)
                if plateau is not None:  # the loss it reads next, as run.finish_run computes it
                    offset = x_mean * dev[0] + dev[1]
                    loss = x_var * dev[0] * dev[0] + offset * offset + data.loss_ols
            verdict.add(begin, history[: stop - begin, :2])
    return verdict


def packed_epochs(
    data: Any,
    rule: Optimizer,
    rates: np.ndarray,
    delta: tuple[Any, Any],
    epochs: int,
    thresholds: tuple[Any, Any],
    excess_limit: Any,
    record: tuple[int, int, Any] | None = None,
) -> ChunkVerdict:
    """As `stepped`, for a rule that steps whole epochs itself (rule.packed_epochs: Adam,
    RMSProp), a chunk of epochs at a time, each chunk's deviations judged at once."""
    runs = rates.shape[1]
    chunk = max(1, min(256, HISTORY_VALUES // (2 * runs)))
    with np.errstate(all="ignore"):  # hessian(data)'s entries, as simulate takes them
        hessian = (2.0 * data.x_sq_mean, 2.0 * data.x_mean, 2.0)
        stepper = rule.packed_epochs(hessian, delta, rates)
    start = np.empty((2, runs))
    start[0], start[1] = delta
    optimum = (data.slope_ols, data.intercept_ols)  # distances as train() reads them
    verdict = ChunkVerdict(
        data, start, thresholds, excess_limit, excess_loss(data, *start), optimum, record
    )
    history = np.empty((chunk, 2, runs))
    with np.errstate(all="ignore"):
        for begin in range(0, epochs, chunk):
            stop = min(begin + chunk, epochs)
            scale = None if rule.schedule is None else rate_multipliers(rule, begin, stop)
            stepper.advance(history[: stop - begin], scale)
            verdict.add(begin, history[: stop - begin])
    return verdict
