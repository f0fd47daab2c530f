"""Adam's and RMSProp's update for many runs at once, in place, in as few NumPy calls as can be.

Stepping a sweep (stepping.simulate) costs NumPy's per-call overhead, not arithmetic: a hundred
runs are a few hundred floats per call. What a call costs was measured here (NumPy 2.4, arrays
of 2 × 100): 0.26 µs when every operand is a contiguous array of the output's shape and `out`
is passed by position; 0.36 µs with a Python float operand; 0.6 µs once any operand is
broadcast (a stride of 0 stops NumPy flattening the loop); `out=` as a keyword adds 0.3 µs.
So every operand here is a full-shape array made once (β, 1 − β, eps, the rates, one value per
parameter and run), `out` is positional, and both moments live in one (2, 2, runs) array so
that β·(m, v) is one call.

Every expression is evaluated in exactly the order `update` evaluates it (x·β for β·x, the
same float either way; NumPy's sqrt is correctly rounded, as train()'s math.sqrt is), so a run
gives bit-for-bit the trajectory of train(): tests/core/test_packed.py checks both rules, with
hyperparameters swept per run and rates changing between epochs.

A packer takes the number of runs and returns `step(gradient, lr, out)`, which advances the
rule's state by one epoch and writes the step for every run into `out`, all (2, runs) and
contiguous.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import numpy as np

from gd_core.shared_adam import SharedAdamEpochs

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


def bias_corrections(betas: np.ndarray, powers: np.ndarray, epochs: int) -> np.ndarray:
    """(1 − β^t) for each β of `betas` (k, 1) over the next `epochs` epochs, (k, epochs), with
    β^t train()'s running product from `powers` (k, 1), which is brought up to date:
    np.multiply.accumulate is that product, multiplied in the same order."""
    running = np.empty((len(betas), epochs + 1))
    running[:, :1] = powers
    running[:, 1:] = betas
    np.multiply.accumulate(running, axis=1, out=running)
    powers[...] = running[:, epochs:]
    return np.subtract(1.0, running[:, 1:], out=running[:, 1:])


def _shared_corrections(beta1: float, beta2: float) -> Iterator[tuple[Any, np.ndarray]]:
    """(1 − β1^t, 1 − β2^t) for t = 1, 2, … as 0-d arrays (as cheap an operand as a full array,
    where a Python float costs 0.1 µs more a call); 1 − β1^t as None once it is exactly 1,
    since lr·m ÷ 1 is lr·m (β1 = 0.9: from epoch 356 on)."""
    betas, powers = np.array([[beta1], [beta2]]), np.ones((2, 1))
    while True:
        first, square = bias_corrections(betas, powers, 256)
        ones = (first == 1.0).tolist()
        firsts = [None if one else c for one, c in zip(ones, list(np.nditer(first)), strict=True)]
        yield from zip(firsts, list(np.nditer(square)), strict=True)


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
        # 1 − β^t: shared, 0-d arrays made a block of epochs at a time; else one per
        # parameter and run, from running products kept up to date every epoch.
        shared_corrections = _shared_corrections(beta1, beta2) if shared else None
        powers = np.ones((2, 2, runs))
        corrections = np.empty((2, 2, runs))

        def step(gradient: np.ndarray, lr: np.ndarray, out: np.ndarray) -> None:
            multiply(gradient, rest1, first_part)
            multiply(gradient, rest2, square_part)
            multiply(square_part, gradient, square_part)
            multiply(moments, betas, moments)
            add(moments, parts, moments)
            if shared_corrections is not None:
                first_correction, square_correction = next(shared_corrections)
            else:
                multiply(powers, betas, powers)
                subtract(1.0, powers, corrections)
                first_correction, square_correction = corrections
            multiply(lr, mean, first)
            if first_correction is not None:  # else 1: lr·m ÷ 1 is lr·m
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


# Runs below which whole epochs packed (WholeEpochs: Adam with β per run in 14 calls, RMSProp
# in 12) beat the update packed alone with the gradient beside it (stepping.simulate: 16 and
# 13): Adam's 8 % faster at 40 and 100 runs, 7 % slower at 200 and 400, where a call costs more
# of its arithmetic and the wider rows, their copies out and 1 − β^t written per run every
# epoch cost more than the calls saved (RMSProp's 3–10 % slower packed from 200 on). Adam with
# β shared by every run steps whole epochs at any number of runs (shared_adam.py).
WHOLE_EPOCHS = 150


def _rows(runs: int, *values: Any) -> np.ndarray:
    """Each value (a float, or one per run) as a contiguous row of `runs`."""
    rows = np.empty((len(values), runs))
    for row, value in zip(rows, values, strict=True):
        row[...] = value  # a tenth of np.broadcast_to's cost, which was most of a setup's
    return rows


class WholeEpochs:
    """Many runs' full-batch epochs, gradient and step included, in the fewest NumPy calls
    that are also the cheapest (benchmarks/bench_sweeps.py times Adam's as NumPy's floor).

    Two operations share a call only if they are the same ufunc, neither needs the other's
    result, and their operands lie in memory as one view; and only a view NumPy walks as one
    flat loop is cheap (a broadcast or reversed operand cost as much as a second call, 0.3 µs
    more, so layouts with fewer calls but such an operand are slower). So each epoch's state
    is one row of runs × WIDTH that begins (δb, δk, δb, …): the gradient's products H_kk·δk,
    H_bb·δb share a call with the rule's decays of its state (the slots after δ), and
    H_kb·(δb, δk) reads the first two; the last call copies δb before δk for the next epoch.
    Every operation is train()'s rounding in its order (a·b is b·a and a + b is b + a exactly),
    the same floats as `update` on arrays, bit for bit (tests/core/test_packed.py).

    A few epochs (RING) are stepped in a small table of rows, then their deviations copied out
    for the verdict: a row per epoch of a whole chunk made a 100-run sweep 10 % slower and a
    400-run one 25 %, the rows written falling out of cache.
    """

    WIDTH = 3  # δb, δk, δb, then the rule's own slots
    RING = 16

    def __init__(self, hessian: tuple[Any, Any, Any], delta: tuple[Any, Any], rates: np.ndarray):
        runs = rates.shape[1]
        self.runs, self.rates = runs, rates
        self.hessian = hessian
        self.table = np.zeros((self.RING + 1, self.WIDTH, runs))  # the rule's state starts at 0
        first = self.table[0]
        first[1], first[2] = delta
        first[0] = first[2]
        self.scaled = np.empty((self.RING, 2, runs))
        self.swapped, self.gradient, self.step = (np.empty((2, runs)) for _ in range(3))
        self.cross = _rows(runs, hessian[1], hessian[1])  # H_kb, times (δb, δk)
        self.out: np.ndarray | None = None  # the rows `steps` returns

    def advance(self, out: np.ndarray, multipliers: np.ndarray | None) -> None:
        """Step every run len(out) epochs on, the rates times `multipliers` (None: as they
        are, rates × multiplier as train() takes them), writing the deviations after each
        epoch into `out`, (epochs, 2, runs)."""
        table = self.table
        for begin in range(0, len(out), self.RING):
            epochs = min(self.RING, len(out) - begin)
            if multipliers is None:
                rates = [self.rates] * epochs
            else:
                scale = multipliers[begin : begin + epochs].reshape(-1, 1, 1)
                rates = list(np.multiply(self.rates, scale, self.scaled[:epochs]))
            self._epochs(begin, epochs, rates)
            np.copyto(out[begin : begin + epochs], table[1 : epochs + 1, 1:3])
            np.copyto(table[0], table[epochs])

    def steps(self, epochs: int, multipliers: np.ndarray | None) -> np.ndarray:
        """As `advance`, into rows kept from call to call: the deviations after each epoch,
        (epochs, 2, runs), a view valid until the next call."""
        if self.out is None or len(self.out) < epochs:
            self.out = np.empty((epochs, 2, self.runs))
        out = self.out[:epochs]
        self.advance(out, multipliers)
        return out

    def _epochs(self, begin: int, epochs: int, rates: list) -> None:
        """Step `epochs` epochs (from epoch `begin` of the call to advance) from the table's
        first row on, writing rows 1 … epochs."""
        raise NotImplementedError


class AdamEpochs(WholeEpochs):
    """Adam's epochs (optimizers.adam) with β1 or β2 one per run (a sweep of β), in 14 calls,
    a row (δb, δk, δb, m_k, m_b, v_k, v_b, lr·m_k, lr·m_b) per epoch; β shared by every run
    goes to shared_adam.SharedAdamEpochs instead, faster at any number of runs:

         1. (δk, δb, m, v) × (H_kk, H_bb, β1, β1, β2, β2);  2. (δb, δk) × (H_kb, H_kb);
         3. g = (H_kk·δk + H_kb·δb, H_bb·δb + H_kb·δk);
         4. (1 − β1)·g;  5. (1 − β2)·g;  6. × g;
         7. (m, v) = (β1·m, β2·v) + ((1 − β1)·g, (1 − β2)·g·g), into the next row;
         8. lr·m, into the slot after v, so that
         9. (v, lr·m) ÷ (1 − β2^t, 1 − β1^t) is one call over adjacent slots;
        10. √v̂;  11. + eps;  12. lr·m̂ ÷ (√v̂ + eps);  13. (δk, δb) − step;  14. δb copied.

    train()'s order: β1·m + (1 − β1)·g, β2·v + (1 − β2)·g·g, lr·m/(1 − β1^t)/((v/(1 − β2^t))^½
    + eps), with β^t train()'s running products, one per parameter and run
    (np.multiply.accumulate is that product, in order).
    """

    WIDTH = 9

    def __new__(cls, beta1: Any, beta2: Any, *args: Any) -> Any:
        # β shared by every run (a stability map, a tuning grid, a sweep of the rate): the
        # dedicated loop. It is not an AdamEpochs, so Python does not run __init__ on it.
        if np.ndim(beta1) == 0 and np.ndim(beta2) == 0:
            return SharedAdamEpochs(beta1, beta2, *args)
        return super().__new__(cls)

    def __init__(
        self,
        beta1: Any,
        beta2: Any,
        eps: float,
        hessian: tuple[Any, Any, Any],
        delta: tuple[Any, Any],
        rates: np.ndarray,
    ) -> None:
        super().__init__(hessian, delta, rates)
        runs = self.runs
        h_kk, _, h_bb = hessian
        self.factors = _rows(runs, h_kk, h_bb, beta1, beta1, beta2, beta2)  # step 1
        self.rest1 = _rows(runs, 1.0 - beta1, 1.0 - beta1)  # as optimizers.adam computes them
        self.rest2 = _rows(runs, 1.0 - beta2, 1.0 - beta2)
        self.eps = _rows(runs, eps, eps)
        # β^t for the corrections, β2's before β1's as they divide (v, lr·m).
        self.betas = _rows(runs, beta2, beta2, beta1, beta1)
        self.powers = np.ones((4, runs))
        self.corrections = np.empty((self.RING, 4, runs))
        self.corrected = list(self.corrections)  # one (4, runs) view per epoch of a ring
        self.products = np.empty((6, runs))
        self.parts = np.empty((4, runs))
        self.hats = np.empty((4, runs))
        # Views made once, every operand of an epoch that reads row i and writes row i + 1
        # (sliced once for all rows, then listed: a tenth of the cost of slicing row by row).
        now, after = self.table[:-1], self.table[1:]
        read = (now[:, 1:7], now[:, 0:2], now[:, 1:3])
        written = (after[:, 3:7], after[:, 3:5], after[:, 7:9])
        last = (after[:, 1:3], after[:, 2], after[:, 0])
        hats, m_hats = ([view] * self.RING for view in (self.hats, self.hats[2:]))
        self.bias = list(zip(*read, *written, after[:, 5:9], hats, m_hats, *last, strict=True))

    def _divisors(self, begin: int, epochs: int) -> tuple[list, list]:
        """Each epoch's operands and the divisors of call 9 (1 − β^t, one running product per
        parameter and run, by np.multiply.accumulate, in order) for the next `epochs`."""
        powers = np.empty((epochs + 1, 4, self.runs))
        powers[0] = self.powers
        powers[1:] = self.betas
        np.multiply.accumulate(powers, axis=0, out=powers)
        self.powers = powers[epochs].copy()
        np.subtract(1.0, powers[1:], out=self.corrections[:epochs])
        return self.bias, self.corrected

    def _epochs(self, begin: int, epochs: int, rates: list) -> None:
        operands, divisors = self._divisors(begin, epochs)
        multiply, add, divide, subtract, sqrt, positive = (
            np.multiply,
            np.add,
            np.divide,
            np.subtract,
            np.sqrt,
            np.positive,
        )
        factors, cross, rest1, rest2, eps = (
            self.factors,
            self.cross,
            self.rest1,
            self.rest2,
            self.eps,
        )
        products, swapped, gradient, parts, step = (
            self.products,
            self.swapped,
            self.gradient,
            self.parts,
            self.step,
        )
        direct, decays = products[:2], products[2:]
        first_part, square_part = parts[:2], parts[2:]
        v_hat = self.hats[:2]
        for i in range(epochs):
            (
                both,
                pair,
                deviations,
                moments,
                mean,
                scaled,
                corrected,
                quotient,
                top,
                following,
                b_after,
                b_before,
            ) = operands[i]
            multiply(both, factors, products)  # 1
            multiply(pair, cross, swapped)  # 2
            add(direct, swapped, gradient)  # 3
            multiply(gradient, rest1, first_part)  # 4
            multiply(gradient, rest2, square_part)  # 5
            multiply(square_part, gradient, square_part)  # 6
            add(decays, parts, moments)  # 7
            multiply(rates[i], mean, scaled)  # 8
            divide(corrected, divisors[i], quotient)  # 9
            sqrt(v_hat, v_hat)  # 10
            add(v_hat, eps, v_hat)  # 11
            divide(top, v_hat, step)  # 12
            subtract(deviations, step, following)  # 13
            positive(b_after, b_before)  # 14


class RMSPropEpochs(WholeEpochs):
    """RMSProp's epochs (optimizers.rmsprop) in 12 calls, a row (δb, δk, δb, v_k, v_b) per
    epoch:

         1. (δk, δb, v) × (H_kk, H_bb, α, α);  2. (δb, δk) × (H_kb, H_kb);  3. g;
         4. (1 − α)·g;  5. × g;  6. v = α·v + (1 − α)·g·g, into the next row;
         7. √v;  8. + eps;  9. lr ÷ (√v + eps);  10. × g;  11. (δk, δb) − step;  12. δb copied.

    train()'s order: α·v + (1 − α)·g·g, then lr/(v^½ + eps)·g.
    """

    WIDTH = 5

    def __init__(
        self,
        alpha: Any,
        eps: float,
        hessian: tuple[Any, Any, Any],
        delta: tuple[Any, Any],
        rates: np.ndarray,
    ) -> None:
        super().__init__(hessian, delta, rates)
        runs = self.runs
        h_kk, _, h_bb = hessian
        self.factors = _rows(runs, h_kk, h_bb, alpha, alpha)  # step 1
        self.rest = _rows(runs, 1.0 - alpha, 1.0 - alpha)  # as optimizers.rmsprop computes it
        self.eps = _rows(runs, eps, eps)
        self.products = np.empty((4, runs))
        self.part = np.empty((2, runs))
        self.rate = np.empty((2, runs))
        self.read = [(row[1:5], row[0:2], row[1:3]) for row in self.table]
        self.written = [(row[3:5], row[1:3], row[2], row[0]) for row in self.table]

    def _epochs(self, begin: int, epochs: int, rates: list) -> None:
        multiply, add, divide, subtract, sqrt, positive = (
            np.multiply,
            np.add,
            np.divide,
            np.subtract,
            np.sqrt,
            np.positive,
        )
        factors, cross, rest, eps = self.factors, self.cross, self.rest, self.eps
        products, swapped, gradient, part, rate, step = (  # scratch rows
            self.products,
            self.swapped,
            self.gradient,
            self.part,
            self.rate,
            self.step,
        )
        direct, decay = products[:2], products[2:]
        read, written = self.read, self.written
        for i in range(epochs):
            both, pair, deviations = read[i]
            square, following, b_after, b_before = written[i + 1]
            multiply(both, factors, products)  # 1
            multiply(pair, cross, swapped)  # 2
            add(direct, swapped, gradient)  # 3
            multiply(gradient, rest, part)  # 4
            multiply(part, gradient, part)  # 5
            add(decay, part, square)  # 6
            sqrt(square, rate)  # 7
            add(rate, eps, rate)  # 8
            divide(rates[i], rate, rate)  # 9
            multiply(rate, gradient, step)  # 10
            subtract(deviations, step, following)  # 11
            positive(b_after, b_before)  # 12


def shared_adam(rule: Any, runs: int) -> bool:
    """Whether `rule` is Adam with β1 and β2 shared by every run, whose whole epochs
    (shared_adam.SharedAdamEpochs, made by rule.packed_epochs) beat the update packed alone
    for `runs`: up to a few thousand (measured: 4 % faster at 2,025 runs, 10 % slower at 4,900
    and 10,000, where its full rows of β and H no longer stay in cache and the update packed
    alone, its shared numbers floats, wins)."""
    factory = rule.packed_epochs
    return (
        runs < 3 * LARGE
        and isinstance(factory, partial)
        and factory.func is AdamEpochs
        and all(np.ndim(beta) == 0 for beta in factory.args[:2])
    )
