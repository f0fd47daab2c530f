"""Stability maps against training each cell with train() one by one, measured in one run.

    python benchmarks/bench_lab.py

A 100×100 grid of (η_k, η_b) around the stability boundary (gd_core.rate_grid) on the default
data, 1000 epochs. The one-by-one time covers every cell once; the map time is a median. Both
are this process's CPU time, as in bench_sweeps.py: five engineers share this machine's two
cores, and wall-clock ratios swung with their load.

glibc hands freed blocks of about 100 kB back to the kernel until the process has freed one
large block, after which it keeps them. The map's temporaries are that size, so its first calls
in a fresh process pay page faults that a running server, which has long freed large blocks,
does not. The headline ratio is measured after one such free; the fresh-process time is
printed beside it.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from measure import median_cpu_seconds, report, summary

import gd_core as gd

DATA = gd.make_dataset(100, 2.0, 1.0, 1.0)
EPOCHS = 1_000
LR_K, LR_B = gd.rate_grid(DATA, 100)
ROOT = Path(__file__).resolve().parents[1]
FRESH_PROCESS = """
import statistics, time
import gd_core as gd
data = gd.make_dataset(100, 2.0, 1.0, 1.0)
lr_k, lr_b = gd.rate_grid(data, 100)
times = []
for _ in range(50):
    start = time.process_time()
    gd.stability_map(data, lr_k, lr_b, 1000)
    times.append(time.process_time() - start)
print(statistics.median(times))
"""


def one_by_one(name: str) -> float:
    start = time.process_time()
    for rate_b in LR_B:
        for rate_k in LR_K:
            gd.train(DATA, gd.make_optimizer(name, (rate_k, rate_b)), EPOCHS)
    return time.process_time() - start


def plain_gd() -> None:
    print(f"Plain GD, 100×100 map, {EPOCHS:,} epochs (ratio = train() one by one / stability_map)")
    np.ones(1_000_000)  # freed at once: glibc now keeps freed blocks, as in a running server
    separate = one_by_one("sgd")
    together = median_cpu_seconds(lambda: gd.stability_map(DATA, LR_K, LR_B, EPOCHS), 200)
    command = [sys.executable, "-c", FRESH_PROCESS]
    fresh = float(subprocess.run(command, capture_output=True, check=True, cwd=ROOT).stdout)
    print(f"  train() one by one: {separate:.2f} s; map: {together * 1e3:.2f} ms")
    print(f"  (in a fresh process: {fresh * 1e3:.2f} ms, ratio {separate / fresh:,.0f})")
    report("plain GD map", separate / together, 1_000)


def adam() -> None:
    print(f"Adam, 100×100 map, {EPOCHS:,} epochs (ratio = train() one by one / stability_map)")
    separate = one_by_one("adam")
    together = median_cpu_seconds(lambda: gd.stability_map(DATA, LR_K, LR_B, EPOCHS, "adam"), 5)
    print(f"  train() one by one: {separate:.2f} s; map: {together:.3f} s")
    report("Adam map", separate / together, 30)


def main() -> int:
    plain_gd()
    adam()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
