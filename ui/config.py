"""The frozen state of the sidebar, and the one place where labels become gd_core objects.

Everything a page needs to compute is in `Config`; it is hashable, so cached calls are keyed on
it and never on arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gd_core as gd

OPTIMIZER_LABELS = {
    "sgd": "Gradient descent",
    "momentum": "Momentum",
    "nesterov": "Nesterov momentum",
    "adagrad": "AdaGrad",
    "rmsprop": "RMSProp",
    "adam": "Adam",
}

SCHEDULE_LABELS = {
    "none": "Constant rate",
    "step": "Step decay",
    "exponential": "Exponential decay",
    "inverse": "Inverse-time decay",
    "cosine": "Cosine decay",
}

UPDATE_RULES = {
    "sgd": r"\theta_t = \theta_{t-1} - \eta\, g_t",
    "momentum": r"b_t = \mu\, b_{t-1} + g_t, \qquad \theta_t = \theta_{t-1} - \eta\, b_t",
    "nesterov": (
        r"b_t = \mu\, b_{t-1} + g_t, \qquad \theta_t = \theta_{t-1} - \eta\,(g_t + \mu\, b_t)"
    ),
    "adagrad": (
        r"s_t = s_{t-1} + g_t^2, \qquad "
        r"\theta_t = \theta_{t-1} - \eta\, \frac{g_t}{\sqrt{s_t} + \epsilon}"
    ),
    "rmsprop": (
        r"v_t = \alpha\, v_{t-1} + (1-\alpha)\, g_t^2, \qquad "
        r"\theta_t = \theta_{t-1} - \eta\, \frac{g_t}{\sqrt{v_t} + \epsilon}"
    ),
    "adam": (
        r"m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t,\; v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2,"
        r"\; \theta_t = \theta_{t-1} - \eta\, \frac{m_t/(1-\beta_1^t)}{\sqrt{v_t/(1-\beta_2^t)}"
        r" + \epsilon}"
    ),
}


@dataclass(frozen=True)
class DataSpec:
    """Where the points come from: generated from a line, or an uploaded CSV's bytes."""

    n: int = 100
    slope: float = 2.0
    intercept: float = 1.0
    noise: float = 1.0
    x_min: float = 0.0
    x_max: float = 10.0
    seed: int = 0
    csv: bytes | None = None  # an uploaded file's bytes, which replace the generated points
    x_column: str = ""  # which of the file's columns hold x and y
    y_column: str = ""
    drop_missing: bool = False  # fit without the rows that lack x or y


@dataclass(frozen=True)
class TrainSpec:
    """How to train: optimizer, its hyperparameters, rates, schedule, batch and start."""

    epochs: int = 450
    k0: float = 0.0
    b0: float = 0.0
    optimizer: str = "sgd"
    lr_k: float = 0.01
    lr_b: float = 0.01
    momentum: float = 0.9
    alpha: float = 0.99
    beta1: float = 0.9
    beta2: float = 0.999
    batch: int = 0  # 0 is full batch
    schedule: str = "none"
    every: int = 100
    factor: float = 0.5
    gamma: float = 0.99
    decay: float = 0.01
    final: float = 0.0
    standardize: bool = False


@dataclass(frozen=True)
class Config:
    data: DataSpec = DataSpec()
    train: TrainSpec = TrainSpec()


def build_schedule(spec: TrainSpec) -> gd.Schedule | None:
    """The gd_core schedule the sidebar describes (None for a constant rate)."""
    if spec.schedule == "step":
        return gd.step_decay(spec.every, spec.factor)
    if spec.schedule == "exponential":
        return gd.exponential_decay(spec.gamma)
    if spec.schedule == "inverse":
        return gd.inverse_time_decay(spec.decay)
    if spec.schedule == "cosine":
        return gd.cosine_decay(spec.epochs, spec.final)
    return None


def hyperparameters(spec: TrainSpec, name: str | None = None) -> dict[str, Any]:
    """Keyword arguments for gd.make_optimizer(name or spec.optimizer), schedule included."""
    name = name or spec.optimizer
    extra: dict[str, Any] = {
        "momentum": {"momentum": spec.momentum},
        "nesterov": {"momentum": spec.momentum},
        "rmsprop": {"alpha": spec.alpha},
        "adam": {"betas": (spec.beta1, spec.beta2)},
    }.get(name, {})
    return {"schedule": build_schedule(spec), **extra}


def build_optimizer(spec: TrainSpec) -> gd.Optimizer:
    """The gd_core optimizer the sidebar describes."""
    return gd.make_optimizer(spec.optimizer, (spec.lr_k, spec.lr_b), **hyperparameters(spec))


def batch_size(spec: TrainSpec) -> int | None:
    return spec.batch or None
