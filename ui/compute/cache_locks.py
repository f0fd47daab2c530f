"""Dropping the locks Streamlit keeps for every cached result it ever computed.

`st.cache_data` and `st.cache_resource` make a lock for each result they compute (a
function's arguments hashed), so that students asking for the same result at the same moment
compute it once (`Cache.compute_value_lock` in streamlit/runtime/caching/cache_utils.py).
Streamlit never drops those locks, not even when the result itself is evicted. Under a class
every new setting a student draws is a few dozen new results (each chart's rows is one), so
they pile up: in two 11-minute classes of 40 students (bench_class.py, read inside the
server every 20 s) 800–1,000 a minute, and still 500–650 a minute once the caches had filled,
some 200 bytes each (the hashed key and the lock): 6–12 MB an hour of class, never given back.

Only a lock that no thread holds is dropped. A thread that has fetched a lock but not yet taken
it may then compute its result a second time beside another thread, as both would have without
the lock; the result is the same, so that costs time once, never a wrong answer.

This reads Streamlit's private attributes (`_value_locks`, `_value_locks_lock` and the cache
managers' `_function_caches`); where they are missing it does nothing, and
tests/ui/test_cache_locks.py fails, so an upgrade that changes them is noticed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

from streamlit.runtime.caching import cache_data_api, cache_resource_api

EVERY_SECONDS = 60.0  # a class adds ~1,000 locks a minute; dropping 1,500 takes ~0.2 ms
_turn = threading.Lock()  # one thread at a time drops; the others do not wait
_last = [float("-inf")]  # monotonic seconds of the last drop


def _caches() -> Iterator[object]:
    """Every function cache of both kinds, for every session scope."""
    for manager in (cache_data_api._data_caches, cache_resource_api._resource_caches):
        scopes = getattr(manager, "_function_caches", {})
        for caches in list(scopes.values()):  # copied: other threads add caches meanwhile
            yield from list(caches.values())


def drop_idle_locks(force: bool = False) -> int:
    """Drop every cache lock that no thread holds, at most once every EVERY_SECONDS per
    process (any time with `force`). Returns how many were dropped: 0 when it is not yet
    time, when another thread is dropping them, or where Streamlit keeps them differently."""
    if not _turn.acquire(blocking=False):
        return 0
    try:
        now = time.monotonic()
        if not force and now - _last[0] < EVERY_SECONDS:
            return 0
        _last[0] = now
        dropped = 0
        for cache in _caches():
            locks = getattr(cache, "_value_locks", None)
            guard = getattr(cache, "_value_locks_lock", None)
            if locks is None or guard is None:
                continue
            with guard:  # the lock Streamlit takes to hand out a key's lock
                idle = [key for key, lock in locks.items() if not lock.locked()]
                for key in idle:
                    del locks[key]
            dropped += len(idle)
        return dropped
    finally:
        _turn.release()
