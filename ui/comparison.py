"""The Compare page's editable strategy table and its tidy results."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

import gd_core as gd
from ui.config import Config
from ui.runs import trajectory
from ui.strategies import Strategy, default_strategies


def render_strategy_editor(config: Config, data: gd.Dataset) -> list[Strategy]:
    """A table of strategies with their rates; returns the ticked ones with the edited rates."""
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
        disabled=["strategy", "idea"],
        column_config={
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


@st.cache_data(max_entries=16, show_spinner=False)
def results(config: Config, strategies: list[Strategy]) -> tuple[pd.DataFrame, pd.DataFrame, bytes]:
    """Long-form curves (strategy, epoch, k, b, loss, excess), a summary row per strategy, and
    the curves as CSV."""
    curves, rows = [], []
    for strategy in strategies:
        run = trajectory(replace(config, train=strategy.spec))
        curves.append(run.frame.assign(strategy=strategy.label))
        last = run.frame.iloc[-1]
        rows.append(
            {
                "strategy": strategy.label,
                "status": run.status,
                "epochs to converge": run.converged_at,
                "final k": last.k,
                "final b": last.b,
                "final loss": last.loss,
            }
        )
    columns = ["strategy", "epoch", "k", "b", "loss", "excess"]
    frame = (
        pd.concat(curves, ignore_index=True)[columns] if curves else pd.DataFrame(columns=columns)
    )
    return frame, pd.DataFrame(rows), frame.to_csv(index=False).encode()
