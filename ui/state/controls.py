"""The shared sidebar: every widget, its key (which is also its URL parameter) and its range.

Widgets use Streamlit's own `bind="query-params"`, so the address bar always holds a link to
the current state, and a bad or out-of-range URL value falls back to the default by itself.
`render_sidebar()` is called once from app.py; pages read the result with `current()`.
"""

from __future__ import annotations

from dataclasses import asdict, fields, replace
from typing import Any

import streamlit as st

from ui.config import OPTIMIZER_LABELS, SCHEDULE_LABELS, Config, DataSpec, TrainSpec
from ui.state.pickers import readable_picker
from ui.state.upload_panel import UploadChoice, render_upload_ui

# Set by an upload, not by a widget bound to the URL: a shared link never carries a file.
UPLOAD_FIELDS = {field.name for field in fields(UploadChoice)}

N_CHOICES = [10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000]
EPOCH_CHOICES = [10, 20, 50, 100, 200, 450, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000]
EPOCH_CHOICES += [100_000, 200_000, 500_000, 1_000_000]
BATCH_CHOICES = [0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]

DEFAULTS: dict[str, Any] = {
    **{k: v for k, v in asdict(DataSpec()).items() if k not in UPLOAD_FIELDS},
    **asdict(TrainSpec()),
    "same_rate": True,
}

PRESETS: dict[str, dict[str, Any]] = {
    "The seed story: k settles, b crawls": {},
    "Fix 1: a rate for each parameter": {"same_rate": False, "lr_k": 0.02, "lr_b": 0.2},
    "Fix 2: more epochs": {"epochs": 5_000},
    "Fix 3: Adam": {"optimizer": "adam", "lr_k": 0.1, "lr_b": 0.1},
    "Fix 4: momentum": {"optimizer": "momentum", "lr_k": 0.005, "lr_b": 0.005},
    "A rate that diverges": {"lr_k": 0.05, "lr_b": 0.05},
    "x far from zero": {"x_min": 100.0, "x_max": 110.0, "lr_k": 8e-5, "lr_b": 8e-5},
    "Mini-batches of 8": {"batch": 8, "lr_k": 0.005, "lr_b": 0.005, "epochs": 200},
}

_CONFIG = "_gdlab_config"  # where the frozen config of this rerun is kept for the pages
_LR_B_BINDING = "_gdlab_lr_b_binding"  # how the η_b box was last drawn: bound or not
PRESET_KEY = "_gdlab_preset"  # the Preset box; it keeps showing the preset last applied

# How the preset trace names a setting, and how it writes one value.
SETTING_NAMES = {
    "n": "points",
    "slope": "true k",
    "intercept": "true b",
    "noise": "noise σ",
    "x_min": "x from",
    "x_max": "x to",
    "seed": "seed",
    "epochs": "epochs",
    "k0": "k₀",
    "b0": "b₀",
    "optimizer": "optimizer",
    "lr_k": "η_k",
    "lr_b": "η_b",
    "same_rate": "same rate",
    "momentum": "μ",
    "alpha": "α",
    "beta1": "β1",
    "beta2": "β2",
    "batch": "batch size",
    "schedule": "schedule",
    "every": "every",
    "factor": "factor",
    "gamma": "γ",
    "decay": "decay rate",
    "final": "final fraction",
    "standardize": "standardised x",
}


def describe_setting(key: str, value: Any) -> str:
    """One setting as the preset trace writes it: "η_k = 0.02", "Adam", "5,000 epochs"."""
    if key == "same_rate":
        return "one rate for k and b" if value else "separate rates"
    if key == "standardize":
        return "standardised x" if value else "raw x"
    if key == "optimizer":
        return OPTIMIZER_LABELS[value]
    if key == "schedule":
        return SCHEDULE_LABELS[value]
    if key == "epochs":
        return f"{value:,} epochs"
    if key == "batch":
        return "full batch" if value == 0 else f"batches of {value}"
    if key in ("x_min", "x_max"):
        return f"{SETTING_NAMES[key]} {value:g}"
    return f"{SETTING_NAMES[key]} = {value:g}"


def preset_settings(name: str) -> dict[str, Any]:
    """Every sidebar value a preset puts in place: the defaults, then its own values."""
    return DEFAULTS | PRESETS[name]


def _apply_preset() -> None:
    name = st.session_state[PRESET_KEY]
    if name is not None:
        st.session_state.update(preset_settings(name))


def reset_to_defaults() -> None:
    """The Reset button: every sidebar control at its default, no preset, no lesson.

    Every bound value then equals its default, so Streamlit drops them all from the address.
    """
    st.session_state.update(DEFAULTS)
    st.session_state[PRESET_KEY] = None
    st.session_state["lesson"] = None  # ui.lessons.LESSON_KEY (which imports this module)


def changed_since_preset(name: str, values: dict[str, Any]) -> list[str]:
    """The settings the preset put in place that now differ from it, in sidebar order."""
    return [key for key, value in preset_settings(name).items() if values.get(key) != value]


def preset_trace(name: str, values: dict[str, Any]) -> str:
    """What the applied preset set, and what the student has changed since."""
    own = PRESETS[name]
    if own:
        what = ", ".join(describe_setting(key, value) for key, value in own.items())
        what += "; every other setting at its default."
    else:
        what = "every setting at its default."
    trace = f"Preset “{name}”: {what}"
    changed = changed_since_preset(name, values)
    if changed:
        trace += " Since changed: " + ", ".join(SETTING_NAMES[key] for key in changed) + "."
    return trace


def _bound(widget: Any, label: str, key: str, **kwargs: Any) -> Any:
    """A widget whose value lives in the URL under `key`, with DEFAULTS[key] as its default.

    The default is passed even after a preset has set the key: Streamlit leaves a parameter
    out of the URL exactly when the value equals this default, so it must never change.
    """
    if widget is st.selectbox:
        kwargs["index"] = list(kwargs["options"]).index(DEFAULTS[key])
    else:
        kwargs.setdefault("value", DEFAULTS[key])
    kwargs.setdefault("bind", "query-params")
    return widget(label, key=key, **kwargs)


def _rate(label: str, key: str, **kwargs: Any) -> float:
    return _bound(
        st.number_input,
        label,
        key,
        min_value=0.0,
        max_value=10.0,
        step=0.001,
        format="%.6g",
        **kwargs,
    )


def _whole_number(label: str, key: str, low: int, high: int, **kwargs: Any) -> int:
    """A whole number, entered in a float widget: Streamlit 1.67 parses a URL value for an
    integer number_input with int(float(value)) outside its own error handling, so `?seed=inf`
    would raise. A float widget rejects a non-finite URL value and falls back to the default.
    """
    value = _bound(
        st.number_input,
        label,
        key,
        value=float(DEFAULTS[key]),
        min_value=float(low),
        max_value=float(high),
        step=1.0,
        format="%.0f",  # "%d" on a float widget logs a warning on every rerun
        **kwargs,
    )
    return int(value)


def render_data_ui() -> DataSpec:
    st.header("Data")
    upload = render_upload_ui()
    disabled = upload is not None
    n = _bound(st.select_slider, "Number of points", "n", options=N_CHOICES, disabled=disabled)
    slope = _bound(
        st.slider,
        "True slope k",
        "slope",
        min_value=-10.0,
        max_value=10.0,
        step=0.1,
        disabled=disabled,
    )
    intercept = _bound(
        st.slider,
        "True intercept b",
        "intercept",
        min_value=-10.0,
        max_value=10.0,
        step=0.1,
        disabled=disabled,
    )
    noise = _bound(
        st.slider, "Noise σ", "noise", min_value=0.0, max_value=5.0, step=0.1, disabled=disabled
    )
    left, right = st.columns(2)
    with left:
        x_min = _bound(
            st.number_input, "x from", "x_min", min_value=-1e4, max_value=1e4, disabled=disabled
        )
    with right:
        x_max = _bound(
            st.number_input, "x to", "x_max", min_value=-1e4, max_value=1e4, disabled=disabled
        )
    seed = _whole_number("Random seed", "seed", 0, 2**31 - 1, disabled=disabled)
    generated = DataSpec(n, slope, intercept, noise, x_min, x_max, seed)
    return replace(generated, **asdict(upload)) if upload else generated


def _described(key: str, labels: dict[str, str]) -> str:
    """A picker's help: each readable name with the value a link uses for it."""
    return "  \n".join(f"**{label}**: `?{key}={value}`" for value, label in labels.items())


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
    st.session_state[_LR_B_BINDING] = "bound" if bind else "unbound"
    return bind


def render_optimizer_ui() -> dict[str, Any]:
    # Readable names on screen, the short values in links (?optimizer=adam): see ui/pickers.py.
    choice = readable_picker(
        st.selectbox,
        "Optimizer",
        "optimizer",
        OPTIMIZER_LABELS,
        DEFAULTS["optimizer"],
        help=_described("optimizer", OPTIMIZER_LABELS),
    )
    values: dict[str, Any] = {"optimizer": choice}
    if choice in ("momentum", "nesterov"):
        values["momentum"] = _bound(
            st.slider, "Momentum μ", "momentum", min_value=0.0, max_value=0.99, step=0.01
        )
    if choice == "rmsprop":
        values["alpha"] = _bound(
            st.slider, "Smoothing α", "alpha", min_value=0.5, max_value=0.999, step=0.001
        )
    if choice == "adam":
        values["beta1"] = _bound(st.slider, "β1", "beta1", min_value=0.0, max_value=0.99, step=0.01)
        values["beta2"] = _bound(
            st.slider, "β2", "beta2", min_value=0.9, max_value=0.9999, step=0.0001, format="%.4f"
        )
    same = _bound(st.toggle, "Same rate for k and b", "same_rate")
    values["lr_k"] = _rate("Learning rate η_k" if not same else "Learning rate η", "lr_k")
    bind = _lr_b_binding(same)
    if same:
        # The disabled box shows the rate b is trained with, not one left from before.
        # Allowed here: the lr_b widget is not drawn yet in this run.
        st.session_state["lr_b"] = values["lr_k"]
    lr_b = _rate(
        "Learning rate η_b",
        "lr_b",
        disabled=same,
        bind=bind,
        help="Follows η above while “Same rate for k and b” is on." if same else None,
    )
    values["lr_b"] = values["lr_k"] if same else lr_b
    values["standardize"] = _bound(
        st.toggle,
        "Standardise x",
        "standardize",
        help=(
            "Trains on (x − x̄)/std(x) instead of x, where k and b have the same curvature, "
            "and shows k and b in the original units of x. The rates apply to the "
            "standardised problem."
        ),
    )
    return values


def render_schedule_ui(epochs: int) -> dict[str, Any]:
    choice = readable_picker(
        st.selectbox,
        "Schedule",
        "schedule",
        SCHEDULE_LABELS,
        DEFAULTS["schedule"],
        help=_described("schedule", SCHEDULE_LABELS),
    )
    values: dict[str, Any] = {"schedule": choice}
    if choice == "step":
        values["every"] = _whole_number("Every (epochs)", "every", 1, 10**6)
        values["factor"] = _bound(
            st.slider, "Factor", "factor", min_value=0.05, max_value=1.0, step=0.05
        )
    if choice == "exponential":
        values["gamma"] = _bound(
            st.number_input,
            "γ per epoch",
            "gamma",
            min_value=0.5,
            max_value=1.0,
            step=0.001,
            format="%.4f",
        )
    if choice == "inverse":
        values["decay"] = _bound(
            st.number_input,
            "Decay rate",
            "decay",
            min_value=0.0,
            max_value=10.0,
            step=0.001,
            format="%.4g",
        )
    if choice == "cosine":
        values["final"] = _bound(
            st.slider, "Final fraction", "final", min_value=0.0, max_value=1.0, step=0.05
        )
        st.caption(f"Decays over all {epochs:,} epochs.")
    return values


def render_training_ui() -> TrainSpec:
    st.header("Training")
    epochs = _bound(st.select_slider, "Epochs", "epochs", options=EPOCH_CHOICES)
    values = render_optimizer_ui() | render_schedule_ui(epochs)
    values["batch"] = _bound(
        st.select_slider,
        "Batch size",
        "batch",
        options=BATCH_CHOICES,
        format_func=lambda size: "full" if size == 0 else str(size),
    )
    left, right = st.columns(2)
    with left:
        values["k0"] = _bound(st.number_input, "Start k₀", "k0", min_value=-100.0, max_value=100.0)
    with right:
        values["b0"] = _bound(st.number_input, "Start b₀", "b0", min_value=-100.0, max_value=100.0)
    names = {field.name for field in fields(TrainSpec)}
    return TrainSpec(epochs=epochs, **{k: v for k, v in values.items() if k in names})


def render_sidebar() -> Config:
    """Draw the sidebar once per rerun and keep its frozen config for the pages."""
    with st.sidebar:
        st.selectbox(
            "Preset",
            list(PRESETS),
            index=None,
            placeholder="Start from a preset…",
            key=PRESET_KEY,
            on_change=_apply_preset,
        )
        trace = st.container()  # filled once the widgets below have their values
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
        config = Config(data=render_data_ui(), train=render_training_ui())
        name = st.session_state.get(PRESET_KEY)
        if name is not None:
            with trace:
                values = _sidebar_values(config)
                st.caption(preset_trace(name, values))
                if changed_since_preset(name, values):
                    st.button(
                        "Apply the preset again",
                        key="_gdlab_reapply",
                        type="tertiary",
                        icon=":material/replay:",
                        on_click=_apply_preset,
                    )
    st.session_state[_CONFIG] = config
    return config


def _sidebar_values(config: Config) -> dict[str, Any]:
    """The value of every key in DEFAULTS as this run drew it (hidden ones at their default)."""
    drawn = asdict(config.data) | asdict(config.train)
    return {key: drawn.get(key) for key in DEFAULTS} | {"same_rate": st.session_state["same_rate"]}


def current() -> Config:
    """The config drawn by this rerun's sidebar."""
    if _CONFIG not in st.session_state:
        _leave_pages_folder_mode()
    return st.session_state[_CONFIG]


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
