"""Addresses that are not a page's own (ui/registry/aliases.py) open that page, link kept.

Each alias is a hidden page in st.navigation, so Streamlit routes it instead of answering
"page not found" with the Fit page; app.py then switches to the page it stands for before
anything reads the address, passing every query parameter on (st.switch_page would clear them).
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from ui import registry


def hidden_pages() -> list[st.Page]:
    """One hidden st.Page per alias: routable by URL, never listed in the menu. Run on its
    own, each switches to its page too; app.py switches before the sidebar is drawn."""
    titles = {page.url_path: page.title for page in registry.PAGES}
    return [
        st.Page(partial(_open, path), title=titles[path], url_path=alias, visibility="hidden")
        for alias, path in registry.ALIASES.items()
    ]


def follow(page: st.Page) -> None:
    """If `page` is an alias, open the page it stands for (and stop this run)."""
    path = registry.ALIASES.get(page.url_path)
    if path is not None:
        _open(path)


def _open(url_path: str) -> None:
    """Switch to the page at `url_path` with the address's query parameters, each value of a
    repeated one too."""
    file = next(page.file for page in registry.PAGES if page.url_path == url_path)
    params = [(key, value) for key in st.query_params for value in st.query_params.get_all(key)]
    st.switch_page(file, query_params=params)
