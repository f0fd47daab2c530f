"""`records` gives what `DataFrame.to_dict("records")` gives: the same values of the same types."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from ui.plain.records import records

FLOATS = st.floats(allow_nan=True, allow_infinity=True, width=64)
TEXT = st.one_of(st.none(), st.text(max_size=6))
KINDS = {
    "float": lambda n: st.lists(FLOATS, min_size=n, max_size=n).map(
        lambda v: np.array(v, dtype=float)
    ),
    "int": lambda n: st.lists(st.integers(-(2**62), 2**62), min_size=n, max_size=n).map(
        lambda v: np.array(v, dtype=np.int64)
    ),
    "bool": lambda n: st.lists(st.booleans(), min_size=n, max_size=n).map(
        lambda v: np.array(v, dtype=bool)
    ),
    "str": lambda n: st.lists(TEXT, min_size=n, max_size=n).map(
        lambda v: pd.array(v, dtype=pd.StringDtype(na_value=np.nan))
    ),
    "category": lambda n: st.lists(st.sampled_from(["a", "b", "c"]), min_size=n, max_size=n).map(
        lambda v: pd.Categorical(v, categories=["c", "a", "b"])
    ),
    "object": lambda n: st.lists(st.one_of(st.none(), FLOATS, TEXT), min_size=n, max_size=n).map(
        lambda v: np.array(v, dtype=object)
    ),
}


def _typed(rows: list[dict]) -> list[list[tuple]]:
    """Each cell as (name, type, value), NaN made comparable."""
    return [
        [
            (name, type(value), "nan" if isinstance(value, float) and math.isnan(value) else value)
            for name, value in row.items()
        ]
        for row in rows
    ]


@st.composite
def frames(draw) -> pd.DataFrame:
    n = draw(st.integers(0, 12))
    kinds = draw(st.lists(st.sampled_from(sorted(KINDS)), min_size=0, max_size=6))
    names = ["rule", "lr", "η", "show", "a", "b"][: len(kinds)]
    return pd.DataFrame(
        {name: draw(KINDS[kind](n)) for name, kind in zip(names, kinds, strict=True)}
    )


@settings(max_examples=150, deadline=None)
@given(frames())
def test_records_are_to_dicts_records(frame):
    assert _typed(records(frame)) == _typed(frame.to_dict("records"))


def test_a_pages_table_reads_the_same():
    from ui.compute import comparison
    from ui.compute.runs import load_dataset
    from ui.config import Config, DataSpec, TrainSpec
    from ui.plain.strategies import default_strategies

    config = Config(DataSpec(), TrainSpec())
    data = load_dataset(config.data)
    _, table = comparison.results(config, default_strategies(config.train, data), data)
    assert len(table) > 1
    assert _typed(records(table)) == _typed(table.to_dict("records"))
