"""Learning-rate schedules: callables epoch -> multiplier, with multiplier 1 at epoch 0.

The multiplier scales both rates for a whole epoch, as torch's per-epoch schedulers
(`torch.optim.lr_scheduler`) do when `scheduler.step()` is called once per epoch. Each schedule
also accepts an integer array of epochs and returns the array of multipliers, so training
evaluates a whole block of epochs in one NumPy call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

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
