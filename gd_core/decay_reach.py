"""How much a decaying schedule still lets a run move, from its last epoch up to a later one.

Two answers, each true of the run it is asked about:

- `plain_reach`: plain GD on the full batch, exactly. The update is δ ← (I − m_t·D·H)·δ with
  a scalar multiplier m_t, so D·H's eigenvectors never change and each mode of δ shrinks by
  the product of (1 − m_t·s_i) over the remaining epochs (s_i the eigenvalues of D·H).
- `travel_bound`: for any other rule (the adaptive ones; plain GD on mini-batches), an upper
  bound on how far a parameter can still move. If it is less than the gap left, the run
  provably cannot close that gap, whatever the steps do.
"""

from __future__ import annotations

import numpy as np

from gd_core.data import Dataset
from gd_core.descent import steps_per_epoch
from gd_core.model import hessian
from gd_core.optimizers import Optimizer
from gd_core.schedules import Schedule

CHUNK = 16_384  # epochs of a schedule's multipliers taken at once (a falling one may stop early)


def rate_left(schedule: Schedule, start: int, stop: int, falling: bool = False) -> float:
    """Σ of the schedule's multipliers over epochs start..stop−1 (the rate still to come, in
    units of the starting rate). `falling`: the schedule never rises after `start` (every
    decay after its warm-up), so once the rest can add at most a 10⁻¹² share it is added as
    that bound (the last multiplier times the epochs left) instead of summed: an upper bound,
    as travel_bound needs, and a million epochs of a step decay are not computed."""
    total = 0.0
    for first, part in _multipliers(schedule, start, stop):
        total += float(np.sum(part))
        rest = float(part[-1]) * (stop - first - len(part))
        if falling and rest <= 1e-12 * total:
            return total + rest
    return total


def _multipliers(schedule: Schedule, start: int, stop: int):
    for first in range(start, stop, CHUNK):
        epochs = np.arange(first, min(first + CHUNK, stop))
        yield first, np.asarray(schedule(epochs), dtype=float)


def plain_reach(
    data: Dataset,
    rates: tuple[float, float],
    schedule: Schedule,
    start: int,
    stop: int,
    deviation: tuple[float, float],
    falling: bool = False,
) -> np.ndarray:
    """(k − k*, b − b*) after epochs start..stop−1 of full-batch plain GD with per-parameter
    rates `rates` times the schedule's multipliers, from `deviation` at epoch `start`. Exact:
    each mode's factor is Π(1 − m_t·s_i), taken as a sum of logs (so 50,000 epochs cost one
    pass over the multipliers, and a factor that underflows is 0, not a rounding error).
    `falling` (as rate_left): once m·s_max summed over the epochs left is below 10⁻¹², the
    rest can change no factor by more than that share, and is left out."""
    scaled = np.diag(np.asarray(rates, dtype=float)) @ hessian(data)
    values, vectors = np.linalg.eig(scaled)  # real: D·H is similar to √D·H·√D
    values, vectors = values.real, vectors.real
    logs, negative, zero = np.zeros(2), np.zeros(2, dtype=int), np.zeros(2, dtype=bool)
    steepest = float(np.max(np.abs(values)))
    for first, part in _multipliers(schedule, start, stop):
        factors = 1.0 - np.outer(part, values)  # (epochs, 2)
        zero |= np.any(factors == 0.0, axis=0)
        negative += np.sum(factors < 0.0, axis=0)
        with np.errstate(divide="ignore"):
            logs += np.sum(np.log(np.abs(factors)), axis=0)
        if falling and float(part[-1]) * steepest * (stop - first - len(part)) < 1e-12:
            break
    with np.errstate(over="ignore"):
        shrink = np.where(zero, 0.0, np.exp(logs) * np.where(negative % 2, -1.0, 1.0))
    modes = np.linalg.solve(vectors, np.asarray(deviation, dtype=float))
    with np.errstate(invalid="ignore", over="ignore"):
        return vectors @ (shrink * modes)


def step_bound(name: str, hyper: dict, first_step: int) -> float | None:
    """c such that every step from step `first_step` on (counted from 1, as torch does) moves
    each parameter by at most c·(its rate × the schedule's multiplier), whatever the gradients;
    None when no such c holds (plain GD and momentum, whose steps grow with the gradient).

    Adam: |m̂_t|/√v̂_t ≤ (1 − β1)/(1 − β1^t) · √(Σ_j (β1²/β2)^j) · √(1 − β2^t)/√(1 − β2) by
    Cauchy–Schwarz on m_t = (1 − β1)·Σ β1^{t−i}·g_i against v_t = (1 − β2)·Σ β2^{t−i}·g_i²
    (finite when β1² < β2; Kingma & Ba §2.1 give the same shape); eps only shrinks the step.
    RMSProp: v_t ≥ (1 − α)·g_t², so |g_t|/√v_t ≤ 1/√(1 − α). AdaGrad: s_t ≥ g_t², so ≤ 1.
    Adamax: u_t ≥ β2^{t−i}·|g_i|, so |m_t| ≤ (1 − β1)·Σ_j (β1/β2)^j·u_t, finite when β1 < β2,
    and its step divides by (1 − β1^t)·u_t. `hyper` is the optimizer factory's keywords.
    """
    if name == "adagrad":
        return 1.0
    if name == "rmsprop":
        alpha = float(hyper["alpha"])
        return 1.0 / np.sqrt(1.0 - alpha) if alpha < 1.0 else None
    if name in ("adam", "adamax"):
        beta1, beta2 = (float(b) for b in hyper["betas"])
        ratio = beta1**2 / beta2 if name == "adam" else beta1 / beta2
        if beta2 == 0.0 or ratio >= 1.0:
            return None
        head = (
            (1.0 - beta1)
            / (1.0 - beta1 ** max(first_step, 1))
            / (1.0 - ratio) ** (0.5 if name == "adam" else 1.0)
        )
        return head / np.sqrt(1.0 - beta2) if name == "adam" else head
    return None


def travel_bound(
    data: Dataset,
    optimizer: Optimizer,
    hyper: dict,
    start: int,
    stop: int,
    batch_size: int | None,
    at: tuple[float, float],
    falling: bool = False,
) -> float | None:
    """An upper bound on how far each of k and b can still move over epochs start..stop−1
    from (k, b) = `at`; None when none is known.

    Adaptive rules: Σ over the remaining steps of step_bound · rate · multiplier. Plain GD on
    mini-batches: a batch's gradient is an average of per-point gradients 2·r_i·(x_i, 1), so
    |g| ≤ G + L·r with G = max 2·|r_i(at)|·√(1 + x_i²), L = max 2·(1 + x_i²) and r the distance
    moved; r then grows at most as r' ≤ η·(G + L·r), giving r ≤ (G/L)·(exp(η_max·L·S) − 1) for
    S the rate multipliers summed over the remaining steps (Grönwall).
    """
    if optimizer.schedule is None or not callable(optimizer.schedule):
        return None  # reduce-on-plateau's rates follow the losses still to come
    per_epoch = steps_per_epoch(data.n, batch_size)
    left = per_epoch * rate_left(optimizer.schedule, start, stop, falling)
    fastest = max(optimizer.learning_rate)
    bound = step_bound(optimizer.name, hyper, start * per_epoch + 1)
    if bound is not None:
        return float(bound * fastest * left)
    if optimizer.name != "sgd":
        return None
    x, y = data.x, data.y
    with np.errstate(all="ignore"):
        reach = np.sqrt(1.0 + x * x)
        push = float(np.max(2.0 * np.abs(at[0] * x + at[1] - y) * reach))
        stiff = float(np.max(2.0 * reach * reach))
        grown = np.expm1(fastest * stiff * left)
        moved = push / stiff * grown if push > 0.0 else 0.0
    return float(moved) if np.isfinite(moved) else None
