"""The strategies the Compare page puts side by side, each a variant of the sidebar's spec."""

from __future__ import annotations

from dataclasses import dataclass, replace

import gd_core as gd
from ui.config import TrainSpec


@dataclass(frozen=True)
class Strategy:
    label: str
    spec: TrainSpec
    why: str


def default_strategies(base: TrainSpec, data: gd.Dataset) -> list[Strategy]:
    """Plain GD at the sidebar's rates, and each fix with rates that suit the current data."""
    limit_k, limit_b = gd.single_parameter_limits(data)
    plain = replace(base, optimizer="sgd", schedule="none", standardize=False)
    return [
        Strategy("Plain GD", plain, "the sidebar's rates, one optimizer, nothing else"),
        Strategy(
            "Per-parameter rates",
            replace(plain, lr_k=0.5 * limit_k, lr_b=0.5 * limit_b),
            "each rate half of what its parameter tolerates alone (1/curvature)",
        ),
        Strategy(
            "Momentum",
            replace(
                plain, optimizer="momentum", momentum=0.9, lr_k=0.2 * limit_k, lr_b=0.2 * limit_k
            ),
            "heavy ball, μ = 0.9",
        ),
        Strategy(
            "Nesterov",
            replace(
                plain, optimizer="nesterov", momentum=0.9, lr_k=0.2 * limit_k, lr_b=0.2 * limit_k
            ),
            "look-ahead momentum, μ = 0.9",
        ),
        Strategy(
            "AdaGrad",
            replace(plain, optimizer="adagrad", lr_k=0.5, lr_b=0.5),
            "steps shrink with the summed g²",
        ),
        Strategy(
            "RMSProp",
            replace(plain, optimizer="rmsprop", lr_k=0.02, lr_b=0.02),
            "steps scaled by recent |g|",
        ),
        Strategy(
            "Adam",
            replace(plain, optimizer="adam", lr_k=0.1, lr_b=0.1),
            "momentum plus RMSProp scaling",
        ),
        Strategy(
            "Adam + cosine decay",
            replace(plain, optimizer="adam", lr_k=0.1, lr_b=0.1, schedule="cosine", final=0.0),
            "large steps first, small at the end",
        ),
        Strategy(
            "Standardised x",
            replace(plain, standardize=True, lr_k=0.3, lr_b=0.3),
            "train on (x − x̄)/std(x): both curvatures become 2, one rate suits both",
        ),
    ]
