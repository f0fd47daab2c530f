"""Step-by-step descent, for every optimizer and schedule: full batch and mini-batch.

Both loops track the deviations δk = k − k*, δb = b − b* in plain Python floats, where an
update costs well under a microsecond. Epochs run in blocks: after each block its losses are
computed at once with NumPy, and a run that has diverged stops there.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from gd_core import fused
from gd_core.data import Dataset
from gd_core.model import hessian
from gd_core.optimizers import Optimizer, Update
from gd_core.plateau import ReduceOnPlateau
from gd_core.run import first_divergence

BLOCK = 4096  # epochs between divergence checks: short enough to stop soon, long enough to be cheap


def mini_batch_size(n: int, batch_size: int | None) -> int | None:
    """The batch size a run on n points really trains with: None (the full batch) when
    `batch_size` is None or at least n, since one batch of every point is the full batch and
    every epoch is then one full-batch step, numbers and all. The one place that decides it."""
    return None if batch_size is None or batch_size >= n else batch_size


def steps_per_epoch(n: int, batch_size: int | None) -> int:
    """Optimizer steps in one epoch: 1 for full batch, else ceil(n / batch_size)."""
    size = mini_batch_size(n, batch_size)
    return 1 if size is None else -(-n // size)


def rate_multipliers(optimizer: Optimizer, start: int, stop: int) -> np.ndarray:
    """The schedule's multipliers for epochs start..stop-1 (all ones without a schedule).

    Only for schedules of the epoch alone: reduce-on-plateau's rates follow the run's losses
    (see `scheduled_rates`).
    """
    epochs = np.arange(start, stop)
    if optimizer.schedule is None:
        return np.ones(stop - start)
    if isinstance(optimizer.schedule, ReduceOnPlateau):
        raise TypeError("Reduce-on-plateau depends on the losses: use scheduled_rates().")
    values = np.asarray(optimizer.schedule(epochs), dtype=np.float64)
    if values.shape != epochs.shape or not np.all(np.isfinite(values) & (values >= 0)):
        raise ValueError(
            "A schedule must map an array of epochs to finite multipliers ≥ 0, one per epoch."
        )
    return values


def scheduled_rates(
    optimizer: Optimizer, losses: np.ndarray, epochs: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(rate for k, rate for b) the optimizer was given in each epoch of a run with `losses`.

    Entry t is the rate of epoch t, the step from θ_t to θ_{t+1}, for the first `epochs` epochs
    (all the run's by default): the rates times the schedule's multipliers, or, for
    reduce-on-plateau, the rule replayed on the run's own losses. The adaptive rules divide
    these further by their running gradient sizes (adaptive.py).
    """
    steps = len(losses) - 1 if epochs is None else min(int(epochs), len(losses) - 1)
    lr_k, lr_b = optimizer.learning_rate
    if isinstance(optimizer.schedule, ReduceOnPlateau):
        return optimizer.schedule.rates_after((lr_k, lr_b), losses, steps)
    scale = rate_multipliers(optimizer, 0, steps)
    return lr_k * scale, lr_b * scale


def _trajectory_arrays(epochs: int, delta: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    out_k, out_b = np.empty(epochs + 1), np.empty(epochs + 1)
    out_k[0], out_b[0] = delta
    return out_k, out_b


def _kept_length(
    data: Dataset, out_k: np.ndarray, out_b: np.ndarray, start: int, stop: int, threshold: float
) -> int | None:
    """How many entries to keep if epochs start+1..stop diverged, else None."""
    block = slice(start + 1, stop + 1)
    hit = first_divergence(data, out_k[block], out_b[block], threshold)
    return None if hit is None else start + hit + 2


def _steps(update: Update) -> fused.Stepper:
    """Full-batch epochs stepping with `update` once per parameter: any rule, any state."""

    def steps(hessian, dk, db, state_k, state_b, rates_k, rates_b) -> fused.Block:
        h_kk, h_kb, h_bb = hessian
        ks: list[float] = []
        bs: list[float] = []
        keep_k, keep_b = ks.append, bs.append
        for rate_k, rate_b in zip(rates_k, rates_b, strict=True):
            # The gradient is H·(δk, δb): exact, and O(1) whatever the number of points.
            grad_k = h_kk * dk + h_kb * db
            grad_b = h_kb * dk + h_bb * db
            step_k, state_k = update(grad_k, state_k, rate_k)
            step_b, state_b = update(grad_b, state_b, rate_b)
            dk -= step_k
            db -= step_b
            keep_k(dk)
            keep_b(db)
        return ks, bs, dk, db, state_k, state_b

    return steps


def full_batch(
    data: Dataset,
    optimizer: Optimizer,
    epochs: int,
    delta: tuple[float, float],
    threshold: float,
) -> tuple[np.ndarray, np.ndarray]:
    """(δk, δb) after each of `epochs` full-batch steps, entry 0 the start.

    Stops after the block in which the loss first exceeds `threshold` or stops being finite.
    """
    if isinstance(optimizer.schedule, ReduceOnPlateau):
        return _full_batch_on_plateau(data, optimizer, epochs, delta, threshold)
    (h_kk, h_kb), (_, h_bb) = hessian(data).tolist()
    lr_k, lr_b = optimizer.learning_rate
    dk, db = delta
    state_k, state_b = optimizer.init(0.0), optimizer.init(0.0)
    steps = optimizer.full_batch_steps or _steps(optimizer.update)
    out_k, out_b = _trajectory_arrays(epochs, delta)
    for start in range(0, epochs, BLOCK):
        stop = min(start + BLOCK, epochs)
        scale = rate_multipliers(optimizer, start, stop)
        ks, bs, dk, db, state_k, state_b = steps(
            (h_kk, h_kb, h_bb),
            dk,
            db,
            state_k,
            state_b,
            (lr_k * scale).tolist(),
            (lr_b * scale).tolist(),
        )
        out_k[start + 1 : stop + 1], out_b[start + 1 : stop + 1] = ks, bs
        kept = _kept_length(data, out_k, out_b, start, stop, threshold)
        if kept is not None:
            return out_k[:kept], out_b[:kept]
    return out_k, out_b


def _full_batch_on_plateau(
    data: Dataset,
    optimizer: Optimizer,
    epochs: int,
    delta: tuple[float, float],
    threshold: float,
) -> tuple[np.ndarray, np.ndarray]:
    """`full_batch` with reduce-on-plateau, whose rates follow the loss after every epoch.

    The loss is computed here exactly as run.finish_run computes it from (δk, δb), operation
    for operation, so replaying the rule on the run's losses gives the rates used here. The
    step is written out rather than handed to the block stepper (`_steps`, fused.py): the rule
    reads every epoch's loss, and running the stepper in stretches between possible cuts
    measured slower (1.5 against 1.0 µs an epoch for plain GD, 3.3 against 1.5 for Adam with
    patience 0).
    """
    rule: ReduceOnPlateau = optimizer.schedule  # type: ignore[assignment]
    (h_kk, h_kb), (_, h_bb) = hessian(data).tolist()
    x_mean, x_var, floor = data.x_mean, data.x_var, data.loss_ols
    update, lr = optimizer.update, optimizer.learning_rate
    dk, db = delta
    state_k, state_b = optimizer.init(0.0), optimizer.init(0.0)
    out_k, out_b = _trajectory_arrays(epochs, delta)
    plateau, loss = None, np.nan
    for start in range(0, epochs, BLOCK):
        stop = min(start + BLOCK, epochs)
        for epoch in range(start, stop):
            plateau = rule.advance(plateau, epoch, lr, loss)
            rate_k, rate_b = rule.rates(plateau, epoch, lr)
            grad_k = h_kk * dk + h_kb * db
            grad_b = h_kb * dk + h_bb * db
            step_k, state_k = update(grad_k, state_k, rate_k)
            step_b, state_b = update(grad_b, state_b, rate_b)
            dk -= step_k
            db -= step_b
            out_k[epoch + 1], out_b[epoch + 1] = dk, db
            offset = dk * x_mean + db
            loss = offset * offset + dk * x_var * dk + floor
        kept = _kept_length(data, out_k, out_b, start, stop, threshold)
        if kept is not None:
            return out_k[:kept], out_b[:kept]
    return out_k, out_b


def epoch_batches(
    data: Dataset, batch_size: int, rng: np.random.Generator
) -> Iterator[tuple[list[float], list[float], list[float], list[float]]]:
    """Epoch after epoch, each batch's (a, c, p, q), with gradient (2(a·δk + c·δb + p),
    2(c·δk + δb + q)), under a fresh permutation of the points drawn from `rng` exactly as
    `rng.permutation(n)` draws it, cut into ceil(n / batch_size) consecutive batches.

    With r = k·x + b − y = δk·x + δb + e (e the least-squares residual), a batch's gradient
    needs only its means of x², x, x·e and e, taken on centred x for accuracy. The shuffled
    columns live in buffers made once: at 100,000 points an epoch would otherwise allocate five
    arrays of 0.8 MB, each mapped from the system and unmapped again by glibc (large blocks are
    served that way so a long-running server returns them: ui/plain/memory.py).
    """
    n, x_mean = data.n, data.x_mean
    starts = np.arange(0, n, batch_size)
    counts = np.diff(starts, append=n).astype(np.float64)
    identity = np.arange(n)
    order = np.empty_like(identity)
    u, e, product = np.empty(n), np.empty(n), np.empty(n)
    while True:
        np.copyto(order, identity)
        rng.shuffle(order)  # what rng.permutation(n) is: arange(n), shuffled
        np.take(data.x_centred, order, out=u)
        np.take(data.ols_residual, order, out=e)
        mean_u = np.add.reduceat(u, starts) / counts
        mean_e = np.add.reduceat(e, starts) / counts
        mean_uu = np.add.reduceat(np.multiply(u, u, out=product), starts) / counts
        mean_ue = np.add.reduceat(np.multiply(u, e, out=product), starts) / counts
        a = mean_uu + x_mean * (2.0 * mean_u + x_mean)
        c = x_mean + mean_u
        p = mean_ue + x_mean * mean_e
        yield (2.0 * a).tolist(), (2.0 * c).tolist(), (2.0 * p).tolist(), (2.0 * mean_e).tolist()


def mini_batch(
    data: Dataset,
    optimizer: Optimizer,
    epochs: int,
    delta: tuple[float, float],
    threshold: float,
    batch_size: int,
    seed: int,
) -> tuple[np.ndarray, np.ndarray]:
    """(δk, δb) after each epoch of shuffled mini-batches, one optimizer step per batch.

    Each epoch draws a fresh permutation from one generator seeded by `seed` and cuts it into
    ceil(n / batch_size) consecutive batches, the last one possibly smaller.
    """
    batches = epoch_batches(data, batch_size, np.random.default_rng(seed))
    update = optimizer.update
    lr_k, lr_b = optimizer.learning_rate
    dk, db = delta
    state_k, state_b = optimizer.init(0.0), optimizer.init(0.0)
    out_k, out_b = _trajectory_arrays(epochs, delta)
    block = max(1, BLOCK * batch_size // data.n)  # check about as often, in steps, as full batch
    rule = optimizer.schedule if isinstance(optimizer.schedule, ReduceOnPlateau) else None
    plateau, loss = None, np.nan
    for start in range(0, epochs, block):
        stop = min(start + block, epochs)
        scale = [] if rule else rate_multipliers(optimizer, start, stop).tolist()
        for epoch in range(start, stop):
            if rule is None:
                rate_k, rate_b = lr_k * scale[epoch - start], lr_b * scale[epoch - start]
            else:
                plateau = rule.advance(plateau, epoch, (lr_k, lr_b), loss)
                rate_k, rate_b = rule.rates(plateau, epoch, (lr_k, lr_b))
            for a, c, p, q in zip(*next(batches), strict=True):
                grad_k = a * dk + c * db + p
                grad_b = c * dk + 2.0 * db + q
                step_k, state_k = update(grad_k, state_k, rate_k)
                step_b, state_b = update(grad_b, state_b, rate_b)
                dk -= step_k
                db -= step_b
            out_k[epoch + 1], out_b[epoch + 1] = dk, db
            if rule is not None:  # the full-data loss, as run.finish_run computes it
                offset = dk * data.x_mean + db
                loss = offset * offset + dk * data.x_var * dk + data.loss_ols
        kept = _kept_length(data, out_k, out_b, start, stop, threshold)
        if kept is not None:
            return out_k[:kept], out_b[:kept]
    return out_k, out_b
