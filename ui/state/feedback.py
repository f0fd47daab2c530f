"""What a student reads around the charts: how the run ended, the rule used, a download."""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import NoReturn

import streamlit as st

import gd_core as gd
from ui import registry
from ui.compute.runs import load_dataset, trajectory, trajectory_csv
from ui.config import Config, TrainSpec
from ui.plain import verdicts
from ui.plain.budget import TooMuchWork, check_feasible
from ui.plain.views import Trajectory
from ui.registry import EPOCH_CHOICES
from ui.state import link_check

# By name, the inputs of what this session drew last under it: one session-state entry, as
# every entry costs each number input and select box of a rerun a copy (ui/state/pickers.py).
_DRAWN = "_gdlab_drawn"


def render_status(data: gd.Dataset, config: Config, run: Trajectory) -> None:
    """The run's verdict above the charts (ui/plain/verdicts.py), in the colour of its outcome."""
    banner = verdicts.verdict(data, config.train, run)
    draw = {"success": st.success, "info": st.info, "warning": st.warning}[banner.kind]
    icon = {
        "success": ":material/check_circle:",
        "info": ":material/hourglass_empty:",
        "warning": ":material/warning:",
    }[banner.kind]
    draw(banner.text, icon=icon)


def render_captions(*paragraphs: str | None) -> None:
    """Consecutive captions as one element, a paragraph each (the empty ones left out).

    Every element costs the server the same work per rerun (a message built, queued, hashed
    and sent) whatever it holds; under a class, the elements of a page are most of what a
    rerun costs beyond the bare page. One caption of paragraphs reads as the captions did.
    """
    shown = [text for text in paragraphs if text]
    if shown:
        st.caption("\n\n".join(shown))


def render_update_rule(config: Config) -> None:
    spec = config.train
    entry = registry.OPTIMIZERS[spec.optimizer]
    schedule = registry.SCHEDULES[spec.schedule]
    label = f"Update rule: {entry.label}"
    if spec.schedule != registry.CONSTANT_RATE:
        label += f", {schedule.label.lower()}"
    if spec.warmup:
        label += f" after {spec.warmup:,} epochs of warm-up"
    with st.expander(label):
        st.latex(entry.rule)
        st.caption(
            "θ is k or b, each with its own rate η (η_k, η_b) and its own state; g is the "
            "gradient of the loss with respect to θ. These are the update rules of PyTorch's "
            "optimizers (torch.optim), with the same names and defaults."
        )
        if spec.warmup:
            st.latex(registry.WARMUP_FORMULA)
        st.latex(schedule.formula)
        st.caption(
            "The rate η_t used in epoch t (t from 0), for k and for b alike, as torch.optim's "
            "schedulers set it when stepped once per epoch"
            + (f"; W = {spec.warmup:,}, s = {spec.warmup_from:.3g}" if spec.warmup else "")
            + ". The Loss page draws it beside the loss."
        )


def render_download(config: Config, run: Trajectory, name: str) -> None:
    st.download_button(
        "Download the shown trajectory (CSV)",
        partial(trajectory_csv, config, run),  # written only when clicked, in its own thread
        file_name=f"{name}.csv",
        mime="text/csv",
        on_click="ignore",  # a download changes nothing on the page: no rerun
    )


def explain(error: ValueError) -> NoReturn:
    """Stop the page with the message, and for too much work a button per setting that fits."""
    # Text from a student's file arrives in code spans (ui.text.quoted): shown as typed.
    st.error(str(error), icon=":material/error:")
    if isinstance(error, TooMuchWork):
        with st.container(horizontal=True):
            if error.epochs_key == "tune_at":  # any whole epoch will do for the scored loss
                st.button(
                    f"Score the loss at epoch {error.max_epochs:,}",
                    on_click=st.session_state.update,
                    kwargs={"tune_at": float(error.max_epochs)},
                )
            elif fitting := [epochs for epochs in EPOCH_CHOICES if epochs <= error.max_epochs]:
                st.button(
                    f"Use {fitting[-1]:,} epochs",
                    on_click=st.session_state.update,
                    kwargs={"epochs": fitting[-1]},
                )
            if error.mini_batch:
                st.button("Use full batch", on_click=st.session_state.update, kwargs={"batch": 0})
    link_check.render_notice(stopped=True)  # the link's other unusable values, said with it
    st.stop()


@contextmanager
def working(
    seconds: float, specs: list[TrainSpec], drawn: tuple[str, Hashable] | None = None
) -> Iterator[None]:
    """A spinner with the expected time (budget.check_feasible's estimate); Streamlit shows it
    only after half a second.

    With `drawn` (a name and the inputs' key), none when this session's last result under that
    name came from the same inputs: it is cached, and st.spinner's timer thread and message
    cost every revisit of the page for nothing (a result evicted meanwhile is computed again
    under Streamlit's own running indicator).
    """
    if drawn is not None:
        name, inputs = drawn
        if st.session_state.get(_DRAWN, {}).get(name) == inputs:
            yield
            return
    if not specs:  # every strategy unticked: nothing to train
        yield
    else:
        epochs = f"{specs[0].epochs:,} epochs"
        what = f"{len(specs)} strategies × {epochs}" if len(specs) > 1 else epochs
        estimate = max(1, round(seconds))
        with st.spinner(f"Training {what}, about {estimate} s…", show_time=True):
            yield
    # Only once the work is done: a run that raised or was interrupted by a newer rerun has
    # drawn nothing, so the same inputs next time must show the spinner again.
    if drawn is not None:
        if _DRAWN not in st.session_state:
            st.session_state[_DRAWN] = {}
        st.session_state[_DRAWN][drawn[0]] = drawn[1]


def load_or_explain(config: Config) -> tuple[gd.Dataset, Trajectory]:
    """The data and run for `config`; bad data or settings stop the page with a clear message.

    Where a page that draws the run loads its data and checks the budget (the others:
    `load_data_or_explain`): everything after takes both.
    """
    try:
        data, seconds = _checked(config)
        with working(seconds, [config.train], ("run", config.fingerprint)):
            # By keyword: a positional argument costs st.cache_data a signature look-up
            # on every call (ui/charts/render.py, arrow_rows).
            run = trajectory(config=config, _data=data, steps=True)
        return data, run
    except (gd.DataError, ValueError) as error:
        explain(error)


def load_data_or_explain(config: Config) -> gd.Dataset:
    """`load_or_explain` for a page that draws its own computations from the data, not the
    run (Compare, Stability, Theory, Sweeps, LR finder): the same data, checks and messages,
    without training the run or reading it from the cache. Read there on every visit, it cost
    each visit a third of a millisecond to unpickle, and a slider moved on one of these pages
    trained it (with its update panel) for a page that never drew it."""
    try:
        return _checked(config)[0]
    except (gd.DataError, ValueError) as error:
        explain(error)


def _checked(config: Config) -> tuple[gd.Dataset, float]:
    """The data for `config` and the seconds its run is expected to take, once the run is
    known to fit the work budget (budget.check_feasible raises TooMuchWork if not)."""
    data = load_dataset(config.data)
    return data, check_feasible(data, [config.train], steps=True)


def render_optimum(data: gd.Dataset, run: Trajectory) -> None:
    """The last epoch against the least-squares optimum (the chart's own readout follows the
    epoch slider; these stay at the end of the run, and say so)."""
    last = run.last
    columns = st.columns(3)
    # Each difference as gd_core computes it: the loss's from the excess L − L*, which is never
    # negative, rather than a subtraction that rounding can push below the floor.
    for column, (name, value, optimum, difference) in zip(
        columns,
        (
            ("k", last.k, data.slope_ols, last.k - data.slope_ols),
            ("b", last.b, data.intercept_ols, last.b - data.intercept_ols),
            ("loss", last.loss, data.loss_ols, last.excess),
        ),
        strict=True,
    ):
        # No difference has no direction: "0" (not "+0" or "-0"), without an arrow.
        shown = f"{difference:+.3g}" if difference else "0"
        column.metric(
            f"{name} after the last epoch, {int(last.epoch):,}",
            f"{value:.5g}",
            f"{shown} from {name}* = {optimum:.5g}",
            delta_color="off",
            delta_arrow="auto" if difference else "off",
        )
