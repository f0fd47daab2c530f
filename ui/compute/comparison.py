"""The Compare page's editable strategy table and its tidy results."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import streamlit as st

import gd_core as gd
from ui import registry
from ui.compute import sizes
from ui.compute.class_cache import class_cache
from ui.compute.runs import reduced_columns, trajectory
from ui.config import Config
from ui.plain import compare_captions, outcome_words
from ui.plain.rate_cells import bad_rate, rate_problem
from ui.plain.records import records
from ui.plain.strategies import Strategy, default_strategies, unlinked_edits

# Rows drawn per strategy. Nine curves in three charts are drawn from one table; past a few
# hundred points per curve the browser's drawing time grows and the picture does not change
# (the thinning keeps every early epoch and each later stretch's extremes).
CURVE_POINTS = 200
# Every strategy the table lists: the charts' colour scales run over all of them, so each
# keeps its colour whichever others are shown.
LABELS = tuple(row.label for row in registry.STRATEGIES)


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
        # No min_value or max_value on the rates: with them the grid drops a typed minus sign
        # (-0.5 became 0.5) and clamps a large rate, silently. read_rates says what is wrong.
        column_config=PINNED
        | {"show": st.column_config.CheckboxColumn("Show")}
        | {
            rate: st.column_config.NumberColumn(
                f"{name}, untuned" if tuned else name, format="%.4g"
            )
            for rate, name in RATES.items()
        },
    )
    unlinked = unlinked_edits(defaults, records(edited))
    if unlinked:
        st.caption(unlinked)
    # A phone's: at 390 px the editor's idea column sits off its right edge, behind a sideways
    # scroll nothing hints at (assets/chart_controls.css shows this only on a narrow screen).
    with st.container(key=IDEAS_KEY), st.expander("What each strategy tries"):
        st.markdown("\n".join(f"- **{s.label}**: {s.why}" for s in defaults))
    chosen, problems = read_rates(defaults, edited, st.session_state.setdefault(_USABLE, {}))
    if problems:
        st.warning("\n".join(f"- {line}" for line in problems), icon=":material/edit_off:")
    return chosen


RATES = {"lr_k": "η_k", "lr_b": "η_b"}  # the table's rate columns and their names
IDEAS_KEY = "compare_ideas_text"  # the container of the ideas as text, for a phone
_USABLE = "_gdlab_compare_usable_rates"  # (strategy, column) → the last rate that could run


def read_rates(
    defaults: list[Strategy], edited: pd.DataFrame, usable: dict[tuple[str, str], float]
) -> tuple[list[Strategy], list[str]]:
    """The ticked strategies at the table's rates, and a line for each cell that cannot run.

    Such a strategy keeps the last usable rate of that cell (`usable`, updated here; its
    default before any), so it stays on every chart in its own colour.
    """
    chosen, problems = [], []
    for strategy, row in zip(defaults, records(edited), strict=True):
        if not row["show"]:
            continue
        rates = {}
        for column, name in RATES.items():
            cell = (strategy.label, column)
            problem = rate_problem(row[column])
            if problem is None:
                rates[column] = usable[cell] = float(row[column])
                continue
            rates[column] = usable.get(cell, getattr(strategy.spec, column))
            problems.append(bad_rate(strategy.label, name, problem, rates[column]))
        chosen.append(replace(strategy, spec=replace(strategy.spec, **rates)))
    return chosen, problems


def sidebar_schedule_note(config: Config, data: gd.Dataset, table: pd.DataFrame) -> str | None:
    """compare_captions.sidebar_schedule with the sidebar's own run's outcome (the Fit page's
    run, its cached trajectory, read as `table` reads each strategy's) and Plain GD's row."""
    spec = config.train
    if spec.schedule == registry.CONSTANT_RATE and not spec.warmup:
        return None
    plain = [row["outcome"] for row in records(table) if row["strategy"] == PLAIN_LABEL]
    try:
        yours = outcome_words.outcome(spec, trajectory(config, data), data)
    except ValueError as error:  # a warm-up that leaves the schedule too few epochs
        return compare_captions.sidebar_schedule(spec, None, plain[0] if plain else None, error)
    return compare_captions.sidebar_schedule(spec, yours, plain[0] if plain else None)


PLAIN_LABEL = registry.STRATEGIES[0].label  # the sidebar's optimizer and rates, nothing else


def inputs(config: Config, strategies: list[Strategy]) -> tuple[object, ...]:
    """What `results` is computed from, as a comparable key (by fingerprints)."""
    return config.fingerprint, *(strategy.fingerprint for strategy in strategies)


@class_cache(sizes.VIEW_BYTES)
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
                "outcome": outcome_words.outcome(strategy.spec, run, _data),
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
TUNED_COLUMNS = ["strategy", "tuned η_k", "tuned η_b", *SHOWN_COLUMNS[1:], "rates tried"]


def curves_csv(curves: pd.DataFrame) -> bytes:
    return curves.to_csv(index=False).encode()
