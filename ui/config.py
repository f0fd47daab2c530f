"""The frozen state of the sidebar, and the one place where labels become gd_core objects.

Everything a page needs to compute is in `Config`; it is hashable, so cached calls are keyed on
it and never on arrays.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
from dataclasses import dataclass, fields, replace
from typing import Any

import gd_core as gd
from ui import registry

# Readable names by URL value, from the registry (ui/registry/).
OPTIMIZER_LABELS = {key: entry.label for key, entry in registry.OPTIMIZERS.items()}
SCHEDULE_LABELS = {key: entry.label for key, entry in registry.SCHEDULES.items()}


class Fingerprinted:
    """A frozen spec that knows its own cache key.

    Streamlit hashes a dataclass argument by converting it to a dict and hashing each field
    (0.1–0.3 ms for a Config), on every cached call of every rerun. The fingerprint is computed
    once per object: a digest of the class and every field's value with its type (a nested spec
    by its own fingerprint), so equal specs share it and any difference changes it. The cached
    functions hash specs through it (ui/compute/keys.py).
    """

    @functools.cached_property  # in the instance's __dict__, which a frozen dataclass allows
    def fingerprint(self) -> bytes:
        values = [type(self).__qualname__]
        for field in fields(self):  # type: ignore[arg-type]
            value = getattr(self, field.name)
            values.append(value.fingerprint if isinstance(value, Fingerprinted) else value)
        return hashlib.sha256(pickle.dumps(values, protocol=5)).digest()


@dataclass(frozen=True)
class DataSpec(Fingerprinted):
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
class TrainSpec(Fingerprinted):
    """How to train: optimizer, its hyperparameters, rates, schedule, batch and start."""

    epochs: int = 450
    k0: float = 0.0
    b0: float = 0.0
    optimizer: str = registry.PLAIN_GD
    lr_k: float = 0.01
    lr_b: float = 0.01
    momentum: float = 0.9
    alpha: float = 0.99
    beta1: float = 0.9
    beta2: float = 0.999
    batch: int = 0  # 0 is full batch
    schedule: str = registry.CONSTANT_RATE
    every: int = 100
    factor: float = 0.5
    gamma: float = 0.99
    decay: float = 0.01
    final: float = 0.0
    pct_start: float = 0.3
    div: float = 25.0
    final_div: float = 1e4
    drop: float = 0.1
    patience: int = 10
    threshold: float = 1e-4
    cooldown: int = 0
    min_lr: float = 0.0
    warmup: int = 0  # epochs of linear warm-up before the schedule, 0 for none
    warmup_from: float = 1.0 / 3.0  # the warm-up's first multiplier (LinearLR's start_factor)
    standardize: bool = False


@dataclass(frozen=True)
class Config(Fingerprinted):
    data: DataSpec = DataSpec()
    train: TrainSpec = TrainSpec()


# A warm-up must leave the schedule after it at least this many epochs: one-cycle needs a few
# to rise and fall, and fewer would leave a schedule the student chose with nothing to show.
MIN_SCHEDULED_EPOCHS = 10


def build_schedule(spec: TrainSpec) -> gd.Schedule | gd.ReduceOnPlateau | None:
    """The gd_core schedule the sidebar describes (None for a constant rate).

    A warm-up comes first and the chosen schedule starts when it ends, as torch's SequentialLR
    runs them; a schedule that spans the run (cosine, one-cycle) spans what is left of it.
    ValueError with what to change when the warm-up leaves too few epochs.
    """
    entry = registry.SCHEDULES[spec.schedule]
    if not spec.warmup:
        return entry.build(spec, spec.epochs)
    left = spec.epochs - spec.warmup
    if left < MIN_SCHEDULED_EPOCHS and spec.schedule != registry.CONSTANT_RATE:
        raise ValueError(
            f"A warm-up of {spec.warmup:,} epochs leaves {max(left, 0):,} of your "
            f"{spec.epochs:,} epochs for the {entry.label.lower()} schedule. Use at most "
            f"{max(spec.epochs - MIN_SCHEDULED_EPOCHS, 0):,} warm-up epochs, or more epochs."
        )
    return gd.linear_warmup(spec.warmup, spec.warmup_from, entry.build(spec, left))


def hyperparameters(spec: TrainSpec, name: str | None = None) -> dict[str, Any]:
    """Keyword arguments for optimizer `name`'s factory (spec.optimizer's by default)."""
    entry = registry.OPTIMIZERS[name or spec.optimizer]
    return {"schedule": build_schedule(spec), **entry.hyper(spec)}


def build_optimizer(spec: TrainSpec, name: str | None = None, lr: Any = None) -> gd.Optimizer:
    """The gd_core optimizer the sidebar describes; `name` and `lr` replace its own."""
    rates = (spec.lr_k, spec.lr_b) if lr is None else lr
    return registry.OPTIMIZERS[name or spec.optimizer].factory(rates, **hyperparameters(spec, name))


def batch_size(spec: TrainSpec) -> int | None:
    """The batch size to train with, None for the full batch. A config from the sidebar has
    been through `on_points`, so a batch of at least n points is already 0 here."""
    return spec.batch or None


def on_points(config: Config, n: int) -> Config:
    """`config` as it trains on its data's n points: a batch of at least n is the full batch.

    Every epoch of such a run is one full-batch step, the same numbers as full batch
    (gd_core.mini_batch_size decides it for train() too). Made full batch here, once, every
    page's verdict, theory, modes and cache key are the full batch's. The sidebar keeps what
    the student chose, and says why it changes nothing.
    """
    if config.train.batch and gd.mini_batch_size(n, config.train.batch) is None:
        return replace(config, train=replace(config.train, batch=0))
    return config
