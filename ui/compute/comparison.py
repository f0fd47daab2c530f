"""The Compare page's editable strategy table and its tidy results."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import streamlit as st

import gd_core as gd
from ui.compute import keys, sizes
from ui.compute.runs import reduced_columns
from ui.config import Config
from ui.plain import verdicts
from ui.plain.strategies import Strategy, default_strategies

# Rows drawn per strategy. Nine curves in three charts are drawn from one table; past a few
# hundred points per curve the browser's drawing time grows and the picture does not change
# (the thinning keeps every early epoch and each later stretch's extremes).
CURVE_POINTS = 200


def render_strategy_editor(config: Config, data: gd.Dataset, tuned: bool = False) -> list[Strategy]:
    """A table of strategies with their rates; returns the ticked ones with the edited rates.

    When `tuned`, the rates are only where tuning starts (one rate or a pair) and are locked.
    """
    defaults = default_strategies(config.train, data)
    table = pd.DataFrame(
        {
            "show": True,
            "strategy": [s.label for s in defaults],
            "lr_k": [s.spec.lr_k for s in defaults],
            "lr_b": [s.spec.lr_b for s in defaults],
            "idea": [s.why for s in defaults],
        }
    )
    edited = st.data_editor(
        table,
        key="compare_strategies",
        hide_index=True,
        width="stretch",
        disabled=["strategy", "idea", *(["lr_k", "lr_b"] if tuned else [])],
        column_config=PINNED
        | {
            "show": st.column_config.CheckboxColumn("Show"),
            "lr_k": st.column_config.NumberColumn(
                "η_k", min_value=0.0, max_value=10.0, format="%.4g"
            ),
            "lr_b": st.column_config.NumberColumn(
                "η_b", min_value=0.0, max_value=10.0, format="%.4g"
            ),
        },
    )
    chosen = []
    for strategy, row in zip(defaults, edited.itertuples(index=False), strict=True):
        if row.show and pd.notna(row.lr_k) and pd.notna(row.lr_b):
            spec = replace(strategy.spec, lr_k=float(row.lr_k), lr_b=float(row.lr_b))
            chosen.append(replace(strategy, spec=spec))
    return chosen


def inputs(config: Config, strategies: list[Strategy]) -> tuple[object, ...]:
    """What `results` is computed from, as a comparable key (by fingerprints)."""
    return config.fingerprint, *(strategy.fingerprint for strategy in strategies)


@st.cache_data(
    hash_funcs=keys.SPECS,
    max_entries=sizes.CLASS_ENTRIES,
    max_size=sizes.VIEW_BYTES,
    show_spinner=False,
)
def results(
    config: Config, strategies: list[Strategy], _data: gd.Dataset
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Long-form curves (strategy, epoch, k, b, loss, excess) and a summary row per strategy;
    `_data` is `config`'s, and the caller has checked the budget for all the strategies."""
    columns = ["epoch", "k", "b", "loss", "excess"]
    parts: dict[str, list[np.ndarray]] = {name: [] for name in columns}
    labels, lengths, rows = [], [], []
    # In NumPy, not pandas: selecting rows and columns of each run's frame built a pandas
    # Index of the column names per strategy (pyarrow strings under pandas 3), about half of
    # a first visit's time, for the same numbers.
    for strategy in strategies:
        run, values = reduced_columns(replace(config, train=strategy.spec), _data)
        shown = gd.plot_indices([values[name] for name in ("k", "b", "excess")], CURVE_POINTS)
        for name in columns:
            parts[name].append(values[name][shown])
        labels.append(strategy.label)
        lengths.append(len(shown))
        rows.append(
            {
                "strategy": strategy.label,
                "η_k": strategy.spec.lr_k,
                "η_b": strategy.spec.lr_b,
                "outcome": verdicts.outcome(strategy.spec, run),
                "final k": values["k"][-1],
                "final b": values["b"][-1],
                "final loss": values["loss"][-1],
                "status": run.status,
                "converged_at": run.converged_at,
            }
        )
    if not rows:
        return pd.DataFrame(columns=["strategy", *columns]), pd.DataFrame(rows)
    # One frame of plain numbers, then the labels once: a string column per run, concatenated,
    # costs more than training the runs.
    curves = pd.DataFrame({name: np.concatenate(parts[name]) for name in columns})
    # By codes: the same categorical, without matching ~2,000 repeated strings to the labels.
    strategy = pd.Categorical.from_codes(np.repeat(np.arange(len(labels)), lengths), labels)
    curves.insert(0, "strategy", strategy)
    return curves, pd.DataFrame(rows)


# The strategy's name stays in view while a phone's narrow table scrolls sideways.
PINNED = {"strategy": st.column_config.TextColumn("strategy", pinned=True)}
# The table a student reads: outcomes in words; status and epochs stay in the data for code.
SHOWN_COLUMNS = ["strategy", "outcome", "final k", "final b", "final loss"]
TUNED_COLUMNS = ["strategy", "tuned η_k", "tuned η_b", *SHOWN_COLUMNS[1:]]


def curves_csv(curves: pd.DataFrame) -> bytes:
    return curves.to_csv(index=False).encode()
