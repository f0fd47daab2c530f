"""Sweeps and tuning against training every point with train() one by one, in one run.

    python benchmarks/bench_sweeps.py

On the default data (100 points, k = 2, b = 1, σ = 1). Sweeps: 100 values of one setting,
1,000 epochs each: plain GD's single rate (exact, from the modes) and over datasets (noise σ,
stacked sums), Adam's rate (stepped together) and momentum's μ (every run's closed form at
once, as train() runs one). Tuning: Compare's grids, 40 single rates and 20 × 20 pairs, against
training every grid point. The one-by-one times cover
every point once; the vectorised ones are medians. Both are this process's CPU time, not wall
time: five engineers share this machine's two cores, and wall-clock ratios swung tenfold between
runs. Targets (issue 17): at least 100× for plain GD, 20× for stepped sweeps.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

import numpy as np
from measure import report, summary

import gd_core as gd

DATA = gd.make_dataset(100, 2.0, 1.0, 1.0)
EPOCHS = 1_000
POINTS = 100
LIMIT = gd.analyze(DATA).max_stable_lr


def cpu_seconds(work: Callable[[], object], repeats: int) -> float:
    """The median CPU time of `work` in this process."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return statistics.median(times)


def one_by_one(runs: list[tuple[gd.Dataset, gd.Optimizer]], epochs: int) -> None:
    for data, optimizer in runs:
        gd.train(data, optimizer, epochs)


def compare(what: str, runs, vectorised, repeats: int, target: float, epochs=EPOCHS) -> None:
    separate = cpu_seconds(lambda: one_by_one(runs, epochs), 3)
    together = cpu_seconds(vectorised, repeats)
    print(f"  {what}:\n    train() one by one {separate:.3f} s; at once {together * 1e3:.2f} ms")
    report(what, separate / together, target)


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
        20,
        100,
    )
    # Stepping costs about 6–8 µs an epoch for the whole sweep: Adam's update, bit for bit
    # train()'s, is 14 NumPy calls (packed.py) at about 0.35 µs each, NumPy's floor for arrays
    # this small; one run of train() costs about 0.5 µs an epoch in Python floats. The ratio
    # grows with the points.
    for points in (POINTS, 1_000):
        adam_rates = np.geomspace(1e-3, 10.0, points)
        compare(
            f"Adam, {points:,} single rates, {EPOCHS:,} epochs (stepped together)",
            [(DATA, gd.adam(rate)) for rate in adam_rates],
            lambda adam_rates=adam_rates: gd.sweep(DATA, "lr", adam_rates, "adam", EPOCHS),
            5,
            20,
        )
    mus = np.linspace(0.0, 0.99, POINTS)
    compare(
        f"momentum, {POINTS} values of μ, {EPOCHS:,} epochs (closed forms)",
        [(DATA, gd.momentum(0.01, mu)) for mu in mus],
        lambda: gd.sweep(DATA, "momentum", mus, "momentum", EPOCHS, lr=0.01),
        5,
        20,
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
        compare(
            f"tune {name}",
            runs,
            lambda optimizer=optimizer, pair=pair: gd.tune(DATA, optimizer, EPOCHS, pair=pair),
            5,
            target,
        )


def main() -> int:
    np.ones(1_000_000)  # freed at once: glibc keeps freed blocks, as in a running server
    sweeps()
    tuning()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
