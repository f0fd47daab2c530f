"""Adaptive optimizers as automatic per-parameter rates.

AdaGrad, RMSProp and Adam divide each parameter's rate by the root of its own running mean of
squared gradients: lr/(√v̂ + eps). Along k the gradients are mean(x²) times larger than along b,
so k's effective rate shrinks and b's grows: the per-parameter fix, found by the optimizer.
"""

from __future__ import annotations

import numpy as np

from gd_core.data import Dataset
from gd_core.descent import scheduled_rates
from gd_core.model import gradient
from gd_core.optimizers import Optimizer
from gd_core.run import Run


def effective_rates(
    data: Dataset, optimizer: Optimizer, run: Run, epochs: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(rate for k, rate for b) in each of the first `epochs` epochs of the full-batch `run`.

    Entry t − 1 is the rate applied in epoch t, after that epoch's gradient entered the state:
    lr/(√v̂ + eps) for the adaptive rules, the scheduled lr for the others. The optimizer's own
    update rule is replayed on the run's gradients, so nothing about it is written twice.

    An adaptive rule has no rate for a parameter until a gradient other than exactly 0 has
    entered its state: until then it steps by nothing (m̂ or g is 0), and lr/(√v̂ + eps) is
    lr/eps, set by eps alone and applied to no gradient. Those entries are NaN (all of them for
    a run that starts at an exact optimum, where every gradient is 0).
    """
    steps = len(run.k) - 1 if epochs is None else min(int(epochs), len(run.k) - 1)
    grad_k, grad_b = gradient(data, run.k[:steps], run.b[:steps])
    given_k, given_b = scheduled_rates(optimizer, run.loss, steps)
    update, rate_of = optimizer.update, optimizer.effective_rate
    state_k, state_b = optimizer.init(0.0), optimizer.init(0.0)
    out_k, out_b = np.empty(steps), np.empty(steps)
    for t, (g_k, g_b, rate_k, rate_b) in enumerate(
        zip(grad_k.tolist(), grad_b.tolist(), given_k.tolist(), given_b.tolist(), strict=True)
    ):
        _, state_k = update(g_k, state_k, rate_k)
        _, state_b = update(g_b, state_b, rate_b)
        out_k[t] = rate_of(state_k, rate_k)
        out_b[t] = rate_of(state_b, rate_b)
    if not optimizer.linear:
        for out, grad in ((out_k, grad_k), (out_b, grad_b)):
            out[: _first_nonzero(grad[:steps])] = np.nan
    return out_k, out_b


def _first_nonzero(gradients: np.ndarray) -> int:
    """The index of the first gradient that is not exactly 0 (its length if there is none)."""
    moved = np.flatnonzero(gradients != 0.0)
    return int(moved[0]) if moved.size else len(gradients)
