"""Pickers that show readable names while links keep their short values (?optimizer=adam).

Streamlit 1.67 writes a bound selectbox's *displayed* text into the URL and matches a URL value
against it, so a `format_func` would turn `?optimizer=adam` into `?optimizer=Adam` and break
every link shared before. So each picker is two widgets:

- the bound one, keyed by the URL parameter, with the URL values as options: it owns the value,
  the link and the fallback for a bad link value. CSS hides it: it is the element just before
  the visible one, whose element container Streamlit marks with the class `st-key-<key>__readable`
  (assets/chart_controls.css). No container of its own: one more element on every rerun.
- a visible one, not bound, with the readable labels. Each run it is set to the label of the
  bound value (so links, presets and lessons show in it); choosing in it writes the matching
  URL value into the bound key, which Streamlit then puts in the address bar.

Code and tests address the bound key as before (`st.session_state["optimizer"]`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

LABEL_SUFFIX = "__readable"  # unlike any other key: the style sheet selects on it


def label_key(key: str) -> str:
    """The key of the visible widget that shows `key`'s value by its readable name."""
    return key + LABEL_SUFFIX


# Each picker's choices offered on its last run, and why any of the registry's are left out
# (by the picker's key): the link notice names these, not choices the box hides. One entry for
# all pickers: Streamlit's number inputs and select boxes copy every session-state entry on
# every call (SessionState.filtered_state), so each entry costs every such widget of a rerun.
_OFFERED = "_gdlab_offered"


def offered(key: str) -> tuple[dict[str, str], str | None] | None:
    """What the picker `key` offered on its last run: its labels and `left_out`, or None."""
    return st.session_state.get(_OFFERED, {}).get(key)


def _write_value(key: str, labels: Mapping[str, str], then: Callable[[], None] | None) -> None:
    """The visible widget's callback: its label's URL value into the bound key."""
    chosen = st.session_state[label_key(key)]
    st.session_state[key] = {label: value for value, label in labels.items()}.get(chosen)
    if then is not None:
        then()


def readable_picker(
    widget: Callable[..., Any],
    label: str,
    key: str,
    labels: Mapping[str, str],
    default: str | None,
    *,
    on_change: Callable[[], None] | None = None,
    left_out: str | None = None,
    **kwargs: Any,
) -> Any:
    """A `st.selectbox` or `st.segmented_control` showing `labels`, bound to ?key=<value>.

    `labels` maps each URL value to its readable name; `default` is a URL value (or None for no
    choice, which shows the placeholder). `on_change` runs after either widget changes the
    value; `left_out` says why some of the registry's choices are not offered here (for the
    link notice); other keyword arguments (help, placeholder, required) go to both widgets.
    Returns the URL value, as the bound widget alone would.
    """
    values = list(labels)
    if _OFFERED not in st.session_state:
        st.session_state[_OFFERED] = {}
    st.session_state[_OFFERED][key] = (dict(labels), left_out)
    if widget is st.selectbox:
        bound_default = {"index": None if default is None else values.index(default)}
    else:
        bound_default = {"default": default}
    hidden = {name: value for name, value in kwargs.items() if name != "help"}
    if kwargs.get("required") and default is not None and st.query_params.get(key) == "":
        # Streamlit 1.67 reads a required picker's `?key=` as a deselection (the default is
        # shown, below, and the link notice says so) but leaves `key=` in the address, so a
        # copied link kept it. A link's first run reaches here before the widget binds the key.
        del st.query_params[key]
    value = widget(  # hidden: drawn right before the visible one (see above)
        f"{label} (its value in links)",
        values,
        key=key,
        bind="query-params",
        on_change=on_change,
        label_visibility="collapsed",
        **bound_default,
        **hidden,
    )
    if value is None and kwargs.get("required") and default is not None:
        # Streamlit 1.67 reads `?key=` as a deselection even when a choice is required.
        value = default
    # Set before the visible widget is drawn in this run, which Streamlit allows.
    st.session_state[label_key(key)] = labels.get(value)
    shown = list(labels.values())
    if widget is st.selectbox:
        # index=0 with the state set above: Streamlit then sees no competing default.
        visible_default = {"index": None if default is None else 0}
    else:
        visible_default = {"default": None}
    widget(
        label,
        shown,
        key=label_key(key),
        on_change=_write_value,
        args=(key, labels, on_change),
        **visible_default,
        **kwargs,
    )
    return value
