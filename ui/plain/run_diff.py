"""What differs between runs, in words: "η 0.01 → 0.02", from the settings themselves.

General over every sidebar setting: a run's settings are the controls its sidebar shows (μ only
for momentum, the plateau's patience only with that schedule), read from its frozen Config, so a
new control is compared without a line here. One rate for both parameters is named η, as the
sidebar names it; separate rates are η_k and η_b.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from ui import registry
from ui.config import Config

RATE = "η"  # one rate for k and b
DATA_SOURCE = "data"  # generated points or an uploaded file, which has no setting of its own
# Generated-data controls that mean nothing once a file replaces the points.
_GENERATED = {key for key, c in registry.CONTROLS.items() if c.section == "data"}


def settings(config: Config) -> dict[str, Any]:
    """The settings that shaped this run, by control key, in sidebar order."""
    drawn = asdict(config.data) | asdict(config.train)
    uploaded = config.data.csv is not None
    values: dict[str, Any] = {DATA_SOURCE: config.data.csv if uploaded else None}
    same = config.train.lr_k == config.train.lr_b
    for key in registry.CONTROLS:
        if key not in drawn or (uploaded and key in _GENERATED):
            continue
        if not registry.shown(key, values | drawn):
            continue
        if key == "lr_k" and same:
            values[RATE] = drawn[key]
        elif key == "lr_b" and same:
            continue
        else:
            values[key] = drawn[key]
    if uploaded:
        values.update(x_column=config.data.x_column, y_column=config.data.y_column)
    return values


def _name(key: str) -> str:
    if key == RATE:
        return RATE
    if key in ("x_column", "y_column"):
        return f"{key[0]} column"
    return registry.CONTROLS[key].name


def value_text(key: str, value: Any) -> str:
    """One value as a student reads it: "0.02", "Adam", "5,000", "full batch"."""
    if key == DATA_SOURCE:
        return "generated points" if value is None else "your file"
    if key in ("x_column", "y_column"):
        return str(value)
    control = registry.CONTROLS.get(key)
    if control is not None and control.widget == "picker":
        return registry.labels(key)[value]
    if isinstance(value, bool):
        return "on" if value else "off"
    if key == "batch":
        return "full batch" if value == 0 else str(value)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:g}"


def _two_rates(values: dict[str, Any], config: Config) -> dict[str, Any]:
    """`values` with one rate η written as η_k and η_b, in its place."""
    if RATE not in values:
        return values
    rates = {"lr_k": config.train.lr_k, "lr_b": config.train.lr_b}
    split: dict[str, Any] = {}
    for key, value in values.items():
        split.update(rates if key == RATE else {key: value})
    return split


def differences(before: Config, after: Config) -> list[str]:
    """Each setting that differs, as "name before → after", in sidebar order.

    A setting shown for only one of the two runs (μ when one uses momentum) is left out: the
    setting that hid it (the optimizer) already names the difference.
    """
    old, new = settings(before), settings(after)
    if (RATE in old) != (RATE in new):  # one rate in one run, two in the other
        old, new = _two_rates(old, before), _two_rates(new, after)
    texts = []
    for key, value in new.items():
        if key not in old or old[key] == value:
            continue
        if key == DATA_SOURCE and old[key] is not None and value is not None:
            texts.append("another file")
            continue
        pickers = key == DATA_SOURCE or (
            key in registry.CONTROLS and registry.CONTROLS[key].widget == "picker"
        )
        before_text, after_text = value_text(key, old[key]), value_text(key, value)
        if before_text == after_text:  # 6 digits could not tell them apart: all of them can
            before_text, after_text = repr(old[key]), repr(value)
        change = f"{before_text} → {after_text}"
        texts.append(change if pickers else f"{_name(key)} {change}")
    return texts


def own_text(config: Config) -> str:
    """A run's own settings, briefly: its rate (or rates), then each other setting that is
    not at its default, as "η 0.005, Momentum, epochs 1,000"."""
    defaults = settings(Config())
    texts = []
    for key, value in settings(config).items():
        if key not in (RATE, "lr_k", "lr_b") and defaults.get(key, value) == value:
            continue
        if key == DATA_SOURCE or (
            key in registry.CONTROLS and registry.CONTROLS[key].widget == "picker"
        ):
            texts.append(value_text(key, value))
        else:
            texts.append(f"{_name(key)} {value_text(key, value)}")
    return ", ".join(texts)


def full_text(config: Config) -> str:
    """Every setting of a run, exactly, as "points 100; …; η 0.01; …": what a kept-runs CSV
    row needs to say how its run was made, where `change_text` names only what differs from a
    reference the file does not hold."""
    texts = []
    for key, value in settings(config).items():
        text = value_text(key, value)
        if isinstance(value, float) and float(text) != value:  # 6 digits were not all of it
            text = repr(value)
        texts.append(f"{DATA_SOURCE if key == DATA_SOURCE else _name(key)} {text}")
    # Semicolons: a value such as "1,000" holds a comma.
    return "; ".join(texts)


def change_text(reference: Config | None, config: Config) -> str:
    """What a run changes from the reference run, in words (None: it is the reference, named
    by its own settings, "η 0.005 (the reference)")."""
    if reference is None:
        return f"{own_text(config)} (the reference)"
    return ", ".join(differences(reference, config)) or "same settings"
