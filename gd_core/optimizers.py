"""Optimizers as pairs of pure, coordinate-wise functions, following `torch.optim`.

An optimizer is `init(zero) -> state` and `update(g, state, lr) -> (step, state)`; training sets
θ ← θ − step for each parameter separately, so one rule serves k and b, and the same code runs
on Python floats (one run, fastest) and on NumPy arrays (many runs at once). The state is a
small tuple that goes in and comes back out; nothing is mutated.

`lr` is one rate for both parameters or a pair (lr_k, lr_b); `schedule` multiplies both each
epoch, or, for reduce_on_plateau(), sets them from the loss (plateau.py). A hyperparameter
(μ, α, β1, β2) may be an array with one value per run: the rules then step a (2, runs) array of
many runs at once, each with its own value (a sweep, sweeps.py).
Names, defaults and update rules are those of the torch.optim documentation (weight decay,
dampening and `maximize` left out), with g the gradient and t the step count from 1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from math import sqrt
from typing import Any

import numpy as np

from gd_core import fused, packed
from gd_core.plateau import ReduceOnPlateau
from gd_core.schedules import Schedule

State = tuple[Any, ...]
Update = Callable[[Any, State, float], tuple[Any, State]]


@dataclass(frozen=True)
class Optimizer:
    """A named update rule with its per-parameter rates (lr_k, lr_b) and optional schedule."""

    name: str
    learning_rate: tuple[float, float]
    init: Callable[[Any], State]
    update: Update
    schedule: Schedule | ReduceOnPlateau | None = None
    # True when `update` is linear in (g, state) at a fixed rate: then full-batch training is a
    # linear recurrence with a closed form.
    linear: bool = False
    # The rate actually applied to the gradient signal given the state after a step: lr itself,
    # or lr/(√v̂ + eps) for the adaptive rules, which is how they act as per-parameter rates.
    effective_rate: Callable[[State, float], Any] = lambda state, lr: lr
    # For linear rules: a direction of curvature λ is stable exactly while lr·λ < gain (2 for
    # plain GD, more with momentum). None for adaptive rules, for which no exact limit is known.
    gain: float | None = None
    momentum: float = 0.0  # μ of the momentum rules, 0 for the others
    nesterov: bool = False
    # Full-batch epochs with this rule inlined (fused.py), bit-for-bit equal to stepping with
    # `update`, at the cost of a pure-Python loop; None where the generic loop is used.
    full_batch_steps: fused.Stepper | None = None
    # Many runs' update on (2, runs) arrays in place, bit-for-bit `update` in fewer NumPy calls
    # (packed.py), for stepping a sweep; None where `update` itself is called.
    packed_steps: packed.Packer | None = None
    # Many runs' whole full-batch epochs, gradient included, in fewer calls still (packed.py):
    # given the Hessian's entries, the start, the rates and a chunk length.
    packed_epochs: Callable[..., packed.WholeEpochs] | None = None
    # What each slot of the state is called in torch.optim's `optimizer.state` (receipt.py
    # reports them by these names); the running powers β^t stand in for torch's step count.
    state_names: tuple[str, ...] = ()

    @property
    def closed_form(self) -> bool:
        """Full-batch training is a linear recurrence with a closed form (linear, no schedule)."""
        return self.linear and self.schedule is None

    @property
    def exact_map(self) -> bool:
        """A stability map of this rule comes from two modes per coordinate, at any epoch count,
        with no stepping: plain GD at a constant rate (sweep.py)."""
        # Not a sweep of μ, one value per run (_hyper makes μ a float or an array).
        scalar = type(self.momentum) is float or np.ndim(self.momentum) == 0
        return self.closed_form and scalar and self.gain == 2.0 and not self.momentum


def stable_gain(momentum: float = 0.0, nesterov: bool = False) -> float:
    """g such that a direction of curvature λ is stable while lr·λ < g (2 for plain GD).

    Heavy-ball momentum μ widens it to 2(1 + μ); Nesterov to 2(1 + μ)/(1 + 2μ).
    """
    return 2.0 * (1.0 + momentum) / ((1.0 + 2.0 * momentum) if nesterov else 1.0)


def _rates(lr: float | tuple[float, float]) -> tuple[float, float]:
    pair = (lr, lr) if np.ndim(lr) == 0 else tuple(lr)
    if len(pair) != 2:
        raise ValueError(f"lr must be one rate or a pair (lr_k, lr_b); got {lr!r}.")
    rates = (float(pair[0]), float(pair[1]))
    for rate in rates:
        if not (0.0 <= rate < np.inf):
            raise ValueError(f"A learning rate must be a finite number ≥ 0; got {rate}.")
    return rates


def _require(condition: Any, message: str, *values: Any) -> None:
    """Raise `message` (formatted with `values` only then: a sweep's hundred μ are slow to
    print) unless the condition holds everywhere."""
    if not np.all(condition):
        raise ValueError(message.format(*values))


def _hyper(value: Any) -> Any:
    """A hyperparameter as a float, or as a read-only float array of one value per run."""
    if np.ndim(value) == 0:
        return float(value)
    values = np.array(value, dtype=np.float64)
    values.setflags(write=False)
    return values


def sgd(
    lr: float | tuple[float, float], schedule: Schedule | ReduceOnPlateau | None = None
) -> Optimizer:
    """Plain gradient descent: θ ← θ − lr·g. torch.optim.SGD(lr)."""

    def update(g: Any, state: State, lr: float) -> tuple[Any, State]:
        return lr * g, state

    return Optimizer(
        "sgd", _rates(lr), lambda zero: (), update, schedule, linear=True, gain=stable_gain()
    )


def momentum(
    lr: float | tuple[float, float],
    momentum: float = 0.9,
    schedule: Schedule | ReduceOnPlateau | None = None,
) -> Optimizer:
    """Heavy-ball momentum. torch.optim.SGD(lr, momentum), dampening 0:

    b_t = μ·b_{t−1} + g_t (b_0 = 0, so b_1 = g_1);  θ_t = θ_{t−1} − lr·b_t.
    """
    mu = _hyper(momentum)
    _require(mu >= 0.0, "momentum must be ≥ 0; got {}.", momentum)

    def update(g: Any, state: State, lr: float) -> tuple[Any, State]:
        buf = mu * state[0] + g
        return lr * buf, (buf,)

    return Optimizer(
        "momentum",
        _rates(lr),
        lambda zero: (zero,),
        update,
        schedule,
        linear=True,
        gain=stable_gain(mu),
        momentum=mu,
        state_names=("momentum_buffer",),
    )


def nesterov(
    lr: float | tuple[float, float],
    momentum: float = 0.9,
    schedule: Schedule | ReduceOnPlateau | None = None,
) -> Optimizer:
    """Nesterov momentum. torch.optim.SGD(lr, momentum, nesterov=True):

    b_t = μ·b_{t−1} + g_t;  θ_t = θ_{t−1} − lr·(g_t + μ·b_t).
    """
    mu = _hyper(momentum)
    _require(
        mu > 0.0,
        "Nesterov momentum needs momentum μ > 0 (at μ = 0 it is plain gradient descent); "
        "got {}. Raise μ, or choose plain gradient descent.",
        momentum,
    )

    def update(g: Any, state: State, lr: float) -> tuple[Any, State]:
        buf = mu * state[0] + g
        return lr * (g + mu * buf), (buf,)

    return Optimizer(
        "nesterov",
        _rates(lr),
        lambda zero: (zero,),
        update,
        schedule,
        linear=True,
        gain=stable_gain(mu, nesterov=True),
        momentum=mu,
        nesterov=True,
        state_names=("momentum_buffer",),
    )


def _root(x: Any) -> Any:
    """√x, correctly rounded for a float (math.sqrt) and for an array (np.sqrt), so a rule
    rounds its roots alike on one run's floats (train()) and on a sweep's arrays. A float's
    `** 0.5` is libm's `pow`, which rounds about one root in 1,200 differently."""
    return sqrt(x) if x.__class__ is float else np.sqrt(x)


def adagrad(
    lr: float | tuple[float, float],
    eps: float = 1e-10,
    schedule: Schedule | ReduceOnPlateau | None = None,
) -> Optimizer:
    """AdaGrad. torch.optim.Adagrad(lr, eps), lr_decay 0, initial accumulator 0:

    s_t = s_{t−1} + g_t²;  θ_t = θ_{t−1} − lr·g_t / (√s_t + eps).
    """
    _require(eps > 0.0, f"eps must be > 0 (it keeps the division finite); got {eps}.")

    def effective_rate(state: State, lr: float) -> Any:
        return lr / (_root(state[0]) + eps)

    def update(g: Any, state: State, lr: float) -> tuple[Any, State]:
        state = (state[0] + g * g,)
        return effective_rate(state, lr) * g, state

    return Optimizer(
        "adagrad",
        _rates(lr),
        lambda zero: (zero,),
        update,
        schedule,
        False,
        effective_rate,
        full_batch_steps=fused.adagrad_steps(eps),
        state_names=("sum",),
    )


def rmsprop(
    lr: float | tuple[float, float],
    alpha: float = 0.99,
    eps: float = 1e-8,
    schedule: Schedule | ReduceOnPlateau | None = None,
) -> Optimizer:
    """RMSProp. torch.optim.RMSprop(lr, alpha, eps), not centred, no momentum:

    v_t = α·v_{t−1} + (1 − α)·g_t²;  θ_t = θ_{t−1} − lr·g_t / (√v_t + eps).
    """
    alpha = _hyper(alpha)
    _require((alpha >= 0.0) & (alpha <= 1.0), "alpha must be in [0, 1]; got {}.", alpha)
    _require(eps > 0.0, f"eps must be > 0 (it keeps the division finite); got {eps}.")

    rest = 1.0 - alpha

    def effective_rate(state: State, lr: float) -> Any:
        return lr / (_root(state[0]) + eps)

    def update(g: Any, state: State, lr: float) -> tuple[Any, State]:
        state = (alpha * state[0] + rest * g * g,)
        return effective_rate(state, lr) * g, state

    return Optimizer(
        "rmsprop",
        _rates(lr),
        lambda zero: (zero,),
        update,
        schedule,
        False,
        effective_rate,
        full_batch_steps=fused.rmsprop_steps(alpha, eps),
        packed_steps=packed.rmsprop_packer(alpha, eps),
        packed_epochs=partial(packed.RMSPropEpochs, alpha, eps),
        state_names=("square_avg",),
    )


def adam(
    lr: float | tuple[float, float],
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
    schedule: Schedule | ReduceOnPlateau | None = None,
) -> Optimizer:
    """Adam. torch.optim.Adam(lr, betas, eps), amsgrad off:

    m_t = β1·m_{t−1} + (1 − β1)·g_t;  v_t = β2·v_{t−1} + (1 − β2)·g_t²;
    m̂_t = m_t / (1 − β1^t);  v̂_t = v_t / (1 − β2^t);  θ_t = θ_{t−1} − lr·m̂_t / (√v̂_t + eps).
    """
    beta1, beta2 = (_hyper(beta) for beta in betas)
    for beta in (beta1, beta2):
        _require((beta >= 0.0) & (beta < 1.0), "Each of betas must be in [0, 1); got {}.", betas)
    _require(eps > 0.0, f"eps must be > 0 (it keeps the division finite); got {eps}.")

    rest1, rest2 = 1.0 - beta1, 1.0 - beta2

    def effective_rate(state: State, lr: float) -> Any:
        _, v, _, beta2_t = state
        return lr / (_root(v / (1.0 - beta2_t)) + eps)  # lr/(√v̂ + eps)

    def update(g: Any, state: State, lr: float) -> tuple[Any, State]:
        # β^t is carried as a running product: cheaper than a power each step.
        # effective_rate(new state)·m̂, written out: a call here costs Adam 7% of its epoch.
        m, v, beta1_t, beta2_t = state
        m = beta1 * m + rest1 * g
        v = beta2 * v + rest2 * g * g
        beta1_t *= beta1
        beta2_t *= beta2
        step = lr * m / (1.0 - beta1_t) / (_root(v / (1.0 - beta2_t)) + eps)  # lr·m̂/(√v̂ + eps)
        return step, (m, v, beta1_t, beta2_t)

    return Optimizer(
        "adam",
        _rates(lr),
        lambda zero: (zero, zero, 1.0, 1.0),
        update,
        schedule,
        False,
        effective_rate,
        full_batch_steps=fused.adam_steps(beta1, beta2, eps),
        packed_steps=packed.adam_packer(beta1, beta2, eps),
        packed_epochs=partial(packed.AdamEpochs, beta1, beta2, eps),
        state_names=("exp_avg", "exp_avg_sq", "beta1_power", "beta2_power"),
    )


def adamax(
    lr: float | tuple[float, float],
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
    schedule: Schedule | ReduceOnPlateau | None = None,
) -> Optimizer:
    """Adamax, Adam with the infinity norm. torch.optim.Adamax(lr, betas, eps):

    m_t = β1·m_{t−1} + (1 − β1)·g_t;  u_t = max(β2·u_{t−1}, |g_t| + eps);
    θ_t = θ_{t−1} − lr·m_t / ((1 − β1^t)·u_t).
    """
    beta1, beta2 = (_hyper(beta) for beta in betas)
    for beta in (beta1, beta2):
        _require((beta >= 0.0) & (beta < 1.0), "Each of betas must be in [0, 1); got {}.", betas)
    _require(eps > 0.0, f"eps must be > 0 (it keeps the division finite); got {eps}.")

    rest1 = 1.0 - beta1

    def effective_rate(state: State, lr: float) -> Any:
        return lr / state[1]  # lr/u, applied to m̂ = m/(1 − β1^t)

    def update(g: Any, state: State, lr: float) -> tuple[Any, State]:
        m, u, beta1_t = state
        m = beta1 * m + rest1 * g
        decayed, floor = beta2 * u, abs(g) + eps
        # A float comparison for one run (np.maximum costs it 2 µs), elementwise for many.
        if isinstance(floor, float):
            u = decayed if decayed > floor else floor
        else:
            u = np.maximum(decayed, floor)
        beta1_t *= beta1
        return lr * m / ((1.0 - beta1_t) * u), (m, u, beta1_t)

    return Optimizer(
        "adamax",
        _rates(lr),
        lambda zero: (zero, zero, 1.0),
        update,
        schedule,
        False,
        effective_rate,
        state_names=("exp_avg", "exp_inf", "beta1_power"),
    )


OPTIMIZERS: dict[str, Callable[..., Optimizer]] = {
    "sgd": sgd,
    "momentum": momentum,
    "nesterov": nesterov,
    "adagrad": adagrad,
    "rmsprop": rmsprop,
    "adam": adam,
    "adamax": adamax,
}


def make_optimizer(name: str, lr: float | tuple[float, float], **hyper: Any) -> Optimizer:
    """The optimizer called `name` (a key of OPTIMIZERS) with its keyword hyperparameters."""
    if name not in OPTIMIZERS:
        raise ValueError(f"Unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}.")
    return OPTIMIZERS[name](lr, **hyper)
