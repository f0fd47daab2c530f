"""How a run ended: when each parameter settled, and whether the run converged or diverges.

Judging by the loss alone is wrong for this model: along the flat valley of the bowl the loss
barely changes while b is still far from b*, which is the seed story itself. So a verdict looks
at each parameter:

- θ has *settled* at the first epoch from which it stays within `tol` of its optimum, measured
  as a fraction of its starting distance: |θ_t − θ*| ≤ tol·|θ_0 − θ*| at that epoch and every
  later epoch of the run. A run has *converged* when both have settled, at the later epoch.
- A parameter that starts at its optimum, or so close that tol·|θ_0 − θ*| is below what float64
  resolves at θ's size, has no starting distance to measure against: the other parameter's
  pull through mean(x) may still move it. It is measured instead against `reach`, the distance
  along θ alone that costs as much loss as the start does, and never against less than a few
  rounding steps, so rounding can never keep it from settling. When both start at the optimum
  nothing moves and the run has converged at epoch 0.
- A run is *diverged* once its loss is not finite or past DIVERGENCE_FACTOR × its start (the
  arrays stop there), and *diverging* when it ends finite but moving away from the optimum. For a
  linear update (plain GD, momentum, Nesterov at a constant rate, full batch) that is exact: the
  spectral radius ρ of the run's transition matrix is above 1, from the first epoch on, and
  the distance grows by ρ per epoch. For every other run it is a rule on the loss above the
  floor, E = L − L*: the run has at least MIN_TREND_EPOCHS epochs, E ends above its start, and
  the median of E over the last quarter of the run is more than TREND_FACTOR times its median
  over the quarter before. Medians of whole quarters ignore the swings of momentum's or Adam's
  overshoot, which go up and down without a trend, and a run that ends below its start has
  made progress whatever its last epochs did.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np

from gd_core.data import Dataset
from gd_core.model import excess_loss

Status = Literal["converged", "max_epochs", "diverging", "diverged"]

DEFAULT_TOL = 1e-3  # 99.9 % of each parameter's starting gap closed
# A run has diverged once its loss is this many times its starting loss (or not finite).
DIVERGENCE_FACTOR = 1e12
_TINY = float(np.finfo(np.float64).tiny)
_EPS = float(np.finfo(np.float64).eps)  # looked up once: np.finfo costs a microsecond a call
# A spectral radius this close to 1 is 1 up to the rounding of an eigenvalue solver.
RADIUS_ROUNDING = 1e-12
# Rounding steps of float64 that |θ − θ*| read back from θ cannot resolve.
RESOLUTION_ULPS = 8.0
# read_thresholds: thresholds under this many float spacings of θ* are read as train() reads
# them (above it the rounding moves them by under 2^-41); under UNEVEN_STEPS, a θ* by a power of
# two is left to train() (above it the two sides' spacings move a crossing by under 2^-34).
READ_STEPS = 2.0**40
UNEVEN_STEPS = 2.0**32
MIN_TREND_EPOCHS = 8
TREND_FACTOR = 2.0


def divergence_threshold(initial_loss: Any) -> Any:
    """The loss past which a run has diverged; elementwise over an array of starts.

    A start at an exact, noiseless optimum has loss 0; rounding must not count as divergence.
    """
    if type(initial_loss) is float:  # one run: Python's max, without a NumPy call
        return DIVERGENCE_FACTOR * max(initial_loss, _TINY)
    return DIVERGENCE_FACTOR * np.maximum(initial_loss, _TINY)


def settle_thresholds(
    data: Dataset,
    init: tuple[float, float],
    tol: float,
    start: Any = None,
    gaps: Any = None,
    rounding: tuple[float, float] = (0.0, 0.0),
) -> tuple[Any, Any]:
    """(for k, for b): the distance |θ − θ*| at or below which θ counts as settled.

    tol·|θ_0 − θ*| whenever float64 can resolve it; otherwise tol times `reach`, the distance
    along θ alone that costs the start's loss above the floor (see the module's docstring).
    For a stack of datasets' sums (sweeps.Stack) one threshold per dataset, elementwise: the
    same floats as each dataset's own (sqrt is correctly rounded in math and NumPy alike).
    `start` is excess_loss at `init` and `gaps` (k0 − k*, b0 − b*), if the caller has them.
    `rounding`: per parameter, the size of any other term its values were computed from (a
    run on standardised x reads b = b' − k'·x̄/s back, whose rounding is that of |k·x̄|, not of
    |b|); its rounding steps join the resolution floor, so they cannot keep θ from settling.
    """
    k0, b0 = float(init[0]), float(init[1])  # (no generator: train() and tunings read this)
    if gaps is None:
        gaps = (k0 - data.slope_ols, b0 - data.intercept_ols)
    if start is None:  # a caller with the start's excess loss at hand passes it
        start = excess_loss(data, *gaps)
    stacked = isinstance(start, np.ndarray)
    start = start if stacked else float(start)
    sqrt = np.sqrt if stacked else math.sqrt
    thresholds = []
    # b's curvature is 1 and a start is often 0: x/1, x + |0| and |0 − θ*| are x, x and |θ*|
    # exactly, so those operations are skipped (for a stack, each is a NumPy call).
    for gap, value, optimum, curvature, other in (
        (gaps[0], k0, data.slope_ols, data.x_sq_mean, rounding[0]),
        (gaps[1], b0, data.intercept_ols, None, rounding[1]),
    ):
        reach = sqrt(start if curvature is None else start / curvature)
        distance = abs(optimum)
        span = distance + abs(value) if value else distance
        span = span + other if other else span
        resolution = RESOLUTION_ULPS * _EPS * (span + reach)
        target = tol * (abs(gap) if value else distance)
        if stacked:
            resolved = target > resolution
            if np.count_nonzero(resolved) == resolved.size:  # as np.where gives it then
                thresholds.append(target)
            else:
                fallback = np.maximum(tol * reach, resolution)
                thresholds.append(np.where(resolved, target, fallback))
        else:
            thresholds.append(target if target > resolution else max(tol * reach, resolution))
    return thresholds[0], thresholds[1]


def read_thresholds(
    data: Any, thresholds: tuple[Any, Any]
) -> tuple[tuple[Any, Any], tuple[Any, Any]]:
    """((for k, for b), (uneven k, uneven b)): the thresholds on |δ| = |θ − θ*| that say what
    train() reads, for engines that work out δ themselves (the modes, the closed forms).

    train() reads |θ − θ*| with θ = θ* + δ rounded to float64 (run.finish_run): where the
    floats around θ* are u apart, that is a whole number of u, within `threshold` exactly
    when |δ| < (⌊threshold/u⌋ + ½)·u. The two differ by under u/2, which only matters where a
    threshold is a few u (a start next to the optimum) or a run so long that its slowest mode
    crosses it over many epochs. Where θ* is so close to a power of two that the floats below
    it are closer than those above, no one threshold on |δ| says it: `uneven` marks those
    within UNEVEN_STEPS·u, for the caller to ask train() itself. Elementwise for a Stack.
    """
    threshold_k, threshold_b = thresholds
    if type(threshold_k) is float and type(threshold_b) is float:  # one dataset's, in Python
        k, b = _read_one(data.slope_ols, threshold_k), _read_one(data.intercept_ols, threshold_b)
    else:
        k = _read_array(np.asarray(data.slope_ols), np.asarray(threshold_k, float))
        b = _read_array(np.asarray(data.intercept_ols), np.asarray(threshold_b, float))
    return (k[0], b[0]), (k[1], b[1])


def _read_one(optimum: float, threshold: float) -> tuple[float, bool]:
    size = abs(optimum)
    # ulp(θ*) ≤ 2⁻⁵²·|θ*|: a threshold of 2⁻¹²·|θ*| or more is READ_STEPS ulps or more (the
    # usual case, decided before any other work).
    if not threshold < size * (READ_STEPS * _EPS):
        return threshold, False
    spacing = math.ulp(size)
    if size < _TINY or not threshold < READ_STEPS * spacing:  # no rounding worth a bit
        return threshold, False
    steps = math.floor(threshold / spacing)
    read = (steps + 0.5) * spacing
    edge = math.ldexp(1.0, math.frexp(size)[1] - 1)  # the power of two at or below |θ*|
    uneven = steps < UNEVEN_STEPS and (size - read < edge or size + read >= 2.0 * edge)
    return read, uneven


def _read_array(optimum: np.ndarray, threshold: np.ndarray) -> tuple[np.ndarray, Any]:
    size = np.abs(optimum)
    # ulp(θ*) ≤ 2⁻⁵²·|θ*|: a threshold of 2⁻¹²·|θ*| or more is READ_STEPS ulps or more. Most
    # sweeps have none below it, and that is two calls, not a dozen.
    if not np.count_nonzero(threshold < size * (READ_STEPS * _EPS)):
        return threshold, False
    spacing = np.spacing(size)
    with np.errstate(all="ignore"):
        steps = np.floor(threshold / spacing)
        read = (steps + 0.5) * spacing
        edge = np.ldexp(1.0, np.frexp(size)[1] - 1)
    rounded = (size >= _TINY) & (threshold < READ_STEPS * spacing)
    uneven = rounded & (steps < UNEVEN_STEPS) & ((size - read < edge) | (size + read >= 2 * edge))
    return np.where(rounded, read, threshold), uneven


def settled_epoch(gaps: np.ndarray, threshold: float) -> int | None:
    """The first epoch from which every gap is ≤ threshold; None if the last one is not."""
    with np.errstate(invalid="ignore"):
        outside = ~(gaps <= threshold)  # NaN compares False, so it counts as outside
    if outside[-1]:
        return None
    last = len(outside) - 1 - int(np.argmax(outside[::-1]))
    return last + 1 if outside[last] else 0


def trend_growth(excess: np.ndarray) -> float | None:
    """For a run without a transition matrix: the distance's growth per epoch if it diverges.

    None unless the rule of the module's docstring says diverging; otherwise the factor per
    epoch by which √E, a distance, grew between the medians of the last two quarters.
    """
    epochs = len(excess) - 1
    if epochs < MIN_TREND_EPOCHS or not excess[-1] > excess[0]:
        return None
    return quarters_growth(excess[trend_window(epochs) :])


def trend_window(epochs: int) -> int:
    """The first epoch whose excess loss the trend rule reads in a run of `epochs` epochs:
    the last two quarters, epochs − 2·⌊epochs/4⌋ + 1 … epochs."""
    return epochs - 2 * (epochs // 4) + 1


def quarters_growth(window: np.ndarray) -> float | None:
    """The trend rule on the last two quarters' excess losses (`window`, epochs trend_window
    … the last, one run's: train()'s and a stepped sweep's alike), for a run that has at least
    MIN_TREND_EPOCHS epochs and ends above its start; None if it is not diverging."""
    quarter = len(window) // 2
    before = float(np.median(window[:quarter]))
    last = float(np.median(window[quarter:]))
    if not last > TREND_FACTOR * before:
        return None
    return (last / before) ** (0.5 / quarter) if before > 0 else math.inf


def diverging_radius(radius: float | None) -> bool:
    return radius is not None and radius > 1.0 + RADIUS_ROUNDING
