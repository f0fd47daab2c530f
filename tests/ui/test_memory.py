"""The server's memory settings: glibc returns freed large arrays; loaded modules are frozen."""

import gc
import sys

from ui.plain import collector, memory


def test_the_mmap_threshold_is_fixed_where_there_is_glibc():
    assert memory.return_large_arrays_to_the_os() == sys.platform.startswith("linux")


def test_the_arenas_are_capped_where_there_is_glibc():
    assert memory.share_malloc_arenas() == sys.platform.startswith("linux")


def test_off_glibc_the_settings_do_nothing_and_say_so(monkeypatch):
    """macOS, Windows and musl have no mallopt (or no C library ctypes finds): no call, False,
    no exception, so `streamlit run app.py` starts the same everywhere."""
    for libc in (None, object()):  # no C library; one without mallopt
        monkeypatch.setattr(memory, "_libc", lambda libc=libc: libc)
        assert memory._mallopt(memory.M_ARENA_MAX, memory.ARENAS) is False


def test_each_setting_is_made_once_per_process_with_glibcs_values(monkeypatch):
    calls = []

    class Libc:
        def mallopt(self, option, value):
            calls.append((option, value))
            return 1  # glibc's success

    monkeypatch.setattr(memory, "_libc", Libc)
    for setting in (memory.share_malloc_arenas, memory.return_large_arrays_to_the_os):
        setting.cache_clear()
    try:
        for _ in range(3):  # every script run calls them
            assert memory.share_malloc_arenas() and memory.return_large_arrays_to_the_os()
        # <malloc.h>: M_ARENA_MAX -8, M_MMAP_THRESHOLD -3
        assert sorted(calls) == [(-8, 2), (-3, 128 * 1024)]
    finally:
        for setting in (memory.share_malloc_arenas, memory.return_large_arrays_to_the_os):
            setting.cache_clear()


def test_what_is_loaded_is_frozen_once_and_the_collector_then_skips_it():
    gc.unfreeze()
    collector.freeze_what_is_loaded.cache_clear()
    try:
        loaded = ["a module's objects"]
        assert any(tracked is loaded for tracked in gc.get_objects())
        collector.freeze_what_is_loaded()
        frozen = gc.get_freeze_count()
        # Frozen: no collection walks it any more (get_objects lists what collections walk).
        assert frozen > 0 and not any(tracked is loaded for tracked in gc.get_objects())
        later = ["a session's objects"]
        collector.freeze_what_is_loaded()  # once per process: what comes later stays collected
        assert gc.get_freeze_count() == frozen
        assert any(tracked is later for tracked in gc.get_objects())
    finally:
        gc.unfreeze()
        collector.freeze_what_is_loaded.cache_clear()


def test_arrow_buffers_come_from_the_system_allocator():
    """pyarrow's own mimalloc held freed pages for minutes under a class (ui/plain/memory.py):
    after the call, every new buffer, pandas' strings included, is counted by the system pool."""
    import pandas as pd
    import pyarrow as pa

    before = pa.default_memory_pool()
    memory.arrow_memory_from_malloc.cache_clear()
    try:
        assert memory.arrow_memory_from_malloc() == "system"
        system = pa.system_memory_pool()
        held = system.bytes_allocated()
        text = pd.Series([f"student {i}" for i in range(10_000)], dtype="string[pyarrow]")
        assert system.bytes_allocated() > held
        del text
    finally:
        pa.set_memory_pool(before)
        memory.arrow_memory_from_malloc.cache_clear()
