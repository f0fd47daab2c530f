"""The Sweeps and LR-finder sentences read their tables in NumPy: the same words as pandas gives.

Each reference below is the pandas code the sentence was first written with."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from ui.plain import sweep_text

OUTCOMES = ["converged", "diverged", "moving away", "not converged", None]


def _missing_by_pandas(outcomes: pd.Series, epochs: int | None) -> str:
    counts = outcomes[outcomes != "converged"].value_counts()
    words = {
        outcome: sweep_text.MISSING.get(outcome, outcome).format(epochs=epochs)
        if epochs is not None
        else outcome
        for outcome in counts.index
    }
    return ", ".join(f"{count} {words[outcome]}" for outcome, count in counts.items())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(OUTCOMES), max_size=40), st.sampled_from([None, 1, 450]))
def test_missing_counts_as_value_counts_does(outcomes, epochs):
    column = pd.Series(pd.array(outcomes, dtype=pd.StringDtype(na_value=np.nan)))
    expected = _missing_by_pandas(column, epochs)
    assert sweep_text._missing(column.to_numpy(dtype=object), epochs) == expected


def _closest_by_pandas(grades: pd.DataFrame) -> str:
    rated = grades.dropna(subset=["of_best"])
    if rated.empty:
        return sweep_text.closest(grades)  # the fixed sentence, checked below apart
    distance = np.abs(np.log(rated["of_best"].to_numpy()))
    near, far = rated.iloc[int(np.argmin(distance))], rated.iloc[int(np.argmax(distance))]
    text = (
        f"On your data **{near['rule']}** lands nearest the fastest single rate "
        f"(×{near['of_best']:.3g} of it)"
    )
    if far["rule"] != near["rule"]:
        text += f", **{far['rule']}** farthest (×{far['of_best']:.3g})"
    unstable = rated[rated["of_limit"] >= 1.0]
    if not unstable.empty:
        names = ", ".join(unstable["rule"])
        text += f"; {names} suggest{'s' if len(unstable) == 1 else ''} a rate at or past 2/λ_max, "
        text += "where plain gradient descent does not converge"
    return text + "."


RATIO = st.one_of(st.just(np.nan), st.floats(1e-3, 1e3))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(RATIO, RATIO), min_size=1, max_size=6))
def test_closest_reads_the_grades_as_pandas_does(pairs):
    rules = ["valley", "steep", "minimum", "slide", "exact: largest stable 2/λ_max", "exact"]
    grades = pd.DataFrame(
        {
            "rule": pd.array(rules[: len(pairs)], dtype=pd.StringDtype(na_value=np.nan)),
            "of_limit": [limit for limit, _ in pairs],
            "of_best": [best for _, best in pairs],
        }
    )
    assert sweep_text.closest(grades) == _closest_by_pandas(grades)
    if grades["of_best"].isna().all():
        assert sweep_text.closest(grades).startswith("No rule could read this curve")
