"""Every cache drops its entries ui/compute/sizes.py's CLASS_SECONDS after computing them, so a
class's memory levels off in a known time, and Streamlit frees an expired entry without
anyone reading it again (what that design relies on, checked so an upgrade that changes it
is noticed)."""

from __future__ import annotations

import importlib
import math
import pkgutil

import streamlit as st
from streamlit.runtime.caching import cache_utils

import ui
from ui.compute import cache_locks, sizes


def _cached_functions() -> dict[str, object]:
    """Every st.cache_data and st.cache_resource function defined in ui/, by name."""
    found = {}
    for module in pkgutil.walk_packages(ui.__path__, "ui."):
        loaded = importlib.import_module(module.name)
        for name, value in vars(loaded).items():
            if isinstance(value, cache_utils.CachedFunc):
                found[f"{module.name}.{name}"] = value
    return found


def test_every_cache_in_the_app_ages_its_entries_out_and_is_bounded():
    functions = _cached_functions()
    assert "ui.compute.runs.trajectory" in functions and "ui.charts.render._arrow" in functions
    assert len(functions) >= 15
    for name, function in functions.items():
        info = function._info
        assert info.ttl == sizes.CLASS_SECONDS, name
        assert info.max_entries is not None and math.isfinite(info.max_entries), name


def test_streamlit_frees_an_expired_entry_at_its_functions_next_write(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(cache_utils, "TTLCACHE_TIMER", lambda: clock[0])

    @st.cache_data(ttl=10)
    def squared_for_age_test(x: int) -> int:
        return x * x

    squared_for_age_test(1)
    squared_for_age_test(2)
    cache = next(c for c in cache_locks._caches() if c.display_name.endswith("age_test"))
    stored = cache.storage._mem_cache  # Streamlit's own LRU with its time to live
    assert len(stored._data) == 2
    clock[0] += 11  # both expired; nobody reads them
    squared_for_age_test(3)  # another setting's write drops them
    assert len(stored._data) == 1
