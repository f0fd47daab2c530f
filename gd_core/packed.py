"""Adam's and RMSProp's update for many runs at once, in place, in as few NumPy calls as can be.

Stepping a sweep (sweep.simulate) costs NumPy's per-call overhead, not arithmetic: a hundred
runs are a few hundred floats per call. What a call costs was measured here (NumPy 2.4, arrays
of 2 × 100): 0.26 µs when every operand is a contiguous array of the output's shape and `out`
is passed by position; 0.36 µs with a Python float operand; 0.6 µs once any operand is
broadcast (a stride of 0 stops NumPy flattening the loop); `out=` as a keyword adds 0.3 µs.
So every operand here is a full-shape array made once (β, 1 − β, eps, the rates, one value per
parameter and run), `out` is positional, and both moments live in one (2, 2, runs) array so
that β·(m, v) is one call.

Every expression is evaluated in exactly the order `update` evaluates it (x·β for β·x, the
same float either way; `** 0.5` on an array is NumPy's sqrt), so a run gives bit-for-bit the
trajectory of train(): tests/core/test_packed.py checks both rules, with hyperparameters
swept per run and rates changing between epochs.

A packer takes the number of runs and returns `step(gradient, lr, out)`, which advances the
rule's state by one epoch and writes the step for every run into `out`, all (2, runs) and
contiguous.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

Step = Callable[[np.ndarray, np.ndarray, np.ndarray], None]
Packer = Callable[[int], Step]


# From this many runs on, a call's cost is its arithmetic and memory traffic, no longer its
# overhead: a shared hyperparameter then stays a float (a 100 × 100 map read every full-shape
# operand from memory each epoch, 40 % slower than with floats).
LARGE = 1_000


def _full(value: Any, runs: int) -> Any:
    """`value` (a float, or one per run) as a contiguous (2, runs) array, one per parameter
    and run; a shared value for LARGE runs or more stays a float."""
    if runs >= LARGE and np.ndim(value) == 0:
        return float(value)
    return np.array(np.broadcast_to(value, (2, runs)), dtype=np.float64)


def adam_packer(beta1: Any, beta2: Any, eps: float) -> Packer:
    """Adam (optimizers.adam): m, v ← β·(m, v) + (1 − β)·(g, g²); θ ← θ − lr·m̂/(√v̂ + eps)."""
    shared = np.ndim(beta1) == 0 and np.ndim(beta2) == 0

    def start(runs: int) -> Step:
        multiply, add, subtract, divide, sqrt = (
            np.multiply,
            np.add,
            np.subtract,
            np.divide,
            np.sqrt,
        )
        betas = np.array(np.broadcast_arrays(_full(beta1, runs), _full(beta2, runs)))
        betas = betas.reshape(2, *(betas.shape[1:] or (1, 1)))  # (2, 2, runs), or (2, 1, 1)
        rest1, rest2 = _full(1.0 - beta1, runs), _full(1.0 - beta2, runs)
        epsilon = _full(eps, runs)
        moments = np.zeros((2, 2, runs))  # [0] = m, [1] = v, each (k, b) × runs
        parts = np.empty((2, 2, runs))  # (1 − β1)·g, (1 − β2)·g·g
        first, root = np.empty((2, runs)), np.empty((2, runs))
        mean, square = moments
        first_part, square_part = parts
        # β1^t, β2^t: running products, Python floats when β is shared (a float operand is
        # cheaper than keeping arrays up to date), else one per parameter and run.
        powers: Any = [1.0, 1.0] if shared else np.ones((2, 2, runs))
        corrections = np.empty((2, 2, runs))  # 1 − β^t when β is one per run

        def step(gradient: np.ndarray, lr: np.ndarray, out: np.ndarray) -> None:
            multiply(gradient, rest1, first_part)
            multiply(gradient, rest2, square_part)
            multiply(square_part, gradient, square_part)
            multiply(moments, betas, moments)
            add(moments, parts, moments)
            if shared:
                powers[0] *= beta1
                powers[1] *= beta2
                first_correction, square_correction = 1.0 - powers[0], 1.0 - powers[1]
            else:
                multiply(powers, betas, powers)
                subtract(1.0, powers, corrections)
                first_correction, square_correction = corrections
            multiply(lr, mean, first)
            divide(first, first_correction, first)
            divide(square, square_correction, root)
            sqrt(root, root)
            add(root, epsilon, root)
            divide(first, root, out)

        return step

    return start


def rmsprop_packer(alpha: Any, eps: float) -> Packer:
    """RMSProp (optimizers.rmsprop): v ← α·v + (1 − α)·g²; θ ← θ − lr/(√v + eps)·g."""

    def start(runs: int) -> Step:
        multiply, add, divide, sqrt = np.multiply, np.add, np.divide, np.sqrt
        decay, rest, epsilon = _full(alpha, runs), _full(1.0 - alpha, runs), _full(eps, runs)
        square = np.zeros((2, runs))
        scratch = np.empty((2, runs))

        def step(gradient: np.ndarray, lr: np.ndarray, out: np.ndarray) -> None:
            multiply(square, decay, square)
            multiply(gradient, rest, scratch)
            multiply(scratch, gradient, scratch)
            add(square, scratch, square)
            sqrt(square, scratch)
            add(scratch, epsilon, scratch)
            divide(lr, scratch, out)
            multiply(out, gradient, out)

        return step

    return start
