"""The LR-finder page's controls, chart, table and captions.

The range test's own settings live in the URL like the sidebar's (`?lr_min=1e-6&lr_steps=200`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

import gd_core as gd
from ui import registry
from ui.charts import render, sweep_charts
from ui.charts.run_charts import drawable
from ui.compute import lr_finder
from ui.config import Config, batch_size
from ui.plain import sweep_text
from ui.plain.batch_text import finder_batch_note
from ui.plain.figures import radius_text, rate
from ui.plain.records import records
from ui.plain.views import FinderView
from ui.state.feedback import render_captions

# fastai's lr_find defaults: from 1e-7 to 10 in 100 steps.
DEFAULT_RANGE, DEFAULT_STEPS, DEFAULT_SEEDS = (1e-7, 10.0), 100, 5


def _test_ui(mini_batch: bool) -> tuple[float, float, int, int]:
    left, middle, right, last = st.columns(4)
    bottom, top = registry.FINDER_RATES
    common = {"min_value": bottom, "max_value": top, "format": "%.3g", "bind": "query-params"}
    low = left.number_input("lr_min", value=DEFAULT_RANGE[0], key="lr_min", **common)
    high = middle.number_input("lr_max", value=DEFAULT_RANGE[1], key="lr_max", **common)
    steps = right.slider("Steps", 10, 1000, DEFAULT_STEPS, key="lr_steps", bind="query-params")
    seeds = 1
    if mini_batch:  # full batch gives every seed the same curve: no choice to offer
        seeds = last.slider(
            "Seeds",
            1,
            20,
            DEFAULT_SEEDS,
            key="lr_seeds",
            bind="query-params",
            help="With mini-batches each seed shuffles differently: the test runs once per "
            "seed and the table grades the median suggestion.",
        )
    return low, high, steps, seeds


def render_lr_finder(config: Config, data: gd.Dataset) -> None:
    """The range test's controls, its curve with the suggestions, and their grades."""
    mini_batch = batch_size(config.train) is not None and config.train.batch < data.n
    low, high, steps, seeds = _test_ui(mini_batch)
    if not low < high:
        st.error(
            f"lr_min ({low:.3g}) must be below lr_max ({high:.3g}): the rate grows from one "
            "to the other. Lower lr_min or raise lr_max.",
            icon=":material/error:",
        )
        return
    view = lr_finder.finder_view(  # by keyword, as charts/render.py says why
        config=config, lr_min=low, lr_max=high, steps=steps, seeds=seeds, _data=data
    )
    low = [] if view.read_low is None else [view.read_low]
    render.render_chart(
        sweep_charts.finder_chart,
        datasets={
            sweep_charts.CURVE: drawable(
                view.curve, ["seed", "step", "lr", "loss", "read"], log="loss"
            ),
            sweep_charts.SUGGESTIONS: drawable(
                view.suggestions,
                ["rule", "lr", "point_lr", "point_loss", "label"],
                log="point_loss",
            ),
            sweep_charts.EXACT_RATES: view.exact,
            sweep_charts.LOWEST: pd.DataFrame(
                {
                    "lr": [lr for lr, _ in low],
                    "loss": [loss for _, loss in low],
                    "label": "lowest loss the rules read: minimum suggests a tenth of its η",
                }
            ),
        },
        alt=sweep_text.finder_alt(view),
    )
    render_captions(_stopping(view, steps), sweep_text.finder_lowest(view))
    flat = sweep_text.flat_curve(view.curve["loss"].to_numpy())
    if flat is not None:
        st.info(flat, icon=":material/horizontal_rule:")
    st.markdown(sweep_text.exact_rates(view.limit, view.best, view.kappa, view.standardized))
    batch_note = finder_batch_note(
        config.train.batch if mini_batch else 0, view.seeds, rate(view.limit)
    )
    if batch_note is not None:
        st.caption(batch_note)
    st.dataframe(_table(view), hide_index=True, width="stretch", column_config=_columns(view))
    st.markdown(sweep_text.closest(view.grades[~view.grades["rule"].str.startswith("exact")]))
    st.caption(
        "The rules are fastai's (fastai/callback/schedule.py), applied as its lr_find does: "
        "to the curve without its first tenth of steps and its last 5 points. valley: half-way "
        "down the longest falling stretch; slide: where the slope stops changing, from the "
        "right; minimum: a tenth of the rate with the lowest loss; steep: where the loss falls "
        "fastest per unit of log-rate. The test runs plain gradient descent with one rate for "
        "k and b, whatever the sidebar's optimizer, from the sidebar's start; the exact answers "
        "are for that method."
    )


def _stopping(view: FinderView, steps: int) -> str:
    stopped = [s for s in view.stopped if s is not None]
    if view.seeds == 1:
        at = view.stopped[0]
        if at is None:
            return f"All {steps} steps ran: the loss never passed 4 × its minimum."
        return (
            f"The test stopped at step {at + 1} of {steps} (η = "
            f"{view.curve['lr'].iloc[at]:.3g}), whose loss passed 4 × the smallest so far, "
            "as fastai's stops."
        )
    return (
        f"{view.seeds} range tests on mini-batches, one per seed (seed 0 in full colour): "
        f"{len(stopped)} stopped when the loss passed 4 × its minimum."
    )


# Narrow enough that the rule, its rate and what plain GD does there fit a 390 px phone's first
# view (measured in Chromium); ρ and the two ratios follow, the rule pinned while it scrolls.
SHORT_RULES = {"exact: largest stable 2/λ_max": "exact 2/λ_max", "exact: fastest": "exact fastest"}


def _rule_name(rule: str) -> str:
    for long, short in SHORT_RULES.items():
        if rule.startswith(long):
            return short
    return rule


def _table(view: FinderView) -> pd.DataFrame:
    grades = view.grades
    rows = records(grades)
    table = pd.DataFrame(
        {
            "rule": grades["rule"].map(_rule_name),
            "suggests η": grades["lr"].map(lambda v: f"{v:.4g}" if pd.notna(v) else "—"),
            "plain GD there": [_outcome(row) for row in rows],
            "ρ": [radius_text(row["radius"]) if pd.notna(row["lr"]) else "—" for row in rows],
            "× 2/λ_max": grades["of_limit"].map(lambda v: f"{v:.3g}" if pd.notna(v) else "—"),
            "× fastest": grades["of_best"].map(lambda v: f"{v:.3g}" if pd.notna(v) else "—"),
        }
    )
    if view.seeds > 1:
        table.insert(
            2,
            f"range over {view.seeds} seeds",
            [
                f"{row['lr_low']:.3g} – {row['lr_high']:.3g}" if pd.notna(row["lr"]) else "—"
                for row in rows
            ],
        )
        table["seeds converging"] = grades["converging"].fillna("—")
        exact = grades["rule"].str.startswith("exact")  # one rate, not a spread over seeds
        table.loc[exact, [f"range over {view.seeds} seeds", "seeds converging"]] = "—"
    return table


def _columns(view: FinderView) -> dict:
    """Each column's header help: the short headers a phone needs, explained on hover."""
    epochs = "" if view.standardized else "epochs to converge, or "
    return {
        "rule": st.column_config.TextColumn("rule", pinned=True),
        "plain GD there": st.column_config.TextColumn(
            "plain GD there",
            help=f"Plain gradient descent, full batch, at the suggested rate: {epochs}whether "
            "it converges at all.",
        ),
        "seeds converging": st.column_config.TextColumn(
            "seeds converging",
            help="Of the seeds whose range test gave this rule a rate, those whose rate is "
            "below 2/λ_max, where full-batch plain gradient descent converges.",
        ),
        "ρ": st.column_config.TextColumn(
            "ρ", help="The spectral radius: the error shrinks by ρ per epoch (grows if ρ > 1)."
        ),
        "× 2/λ_max": st.column_config.TextColumn(
            "× 2/λ_max", help="The rate over the largest stable one: 1 or more diverges."
        ),
        "× fastest": st.column_config.TextColumn(
            "× fastest", help="The rate over the fastest single rate 2/(λ_min + λ_max)."
        ),
    }


def _outcome(row: dict) -> str:
    if pd.isna(row["lr"]):
        return "no suggestion"
    if row["of_limit"] >= 1.0:
        return "does not converge"
    if pd.isna(row["settles"]):
        return "converges"
    return f"{row['settles']:,.0f} epochs"
