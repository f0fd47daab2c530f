"""The momentum μ that makes heavy-ball momentum converge fastest, in closed form.

Heavy-ball momentum at constant rates D = diag(η_k, η_b) on the full batch (torch.optim.SGD
with momentum μ, dampening 0) splits, like plain GD (theory.py), into the two modes of D·H,
with eigenvalues s₁ ≤ s₂. Each mode's error follows z² − (1 + μ − s)·z + μ = 0, whose roots
are complex, both of modulus √μ, exactly when (1 − √μ)² ≤ s ≤ (1 + √μ)²; outside that band a
real root is larger than √μ, and it shrinks toward the band's edge as μ grows. So the spectral
radius ρ(μ) is smallest at the least μ that puts both modes in the band:

    √μ* = max(1 − √s₁, √s₂ − 1),    ρ* = √μ*,

a minimum only if ρ* < 1 (s₂ < 4: past it no μ converges). At the best rate for momentum,
η = 4/(√λ_min + √λ_max)², the two terms are equal and this is Polyak's
μ* = ((√κ − 1)/(√κ + 1))² (`polyak`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gd_core.data import Dataset
from gd_core.theory import _scaled_eigen


@dataclass(frozen=True)
class MomentumOptimum:
    """The μ with the smallest spectral radius ρ for heavy-ball momentum at rate `lr`."""

    momentum: float
    radius: float
    lr: tuple[float, float]


def best_momentum(data: Dataset, lr: float | tuple[float, float]) -> MomentumOptimum | None:
    """μ* and ρ* at constant rates `lr` (one for both, or (η_k, η_b)), full batch; None when
    no μ converges (the steepest mode has s₂ ≥ 4) or a rate is not finite and positive."""
    lr_k, lr_b = (lr, lr) if np.ndim(lr) == 0 else lr
    lr_k, lr_b = float(lr_k), float(lr_b)
    if not (0.0 < lr_k < np.inf and 0.0 < lr_b < np.inf):
        return None
    low, high, _, _ = _scaled_eigen(data, np.asarray(lr_k), np.asarray(lr_b))
    root = max(1.0 - float(np.sqrt(max(float(low), 0.0))), float(np.sqrt(high)) - 1.0)
    if not root < 1.0:
        return None
    return MomentumOptimum(momentum=root * root, radius=root, lr=(lr_k, lr_b))


def polyak(data: Dataset) -> MomentumOptimum:
    """The best single rate and μ together: η = 4/(√λ_min + √λ_max)²,
    μ = ((√κ − 1)/(√κ + 1))², ρ = (√κ − 1)/(√κ + 1)."""
    low, high, _, _ = data.hessian_eigen
    root_low, root_high = np.sqrt(max(float(low), 0.0)), np.sqrt(float(high))
    radius = float((root_high - root_low) / (root_high + root_low))
    lr = float(4.0 / (root_low + root_high) ** 2)
    return MomentumOptimum(momentum=radius * radius, radius=radius, lr=(lr, lr))
