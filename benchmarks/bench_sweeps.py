"""Sweeps and tuning against training every point with train() one by one, in one run.

    python benchmarks/bench_sweeps.py

On the default data (100 points, k = 2, b = 1, σ = 1). Sweeps: 100 values of one setting,
1,000 epochs each: plain GD's single rate (exact, from the modes) and over datasets (noise σ,
stacked sums), Adam's rate (stepped together) and momentum's μ (every run's closed form at
once, as train() runs one). Tuning: Compare's grids, 40 single rates and 20 × 20 pairs, against
training every grid point. The one-by-one times cover
every point once; the vectorised ones are medians. Both are this process's CPU time, not wall
time: five engineers share this machine's two cores, and wall-clock ratios swung tenfold between
runs. Targets (issue 17): at least 100× for plain GD, 20× for stepped sweeps. Under each
stepped Adam figure, NumPy's floor: the fewest calls a bit-exact epoch needs, timed on arrays of
that many points, beside train()'s cost, so the output shows how high the ratio can go.
"""

from __future__ import annotations

import sys

import numpy as np
from measure import median_cpu_seconds, report, summary

import gd_core as gd
from gd_core import linear_sweep, mode_radii

DATA = gd.make_dataset(100, 2.0, 1.0, 1.0)
EPOCHS = 1_000
POINTS = 100
LIMIT = gd.analyze(DATA).max_stable_lr


def one_by_one(runs: list[tuple[gd.Dataset, gd.Optimizer]], epochs: int) -> None:
    for data, optimizer in runs:
        gd.train(data, optimizer, epochs)


def compare(what: str, runs, vectorised, repeats: int, target: float, epochs=EPOCHS) -> float:
    """Print and report the ratio; return train()'s CPU seconds a run."""
    separate = median_cpu_seconds(lambda: one_by_one(runs, epochs), 3)
    together = median_cpu_seconds(vectorised, repeats)
    print(f"  {what}:\n    train() one by one {separate:.3f} s; at once {together * 1e3:.2f} ms")
    report(what, separate / together, target)
    return separate / len(runs)


# Adam's epoch bit for bit as train() rounds it, in the fewest NumPy calls that are also the
# cheapest, as gd_core/packed.py (AdamEpochs) makes it: every operand contiguous, one row
# of runs per parameter, state, product or moment. Two operations share a call only when they
# are the same ufunc, at the same depth, and their operands are one view: the gradient's
# products H_kk·δk, H_bb·δb with the moments' decays β·(m, v) (6 rows); H_kb·(δb, δk); the
# add; (1 − β1)·g, (1 − β2)·g, ·g; the moments' add (4 rows); lr·m; (v, lr·m) ÷ (1 − β2^t,
# 1 − β1^t) in one (4 rows); √; + eps; ÷; δ − step; and δb copied beside δk for the next
# H_kb product. Layouts with fewer calls exist (11, with the deviations held four times and
# the gradient twice), but each needs a broadcast or strided operand, which NumPy cannot walk
# as one flat loop: 0.8 µs for that call against 0.3 µs, more than the calls it saves.
# As (ufunc, rows of `points` values it spans):
ADAM_EPOCH = [
    (np.multiply, 6),
    (np.multiply, 2),
    (np.add, 2),
    (np.multiply, 2),
    (np.multiply, 2),
    (np.multiply, 2),
    (np.add, 4),
    (np.multiply, 2),
    (np.divide, 4),
    (np.sqrt, 2),
    (np.add, 2),
    (np.divide, 2),
    (np.subtract, 2),
    (np.positive, 1),
]


def numpy_floor(points: int, epochs: int = EPOCHS) -> float:
    """CPU seconds of `epochs` rounds of ADAM_EPOCH's calls on contiguous arrays with `out`
    by position: the least a bit-exact stepped Adam sweep of that many points can cost."""
    spans = {rows for _, rows in ADAM_EPOCH}
    arrays = {rows: [np.full((rows, points), 0.5) for _ in range(3)] for rows in spans}
    calls = [(ufunc, arrays[rows]) for ufunc, rows in ADAM_EPOCH]

    def rounds() -> None:
        for _ in range(epochs):
            for ufunc, (a, b, out) in calls:
                if ufunc.nin == 1:
                    ufunc(a, out)
                else:
                    ufunc(a, b, out)

    return median_cpu_seconds(rounds, 5)


def print_floor(points: int, train_seconds: float) -> None:
    """The ceiling NumPy puts on a stepped Adam sweep of `points`, beside train()'s cost."""
    floor = numpy_floor(points) / EPOCHS * 1e6
    runs = train_seconds * points / EPOCHS * 1e6
    print(
        f"    NumPy's floor, {points:,} points: {len(ADAM_EPOCH)} calls an epoch, {floor:.2f} µs;"
        f" train() {train_seconds / EPOCHS * 1e6:.2f} µs an epoch × {points:,} runs ="
        f" {runs:.1f} µs\n    → at most {runs / floor:.1f}× for any bit-exact stepped sweep"
    )


def sweeps() -> None:
    print(f"Sweeps of {POINTS} points (ratio = train() one by one / sweep)")
    rates = np.geomspace(1e-3, 1.2, POINTS) * LIMIT
    for epochs in (EPOCHS, 10 * EPOCHS):
        compare(
            f"plain GD, single rate, {epochs:,} epochs (exact)",
            [(DATA, gd.sgd(rate)) for rate in rates],
            lambda epochs=epochs: gd.sweep(DATA, "lr", rates, "sgd", epochs),
            50,
            100,
            epochs,
        )
    noises = np.linspace(0.0, 5.0, POINTS)
    datasets = [gd.make_dataset(100, 2.0, 1.0, sigma) for sigma in noises]
    rule = gd.sgd((0.02, 0.2))
    compare(
        f"plain GD, noise σ over {POINTS} datasets, {EPOCHS:,} epochs (exact)",
        [(data, rule) for data in datasets],
        lambda: gd.sweep_datasets(datasets, rule, EPOCHS, values=noises),
        50,
        100,
    )
    # A stepped sweep pays NumPy's per-call cost every epoch (print_floor shows the least it
    # can be); one run of train() costs about 0.5 µs an epoch in Python floats. The ratio
    # grows with the points.
    for points in (POINTS, 1_000):
        adam_rates = np.geomspace(1e-3, 10.0, points)
        train_seconds = compare(
            f"Adam, {points:,} single rates, {EPOCHS:,} epochs (stepped together)",
            [(DATA, gd.adam(rate)) for rate in adam_rates],
            lambda adam_rates=adam_rates: gd.sweep(DATA, "lr", adam_rates, "adam", EPOCHS),
            5,
            20,
        )
        print_floor(points, train_seconds)
    mus = np.linspace(0.0, 0.99, POINTS)
    train_seconds = compare(
        f"momentum, {POINTS} values of μ, {EPOCHS:,} epochs (closed forms)",
        [(DATA, gd.momentum(0.01, mu)) for mu in mus],
        lambda: gd.sweep(DATA, "momentum", mus, "momentum", EPOCHS, lr=0.01),
        50,  # a millisecond a call: a median of 5 swung from 13× to 24× between runs
        20,
    )
    # Each point's ρ (the Sweep's spectral_radius must equal train()'s, LAPACK's eigvals of
    # its 4 × 4 transition matrix, to 1e-12): from its two 2 × 2 modes, LAPACK only where
    # those are ill-conditioned (gd_core/mode_radii.py), against LAPACK for every point.
    rule = gd.momentum(0.01, mus)
    rates = np.full((2, POINTS), 0.01)
    matrices = linear_sweep._matrices(DATA, rule, rates)
    modes = median_cpu_seconds(lambda: mode_radii.spectral_radii(DATA, rule, rates, matrices), 20)
    lapack = median_cpu_seconds(lambda: mode_radii._lapack(matrices), 20)
    budget = train_seconds * POINTS / 20
    print(
        f"    of the {budget * 1e3:.2f} ms 20× leaves, every point's ρ takes {modes * 1e3:.2f} ms"
        f" from its modes ({lapack * 1e3:.2f} ms by eigvals of every 4 × 4, as train() does)"
    )


def tuning() -> None:
    print(
        f"\nTuning on Compare's grids, {EPOCHS:,} epochs (ratio = every grid point trained / tune)"
    )
    for name, optimizer, pair, target in (
        ("plain GD, 40 single rates (exact)", gd.sgd(1.0), False, 100),
        ("plain GD, 20 × 20 pairs (exact)", gd.sgd(1.0), True, 100),
        ("Adam, 40 single rates (stepped)", gd.adam(1.0), False, 20),
        ("Adam, 20 × 20 pairs (stepped)", gd.adam(1.0), True, 20),
    ):
        result = gd.tune(DATA, optimizer, EPOCHS, pair=pair)
        grid_k, grid_b = result.lr_k_values, result.lr_b_values
        pairs = [(k, b) for b in grid_b for k in grid_k] if pair else [(k, k) for k in grid_k]
        factory = gd.OPTIMIZERS[optimizer.name]
        runs = [(DATA, factory(rates)) for rates in pairs]
        train_seconds = compare(
            f"tune {name}",
            runs,
            lambda optimizer=optimizer, pair=pair: gd.tune(DATA, optimizer, EPOCHS, pair=pair),
            50 if optimizer.exact_map else 5,  # a median of 5 sub-millisecond calls swung ±25 %
            target,
        )
        if optimizer.name == "adam":
            print_floor(len(runs), train_seconds)


def main() -> int:
    np.ones(1_000_000)  # freed at once: glibc keeps freed blocks, as in a running server
    sweeps()
    tuning()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
