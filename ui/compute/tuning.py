"""Compare's "tune each": every strategy's own best rate (or pair) on a log grid, cached.

Keyed on the frozen config, the strategies and the metric; the rerun's dataset comes in as
`_data`. gd_core.tune does the work (vectorised over the grid); this picks, per strategy,
whether it tunes one rate or a pair, and what its cost would be.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import gd_core as gd
from ui import registry
from ui.compute import sizes
from ui.compute.class_cache import class_cache
from ui.config import Config, TrainSpec, batch_size, build_optimizer
from ui.plain.budget import BUDGET_SECONDS, TooMuchWork, estimated_seconds
from ui.plain.strategies import Strategy

METRICS = registry.TUNE_METRICS  # what "Best by" offers (the link notice reads it there too)
# A stepped grid costs about 30 µs an epoch for a single rate's 40 points, 50 µs for a pair's
# 20 × 20 (NumPy's per-call overhead, then the cells); plain GD's exact grids cost nothing.
SINGLE_EPOCH_SECONDS, PAIR_EPOCH_SECONDS = 30e-6, 50e-6


@dataclass(frozen=True)
class Tuned:
    strategy: Strategy  # with its tuned rates
    pair: bool
    grid: int  # rates tried (pairs for a pair)
    # (lowest, highest, how many) of the η_k and the η_b tried: the same for a single rate
    k_rates: tuple[float, float, int] = (0.0, 0.0, 0)
    b_rates: tuple[float, float, int] = (0.0, 0.0, 0)
    points: int = 0  # of the log grid, per axis (gd_core.Tuning.points)


def _pair(spec: TrainSpec) -> bool:
    """A strategy with two different rates is tuned as a pair, one with one rate as one."""
    return spec.lr_k != spec.lr_b


def _epochs(spec: TrainSpec, metric: str, at: int) -> int:
    return at if metric == "loss_at" else spec.epochs


def tuning_seconds(data: gd.Dataset, strategies: list[Strategy], metric: str, at: int) -> float:
    """About how long tuning every strategy takes."""
    total = 0.0
    for strategy in strategies:
        spec = replace(strategy.spec, epochs=_epochs(strategy.spec, metric, at))
        points = gd.tuning.PAIR_POINTS**2 if _pair(spec) else gd.tuning.SINGLE_POINTS
        one_by_one = spec.standardize or batch_size(spec) is not None
        if one_by_one:
            total += points * estimated_seconds(data, [spec])
        elif not build_optimizer(spec).exact_map:
            per_epoch = PAIR_EPOCH_SECONDS if _pair(spec) else SINGLE_EPOCH_SECONDS
            total += spec.epochs * per_epoch
    return total


def check_tuning_budget(data: gd.Dataset, strategies: list[Strategy], metric: str, at: int) -> None:
    needed = tuning_seconds(data, strategies, metric, at)
    if needed > BUDGET_SECONDS:
        epochs = _epochs(strategies[0].spec, metric, at)
        raise TooMuchWork(
            f"Tuning {len(strategies)} strategies on their grids over {epochs:,} epochs would "
            f"take about {needed:,.1f} s, more than the {BUDGET_SECONDS:g} s a page may take. "
            "Choose fewer epochs (or an earlier epoch for the loss), fewer strategies, or full "
            "batch.",
            max(1, int(epochs * BUDGET_SECONDS / needed)),
            mini_batch=any(batch_size(s.spec) is not None for s in strategies),
            epochs_key="tune_at" if metric == "loss_at" else "epochs",
        )


@class_cache(sizes.VIEW_BYTES, spinner="Tuning each strategy's rate on its grid…")
def tuned(
    config: Config, strategies: list[Strategy], metric: str, at: int, _data: gd.Dataset
) -> list[Tuned]:
    data = _data
    out = []
    for strategy in strategies:
        spec = strategy.spec
        pair = _pair(spec)
        result = gd.tune(
            data,
            build_optimizer(spec),
            _epochs(spec, metric, at),
            pair=pair,
            metric="epochs" if metric == "epochs" else "loss",
            init=(spec.k0, spec.b0),
            batch_size=batch_size(spec),
            standardize=spec.standardize,
        )
        lr_k, lr_b = result.lr
        chosen = replace(strategy, spec=replace(spec, lr_k=lr_k, lr_b=lr_b))
        k, b = result.lr_k_values, result.lr_b_values
        out.append(
            Tuned(
                chosen,
                pair,
                k.size * (b.size if pair else 1),
                (float(k[0]), float(k[-1]), k.size),
                (float(b[0]), float(b[-1]), b.size),
                result.points,
            )
        )
    return out
