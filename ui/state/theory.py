"""The Theory page's parts that depend on the sidebar: the prediction against a run, and the
adaptive optimizers' effective rates. The page itself holds only the derivation's text."""

from __future__ import annotations

import streamlit as st

import gd_core as gd
from ui.charts import lab_charts, render
from ui.compute import lab
from ui.config import Config
from ui.plain import alt_text, figures, mode_text, theory_captions


def render_prediction(config: Config, data: gd.Dataset) -> None:
    """Plain GD at the sidebar's rates: ρ, the predicted epochs and what a run observed."""
    outcome = lab.prediction(config, data)
    forecast = outcome.analysis
    left, middle, right = st.columns(3)
    left.metric(
        "spectral radius ρ",
        figures.radius_text(forecast.spectral_radius),
        "converges" if forecast.converges else "does not converge",
        delta_color="normal" if forecast.converges else "inverse",
        delta_arrow="off",
    )
    middle.metric(
        "predicted epochs to converge",
        "never" if forecast.predicted_epochs is None else f"{forecast.predicted_epochs:,}",
        lab.predicted_settling(forecast),
        delta_color="off",
        delta_arrow="off",
        help="From the two modes of I − D·H alone, before any training: the epoch from which k "
        "and b both stay within 0.1 % of their starting distance from the optimum.",
    )
    observed, note = lab.observed_summary(outcome)
    right.metric("observed in a run", observed, note, delta_color="off", delta_arrow="off")
    spec = config.train
    order = mode_text.which_first(forecast, outcome.pace, (spec.lr_k, spec.lr_b), outcome.observed)
    if order:
        st.markdown(order)
    if outcome.observed is not None and (near := mode_text.near_starts(forecast, outcome.observed)):
        st.markdown(near)
    st.caption(theory_captions.prediction(spec, outcome.ran_epochs, forecast.predicted_epochs))


def render_adaptive_rates(config: Config, data: gd.Dataset) -> None:
    """The sidebar's adaptive optimizer's rate per parameter (Adam's if it is not adaptive),
    against each parameter's plain-GD limit."""
    adaptive = lab.adaptive_rates(config, data)
    limit_k, limit_b = gd.single_parameter_limits(data)
    render.render_chart(
        lab_charts.effective_rate_chart,
        datasets={
            lab_charts.RATES: adaptive.frame,
            lab_charts.LIMITS: lab_charts.limit_rows(limit_k, limit_b),
        },
        alt=alt_text.effective_rates(adaptive, (float(limit_k), float(limit_b))),
    )
    st.caption(theory_captions.effective_rates(data, config.train, adaptive))
