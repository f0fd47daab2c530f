"""The shared sidebar, drawn from the registry's controls (ui/registry/interface.py).

Widgets use Streamlit's own `bind="query-params"`, so the address bar always holds a link to
the current state, and a bad or out-of-range URL value falls back to the default by itself
(ui/state/link_check.py then says so above the page).
`render_sidebar()` is called once from app.py; pages read the result with `current()`.
"""

from __future__ import annotations

from dataclasses import asdict, fields, replace
from typing import Any

import streamlit as st

import gd_core as gd
from ui import registry
from ui.compute.runs import load_dataset
from ui.config import Config, DataSpec, TrainSpec, on_points
from ui.plain.batch_text import covering_batch_note
from ui.plain.schedule_cuts import plateau_floor_note
from ui.registry import BATCH_CHOICES, EPOCH_CHOICES, N_CHOICES, Control
from ui.state.pickers import readable_picker
from ui.state.presets import (
    DEFAULTS,
    PRESET_KEY,
    PRESETS,
    apply_preset,
    changed_since_preset,
    kept_file_note,
    preset_trace,
    reset_to_defaults,
)
from ui.state.upload_panel import render_upload_ui

__all__ = ["BATCH_CHOICES", "DEFAULTS", "EPOCH_CHOICES", "N_CHOICES", "PRESETS", "current"]

_CONFIG = "_gdlab_config"  # where the frozen config of this rerun is kept for the pages
_CHOSEN = "_gdlab_chosen_config"  # the same, before a batch of every point became full batch
_LR_B_BINDING = "_gdlab_lr_b_binding"  # how the η_b box was last drawn: bound or not


def _bound(widget: Any, control: Control, label: str | None = None, **kwargs: Any) -> Any:
    """A widget whose value lives in the URL under `control.key`, with its default.

    The default is passed even after a preset has set the key: Streamlit leaves a parameter
    out of the URL exactly when the value equals this default, so it must never change.
    """
    if control.help and "help" not in kwargs:
        kwargs["help"] = control.help
    kwargs.setdefault("value", control.default)
    kwargs.setdefault("bind", "query-params")
    return widget(label or control.label, key=control.key, **kwargs)


def _range(control: Control) -> dict[str, Any]:
    limits = {"min_value": control.low, "max_value": control.high, "step": control.step}
    limits["format"] = control.format
    return {name: value for name, value in limits.items() if value is not None}


def _whole(control: Control, **kwargs: Any) -> int:
    """A whole number, entered in a float widget: Streamlit 1.67 parses a URL value for an
    integer number_input with int(float(value)) outside its own error handling, so `?seed=inf`
    would raise. A float widget rejects a non-finite URL value and falls back to the default.
    """
    value = _bound(
        st.number_input,
        control,
        value=float(control.default),
        min_value=float(control.low),
        max_value=float(control.high),
        step=1.0,
        format="%.0f",  # "%d" on a float widget logs a warning on every rerun
        **kwargs,
    )
    return int(value)


def _described(key: str, labels: dict[str, str]) -> str:
    """A picker's help: each readable name with the value a link uses for it."""
    return "  \n".join(f"**{label}**: `?{key}={value}`" for value, label in labels.items())


def _picker(control: Control) -> str:
    # Readable names on screen, the short values in links (?optimizer=adam): see pickers.py.
    labels = registry.labels(control.key)
    return readable_picker(
        st.selectbox,
        control.label,
        control.key,
        labels,
        control.default,
        help=_described(control.key, labels),
    )


def _lr_b_binding(same: bool) -> str | None:
    """How to draw the η_b box on this run: bound to ?lr_b=, except on a session's first run
    with the same rate on.

    On a session's first run a URL value outranks a value set in st.session_state, so an old
    link with lr_b=0.2 and the same rate on would show 0.2 while η_k's rate is in use. Unbound
    for that one run, the box shows the rate in use; on the first bound run after it, the value
    is set again, which makes Streamlit write it to the address.
    """
    drawn = st.session_state.get(_LR_B_BINDING)
    bind = None if same and drawn is None else "query-params"
    if bind and drawn == "unbound":
        st.session_state["lr_b"] = st.session_state["lr_b"]
        _write_unbound_rate(st.session_state["lr_b"])
    st.session_state[_LR_B_BINDING] = "bound" if bind else "unbound"
    return bind


def _write_unbound_rate(lr_b: float) -> None:
    """Put η_b in the address as its box is bound for the first time.

    Setting the value again is not enough after a page switch: Streamlit keeps no record of a
    box it never bound, and a value set while another page was asked for (a lesson's start)
    then never reaches the address, so the lesson's link opened with the default η_b. Allowed
    here: nothing is bound to ?lr_b= yet.
    """
    if lr_b != DEFAULTS["lr_b"]:
        st.query_params["lr_b"] = str(lr_b)
    elif "lr_b" in st.query_params:
        del st.query_params["lr_b"]


def _rate(control: Control, values: dict[str, Any]) -> float:
    same = values["same_rate"]
    if control.key == "lr_k":
        label = control.extra["same_label"] if same else control.label
        return _bound(st.number_input, control, label, **_range(control))
    bind = _lr_b_binding(same)
    if same:
        # The disabled box shows the rate b is trained with, not one left from before.
        # Allowed here: the lr_b widget is not drawn yet in this run.
        st.session_state["lr_b"] = values["lr_k"]
    lr_b = _bound(
        st.number_input,
        control,
        disabled=same,
        bind=bind,
        help="Follows η above while “Same rate for k and b” is on." if same else None,
        **_range(control),
    )
    return values["lr_k"] if same else lr_b


def _draw(
    control: Control, values: dict[str, Any], disabled: bool, points: int | None = None
) -> Any:
    """One control, drawn as its registry row says; `points` is the data's n, if known."""
    off = {"disabled": True} if disabled else {}
    kind = control.widget
    if kind == "picker":
        return _picker(control)
    if kind == "rate":
        return _rate(control, values)
    if kind == "whole":
        return _whole(control, **off)
    if kind == "toggle":
        return _bound(st.toggle, control)
    if kind == "choice":
        extra = {"format_func": control.extra["format_func"]} if control.extra else {}
        value = _bound(st.select_slider, control, options=list(control.options), **extra, **off)
        if control.key == "batch" and (note := covering_batch_note(value, points)):
            st.caption(note)
        return value
    widget = st.slider if kind == "slider" else st.number_input
    value = _bound(widget, control, **_range(control), **off)
    if control.key == "min_lr" and (note := plateau_floor_note(values | {"min_lr": value})):
        st.caption(note)
    if "caption" in control.extra:
        st.caption(control.extra["caption"].format(**values))
    return value


def render_section(
    section: str, disabled: bool = False, points: int | None = None
) -> dict[str, Any]:
    """Every registered control of `section` that its chosen optimizer or schedule shows;
    `points`, the data's n if known, lets the batch size say when it covers every point."""
    values: dict[str, Any] = {}
    columns: list[Any] = []
    for control in registry.CONTROLS.values():
        if control.section != section or not registry.shown(control.key, values):
            continue
        if control.column == "left":
            columns = st.columns(2)
        if control.column:
            with columns[0 if control.column == "left" else 1]:
                values[control.key] = _draw(control, values, disabled, points)
        else:
            values[control.key] = _draw(control, values, disabled, points)
    return values


def render_data_ui() -> DataSpec:
    st.header("Data")
    upload = render_upload_ui()
    generated = DataSpec(**render_section("data", disabled=upload is not None))
    return replace(generated, **asdict(upload)) if upload else generated


def render_training_ui(points: int | None = None) -> TrainSpec:
    st.header("Training")
    values = render_section("training", points=points)
    names = {field.name for field in fields(TrainSpec)}
    return TrainSpec(**{k: v for k, v in values.items() if k in names})


def render_sidebar() -> Config:
    """Draw the sidebar once per rerun and keep its frozen config for the pages."""
    with st.sidebar:
        st.selectbox(
            "Preset",
            list(PRESETS),
            index=None,
            placeholder="Start from a preset…",
            key=PRESET_KEY,
            on_change=apply_preset,
        )
        # The preset's trace goes here, filled once the widgets below have their values; a
        # container only with a preset chosen (nothing after this box changes that in a run):
        # an empty one was an element on every rerun of every student.
        name = st.session_state.get(PRESET_KEY)
        trace = st.container() if name is not None else None
        st.button(
            "Reset to defaults",
            key="_gdlab_reset",
            icon=":material/restart_alt:",
            on_click=reset_to_defaults,
            help=(
                "Every setting below back to its default, and the preset and the lesson "
                "closed. An uploaded file stays until you remove it."
            ),
        )
        if note := kept_file_note():
            st.caption(note)
        data = render_data_ui()
        points = _points(data)
        chosen = Config(data=data, train=render_training_ui(points))
        if trace is not None:
            with trace:
                values = _sidebar_values(chosen)  # as chosen: a preset's batch is kept
                st.caption(preset_trace(name, values, uploaded=data.csv is not None))
                if changed_since_preset(name, values):
                    st.button(
                        "Apply the preset again",
                        key="_gdlab_reapply",
                        type="tertiary",
                        icon=":material/replay:",
                        on_click=apply_preset,
                    )
    # What the pages train: a batch of every point is the full batch (ui.config.on_points).
    config = chosen if points is None else on_points(chosen, points)
    st.session_state[_CONFIG] = config
    st.session_state[_CHOSEN] = chosen
    return config


def _points(data: DataSpec) -> int | None:
    """The data's n: the generated points' count, or an uploaded file's rows once read (from
    the cache the page reads it from); None for a file that cannot be read, which the page
    explains."""
    if data.csv is None:
        return data.n
    try:
        return load_dataset(data).n
    except (gd.DataError, ValueError):
        return None


def _sidebar_values(config: Config) -> dict[str, Any]:
    """The value of every key in DEFAULTS as this run drew it (hidden ones at their default)."""
    drawn = asdict(config.data) | asdict(config.train)
    return {key: drawn.get(key) for key in DEFAULTS} | {"same_rate": st.session_state["same_rate"]}


def current() -> Config:
    """The config drawn by this rerun's sidebar."""
    if _CONFIG not in st.session_state:
        _leave_pages_folder_mode()
    return st.session_state[_CONFIG]


def chosen() -> Config:
    """`current()` with the batch size as the student chose it, even one of at least n points:
    for a sweep of n itself, where the batch covers some of the swept datasets and not others."""
    if _CHOSEN not in st.session_state:
        _leave_pages_folder_mode()
    return st.session_state[_CHOSEN]


def _leave_pages_folder_mode() -> None:
    """Rerun through app.py when a page was started without it (a Streamlit 1.67 defect).

    A fresh server sees the pages/ folder and starts in the old folder-based multipage mode,
    which lasts until app.py's st.navigation switches it off for the whole process. If the very
    first request is for /loss, say (a shared link to a server that just woke up), Streamlit
    runs pages/loss.py on its own, without app.py and its sidebar. Switch the mode off as
    st.navigation would, and rerun: the rerun goes through app.py and lands on the same page.
    """
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    st.rerun()
