"""Reduce-on-plateau: a schedule that reads the full-data loss after every epoch.

torch.optim.lr_scheduler.ReduceLROnPlateau(mode='min', factor, patience, threshold,
threshold_mode, cooldown, min_lr, eps), with `scheduler.step(loss)` called after each
epoch on the full-data loss, and k and b as two parameter groups, each with its own rate:

    better  = loss < best·(1 − threshold)         (threshold_mode 'rel'; best starts at +inf)
              loss < best − threshold             (threshold_mode 'abs')
    best    = loss if better;  bad = 0 if better else bad + 1
    if cooling down: cooldown_left −= 1, bad = 0   (bad epochs in a cooldown are ignored)
    if bad > patience: each rate ← max(rate·factor, min_lr) unless that changes it by ≤ eps;
                       cooldown_left = cooldown, bad = 0

Unlike the schedules of schedules.py it is not a function of the epoch, so training steps it
inside its loop (descent.py, stepping.py). The rule is written once for floats and arrays alike,
with `select(condition, a, b)` the only operation that differs; on one run's floats `step` takes
a branch-by-branch copy of it instead, which a run pays every epoch (a test holds the two
equal). `rates_after(...)` replays it on a run's recorded losses, which gives exactly the rates
the run used, since the loop computed those losses the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

State = tuple[Any, Any, Any, Any, Any]  # rate_k, rate_b, best, bad epochs, cooldown left
Select = Callable[[Any, Any, Any], Any]


def select_float(condition: bool, if_true: Any, if_false: Any) -> Any:
    return if_true if condition else if_false


@dataclass(frozen=True)
class ReduceOnPlateau:
    """The rule's settings (torch's names and defaults), and an optional linear warm-up first.

    During the `warmup` epochs the rate ramps linearly from `start_factor` (LinearLR) and the
    loss is not watched; the plateau rule then starts from the full rate at epoch `warmup`.
    """

    factor: float = 0.1
    patience: int = 10
    threshold: float = 1e-4
    cooldown: int = 0
    min_lr: float = 0.0
    eps: float = 1e-8
    warmup: int = 0
    start_factor: float = 1.0
    threshold_mode: str = "rel"

    def with_warmup(self, epochs: int, start_factor: float) -> ReduceOnPlateau:
        return replace(self, warmup=epochs, start_factor=start_factor)

    def warmup_factor(self, epoch: int) -> float:
        """The multiplier of an epoch before `warmup` (LinearLR's ramp)."""
        return self.start_factor + (1.0 - self.start_factor) * epoch / self.warmup

    def can_cut(self, rate: float) -> bool:
        """A cut would lower `rate`: torch's rule takes it to max(rate·factor, min_lr) and
        skips a change of eps or less, so a rate at or below min_lr (or within eps of it, or
        so small that a cut moves it by eps at most) stays what it is for good."""
        return self._lowered(rate) != rate

    def init(self, rate_k: Any, rate_b: Any, zero: Any = 0) -> State:
        """The state when the rule starts watching: the full rates, no best loss yet."""
        return (rate_k, rate_b, zero + np.inf, zero, zero)

    def step(self, state: State, loss: Any, select: Select = select_float) -> State:
        """The state after seeing the loss of one more epoch (the module's rule)."""
        if select is select_float:
            return self._step_float(state, loss)
        rate_k, rate_b, best, bad, cooling = state
        if self.threshold_mode == "rel":
            better = loss < best * (1.0 - self.threshold)  # NaN is never better
        else:
            better = loss < best - self.threshold
        best = select(better, loss, best)
        bad = select(better, 0, bad + 1)
        in_cooldown = cooling > 0
        cooling = select(in_cooldown, cooling - 1, cooling)
        bad = select(in_cooldown, 0, bad)
        reduce = bad > self.patience
        rates = []
        for rate in (rate_k, rate_b):
            lowered = rate * self.factor
            lowered = select(lowered > self.min_lr, lowered, self.min_lr)
            rates.append(select(reduce & (rate - lowered > self.eps), lowered, rate))
        cooling = select(reduce, self.cooldown, cooling)
        bad = select(reduce, 0, bad)
        return (rates[0], rates[1], best, bad, cooling)

    def _step_float(self, state: State, loss: float) -> State:
        """`step` on Python floats, branch by branch: the same comparisons and products, so
        the same state, at a fifth of the cost. A run reads the rule after every epoch, and
        the selects' calls cost more than its whole Adam step (tests hold the two equal)."""
        rate_k, rate_b, best, bad, cooling = state
        if self.threshold_mode == "rel":
            better = loss < best * (1.0 - self.threshold)  # NaN is never better
        else:
            better = loss < best - self.threshold
        if better:
            best, bad = loss, 0
        else:
            bad += 1
        if cooling > 0:
            cooling, bad = cooling - 1, 0
        if bad > self.patience:
            rate_k, rate_b = self._lowered(rate_k), self._lowered(rate_b)
            cooling, bad = self.cooldown, 0
        return (rate_k, rate_b, best, bad, cooling)

    def _lowered(self, rate: float) -> float:
        lowered = rate * self.factor
        lowered = lowered if lowered > self.min_lr else self.min_lr
        return lowered if rate - lowered > self.eps else rate

    def advance(
        self,
        state: State | None,
        epoch: int,
        lr: tuple[Any, Any],
        loss: Any,
        select: Select = select_float,
    ) -> State | None:
        """The state for `epoch`, given that before it and `loss`, the loss after epoch − 1:
        None during the warm-up, the full rates when the rule starts, then one step each."""
        if epoch < self.warmup:
            return None
        return self.init(*lr) if state is None else self.step(state, loss, select)

    def rates(self, state: State | None, epoch: int, lr: tuple[Any, Any]) -> tuple[Any, Any]:
        """(rate_k, rate_b) of `epoch` in `state` (the warm-up's ramp while it is None)."""
        if state is None:
            factor = self.warmup_factor(epoch)
            return lr[0] * factor, lr[1] * factor
        return state[0], state[1]

    def rates_after(
        self, lr: tuple[float, float], losses: np.ndarray, epochs: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """(rate_k, rate_b) in each of the first `epochs` epochs of a run whose loss after
        epoch t was losses[t] (losses[0] the start, never read): the rates training used."""
        losses = np.asarray(losses[:epochs], dtype=np.float64)
        rates_k, rates_b = np.empty(len(losses)), np.empty(len(losses))
        state = None
        for epoch, loss in enumerate(losses.tolist()):
            state = self.advance(state, epoch, lr, loss)
            rates_k[epoch], rates_b[epoch] = self.rates(state, epoch, lr)
        return rates_k, rates_b


def reduce_on_plateau(
    factor: float = 0.1,
    patience: int = 10,
    threshold: float = 1e-4,
    cooldown: int = 0,
    min_lr: float = 0.0,
    eps: float = 1e-8,
    threshold_mode: str = "rel",
    mode: str = "min",
) -> ReduceOnPlateau:
    """Lower the rates by `factor` when the full-data loss has not improved on its best by
    more than `threshold` (relative, or absolute with threshold_mode='abs') for more than
    `patience` epochs (see the module). torch's argument names and defaults; `mode`
    is 'min' only, since the rule reads a loss, which training lowers."""
    if mode != "min":
        raise ValueError(
            f"mode must be 'min': the rule reads the loss, which should fall; got {mode!r}."
        )
    if threshold_mode not in ("rel", "abs"):
        raise ValueError(f"threshold_mode must be 'rel' or 'abs'; got {threshold_mode!r}.")
    if not 0.0 < factor < 1.0:
        raise ValueError(f"factor must be in (0, 1); got {factor}.")
    for name, value in (("patience", patience), ("cooldown", cooldown)):
        if isinstance(value, bool) or int(value) != value or value < 0:
            raise ValueError(f"{name} must be a whole number ≥ 0; got {value}.")
    if not (0.0 <= threshold < 1.0 or (threshold_mode == "abs" and 0.0 <= threshold < np.inf)):
        raise ValueError(
            f"threshold must be in [0, 1) (relative) or finite ≥ 0 (abs); got {threshold}."
        )
    if not 0.0 <= min_lr < np.inf:
        raise ValueError(f"min_lr must be a finite number ≥ 0; got {min_lr}.")
    if not 0.0 <= eps < np.inf:
        raise ValueError(f"eps must be a finite number ≥ 0; got {eps}.")
    return ReduceOnPlateau(
        float(factor),
        int(patience),
        float(threshold),
        int(cooldown),
        float(min_lr),
        float(eps),
        threshold_mode=threshold_mode,
    )
