"""gd_core against the naive per-epoch NumPy loop a learner writes, measured in one run.

    python benchmarks/bench_core.py

Prints each figure as a ratio with its target and exits 1 if any misses it. Timings are medians
of several repeats; where the naive loop would take minutes it is timed on fewer epochs and
extrapolated linearly (its cost per epoch is constant). The Dataset's one-off O(n) pass over the
points is timed apart: it is paid once per dataset, not per run.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from math import sqrt

import numpy as np
from measure import median_seconds, paired_seconds, report, summary

import gd_core as gd


def naive_full_batch(x: np.ndarray, y: np.ndarray, lr: float, epochs: int) -> None:
    k = b = 0.0
    for _ in range(epochs):
        r = k * x + b - y
        k -= lr * 2 * np.mean(x * r)
        b -= lr * 2 * np.mean(r)
        np.mean(r * r)  # the learner records the loss each epoch too


def naive_mini_batch(x: np.ndarray, y: np.ndarray, lr: float, epochs: int, batch: int) -> None:
    k = b = 0.0
    rng = np.random.default_rng(0)
    for _ in range(epochs):
        order = rng.permutation(len(x))
        for start in range(0, len(x), batch):
            idx = order[start : start + batch]
            xb, yb = x[idx], y[idx]
            r = k * xb + b - yb
            k -= lr * 2 * np.mean(xb * r)
            b -= lr * 2 * np.mean(r)
        np.mean((k * x + b - y) ** 2)


def floor_adagrad(h: tuple[float, float, float], dk: float, db: float, epochs: int) -> list:
    """The least a pure-Python AdaGrad loop does for a trajectory: the rule on local floats."""
    h_kk, h_kb, h_bb, lr, eps = *h, 0.1, 1e-10
    s_k = s_b = 0.0
    ks, bs = [], []
    for _ in range(epochs):
        g_k, g_b = h_kk * dk + h_kb * db, h_kb * dk + h_bb * db
        s_k += g_k * g_k
        s_b += g_b * g_b
        dk -= lr * g_k / (sqrt(s_k) + eps)
        db -= lr * g_b / (sqrt(s_b) + eps)
        ks.append(dk)
        bs.append(db)
    return [ks, bs]


def floor_rmsprop(h: tuple[float, float, float], dk: float, db: float, epochs: int) -> list:
    h_kk, h_kb, h_bb, lr, alpha, eps = *h, 0.01, 0.99, 1e-8
    rest = 1 - alpha
    v_k = v_b = 0.0
    ks, bs = [], []
    for _ in range(epochs):
        g_k, g_b = h_kk * dk + h_kb * db, h_kb * dk + h_bb * db
        v_k = alpha * v_k + rest * g_k * g_k
        v_b = alpha * v_b + rest * g_b * g_b
        dk -= lr * g_k / (sqrt(v_k) + eps)
        db -= lr * g_b / (sqrt(v_b) + eps)
        ks.append(dk)
        bs.append(db)
    return [ks, bs]


def floor_adam(h: tuple[float, float, float], dk: float, db: float, epochs: int) -> list:
    """Adam's floor: six floats of state (two moments each, β1^t, β2^t), two square roots."""
    h_kk, h_kb, h_bb, lr, beta1, beta2, eps = *h, 0.01, 0.9, 0.999, 1e-8
    rest1, rest2 = 1 - beta1, 1 - beta2
    m_k = m_b = v_k = v_b = 0.0
    beta1_t = beta2_t = 1.0
    ks, bs = [], []
    for _ in range(epochs):
        g_k, g_b = h_kk * dk + h_kb * db, h_kb * dk + h_bb * db
        m_k = beta1 * m_k + rest1 * g_k
        m_b = beta1 * m_b + rest1 * g_b
        v_k = beta2 * v_k + rest2 * g_k * g_k
        v_b = beta2 * v_b + rest2 * g_b * g_b
        beta1_t *= beta1
        beta2_t *= beta2
        dk -= lr * m_k / (1 - beta1_t) / (sqrt(v_k / (1 - beta2_t)) + eps)
        db -= lr * m_b / (1 - beta1_t) / (sqrt(v_b / (1 - beta2_t)) + eps)
        ks.append(dk)
        bs.append(db)
    return [ks, bs]


def adaptive_floor() -> None:
    """train() for the adaptive rules against the least a pure-Python loop of the rule costs.

    The floor computes the same trajectory (δk and δb after every epoch) from the Hessian, with
    nothing but the rule on local floats; train() adds its losses, divergence checks and the
    verdict. Ratio = train() time / floor time, 1e5 epochs each, the fastest of 15 each, timed
    in alternation in the same run.
    """
    epochs = 100_000
    print(f"Adaptive rules, full batch, {epochs:,} epochs: train() / minimal pure-Python loop")
    data = gd.make_dataset(1_000, 2.0, 1.0, 1.0)
    (h_kk, h_kb), (_, h_bb) = gd.hessian(data).tolist()
    start = (-data.slope_ols, -data.intercept_ols)
    rules = {
        "adagrad": (gd.adagrad(0.1), floor_adagrad),
        "rmsprop": (gd.rmsprop(0.01), floor_rmsprop),
        "adam": (gd.adam(0.01), floor_adam),
    }
    for name, (optimizer, floor) in rules.items():
        ours, least, ratio = paired_seconds(
            lambda o=optimizer: gd.train(data, o, epochs),
            lambda f=floor: f((h_kk, h_kb, h_bb), *start, epochs),
            15,
        )
        per_epoch = f"{ours * 1e6 / epochs:.2f} vs {least * 1e6 / epochs:.2f} µs/epoch"
        report(f"{name} ({per_epoch})", ratio, 1.5, higher_is_better=False)


def full_batch_speed() -> None:
    epochs = 100_000
    print(f"Full batch, n = 1e6, {epochs:,} epochs (ratio = naive time / gd_core time)")
    data_start = time.perf_counter()
    data = gd.make_dataset(1_000_000, 2.0, 1.0, 1.0)
    print(f"  (make_dataset + centred sums, once: {time.perf_counter() - data_start:.3f} s)")
    naive_epochs = 20
    per_epoch = median_seconds(lambda: naive_full_batch(data.x, data.y, 0.01, naive_epochs), 3)
    naive = per_epoch / naive_epochs * epochs
    print(
        f"  naive loop: {per_epoch / naive_epochs * 1e3:.2f} ms/epoch → {naive:.0f} s extrapolated"
    )
    optimizers = {
        "sgd": (gd.sgd(0.01), 20_000),
        "momentum": (gd.momentum(0.001), 20_000),
        "nesterov": (gd.nesterov(0.001), 20_000),
        "adagrad": (gd.adagrad(0.1), 3_000),
        "rmsprop": (gd.rmsprop(0.01), 3_000),
        "adam": (gd.adam(0.01), 3_000),
    }
    for name, (optimizer, target) in optimizers.items():
        seconds = median_seconds(lambda o=optimizer: gd.train(data, o, epochs), 5)
        report(f"{name} ({seconds * 1e6 / epochs:.2f} µs/epoch)", naive / seconds, target)


def independence_of_n() -> None:
    print("Cost independent of n: time at n = 1e6 / time at n = 1e3, 1e5 epochs")
    small, large = (gd.make_dataset(n, 2.0, 1.0, 1.0) for n in (1_000, 1_000_000))
    for optimizer in (gd.sgd(0.01), gd.adam(0.01)):
        times = [
            median_seconds(lambda d=d, o=optimizer: gd.train(d, o, 100_000), 5)
            for d in (small, large)
        ]
        report(f"{optimizer.name}", times[1] / times[0], 1.5, higher_is_better=False)


def mini_batch_speed() -> None:
    print("Mini-batch, n = 1e4, batch 32, 100 epochs (ratio = naive per-batch loop / gd_core)")
    data = gd.make_dataset(10_000, 2.0, 1.0, 1.0)
    naive = median_seconds(lambda: naive_mini_batch(data.x, data.y, 0.001, 100, 32), 3)
    print(f"  naive plain-SGD loop: {naive:.3f} s")
    ours = median_seconds(lambda: gd.train(data, gd.sgd(0.001), 100, batch_size=32), 5)
    report(f"sgd ({ours:.3f} s)", naive / ours, 10)
    # No target: their steps do more work than the naive loop's plain SGD step does.
    for optimizer in (gd.momentum(0.001), gd.adam(0.001)):
        ours = median_seconds(lambda o=optimizer: gd.train(data, o, 100, batch_size=32), 5)
        ratio = f"{naive / ours:.1f}"
        print(f"  {optimizer.name + f' ({ours:.3f} s), for comparison':<58} {ratio:>12}")


def _cpu_seconds(work, repeats: int) -> float:
    """The least CPU time of `repeats` runs of `work`: on a shared, loaded machine the wall
    clock also counts the time other processes held the core."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return min(times)


def schedule_costs() -> None:
    """What the schedules cost per full-batch epoch, and reduce-on-plateau's extra cost (it
    reads the loss after every epoch, inside the loop) against the figure the work budget adds
    for it (ui/registry/optimizers.py): a ratio above 1 would let the budget underestimate."""
    from ui import registry

    epochs = 100_000
    budget = registry.SCHEDULES["plateau"].extra_microseconds
    print(
        f"Schedules, full batch, {epochs:,} epochs, CPU time: plateau's extra µs/epoch / budget's"
    )
    data = gd.make_dataset(1_000, 2.0, 1.0, 1.0)
    for factory in (gd.sgd, gd.adam):
        plain, plateau, one_cycle = (
            factory(0.01, schedule=schedule)
            for schedule in (gd.constant(), gd.reduce_on_plateau(), gd.one_cycle(epochs))
        )
        base, ours, cycle = (
            _cpu_seconds(lambda o=optimizer: gd.train(data, o, epochs), 5) * 1e6 / epochs
            for optimizer in (plain, plateau, one_cycle)
        )
        what = f"{plain.name}: +{ours - base:.2f} µs (scheduled {base:.2f}, one-cycle {cycle:.2f})"
        report(what, (ours - base) / budget, 1.0, higher_is_better=False)


def peak_memory() -> None:
    print("Peak memory of a 1e6-epoch run, MB (tracemalloc: every NumPy and Python allocation)")
    data = gd.make_dataset(1_000, 2.0, 1.0, 1.0)
    for optimizer in (gd.sgd(0.01), gd.momentum(0.001), gd.adam(0.01)):
        tracemalloc.start()
        gd.train(data, optimizer, 1_000_000)
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        report(optimizer.name, peak, 100, higher_is_better=False)


def main() -> int:
    full_batch_speed()
    adaptive_floor()
    independence_of_n()
    mini_batch_speed()
    schedule_costs()
    peak_memory()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
