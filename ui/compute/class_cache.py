"""The one way a view, a run or a dataset is cached: keyed by the specs' fingerprints (keys.py),
bounded and aged for a class (sizes.py). Every cached function in ui/compute goes through here,
so no cache can forget its age or its bound (tests/ui/test_cache_age.py checks each)."""

from __future__ import annotations

import streamlit as st

from ui.compute import keys, sizes


def class_cache(max_size: str, spinner: bool | str = False):
    """st.cache_data holding at most CLASS_ENTRIES results of at most `max_size` in all, each
    dropped CLASS_SECONDS after it was computed; `spinner` is what a student reads while a miss
    computes (False: nothing, for the quick ones)."""
    return st.cache_data(
        hash_funcs=keys.SPECS,
        max_entries=sizes.CLASS_ENTRIES,
        max_size=max_size,
        ttl=sizes.CLASS_SECONDS,
        show_spinner=spinner,
    )


def class_resource(max_entries: int):
    """st.cache_resource (one shared object, never copied) for at most `max_entries` datasets,
    each dropped CLASS_SECONDS after it was made: Streamlit cannot weigh a resource."""
    return st.cache_resource(
        hash_funcs=keys.SPECS, max_entries=max_entries, ttl=sizes.CLASS_SECONDS, show_spinner=False
    )
