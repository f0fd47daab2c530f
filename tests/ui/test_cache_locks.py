"""ui/compute/cache_locks.py drops the locks Streamlit keeps for every cached result, and only
those no thread holds; the results themselves stay cached."""

from __future__ import annotations

import threading

import streamlit as st

from ui.compute import cache_locks


def _cache_named(name: str):
    return next(c for c in cache_locks._caches() if c.display_name.endswith(name))


def test_idle_locks_are_dropped_held_ones_kept_and_results_stay_cached():
    calls = []

    @st.cache_data
    def squared_for_lock_test(x: int) -> int:
        calls.append(x)
        return x * x

    assert [squared_for_lock_test(x) for x in range(40)] == [x * x for x in range(40)]
    cache = _cache_named("squared_for_lock_test")
    # Streamlit's own bookkeeping, as this module expects it: one lock per result computed.
    assert len(cache._value_locks) == 40 and hasattr(cache, "_value_locks_lock")
    held_key = next(iter(cache._value_locks))
    held = cache._value_locks[held_key]
    held.acquire()  # a student's run computing this result right now
    try:
        dropped = cache_locks.drop_idle_locks(force=True)
    finally:
        held.release()
    assert dropped >= 39
    assert list(cache._value_locks) == [held_key]
    assert cache._value_locks[held_key] is held
    # The results are still cached: no call computes again.
    assert [squared_for_lock_test(x) for x in range(40)] == [x * x for x in range(40)]
    assert len(calls) == 40
    squared_for_lock_test.clear()


def test_at_most_once_a_minute_and_never_waiting_for_another_thread(monkeypatch):
    @st.cache_resource
    def doubled_for_lock_test(x: int) -> int:
        return 2 * x

    for x in range(5):
        doubled_for_lock_test(x)
    cache = _cache_named("doubled_for_lock_test")
    assert len(cache._value_locks) == 5
    clock = [1000.0]
    monkeypatch.setattr(cache_locks.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(cache_locks, "_last", [clock[0] - 1])  # dropped a second ago
    assert cache_locks.drop_idle_locks() == 0 and len(cache._value_locks) == 5
    clock[0] += cache_locks.EVERY_SECONDS
    with cache_locks._turn:  # another thread is dropping: this one returns at once
        assert cache_locks.drop_idle_locks() == 0
    assert cache_locks.drop_idle_locks() >= 5 and len(cache._value_locks) == 0
    doubled_for_lock_test.clear()


def test_without_streamlit_s_attributes_it_does_nothing(monkeypatch):
    class Elsewhere:  # a cache that keeps its locks some other way
        pass

    monkeypatch.setattr(cache_locks, "_caches", lambda: iter([Elsewhere()]))
    assert cache_locks.drop_idle_locks(force=True) == 0


def test_a_lock_is_never_dropped_while_streamlit_hands_one_out():
    @st.cache_data
    def tripled_for_lock_test(x: int) -> int:
        return 3 * x

    tripled_for_lock_test(1)
    cache = _cache_named("tripled_for_lock_test")
    done = threading.Event()
    with cache._value_locks_lock:  # Streamlit is handing out a lock in another thread
        worker = threading.Thread(
            target=lambda: (cache_locks.drop_idle_locks(force=True), done.set())
        )
        worker.start()
        assert not done.wait(0.2)  # the drop waits for Streamlit's own lock
        assert len(cache._value_locks) == 1
    worker.join(5)
    assert done.is_set() and len(cache._value_locks) == 0
    tripled_for_lock_test.clear()
