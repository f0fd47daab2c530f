"""Learning-rate schedules: callables epoch -> multiplier of the optimizer's rates.

The multiplier scales both rates for a whole epoch, as torch's per-epoch schedulers
(`torch.optim.lr_scheduler`) do when `scheduler.step()` is called once per epoch. Each schedule
also accepts an integer array of epochs and returns the array of multipliers, so training
evaluates a whole block of epochs in one NumPy call. The decays start at multiplier 1; a
warm-up and one-cycle start below it and never exceed 1, so the optimizer's rate is always the
largest rate a run uses. A schedule that reads the loss is not a function of the epoch alone:
see plateau.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from gd_core.plateau import ReduceOnPlateau

Schedule = Callable[[np.ndarray], np.ndarray]


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


@dataclass(frozen=True)
class _Constant:
    def __call__(self, epoch: np.ndarray) -> np.ndarray:
        return np.ones_like(epoch, dtype=np.float64)


@dataclass(frozen=True)
class _StepDecay:
    every: int
    factor: float

    def __call__(self, epoch: np.ndarray) -> np.ndarray:
        return self.factor ** (np.asarray(epoch) // self.every).astype(np.float64)


@dataclass(frozen=True)
class _ExponentialDecay:
    gamma: float

    def __call__(self, epoch: np.ndarray) -> np.ndarray:
        return self.gamma ** np.asarray(epoch, dtype=np.float64)


@dataclass(frozen=True)
class _InverseTimeDecay:
    rate: float

    def __call__(self, epoch: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + self.rate * np.asarray(epoch, dtype=np.float64))


@dataclass(frozen=True)
class _CosineDecay:
    epochs: int
    final: float

    def __call__(self, epoch: np.ndarray) -> np.ndarray:
        progress = np.minimum(np.asarray(epoch, dtype=np.float64), self.epochs) / self.epochs
        return self.final + (1.0 - self.final) * 0.5 * (1.0 + np.cos(np.pi * progress))


def constant() -> Schedule:
    """Multiplier 1 at every epoch: the rates never change."""
    return _Constant()


def step_decay(every: int, factor: float) -> Schedule:
    """factor^⌊epoch / every⌋: the rates drop by `factor` every `every` epochs.

    torch.optim.lr_scheduler.StepLR(step_size=every, gamma=factor).
    """
    _check(int(every) == every and every >= 1, f"every must be a whole number ≥ 1; got {every}.")
    _check(0.0 < factor <= 1.0, f"factor must be in (0, 1]; got {factor}.")
    return _StepDecay(int(every), float(factor))


def exponential_decay(gamma: float) -> Schedule:
    """gamma^epoch. torch.optim.lr_scheduler.ExponentialLR(gamma=gamma)."""
    _check(0.0 < gamma <= 1.0, f"gamma must be in (0, 1]; got {gamma}.")
    return _ExponentialDecay(float(gamma))


def inverse_time_decay(rate: float) -> Schedule:
    """1 / (1 + rate·epoch): the classic Robbins–Monro-style decay."""
    _check(0.0 <= rate < np.inf, f"rate must be a finite number ≥ 0; got {rate}.")
    return _InverseTimeDecay(float(rate))


def cosine_decay(epochs: int, final: float = 0.0) -> Schedule:
    """final + (1 − final)·(1 + cos(π·min(epoch, epochs)/epochs))/2, then `final` for good.

    torch.optim.lr_scheduler.CosineAnnealingLR(T_max=epochs, eta_min=final·lr) over its first
    half period; after `epochs` it stays at `final` instead of rising again.
    """
    _check(
        int(epochs) == epochs and epochs >= 1, f"epochs must be a whole number ≥ 1; got {epochs}."
    )
    _check(0.0 <= final <= 1.0, f"final must be in [0, 1]; got {final}.")
    return _CosineDecay(int(epochs), float(final))


@dataclass(frozen=True)
class _LinearWarmup:
    epochs: int
    start_factor: float
    then: Schedule

    def __call__(self, epoch: np.ndarray) -> np.ndarray:
        epoch = np.asarray(epoch)
        ramp = self.start_factor + (1.0 - self.start_factor) * epoch / self.epochs
        after = self.then(np.maximum(epoch - self.epochs, 0))
        return np.where(epoch < self.epochs, ramp, after).astype(np.float64)


@dataclass(frozen=True)
class _OneCycle:
    total_steps: int
    pct_start: float
    div_factor: float
    final_div_factor: float

    def __call__(self, epoch: np.ndarray) -> np.ndarray:
        # As multipliers of max_lr: the initial rate is 1/div_factor, the last 1/(div·final_div).
        step = np.minimum(np.asarray(epoch, dtype=np.float64), self.total_steps - 1)
        initial = 1.0 / self.div_factor
        minimum = initial / self.final_div_factor
        rise_end = self.pct_start * self.total_steps - 1.0  # torch's float end_step of phase 1
        fall_end = self.total_steps - 1.0
        rising = step <= rise_end
        with np.errstate(divide="ignore", invalid="ignore"):
            pct = np.where(rising, step / rise_end, (step - rise_end) / (fall_end - rise_end))
        start = np.where(rising, initial, 1.0)
        end = np.where(rising, 1.0, minimum)
        return end + (start - end) / 2.0 * (np.cos(np.pi * pct) + 1.0)


def linear_warmup(
    epochs: int = 5,
    start_factor: float = 1.0 / 3.0,
    then: Schedule | ReduceOnPlateau | None = None,
) -> Schedule | ReduceOnPlateau:
    """A linear ramp from `start_factor` to 1 over `epochs` epochs, then `then` from its start.

    torch.optim.lr_scheduler.SequentialLR(schedulers=[LinearLR(start_factor, end_factor=1,
    total_iters=epochs), then], milestones=[epochs]): epoch t < epochs has
    start_factor + (1 − start_factor)·t/epochs, and epoch t ≥ epochs has then(t − epochs),
    so the schedule after the warm-up begins at its own epoch 0. Without `then` the rate stays
    at 1 after the ramp (LinearLR alone). `then` may also be a reduce_on_plateau(), which starts
    watching the loss when the warm-up ends (plateau.py).
    """
    _check(
        int(epochs) == epochs and epochs >= 1, f"epochs must be a whole number ≥ 1; got {epochs}."
    )
    _check(0.0 < start_factor <= 1.0, f"start_factor must be in (0, 1]; got {start_factor}.")
    if isinstance(then, ReduceOnPlateau):
        return then.with_warmup(int(epochs), float(start_factor))
    return _LinearWarmup(int(epochs), float(start_factor), then or _Constant())


def one_cycle(
    total_steps: int,
    pct_start: float = 0.3,
    div_factor: float = 25.0,
    final_div_factor: float = 1e4,
) -> Schedule:
    """The 1cycle policy with cosine annealing, as multipliers of the optimizer's rate (max_lr).

    torch.optim.lr_scheduler.OneCycleLR(max_lr=lr, total_steps, pct_start, anneal_strategy=
    'cos', div_factor, final_div_factor, three_phase=False, cycle_momentum=False), stepped once
    per epoch. With a = pct_start·total_steps − 1 and cos_anneal(s, e, p) = e + (s − e)(1 +
    cos(πp))/2, epoch t ≤ a has cos_anneal(1/div_factor, 1, t/a) and later epochs
    cos_anneal(1, 1/(div_factor·final_div_factor), (t − a)/(total_steps − 1 − a)). After
    total_steps it stays at its last value, where torch would refuse to step.

    Momentum is not cycled: torch's default cycle_momentum=True would also move SGD's momentum
    (from 0 to 0.85–0.95, turning plain gradient descent into heavy ball) and Adam's β1, which
    would change two things at once; here μ and β1 stay what the optimizer was given.
    """
    _check(
        int(total_steps) == total_steps and total_steps >= 2,
        f"total_steps must be a whole number ≥ 2; got {total_steps}.",
    )
    _check(0.0 < pct_start < 1.0, f"pct_start must be in (0, 1); got {pct_start}.")
    _check(
        pct_start * total_steps != 1.0,
        f"pct_start·total_steps = 1 leaves the rising phase no length (torch divides by zero "
        f"there); got pct_start = {pct_start} with {total_steps} steps. Change either.",
    )
    _check(1.0 <= div_factor < np.inf, f"div_factor must be ≥ 1; got {div_factor}.")
    _check(
        1.0 <= final_div_factor < np.inf, f"final_div_factor must be ≥ 1; got {final_div_factor}."
    )
    return _OneCycle(int(total_steps), float(pct_start), float(div_factor), float(final_div_factor))
