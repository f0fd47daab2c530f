"""Independent references: the loops a learner writes, straight from the data.

Nothing here imports gd_core's maths. Gradients are 2·mean(x·r) and 2·mean(r) over the raw
points, and each optimizer's rule is written out again from the torch.optim documentation, so a
mistake in gd_core's algebra (centring, deviations, closed forms) shows up as a mismatch.
"""

from __future__ import annotations

import numpy as np


def direct_loss(x: np.ndarray, y: np.ndarray, k: float, b: float) -> float:
    r = k * x + b - y
    return float(np.mean(r * r))


def direct_gradient(x: np.ndarray, y: np.ndarray, k: float, b: float) -> tuple[float, float]:
    r = k * x + b - y
    return float(2 * np.mean(x * r)), float(2 * np.mean(r))


class TorchRule:
    """One parameter's optimizer state, updated by the torch.optim documentation's pseudocode."""

    def __init__(self, name: str, lr: float, **hyper: float) -> None:
        self.name, self.lr, self.hyper = name, lr, hyper
        self.t = 0
        self.buf: float | None = None  # torch creates the momentum buffer on the first step
        self.sum = self.exp_avg = self.exp_avg_sq = self.square_avg = self.exp_inf = 0.0

    def step(self, theta: float, g: float, lr: float | None = None) -> float:
        lr = self.lr if lr is None else lr
        h, self.t = self.hyper, self.t + 1
        if self.name == "sgd":
            return theta - lr * g
        if self.name in ("momentum", "nesterov"):
            mu = h["momentum"]
            self.buf = g if self.buf is None else mu * self.buf + g
            direction = g + mu * self.buf if self.name == "nesterov" else self.buf
            return theta - lr * direction
        if self.name == "adagrad":
            self.sum += g * g
            return theta - lr * g / (np.sqrt(self.sum) + h["eps"])
        if self.name == "rmsprop":
            alpha = h["alpha"]
            self.square_avg = alpha * self.square_avg + (1 - alpha) * g * g
            return theta - lr * g / (np.sqrt(self.square_avg) + h["eps"])
        if self.name == "adam":
            b1, b2 = h["betas"]
            self.exp_avg = b1 * self.exp_avg + (1 - b1) * g
            self.exp_avg_sq = b2 * self.exp_avg_sq + (1 - b2) * g * g
            m_hat = self.exp_avg / (1 - b1**self.t)
            v_hat = self.exp_avg_sq / (1 - b2**self.t)
            return theta - lr * m_hat / (np.sqrt(v_hat) + h["eps"])
        if self.name == "adamax":
            # torch.optim.Adamax: u_t = max(β2·u_{t−1}, |g_t| + eps), step γ·m_t/((1 − β1^t)·u_t)
            b1, b2 = h["betas"]
            self.exp_avg = b1 * self.exp_avg + (1 - b1) * g
            self.exp_inf = max(b2 * self.exp_inf, abs(g) + h["eps"])
            return theta - lr * self.exp_avg / ((1 - b1**self.t) * self.exp_inf)
        raise ValueError(self.name)


def learner_loop(
    x: np.ndarray,
    y: np.ndarray,
    rule_k: TorchRule,
    rule_b: TorchRule,
    epochs: int,
    init: tuple[float, float] = (0.0, 0.0),
    multipliers: np.ndarray | None = None,
    batch_size: int | None = None,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """k, b and full-data loss after each epoch, entry 0 the start, in x's dtype.

    Mini-batches follow gd_core's documented order: one generator seeded by `seed`, a fresh
    permutation per epoch, consecutive batches of `batch_size`.
    """
    n = len(x)
    k, b = x.dtype.type(init[0]), x.dtype.type(init[1])
    ks, bs, losses = [k], [b], [np.mean((k * x + b - y) ** 2)]
    rng = np.random.default_rng(seed)
    size = n if batch_size is None else batch_size
    for epoch in range(epochs):
        scale = 1.0 if multipliers is None else multipliers[epoch]
        order = np.arange(n) if batch_size is None else rng.permutation(n)
        for start in range(0, n, size):
            idx = order[start : start + size]
            r = k * x[idx] + b - y[idx]
            gk, gb = 2 * np.mean(x[idx] * r), 2 * np.mean(r)
            k, b = rule_k.step(k, gk, rule_k.lr * scale), rule_b.step(b, gb, rule_b.lr * scale)
        ks.append(k)
        bs.append(b)
        losses.append(np.mean((k * x + b - y) ** 2))
    return np.array(ks), np.array(bs), np.array(losses)


def learner_run(x, y, name, lr, epochs, **kwargs):
    """learner_loop with one torch rule per parameter; `lr` is a rate or (lr_k, lr_b)."""
    hyper = kwargs.pop("hyper", {})
    lr_k, lr_b = (lr, lr) if np.ndim(lr) == 0 else lr
    return learner_loop(
        x, y, TorchRule(name, lr_k, **hyper), TorchRule(name, lr_b, **hyper), epochs, **kwargs
    )


def settled_from(values: np.ndarray, optimum: float, tol: float = 1e-3) -> int | None:
    """The first epoch from which |θ − θ*| ≤ tol·|θ0 − θ*| to the end of the run, else None:
    the settled epoch as the verdict contract defines it, recomputed from one trajectory."""
    gap = np.abs(values - optimum)
    inside = gap <= tol * gap[0]
    outside = np.flatnonzero(~inside)
    return None if not inside[-1] else (int(outside[-1]) + 1 if outside.size else 0)
