"""A link's values that could not be used, said once above the page it opened.

On a session's first run the address seeds every bound widget; Streamlit drops a value a widget
cannot take and draws its default instead. `remember()` keeps what the address asked for before
anything is drawn; `render_notice()`, after the page has drawn its own widgets, compares each
asked value with the one drawn and, where they differ, says so until the student leaves that
page or closes the notice.
"""

from __future__ import annotations

import difflib
from typing import Any

import streamlit as st

from ui import registry
from ui.plain.link_values import means, unknown, unused
from ui.state.pickers import label_key

_ASKED = "_gdlab_link_asked"  # the first run's query parameters, until they are checked
_NOTICE = "_gdlab_link_notice"  # (page, lines) of the notice being shown
_SEEN = "_gdlab_link_seen"  # set once a session's first run has been remembered


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


def _unused_lines(asked: dict[str, list[str]]) -> list[str]:
    lines = []
    for key, values in asked.items():
        raw = values[-1] if values else None  # a single value: the last, as Streamlit reads it
        if key.strip() and key not in registry.URL_PARAMS:  # (a bare "&" makes an empty key)
            lines.append(_unknown_line(key, raw))
            continue
        # Only widgets drawn on this run: a hidden control (μ while plain GD is chosen) keeps
        # its value in the link untouched, and other parameters are not widgets' values.
        # A parameter no widget can own is nobody's value: Streamlit rejects "" and keys
        # beginning with "$$ID" in st.session_state outright (a raise, not False), so
        # `?$$ID=` would end every page in a traceback.
        if not key or key.startswith("$$") or key not in st.session_state or raw is None:
            continue
        drawn = st.session_state[key]
        if drawn is None:  # a required readable picker shows its default instead (pickers.py)
            drawn = st.session_state.get(label_key(key))
        control, shown_as = registry.CONTROLS.get(key), registry.SHOWN_AS.get(key)
        if isinstance(drawn, list | tuple):  # a multi-choice widget: each value on its own
            lines += [
                unused(key, value, drawn, control)
                for value in values
                if not any(means(value, item, control) for item in drawn)
            ]
        elif drawn is None or not means(raw, drawn, control, shown_as):
            lines.append(unused(key, raw, drawn, control, shown_as))
    return lines


def render_notice(place: Any, page: str) -> None:
    """The notice in `place` (a container above the page), while `page` stays open."""
    asked = st.session_state.pop(_ASKED, None)
    if asked:
        lines = _unused_lines(asked)
        if lines:
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
