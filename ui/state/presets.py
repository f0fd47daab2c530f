"""Presets: named sets of sidebar values, the trace of what one set, and Reset to defaults.

Every key here is a registered control (ui/registry/); tests check that, so a misspelt key
fails there instead of silently setting nothing.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui import registry

# Every control's default, by its key (= its URL parameter).
DEFAULTS: dict[str, Any] = {key: control.default for key, control in registry.CONTROLS.items()}

PRESETS: dict[str, dict[str, Any]] = {
    "The seed story: k settles, b crawls": {},
    "Fix 1: a rate for each parameter": {"same_rate": False, "lr_k": 0.02, "lr_b": 0.2},
    "Fix 2: more epochs": {"epochs": 5_000},
    # η = 0.3, from the rates gd_core runs: Adam at 0.2-0.5 converges in 117-271 epochs here,
    # at 0.1 it leaves b 0.6 % off after 450 and at the default 0.01, 78 %. A "fix" must show
    # the fix working (tests/ui/test_fix_presets.py holds every Fix to its own epochs).
    "Fix 3: Adam": {"optimizer": "adam", "lr_k": 0.3, "lr_b": 0.3},
    "Fix 4: momentum": {"optimizer": "momentum", "lr_k": 0.005, "lr_b": 0.005},
    "A rate that diverges": {"lr_k": 0.05, "lr_b": 0.05},
    "x far from zero": {"x_min": 100.0, "x_max": 110.0, "lr_k": 8e-5, "lr_b": 8e-5},
    "Mini-batches of 8": {"batch": 8, "lr_k": 0.005, "lr_b": 0.005, "epochs": 200},
}

# What each fix demonstrates, said under the Preset box while its settings are unchanged:
# general facts of the method; that each one converges within its own epochs is a test.
PRESET_POINTS: dict[str, str] = {
    "Fix 1: a rate for each parameter": (
        "It shows: with b's rate ten times k's, each below its own limit, b no longer lags "
        "and both settle within the run."
    ),
    "Fix 2: more epochs": (
        "It shows: nothing is wrong with the small rate except its pace; given enough "
        "epochs, b settles too."
    ),
    "Fix 3: Adam": (
        "It shows: Adam scales each parameter's step by its own gradient history, so b "
        "moves about as fast as k without a rate of its own, and both settle within the run."
    ),
    "Fix 4: momentum": (
        "It shows: momentum adds up the steps that keep pointing the same way, as b's do "
        "along the flat valley, so b speeds up and both settle within the run."
    ),
}

PRESET_KEY = "_gdlab_preset"  # the Preset box; it keeps showing the preset last applied
UPLOAD_KEY = "csv_upload"  # the sidebar's file uploader (ui/state/upload_panel.py)
_RESET_KEPT_FILE = "_gdlab_reset_kept_file"  # set by Reset when a file stays the data
# Said under Reset to defaults when it left an uploaded file in place.
KEPT_FILE_NOTE = (
    "Every setting is back at its default, but your file is still the data: remove it in "
    "the uploader below to train on the generated points again."
)
LESSON_KEY = "lesson"  # the Lesson box (ui/state/lessons.py, which imports this module)


def describe_setting(key: str, value: Any) -> str:
    """One setting as the preset trace writes it: "η_k = 0.02", "Adam", "5,000 epochs"."""
    control = registry.CONTROLS[key]
    if key == "same_rate":
        return "one rate for k and b" if value else "separate rates"
    if key == "standardize":
        return "standardised x" if value else "raw x"
    if control.widget == "picker":
        return registry.labels(key)[value]
    if key == "epochs":
        return f"{value:,} epochs"
    if key == "batch":
        return "full batch" if value == 0 else f"batches of {value}"
    if key in ("x_min", "x_max"):
        return f"{control.name} {value:g}"
    return f"{control.name} = {value:g}"


def preset_settings(name: str) -> dict[str, Any]:
    """Every sidebar value a preset puts in place: the defaults, then its own values."""
    return DEFAULTS | PRESETS[name]


def apply_preset() -> None:
    name = st.session_state[PRESET_KEY]
    if name is not None:
        st.session_state.update(preset_settings(name))


def reset_to_defaults() -> None:
    """The Reset button: every sidebar control at its default, no preset, no lesson.

    Every bound value then equals its default, so Streamlit drops them all from the address.
    """
    st.session_state.update(DEFAULTS)
    st.session_state[PRESET_KEY] = None
    st.session_state[LESSON_KEY] = None
    # Nothing lost: an uploaded file stays, which the student who expected the default line
    # is told right under the button (kept_file_note).
    st.session_state[_RESET_KEPT_FILE] = st.session_state.get(UPLOAD_KEY) is not None


def kept_file_note() -> str | None:
    """KEPT_FILE_NOTE on the run right after a Reset that left an uploaded file, else None."""
    return KEPT_FILE_NOTE if st.session_state.pop(_RESET_KEPT_FILE, False) else None


def changed_since_preset(name: str, values: dict[str, Any]) -> list[str]:
    """The settings the preset put in place that now differ from it, in sidebar order."""
    return [key for key, value in preset_settings(name).items() if values.get(key) != value]


def preset_trace(name: str, values: dict[str, Any], uploaded: bool = False) -> str:
    """What the applied preset set, and what the student has changed since; while the run is
    still the preset's own (nothing changed, no file), what it demonstrates."""
    own = PRESETS[name]
    if own:
        what = ", ".join(describe_setting(key, value) for key, value in own.items())
        what += "; every other setting at its default."
    else:
        what = "every setting at its default."
    trace = f"Preset “{name}”: {what}"
    changed = changed_since_preset(name, values)
    if name in PRESET_POINTS and not changed and not uploaded:
        trace += " " + PRESET_POINTS[name]
    if changed:
        names = ", ".join(registry.CONTROLS[key].name for key in changed)
        trace += f" Since changed: {names}."
    return trace
