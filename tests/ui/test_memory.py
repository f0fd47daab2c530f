"""The server's memory settings: glibc returns freed large arrays; loaded modules are frozen."""

import gc
import sys

from ui.plain import collector, memory


def test_the_mmap_threshold_is_fixed_where_there_is_glibc():
    assert memory.return_large_arrays_to_the_os() == sys.platform.startswith("linux")


def test_the_arenas_are_capped_where_there_is_glibc():
    assert memory.share_malloc_arenas() == sys.platform.startswith("linux")


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
