"""What the Sweeps page can vary, as plain data: one row per setting.

Each row says how its values are spaced (log where the setting acts by ratios), the range it
opens with, the optimizers it applies to, and where the sidebar's own value of it is, so that
the page, its URL parameters and the mark of "your setting" all come from here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SweepSetting:
    label: str  # in the picker and on the chart's axis
    symbol: str  # inside a sentence: "fastest at μ = 0.8"
    spacing: str  # "log", "linear", or "log1m" (log of 1 − value: β2 near 1)
    default: tuple[float, float]  # the range it opens with
    bounds: tuple[float, float]  # what the range boxes accept
    # What the sidebar has for it, from its TrainSpec and DataSpec (None: nothing to mark).
    sidebar: Callable[[Any, Any], float | None]
    # Optimizers it means something for (keys of registry.OPTIMIZERS); empty for all.
    optimizers: tuple[str, ...] = ()
    data: bool = False  # a change of the data (noise σ, n, offset of x), not of training
    relative: bool = False  # the range is in multiples of 2/λ_max, the data's exact limit
    whole: bool = False  # whole numbers only (n, batch size)
    # The range opens around the offset that centres the data's x, not at `default`
    # (sweep_values.opening_range); `default` is that range for the sidebar's default x, 0..10.
    centred: bool = False
    help: str = ""


SWEEP_SETTINGS: dict[str, SweepSetting] = {
    "lr": SweepSetting(
        "Single rate η (k and b)",
        "η",
        "log",
        (0.001, 1.2),
        (1e-6, 100.0),
        lambda train, data: train.lr_k if train.lr_k == train.lr_b else None,
        relative=True,
        help="One rate for both parameters. The range is in multiples of 2/λ_max, the largest "
        "single rate plain gradient descent converges at on your data.",
    ),
    "lr_ratio": SweepSetting(
        "Ratio η_b/η_k",
        "η_b/η_k",
        "log",
        (1.0, 1000.0),
        (1e-3, 1e6),
        lambda train, data: train.lr_b / train.lr_k if train.lr_k > 0 else None,
        help="η_k stays the sidebar's; η_b is this many times it.",
    ),
    "momentum": SweepSetting(
        "Momentum μ",
        "μ",
        "linear",
        (0.0, 0.99),
        (0.0, 0.999),
        lambda train, data: train.momentum,
        optimizers=("momentum", "nesterov"),
    ),
    "beta1": SweepSetting(
        "β1",
        "β1",
        "linear",
        (0.0, 0.99),
        (0.0, 0.999),
        lambda train, data: train.beta1,
        optimizers=("adam", "adamax"),
    ),
    "beta2": SweepSetting(
        "β2",
        "β2",
        "log1m",
        (0.9, 0.9999),
        (0.0, 0.99999),
        lambda train, data: train.beta2,
        optimizers=("adam", "adamax"),
        help="Spaced evenly in log(1 − β2): 0.9, 0.99, 0.999 are equal steps.",
    ),
    "batch_size": SweepSetting(
        "Batch size",
        "batch size",
        "log",
        (1.0, 1024.0),
        (1.0, 100_000.0),
        lambda train, data: float(train.batch) if train.batch else None,
        whole=True,
        help="Powers of two in the range, each trained with its own seeded batches; a size of "
        "n or more is the full batch.",
    ),
    "noise": SweepSetting(
        "Noise σ",
        "σ",
        "linear",
        (0.0, 5.0),
        (0.0, 100.0),
        lambda train, data: data.noise,
        data=True,
    ),
    "n": SweepSetting(
        "Number of points n",
        "n",
        "log",
        (10.0, 10_000.0),
        (2.0, 100_000.0),
        lambda train, data: float(data.n),
        data=True,
        whole=True,
    ),
    "x_offset": SweepSetting(
        "Offset of x",
        "the offset",
        "linear",
        (-15.0, 4.0),
        (-1e4, 1e4),
        lambda train, data: 0.0,
        data=True,
        centred=True,
        help="Every x moved by this much (generated data keeps its true line, so the "
        "intercept stays where it was; uploaded points move right with their y). The range "
        "opens around −mean(x), the offset that centres x, one span of x either side.",
    ),
}
