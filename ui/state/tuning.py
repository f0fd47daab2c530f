"""Compare's "tune each" switch and metric, kept in the URL (`?tune=true&tune_metric=loss_at`)."""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd
import streamlit as st

import gd_core as gd
from ui import registry
from ui.compute import comparison, tuning
from ui.compute.tuning import METRICS
from ui.config import Config
from ui.plain import compare_captions
from ui.plain.race_lines import RatesTried, race_line
from ui.plain.records import records
from ui.plain.strategies import Strategy
from ui.state import feedback
from ui.state.pickers import readable_picker

DEFAULT_AT = 100


def render_tuning_ui(epochs: int) -> tuple[str, int] | None:
    """(metric, epoch for "loss_at") when "Tune each" is on, else None. The epoch is one the
    race of `epochs` epochs draws: a rate tuned for a later one would be judged off screen."""
    left, middle, right = st.columns([1, 2, 1], vertical_alignment="bottom")
    on = left.toggle(
        "Tune each",
        key="tune",
        bind="query-params",
        help="Before the race, each strategy gets the rate (or, with two rates, the pair) that "
        "does best on a log grid of its own: a fair race instead of one shared guess.",
    )
    if not on:  # the metric means nothing until tuning is on: not drawn, not a disabled box
        return None
    with middle:
        metric = readable_picker(
            st.segmented_control, "Best by", "tune_metric", METRICS, "epochs", required=True
        )
    at = DEFAULT_AT
    if metric == "loss_at":
        at = right.number_input(
            "Loss at epoch",
            min_value=1.0,
            max_value=float(epochs),
            value=float(min(DEFAULT_AT, epochs)),
            step=1.0,
            format="%.0f",
            key="tune_at",
            bind="query-params",
        )
    # The table above the charts stays as the student left it: it is where the next change
    # starts, and a tuned grid does not start from its rates, only from its shape.
    st.caption(
        "Each strategy races at its own best rate; the table below keeps your rates, locked "
        "while tuning is on, and only says what is tuned: one rate where a row has one, a pair "
        "(η_k, η_b) where it has two. The rates each strategy got are in the results under the "
        "charts, as tuned η_k and tuned η_b."
    )
    return metric, int(at)


def tuned_strategies(
    config: Config, data: gd.Dataset, strategies: list[Strategy], tune: tuple[str, int] | None
) -> tuple[list[Strategy], dict[str, RatesTried]]:
    """The strategies at their tuned rates when "Tune each" is on (a refusal over budget), and
    by label the grid each was tuned over ({} untuned)."""
    if tune is None or not strategies:
        return strategies, {}
    try:
        tuning.check_tuning_budget(data, strategies, *tune)
    except ValueError as error:
        feedback.explain(error)
    tuned = tuning.tuned(config, strategies, *tune, data)
    tried = {
        t.strategy.label: RatesTried(t.strategy.label, t.pair, t.k_rates, t.b_rates, t.points)
        for t in tuned
    }
    return [each.strategy for each in tuned], tried


def render_race_table(
    table: pd.DataFrame, tune: tuple[str, int] | None, tried: dict[str, RatesTried] | None = None
) -> None:
    """The race's results; with tuning, which rates each strategy got, and how they were found.

    A table on a wide screen, and the same as lines of text on a phone (race_line), where the
    table's outcome and final values ran off the right edge: assets/chart_controls.css shows
    one or the other by the screen's width."""
    tried = tried or {}
    texts = {label: each.text for label, each in tried.items()}
    with st.container(key=TABLE_KEY):
        _render_table(table, tune, texts)
    ideas = {row.label: row.why for row in registry.STRATEGIES}
    lines = [
        race_line(row, ideas[row["strategy"]], texts.get(row["strategy"]) if tune else None)
        for row in records(table)
    ]
    with st.container(key=TEXT_KEY):
        st.markdown("\n".join(lines))  # none ticked: the caption under it says what to do
    if tune is not None:
        shown = [tried[row["strategy"]] for row in records(table) if row["strategy"] in tried]
        st.caption(compare_captions.tuned(*tune, shown))


# The containers' keys, which Streamlit writes as the classes st-key-KEY the style sheet reads.
TABLE_KEY, TEXT_KEY = "compare_results_table", "compare_results_text"


def _render_table(table: pd.DataFrame, tune: tuple[str, int] | None, tried: dict[str, str]) -> None:
    if tune is None:
        # The outcome gets a fixed width and rows as tall as its longest sentence needs:
        # sized by its text, the column ended at the table's edge and cut "…, b 68 % left,
        # swi" off a mini-batch run's outcome (Streamlit wraps only in rows over 4 rem).
        outcome = st.column_config.TextColumn(width=OUTCOME_WIDTH)
        st.dataframe(
            table.reindex(columns=comparison.SHOWN_COLUMNS),
            hide_index=True,
            width="stretch",
            row_height=outcome_row_height(table["outcome"] if len(table) else []),
            height="content",  # every strategy in view, however tall its rows
            column_config={"outcome": outcome} | comparison.PINNED,  # PINNED: the name stays
        )
        return
    rates = {"η_k": "tuned η_k", "η_b": "tuned η_b"}
    shown = st.column_config.NumberColumn(format="%.4g")
    # Nine columns in a laptop's 820 px: the two long texts get a fixed width and wrap onto
    # a second line (Streamlit wraps a cell's text only in rows taller than 4 rem), where
    # "rates tried" was cut off at "21 × 21 pairs, η_k 2.548e−0" and read only by scrolling.
    wrapped = {
        name: st.column_config.TextColumn(width=width) for name, width in WRAPPED_WIDTHS.items()
    }
    st.dataframe(
        table.rename(columns=rates)
        .assign(**{"rates tried": table["strategy"].map(tried) if len(table) else []})
        .reindex(columns=comparison.TUNED_COLUMNS),
        hide_index=True,
        width="stretch",
        row_height=TWO_LINES,
        height="content",  # every strategy in view: ten rows of two lines overflowed "auto"
        column_config=dict.fromkeys(rates.values(), shown) | wrapped | comparison.PINNED,
    )


# px: the longest outcome and grid in two lines each, and the table within 820 px
WRAPPED_WIDTHS = {"outcome": 150, "rates tried": 205}
TWO_LINES = 66  # px: just over Streamlit's 4 rem, below which a cell never wraps
LINE = 21  # px: each line of a cell's text past two (14 px text, 1.5 line height)

# px: the untuned table's outcome, beside the name and three numbers within a laptop's 820 px
OUTCOME_WIDTH = 470
# px: an outcome's characters on average, a little over the 5.4 measured in the grid's font,
# so that a sentence whose words wrap early still gets its line
CHARACTER = 6.0


def outcome_row_height(outcomes: Iterable[str]) -> int | None:
    """The untuned table's row height: one line (Streamlit's own, None) while every outcome
    fits in OUTCOME_WIDTH, else as many lines as the longest needs."""
    longest = max((len(text) for text in outcomes), default=0)
    lines = math.ceil(longest * CHARACTER / OUTCOME_WIDTH)
    return None if lines <= 1 else TWO_LINES + (lines - 2) * LINE
