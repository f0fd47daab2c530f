"""The st.Page objects app.py passes to st.navigation, built once per process.

Every rerun used to build them all again: a page per registry entry and a hidden one per
alias (ui/registry/aliases.py), 35 in all, each resolving its file's path on disk and
validating its title, icon and URL path. They never change while the server runs, so they are
built on the first run and each run gets shallow copies: st.navigation marks the copy it
returns as the one this run may call (`Page.run` then clears that mark), and a copy of its own
per run keeps one session's mark from reaching another session's run in another thread.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ui import registry
from ui.registry import Page
from ui.state import page_aliases


@functools.cache
def _built(pages: tuple[Page, ...], main_folder: Path) -> tuple[st.Page, ...]:
    """The pages of `pages` (their files found from `main_folder`) and the hidden aliases.

    Keyed on both: a process that runs another main script (benchmarks/shell_app.py swaps the
    registry's first page; tests run both) must not get the pages built for app.py."""
    listed = [
        st.Page(p.file, title=p.title, icon=p.icon, url_path=p.url_path, default=not p.url_path)
        for p in pages
    ]
    return (*listed, *page_aliases.hidden_pages())  # /sweeps, /lr_finder…: routed, not listed


def for_this_run() -> list[st.Page]:
    """Every page (listed in the registry's order, then the hidden aliases), this run's copies."""
    main_folder = get_script_run_ctx().pages_manager.main_script_parent
    return [copy.copy(page) for page in _built(registry.PAGES, main_folder)]
