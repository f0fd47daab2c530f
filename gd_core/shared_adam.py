"""Adam's whole epochs for many runs that share β1, β2 and eps: the dedicated stepping loop.

A stability map or a tuning grid of Adam steps hundreds of runs with one β1, β2, eps and a
pair of rates each (stepping.packed_epochs). At 400 runs a NumPy call costs ~0.3 µs of
overhead plus its arithmetic, and, measured here, about as much again in memory traffic once
an epoch's operands no longer stay in the core's first-level cache (48 KB, fifteen rows of
400 floats): packed.AdamEpochs' table (nine rows per epoch, fourteen calls) and the update
packed alone (fifteen calls, every hyperparameter a full row) both ran at NumPy's floor of
bench_sweeps.py or above; this loop, in as many calls, runs ~10 % under it. So:

- every shared number (H_kb, 1 − β2, eps, 1 − β^t) is a 0-d array, as cheap an operand as a
  full row and no memory at all; only the rates (one per parameter and run), (H_kk, H_bb) and
  (β1, β1, β2, β2, 1 − β1, 1 − β1) are rows;
- the state is one block of eight rows W = (m, v, g, (1 − β2)·g·g), updated in place, and two
  scratch rows serve every other intermediate;
- the deviations after each epoch are written straight into the chunk's history (δk, δb, δk),
  which the verdict then reads (δk repeated so that H_kb·(δb, δk) reads one contiguous view);
- the epoch is written inline, no closure, generator or per-epoch branch but one.

Fourteen calls an epoch once 1 − β1^t is exactly 1 (β1 = 0.9: from epoch 356 on; lr·m ÷ 1 is
lr·m), fifteen before:

     1. H_kk·δk, H_bb·δb into g;  2. H_kb·(δb, δk);  3. g = the sum;
     4. (1 − β2)·g;  5. × g;  6. (m, v, g) × (β1, β2, 1 − β1), in place;
     7. (m, v) = (β1·m, β2·v) + ((1 − β1)·g, (1 − β2)·g·g);
     8. lr·m;  (9. ÷ (1 − β1^t));  10. v ÷ (1 − β2^t);  11. √;  12. + eps;  13. lr·m̂ ÷ (√v̂ + eps);
    14. δ − step, into the next epoch's row;  15. δk copied after δb.

Every operation is train()'s rounding in its order (optimizers.adam: β1·m + (1 − β1)·g,
β2·v + (1 − β2)·g·g, lr·m/(1 − β1^t)/((v/(1 − β2^t))^½ + eps), β^t as a running product; a·b
is b·a and a + b is b + a exactly), so every run is bit for bit the run train() steps
(tests/core/test_packed.py, test_shared_adam.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np


def _operand(value: Any, runs: int) -> np.ndarray:
    """A shared number as a 0-d array; one per run as two equal rows, (2, runs)."""
    if np.ndim(value) == 0:
        return np.array(float(value))
    rows = np.empty((2, runs))
    rows[...] = value
    return rows


class SharedAdamEpochs:
    """Many runs of Adam (optimizers.adam) with one β1, β2 and eps, stepped whole epochs at a
    time: `steps` returns the deviations after each epoch as a view of the chunk's history,
    `advance` copies them out (packed.WholeEpochs' interface)."""

    def __init__(
        self,
        beta1: float,
        beta2: float,
        eps: float,
        hessian: tuple[Any, Any, Any],
        delta: tuple[Any, Any],
        rates: np.ndarray,
    ) -> None:
        runs = rates.shape[1]
        self.runs, self.rates = runs, rates
        self.beta1, self.beta2 = float(beta1), float(beta2)
        h_kk, h_kb, h_bb = hessian
        self.direct = np.empty((2, runs))  # (H_kk, H_bb), times (δk, δb)
        self.direct[0], self.direct[1] = h_kk, h_bb
        self.cross = _operand(h_kb, runs)  # H_kb, times (δb, δk)
        self.decays = np.empty((6, runs))  # (β1, β1, β2, β2, 1 − β1, 1 − β1), times (m, v, g)
        self.decays[0:2], self.decays[2:4] = beta1, beta2
        self.decays[4:6] = 1.0 - self.beta1  # as optimizers.adam computes it
        self.rest2 = np.array(1.0 - self.beta2)
        self.eps = np.array(float(eps))
        self.state = np.zeros((8, runs))  # m, v, g, (1 − β2)·g·g: Adam's state starts at 0
        self.first, self.second = np.empty((2, runs)), np.empty((2, runs))
        self.start = np.empty((3, runs))  # (δk, δb, δk) before the next epoch
        self.start[0], self.start[1] = delta
        self.start[2] = self.start[0]
        self.powers = np.ones(2)  # β1^t, β2^t as train() carries them, a running product
        self.history: np.ndarray | None = None
        self.views: tuple[list, ...] = ()

    def _history(self, epochs: int) -> np.ndarray:
        """The chunk's rows, (epochs + 1, 3, runs), row 0 the deviations before it; made once
        for the longest chunk asked for (stepping asks for one length, then a last, shorter
        one), with every row's views listed: a tenth of slicing them epoch by epoch."""
        if self.history is None or len(self.history) <= epochs:
            self.history = np.empty((epochs + 1, 3, self.runs))
            rows = self.history
            pairs, swapped = list(rows[:, 0:2]), list(rows[:, 1:3])
            self.views = (pairs, swapped, list(rows[:, 0]), list(rows[:, 2]))
        return self.history

    def _corrections(self, epochs: int) -> tuple[list, list]:
        """1 − β1^t (None once it is exactly 1) and 1 − β2^t as 0-d arrays (views, 40 ns
        each; np.array of a float costs 0.2 µs) for the next `epochs` epochs, with β^t
        train()'s running products, brought up to date (np.multiply.accumulate multiplies in
        the same order)."""
        running = np.empty((2, epochs + 1))
        running[:, 0] = self.powers
        running[0, 1:], running[1, 1:] = self.beta1, self.beta2
        np.multiply.accumulate(running, axis=1, out=running)
        self.powers = running[:, epochs].copy()
        corrections = np.subtract(1.0, running[:, 1:])
        unbiased = (corrections[0] == 1.0).tolist()
        firsts = list(np.nditer(corrections[0]))
        firsts = [None if one else c for one, c in zip(unbiased, firsts, strict=True)]
        return firsts, list(np.nditer(corrections[1]))

    def steps(self, epochs: int, multipliers: np.ndarray | None) -> np.ndarray:
        """Step every run `epochs` epochs on, the rates times `multipliers` (None: as they
        are; rates × multiplier as train() takes them); the deviations after each epoch,
        (epochs, 2, runs), a view valid until the next call."""
        history = self._history(epochs)
        history[0] = self.start
        pairs, swapped, firsts_k, seconds_k = self.views
        if multipliers is None:
            rates = [self.rates] * epochs
        else:
            scaled = np.multiply(self.rates, np.reshape(multipliers, (-1, 1, 1)))
            rates = list(scaled)
        firsts, seconds = self._corrections(epochs)
        multiply, add, subtract, divide, sqrt, copy = (
            np.multiply,
            np.add,
            np.subtract,
            np.divide,
            np.sqrt,
            np.positive,  # a ufunc: np.copyto is dispatched through Python first
        )
        direct, cross, decays, rest2, eps = (
            self.direct,
            self.cross,
            self.decays,
            self.rest2,
            self.eps,
        )
        state, first, second = self.state, self.first, self.second
        mean, square, gradient, scaled_square = state[0:2], state[2:4], state[4:6], state[6:8]
        decayed, moments, parts = state[0:6], state[0:4], state[4:8]
        # Each epoch's operands unpacked from one tuple: a tenth of indexing eight lists.
        operands = zip(
            pairs[:epochs],
            swapped[:epochs],
            pairs[1 : epochs + 1],
            firsts_k[1 : epochs + 1],
            seconds_k[1 : epochs + 1],
            rates,
            firsts,
            seconds,
            strict=True,
        )
        for deviations, crossed, following, k_after, k_again, rate, first_bias, bias in operands:
            multiply(deviations, direct, gradient)  # 1
            multiply(crossed, cross, second)  # 2
            add(gradient, second, gradient)  # 3
            multiply(gradient, rest2, scaled_square)  # 4
            multiply(scaled_square, gradient, scaled_square)  # 5
            multiply(decayed, decays, decayed)  # 6
            add(moments, parts, moments)  # 7
            multiply(rate, mean, first)  # 8
            if first_bias is not None:  # else 1: lr·m ÷ 1 is lr·m
                divide(first, first_bias, first)  # 9
            divide(square, bias, second)  # 10
            sqrt(second, second)  # 11
            add(second, eps, second)  # 12
            divide(first, second, first)  # 13
            subtract(deviations, first, following)  # 14
            copy(k_after, k_again)  # 15
        self.start[...] = history[epochs]
        return history[1 : epochs + 1, 0:2]

    def advance(self, out: np.ndarray, multipliers: np.ndarray | None) -> None:
        """As packed.WholeEpochs.advance: the deviations after each epoch into `out`,
        (epochs, 2, runs)."""
        np.copyto(out, self.steps(len(out), multipliers))
