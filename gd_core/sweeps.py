"""One setting swept over a range of values: how each run ends, for every value at once.

A sweep is many runs that differ in one setting: the rate (one for both parameters), the ratio
η_b/η_k, a hyperparameter (μ, β1, β2), the batch size, or the data itself (noise σ, n, an
offset of x: `sweep_datasets`). Every point means what `train()` reports for its setting:
`epochs_to_converge` is its `converged_at`, `final_loss` its last loss, and so on.

Full-batch runs share the stability map's engines (sweep.py): plain GD at a constant rate
follows from its two modes per coordinate without stepping, at any epoch count; every other
optimizer steps all points together on one (2, points) array, its hyperparameters an array of
one value per point where they are swept. Runs on different datasets differ only through a few
sums (a `Stack` of them), so they step together too. Mini-batch runs cannot share steps (each
batch size cuts its own batches), so they are trained one by one with `train()`.

The verdicts are train()'s at the edges too: a start at the optimum stays there whatever the
rate (no 0·∞ from overflowing powers), a rate of 0 leaves its parameter where it starts, and
a stepped run is "diverging" exactly when train()'s trend rule says so (outcomes.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import repeat
from operator import attrgetter
from typing import Any

import numpy as np

from gd_core.data import Dataset
from gd_core.descent import mini_batch_size
from gd_core.optimizers import Optimizer, make_optimizer
from gd_core.outcomes import judged_outcomes
from gd_core.progress import progress
from gd_core.run import Run
from gd_core.training import train
from gd_core.verdict import DEFAULT_TOL

# What `sweep` can vary; the data (noise σ, n, x offset) is swept by `sweep_datasets`.
SETTINGS = ("lr", "lr_ratio", "momentum", "beta1", "beta2", "batch_size")
# The rounding per epoch a final loss from the modes or a closed form may differ from train()'s
# by, relative to the larger of the run's start and final loss (the `Sweep` docstring).
LOSS_ROUNDING = 1e-12
_PACKED_SUMS = attrgetter("packed_sums")


@dataclass(frozen=True, eq=False)
class Stack:
    """The sums of several datasets, one per run, as arrays: what the engines read of a
    Dataset (its mean and spread of x, its least-squares line and floor)."""

    x_mean: np.ndarray
    x_var: np.ndarray
    slope_ols: np.ndarray
    intercept_ols: np.ndarray
    loss_ols: np.ndarray
    # One of the datasets when all share x's mean and spread (a noise sweep: the same x, new
    # noise in y): then every run has the same Hessian, and the same modes at one pair of rates.
    one_x: Dataset | None = None

    @classmethod
    def of(cls, datasets: Sequence[Dataset]) -> Stack:
        # One buffer of every dataset's packed sums (map: no generator's frames), each row
        # contiguous after the transpose.
        packed = b"".join(map(_PACKED_SUMS, datasets))
        sums = np.frombuffer(packed, np.float64).reshape(-1, 5).T.copy()
        x_sums = sums[:2]
        shared = not np.count_nonzero(x_sums != x_sums[:, :1])
        return cls(*sums, one_x=datasets[0] if shared else None)

    def take(self, runs: np.ndarray) -> Stack:
        """The sums of the chosen datasets only."""
        return Stack(*(values[runs] for values in self.sums), one_x=self.one_x)

    @property
    def sums(self) -> tuple[np.ndarray, ...]:
        return (self.x_mean, self.x_var, self.slope_ols, self.intercept_ols, self.loss_ols)

    @cached_property  # read by the thresholds and the modes alike: worked out once
    def x_sq_mean(self) -> np.ndarray:
        return self.x_var + self.x_mean * self.x_mean  # as Dataset.x_sq_mean, elementwise


@dataclass(frozen=True, eq=False)
class Sweep:
    """How each run of a sweep ended, one entry per value of the swept `setting`.

    `final_loss` is the loss after the last epoch (NaN where the run diverged);
    `epochs_to_converge` the epoch train() reports as converged_at (NaN where it is None);
    `diverging` where train() says "diverging": for a linear update at a constant rate on the
    full batch ρ > 1, for every other run train()'s trend rule on its losses (verdict.py);
    `spectral_radius` that of each run's transition matrix for a linear update at a constant
    rate on the full batch (the exact theory of plain GD, momentum and Nesterov), else NaN;
    `exact` says the runs came from the modes without stepping (plain GD at a constant rate).

    Epochs to converge are train()'s: from the modes and closed forms too, which read |δ| as
    train() reads |θ − θ*| (verdict.read_thresholds). Only a tie can part them, by one epoch:
    a run whose distance at the deciding epoch is, in exact arithmetic, the threshold itself,
    to within half a spacing of the floats around θ*, where the last bit of each trajectory
    decides (η_b = 0.45 on x = −2 … 2, y = 2x + 1 from b = 0: |δb_3| = 0.1³ = 0.001 = the
    threshold; test_sweep_verdicts.py holds such a tie to it).

    Stepped runs (every optimizer but plain GD, momentum and Nesterov at a constant rate, and
    every mini-batch run) are train()'s own floats: their final loss is train()'s bit for bit.
    Runs from the modes or the closed form compute the same trajectory in another order, so
    their final loss is train()'s to within the rounding both accumulate, which grows with the
    epochs: |final_loss − train()'s| ≤ LOSS_ROUNDING·(epochs + 1)·max(its start's loss, its
    final loss) (tests/core/test_sweep_brute_force.py holds every point to it, to 100,000
    epochs; the largest seen in 3,000 random sweeps was 23 times below it).
    """

    setting: str
    values: np.ndarray
    optimizer: str
    epochs: int
    final_loss: np.ndarray
    diverged: np.ndarray
    diverging: np.ndarray
    epochs_to_converge: np.ndarray
    spectral_radius: np.ndarray
    exact: bool
    # Each converged point checked as a single run's banner checks it: True where its last
    # stay in the band is too short to show that it stays (progress.late_settlers, "not shown
    # to stay"). From the runs themselves when trained one by one (mini-batches); from the
    # stays read while stepping (chunks.ChunkVerdict) or, for a linear rule, from every epoch
    # of the orbits that converged past half the run, the only ones that can be late
    # (outcomes._late; not walked beyond outcomes.TRAINED epochs). None for a Sweep built
    # by hand.
    late: np.ndarray | None = None


def _values(values: Any, setting: str) -> np.ndarray:
    points = np.asarray(values, dtype=np.float64)
    if points.ndim != 1 or points.size == 0 or not np.isfinite(points).all():
        raise ValueError(f"The values of {setting} must be a non-empty list of finite numbers.")
    low_ok = points >= 0 if setting == "momentum" else points > 0
    if setting in ("beta1", "beta2"):
        low_ok = (points >= 0) & (points < 1)
    if not low_ok.all():
        allowed = {"momentum": "≥ 0", "beta1": "in [0, 1)", "beta2": "in [0, 1)"}
        raise ValueError(f"Every value of {setting} must be {allowed.get(setting, '> 0')}.")
    if setting == "batch_size" and not np.all(points == np.round(points)):
        raise ValueError("Batch sizes must be whole numbers.")
    return points


HYPERPARAMETERS = ("momentum", "beta1", "beta2")


def _rule(
    setting: str, value: Any, optimizer: Optimizer | str, lr: Any, hyper: dict[str, Any]
) -> Optimizer:
    """The update rule with the swept hyperparameter at `value`: one number, or an array of one
    per point (then one rule steps every point); its own rates are the unswept ones."""
    if isinstance(optimizer, Optimizer):
        if setting in HYPERPARAMETERS or hyper:
            raise TypeError(
                f"Sweeping {setting} rebuilds the optimizer: pass its name and its factory's "
                "keyword arguments."
            )
        return optimizer
    chosen = dict(hyper)
    if setting == "momentum":
        chosen["momentum"] = value
    elif setting in ("beta1", "beta2"):
        beta1, beta2 = chosen.get("betas", (0.9, 0.999))
        chosen["betas"] = (value, beta2) if setting == "beta1" else (beta1, value)
    return make_optimizer(optimizer, lr, **chosen)


def _rates(setting: str, values: np.ndarray, rule: Optimizer) -> np.ndarray:
    """(2, points): each point's η_k and η_b."""
    lr_k, lr_b = rule.learning_rate
    if setting == "lr":
        return np.array([values, values])
    if setting == "lr_ratio":
        return np.array([np.full_like(values, lr_k), lr_k * values])
    return np.array([np.full_like(values, lr_k), np.full_like(values, lr_b)])


def _point(
    setting: str,
    values: np.ndarray,
    index: int,
    optimizer: Optimizer | str,
    lr: Any,
    hyper: dict[str, Any],
) -> Optimizer:
    """Point `index`'s own optimizer, as train() would be given it."""
    value = float(values[index])
    rule = _rule(setting, value, optimizer, lr, hyper)
    pair = _rates(setting, values[index : index + 1], rule)[:, 0]
    return replace(rule, learning_rate=(float(pair[0]), float(pair[1])))


def sweep(
    data: Dataset,
    setting: str,
    values: Any,
    optimizer: Optimizer | str,
    epochs: int,
    *,
    lr: float | tuple[float, float] = 0.01,
    init: tuple[float, float] = (0.0, 0.0),
    tol: float = DEFAULT_TOL,
    batch_size: int | None = None,
    seed: int = 0,
    **hyper: Any,
) -> Sweep:
    """Train `optimizer` once per value of `setting` (one of SETTINGS) on `data`.

    "lr" is one rate for both parameters, "lr_ratio" is η_b/η_k with η_k = lr[0], "momentum",
    "beta1", "beta2" replace that hyperparameter, "batch_size" the batch size. `optimizer` is a
    name from OPTIMIZERS with `lr` and `hyper` for its factory, or, for the rate settings and
    the batch size, an Optimizer itself (its rates replaced by the swept ones for "lr").
    """
    if setting not in SETTINGS:
        raise ValueError(f"Unknown setting {setting!r}; choose one of {', '.join(SETTINGS)}.")
    points = _values(values, setting)
    rule = _rule(setting, points if setting in HYPERPARAMETERS else 0.0, optimizer, lr, hyper)
    one_by_one = setting == "batch_size" or mini_batch_size(data.n, batch_size) is not None
    if one_by_one:
        runs = [
            train(
                data,
                _point(setting, points, i, optimizer, lr, hyper),
                epochs,
                init,
                int(points[i]) if setting == "batch_size" else batch_size,
                seed,
                tol,
            )
            for i in range(points.size)
        ]
        return _from_runs(setting, points, rule.name, epochs, runs, [data] * len(runs))
    rates = _rates(setting, points, rule)
    rule_of = None
    if setting in HYPERPARAMETERS:  # a value per point: the chosen points' own rule

        def rule_of(chosen: np.ndarray) -> Optimizer:
            return _rule(setting, points[chosen], optimizer, lr, hyper)

    def retrain(i: int) -> Run:
        return train(data, _point(setting, points, i, optimizer, lr, hyper), epochs, init, tol=tol)

    points_of = (rule_of, retrain)
    return _full_batch(data, setting, points, rule, rates, epochs, init, tol, points_of)


def sweep_datasets(
    datasets: Sequence[Dataset],
    optimizer: Optimizer,
    epochs: int,
    *,
    values: Any = None,
    init: tuple[float, float] = (0.0, 0.0),
    tol: float = DEFAULT_TOL,
    batch_size: int | None = None,
    seed: int = 0,
) -> Sweep:
    """Train `optimizer` once on each dataset (noise σ, n or an offset of x swept), at once.

    `values` labels the points (the swept value of each dataset; 0, 1, … if not given).
    """
    if not datasets or not all(map(isinstance, datasets, repeat(Dataset))):  # no generator
        raise TypeError("datasets must be a non-empty sequence of gd_core.Dataset.")
    points = np.arange(len(datasets), dtype=float) if values is None else np.asarray(values, float)
    if points.shape != (len(datasets),):
        raise ValueError("values must hold one value per dataset.")
    # One by one as soon as any dataset is mini-batched (train() takes the others full batch).
    if mini_batch_size(max(data.n for data in datasets), batch_size) is not None:
        runs = [train(data, optimizer, epochs, init, batch_size, seed, tol) for data in datasets]
        return _from_runs("data", points, optimizer.name, epochs, runs, datasets)
    rates = np.repeat(np.array(optimizer.learning_rate)[:, np.newaxis], len(datasets), axis=1)
    stack = Stack.of(datasets)

    def retrain(i: int) -> Run:
        return train(datasets[i], optimizer, epochs, init, tol=tol)

    return _full_batch(stack, "data", points, optimizer, rates, epochs, init, tol, (None, retrain))


def _full_batch(
    data: Dataset | Stack,
    setting: str,
    points: np.ndarray,
    rule: Optimizer,
    rates: np.ndarray,
    epochs: int,
    init: tuple[float, float],
    tol: float,
    points_of: tuple[Callable[[np.ndarray], Optimizer] | None, Callable[[int], Run]],
) -> Sweep:
    """Every point's run on the full batch: from the modes for plain GD, else stepped.

    `rule` steps them all (`rates` (2, points)); `points_of` is (`rule_of`, `retrain`) as
    `outcomes` takes them. A linear
    update at a constant rate has each run's spectral radius, from its modes (plain GD) or its
    transition matrix (momentum, Nesterov: the matrices its closed form runs on), which says
    whether it is diverging; any other run is diverging by train()'s trend rule (outcomes.py).
    """
    exact = rule.exact_map
    single = exact and setting == "lr" and isinstance(data, Dataset)  # single_rate.py
    final_loss, diverged, diverging, converged, radius, late = judged_outcomes(
        data, points if single else None, rule, rates, epochs, init, tol, *points_of
    )
    return Sweep(
        setting,
        points,
        rule.name,
        int(epochs),
        final_loss=final_loss,
        diverged=diverged,
        diverging=diverging,
        epochs_to_converge=converged,
        spectral_radius=radius,
        exact=exact,
        late=late,
    )


def _from_runs(
    setting: str,
    points: np.ndarray,
    name: str,
    epochs: int,
    runs: list,
    datasets: Sequence[Dataset],
) -> Sweep:
    """A sweep of runs trained one by one (mini-batches), each on its dataset."""
    converged = [np.nan if run.converged_at is None else run.converged_at for run in runs]
    late = [
        run.converged_at is not None and bool(progress(data, run).late)
        for run, data in zip(runs, datasets, strict=True)
    ]
    return Sweep(
        setting=setting,
        values=points,
        optimizer=name,
        epochs=int(epochs),
        final_loss=np.array([np.nan if r.status == "diverged" else r.loss[-1] for r in runs]),
        diverged=np.array([run.status == "diverged" for run in runs]),
        diverging=np.array([run.status == "diverging" for run in runs]),
        epochs_to_converge=np.array(converged, dtype=float),
        spectral_radius=np.full(points.size, np.nan),
        exact=False,
        late=np.array(late, dtype=bool),
    )
