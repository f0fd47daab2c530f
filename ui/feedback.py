"""What a student reads around the charts: how the run ended, the rule used, a download."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import NoReturn

import streamlit as st

import gd_core as gd
from ui.budget import TooMuchWork, estimated_seconds
from ui.config import OPTIMIZER_LABELS, UPDATE_RULES, Config, TrainSpec
from ui.controls import EPOCH_CHOICES
from ui.runs import Trajectory, load_dataset, trajectory, trajectory_csv


def divergence_advice(data: gd.Dataset, config: Config, blown_up: str) -> str:
    """Which rate was too large, measured against what that parameter tolerates on its own."""
    spec = config.train
    rates = {"k": spec.lr_k, "b": spec.lr_b}
    if spec.optimizer not in ("sgd", "momentum", "nesterov") or spec.standardize:
        return f"Lower η_{blown_up} (now {rates[blown_up]:g})."
    mu = spec.momentum if spec.optimizer != "sgd" else 0.0
    limit_k, limit_b = gd.single_parameter_limits(data, mu, spec.optimizer == "nesterov")
    limits = {"k": limit_k, "b": limit_b}
    curvature = {"k": "2·mean(x²)", "b": "2"}[blown_up]
    if rates[blown_up] >= limits[blown_up]:
        return (
            f"η_{blown_up} = {rates[blown_up]:g} is above {limits[blown_up]:.4g}, the largest rate "
            f"{blown_up} tolerates on its own (its curvature is {curvature}). "
            f"Try η_{blown_up} below {limits[blown_up]:.4g}."
        )
    return (
        f"Each rate is below its own limit (η_k < {limit_k:.4g}, η_b < {limit_b:.4g}), "
        "but together they are too large: k and b pull on each other through "
        f"mean(x) = {data.x_mean:.3g}. Lower both."
    )


def render_status(data: gd.Dataset, config: Config, run: Trajectory) -> None:
    """A warning for a diverged run, a success note for a converged one, else a plain note."""
    if run.status == "diverged":
        st.warning(
            f"**Diverged at epoch {run.diverged_at}**: {run.blown_up} ran away from its optimum. "
            + divergence_advice(data, config, run.blown_up or "k")
            + " The charts show the run up to that epoch.",
            icon=":material/warning:",
        )
    elif run.status == "converged":
        st.success(
            f"Converged at epoch {run.converged_at:,} of {run.epochs:,}.",
            icon=":material/check_circle:",
        )
    else:
        st.info(
            f"Not converged after {run.epochs:,} epochs: the loss is still more than a millionth "
            "of its starting excess above the floor. Try more epochs or another rate.",
            icon=":material/hourglass_empty:",
        )


def render_update_rule(config: Config) -> None:
    name = config.train.optimizer
    with st.expander(f"Update rule: {OPTIMIZER_LABELS[name]}"):
        st.latex(UPDATE_RULES[name])
        st.caption(
            "θ is k or b, each with its own rate η (η_k, η_b) and its own state; g is the "
            "gradient of the loss with respect to θ. Rules as documented for torch.optim."
        )


def render_download(config: Config, name: str) -> None:
    st.download_button(
        "Download the shown trajectory (CSV)",
        partial(trajectory_csv, config),  # written only when clicked, in its own thread
        file_name=f"{name}.csv",
        mime="text/csv",
        on_click="ignore",  # a download changes nothing on the page: no rerun
    )


def explain(error: ValueError) -> NoReturn:
    """Stop the page with the message, and for too much work a button per setting that fits."""
    # Text from a student's file arrives in code spans (ui.text.quoted): shown as typed.
    st.error(str(error), icon=":material/error:")
    if isinstance(error, TooMuchWork):
        fitting = [epochs for epochs in EPOCH_CHOICES if epochs <= error.max_epochs]
        with st.container(horizontal=True):
            if fitting:
                st.button(
                    f"Use {fitting[-1]:,} epochs",
                    on_click=st.session_state.update,
                    kwargs={"epochs": fitting[-1]},
                )
            if error.mini_batch:
                st.button("Use full batch", on_click=st.session_state.update, kwargs={"batch": 0})
    st.stop()


@contextmanager
def working(data: gd.Dataset, specs: list[TrainSpec]) -> Iterator[None]:
    """A spinner with the expected time; Streamlit shows it only after half a second."""
    if not specs:  # every strategy unticked: nothing to train
        yield
        return
    epochs = f"{specs[0].epochs:,} epochs"
    what = f"{len(specs)} strategies × {epochs}" if len(specs) > 1 else epochs
    estimate = max(1, round(estimated_seconds(data, specs)))
    with st.spinner(f"Training {what}, about {estimate} s…", show_time=True):
        yield


def load_or_explain(config: Config) -> tuple[gd.Dataset, Trajectory]:
    """The data and run for `config`; bad data or settings stop the page with a clear message."""
    try:
        data = load_dataset(config.data)
        with working(data, [config.train]):
            return data, trajectory(config)
    except (gd.DataError, ValueError) as error:
        explain(error)


def render_optimum(data: gd.Dataset, run: Trajectory) -> None:
    """The last shown epoch against the least-squares optimum."""
    last = run.frame.iloc[-1]
    columns = st.columns(3)
    for column, (name, value, optimum) in zip(
        columns,
        (
            ("k", last.k, data.slope_ols),
            ("b", last.b, data.intercept_ols),
            ("loss", last.loss, data.loss_ols),
        ),
        strict=True,
    ):
        column.metric(
            f"{name} at epoch {int(last.epoch):,}",
            f"{value:.5g}",
            f"{value - optimum:+.3g} from {name}* = {optimum:.5g}",
            delta_color="off",
        )
