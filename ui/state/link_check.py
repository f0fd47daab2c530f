"""A link's values that could not be used, said once above the page it opened.

On a session's first run the address seeds every bound widget; Streamlit drops a value a widget
cannot take and draws its default instead. `remember()` keeps what the address asked for before
anything is drawn; `render_notice()`, after the page has drawn its own widgets, compares each
asked value with the one drawn and, where they differ, says so until the student leaves that
page or closes the notice.

A page that stops early (a message instead of its charts: `?x_min=5&x_max=5`) has not drawn its
own widgets, so their values cannot be compared yet: those wait, and are checked (and added to
the notice) on the page's next complete run. A key no page reads is named and taken out of the
address, so the link the student copies next no longer carries it.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from typing import Any

import streamlit as st

from ui import registry
from ui.plain.link_values import means, unknown, unused
from ui.registry import Control
from ui.state.pickers import label_key, offered

_ASKED = "_gdlab_link_asked"  # the first run's query parameters, until they are checked
_NOTICE = "_gdlab_link_notice"  # (page, lines) of the notice being shown
_SEEN = "_gdlab_link_seen"  # set once a session's first run has been remembered
_PLACE = "_gdlab_link_place"  # this run's (container above the page, page), until drawn
_WAITING = "_gdlab_link_waiting"  # (page, values) not yet drawn when that page stopped early


def remember() -> None:
    """On a session's first run: the address's values, before any widget reads them."""
    if st.session_state.get(_SEEN):
        return
    st.session_state[_SEEN] = True
    # Every value of a key: a multi-choice widget's link repeats it (?sweep_with=…&sweep_with=…).
    st.session_state[_ASKED] = {key: st.query_params.get_all(key) for key in st.query_params}


def _unknown_line(key: str, raw: str | None) -> str:
    """A key no page of the app reads (`?standardise=true`, `?lr=0.02`), with the known keys
    it is closest to: Streamlit ignores it without a word, and the student thinks it worked."""
    near = difflib.get_close_matches(key.strip().lower(), sorted(registry.URL_PARAMS), n=2)
    labels = {name: control.label for name, control in registry.CONTROLS.items()}
    return unknown(key, raw, near, labels)


def _unused_lines(
    asked: dict[str, list[str]],
) -> tuple[list[str], dict[str, list[str]]]:
    """(a line per value the page could not use, the page's values not drawn on this run)."""
    lines, undrawn = [], {}
    for key, values in asked.items():
        raw = values[-1] if values else None  # a single value: the last, as Streamlit reads it
        if key.strip() and key not in registry.URL_PARAMS:  # (a bare "&" makes an empty key)
            lines.append(_unknown_line(key, raw))
            _leave_out(key)
            continue
        # A parameter no widget can own is nobody's value: Streamlit rejects "" and keys
        # beginning with "$$ID" in st.session_state outright (a raise, not False), so
        # `?$$ID=` would end every page in a traceback.
        if not key or key.startswith("$$") or raw is None:
            continue
        # Only widgets drawn on this run: a hidden control (μ while plain GD is chosen) keeps
        # its value in the link untouched, and other parameters are not widgets' values.
        if key not in st.session_state:
            undrawn[key] = values
            continue
        drawn = st.session_state[key]
        control, shown_as = _control(key), registry.SHOWN_AS.get(key)
        if drawn is None and control is not None and "labels" in control.extra:
            # A required readable picker shows its default instead (pickers.py): its value.
            shown = st.session_state.get(label_key(key))
            drawn = {label: value for value, label in control.extra["labels"].items()}.get(shown)
        if isinstance(drawn, list | tuple):  # a multi-choice widget: each value on its own
            lines += [
                unused(key, value, drawn, control)
                for value in values
                if not any(means(value, item, control) for item in drawn)
            ]
        elif drawn is None or not means(raw, drawn, control, shown_as):
            lines.append(unused(key, raw, drawn, control, shown_as))
    return lines, undrawn


def _control(key: str) -> Control | None:
    """The registry's description of the widget `key`, with any top the page sets at run
    time (Compare's "Loss at epoch" goes up to the run's epochs) read from its setting."""
    control = registry.LINK_CONTROLS.get(key)
    if control is not None and "high_from" in control.extra:
        control = replace(control, high=st.session_state.get(control.extra["high_from"]))
    choices = offered(key)
    if control is not None and choices is not None and "labels" in control.extra:
        # The choices the box offers here (Sweeps hides noise σ and n for an upload).
        labels, left_out = choices
        control = replace(control, extra={**control.extra, "labels": labels, "left_out": left_out})
    return control


def _leave_out(key: str) -> None:
    """Take a key no page reads out of the address (Streamlit keeps whatever it does not own)."""
    if key in st.query_params:
        del st.query_params[key]


def _to_check(page: str) -> dict[str, list[str]] | None:
    """The first run's values, else those left waiting by `page`'s early stop (while it is
    still the page shown)."""
    asked = st.session_state.pop(_ASKED, None)
    if asked is not None:
        return asked
    waiting = st.session_state.pop(_WAITING, None)
    return waiting[1] if waiting is not None and waiting[0] == page else None


def place_notice(place: Any, page: str) -> None:
    """Where this run's notice goes (a container above the page) and which page it is on."""
    st.session_state[_PLACE] = (place, page)


def render_notice(stopped: bool = False) -> None:
    """The notice in its place, while its page stays open. `stopped`: the page is about to
    end early (st.stop, after which nothing can be drawn), so its own widgets' values wait
    for a complete run."""
    place, page = st.session_state.pop(_PLACE, (None, None))
    if place is None:  # drawn already on this run (before a stop), or no page
        return
    asked = _to_check(page)
    if asked:
        lines, undrawn = _unused_lines(asked)
        if stopped and undrawn:
            st.session_state[_WAITING] = (page, undrawn)
        if lines:
            earlier = st.session_state.get(_NOTICE)
            if earlier is not None and earlier[0] == page:  # a waiting value joins the notice
                lines = [*earlier[1], *lines]
            st.session_state[_NOTICE] = (page, lines)
    shown = st.session_state.get(_NOTICE)
    if shown is None:
        return
    if shown[0] != page:
        del st.session_state[_NOTICE]
        return
    with place, st.container(border=True):
        st.warning(
            "Some values in this link could not be used:\n"
            + "".join(f"\n- {line}" for line in shown[1]),
            icon=":material/link_off:",
        )
        st.button("Close", key="_gdlab_link_close", type="tertiary", on_click=_close)


def _close() -> None:
    st.session_state.pop(_NOTICE, None)
