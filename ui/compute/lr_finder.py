"""The LR-finder page's computation: range tests per seed, fastai's suggestions, their grades.

Keyed on the frozen config and the page's choices; the rerun's dataset comes in as `_data`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import gd_core as gd
from gd_core.standardize import standardized_start
from ui.compute import sizes
from ui.compute.class_cache import class_cache
from ui.config import Config, batch_size
from ui.plain.views import FinderView

EXACT_NAMES = ("largest stable 2/λ_max", "fastest 2/(λ_min + λ_max)")


@class_cache(sizes.VIEW_BYTES)
def finder_view(
    config: Config, lr_min: float, lr_max: float, steps: int, seeds: int, _data: gd.Dataset
) -> FinderView:
    data, spec = _data, config.train
    batch = batch_size(spec)
    if batch is None or batch >= data.n:
        seeds = 1  # full batch: every seed gives the same curve
    init = (spec.k0, spec.b0)
    if spec.standardize:  # the sidebar's runs train on z = (x − x̄)/std(x): so does the test
        init = standardized_start(data, init)
        data = gd.standardized(data)
    tests = [
        gd.lr_range_test(data, lr_min, lr_max, steps, batch, seed, init) for seed in range(seeds)
    ]
    curve = pd.concat([_curve(seed, test) for seed, test in enumerate(tests)], ignore_index=True)
    exact = gd.analyze(data)
    found = [gd.suggest(test) for test in tests]
    # Each mark sits at the rate its rule suggests, on the curve. fastai marks `minimum` at the
    # lowest point it read and suggests a tenth of that rate: the chart drew the triangle 10×
    # right of the table's rate, so the lowest point is drawn apart (`read_low`).
    marks = pd.DataFrame(
        [
            {
                "rule": name,
                "lr": s.lr,
                "point_lr": s.lr,
                "point_loss": gd.lr_suggestions.loss_at(tests[0], s.lr),
            }
            for name, s in found[0].items()
            if s is not None
        ],
        columns=["rule", "lr", "point_lr", "point_loss"],
    )
    marks["label"] = _labels(marks)
    low = found[0]["minimum"]
    rows = []
    # Epochs to converge are judged in k and b of the original x (train() maps a standardised
    # run back), which the modes of the standardised problem do not give: there, ρ alone.
    settle = None if spec.standardize else init
    for name in gd.lr_suggestions.RULES:
        rates = [each[name].lr for each in found if each[name] is not None]
        rows.append(_grade_row(data, name, rates, settle, seeds))
    for name, value in zip(EXACT_NAMES, (exact.max_stable_lr, exact.best_lr), strict=True):
        rows.append(_grade_row(data, f"exact: {name}", [value], settle, 1))
    return FinderView(
        curve=curve,
        suggestions=marks,
        grades=pd.DataFrame(rows),
        exact=pd.DataFrame({"name": EXACT_NAMES, "lr": [exact.max_stable_lr, exact.best_lr]}),
        seeds=seeds,
        stopped=tuple(test.stopped_at for test in tests),
        limit=exact.max_stable_lr,
        best=exact.best_lr,
        read=gd.lr_suggestions.read_span(tests[0]),
        lowest=gd.lr_suggestions.lowest(tests[0]),
        read_low=None if low is None else low.point,
        kappa=exact.condition_number,
        standardized=spec.standardize,
    )


def _curve(seed: int, test: gd.RangeTest) -> pd.DataFrame:
    """One test's steps; `read` marks those fastai's rules read (not the first tenth, not
    the last 5)."""
    start, stop = gd.lr_suggestions.read_span(test)
    steps = np.arange(len(test.lrs))
    return pd.DataFrame(
        {
            "seed": seed,
            "step": steps,
            "lr": test.lrs,
            "loss": test.losses,
            "read": (steps >= start) & (steps < stop),
        }
    )


def _labels(marks: pd.DataFrame) -> list[str]:
    """Each mark's text on the chart: rules that mark the same point share one label ("valley,
    steep") on the first of them, so their names are not printed over each other."""
    # In Python: a handful of rows, where a pandas groupby and transform took 0.5 ms.
    points = list(zip(marks["point_lr"].tolist(), marks["point_loss"].tolist(), strict=True))
    rules: dict[tuple[float, float], list[str]] = {}
    for point, rule in zip(points, marks["rule"].tolist(), strict=True):
        rules.setdefault(point, []).append(rule)
    labels = []
    for point in points:
        labels.append(", ".join(rules.pop(point)) if point in rules else "")
    return labels


def _grade_row(
    data: gd.Dataset,
    rule: str,
    rates: list[float],
    init: tuple[float, float] | None,
    seeds: int,
) -> dict:
    """A rule's suggestions over the seeds, graded by their median; None where it had none.
    Epochs to converge from `init`, none without one."""
    if not rates:
        return {"rule": rule, "lr": np.nan, "of_limit": np.nan, "of_best": np.nan}
    lr = float(np.median(rates))
    grade = gd.grade(data, lr)
    settles = None if init is None else gd.analyze(data, (lr, lr), init=init).predicted_epochs
    converging = sum(gd.grade(data, rate).converges for rate in rates)
    return {
        "rule": rule,
        "lr": lr,
        "lr_low": min(rates),
        "lr_high": max(rates),
        "of_limit": grade.of_limit,
        "of_best": grade.of_best,
        "radius": grade.radius,
        "settles": np.nan if settles is None else settles,
        "converging": f"{converging} of {len(rates)}"
        if seeds > 1
        else ("yes" if converging else "no"),
    }
