"""Letting the server give memory back to the operating system, and not strand it in arenas.

glibc's malloc serves a block above its mmap threshold with a mapping of its own, which it
returns to the system on free; smaller blocks come from its heaps, where a freed block leaves
a hole that only a block of a fitting size reuses. Two things in the server make that matter:

- A million-epoch run makes arrays of 8 MB each. After the first such block is freed glibc
  raises its threshold to that block's size (up to 32 MB), so later arrays come from the heap
  and stay resident after they are freed: one session at the largest settings
  (benchmarks/bench_limits.py) left the server 85 MB larger for good. Fixing the threshold
  turns that adjustment off.
- The caches' entries (pickled views and charts' rows, 0.1–0.5 MB each for most of their
  bytes) are evicted and replaced all class long, in every size. From the heap, each eviction
  left a hole the next entry rarely fitted: in a 7-minute class of 40 (bench_class.py's, glibc's
  and the caches' own byte counts read inside the server every 5 s) the memory beyond what
  the caches held crept up 3 MB a minute after they filled (free space in the heaps 46 → 77
  MB). With the threshold at 128 KB the entries are mappings of their own, returned whole on
  eviction: the same class held 261–272 MB beyond the caches from its first minute to its
  last, about 15 MB less at the same cache size. A script run's own large blocks pay a mapping
  each (about 55 µs for 300 KB, page faults included): reruns of Fit, Parameters and Stability
  took 31.3, 36.0 and 28.2 ms of CPU against 29.9, 35.6 and 29.7 ms, alternating in one process
  (within their noise); a mini-batch epoch keeps its shuffled columns in buffers made once
  (gd_core/descent.epoch_batches), so 100,000 points cost no mapping per epoch.

Streamlit runs every script run in a thread of its own, and glibc gives threads their own malloc
arenas (up to 8 per core) so that they need not wait for each other's locks. Under a class each
arena kept its own free holes where evicted cache entries and finished runs had been: in a
7-minute class of 40 students (benchmarks/bench_class.py's) the arenas held 81–132 MB free
beside about 245 MB in use. With two arenas (MALLOC_ARENA_MAX=2 at start) the same class left
7–22 MB free, and the server was about 30 MB smaller at the same cache size; the lock costs
little, the threads take turns on the GIL anyway. Set here, on the first script run, the cap
comes after the server's own threads have made their arenas and only stops new ones (in a
later class that also cached charts' rows: 51–136 MB free with this call alone, 22–56 MB with
the variable set at start): scripts/serve_class.py sets the variable before its replicas start,
and a host that can set environment variables should do the same. By the first script run a
server has 7–8 arenas already (glibc makes them freely up to 8 before it computes a limit;
malloc_info read inside the server in a class of 40, 2 December), and this call keeps it there
instead of glibc's 16 on 2 cores. With the threshold fixed too, that class came out the same
size as with 2 arenas (461 MB at its 8th minute either way) and level after its caches filled
(benchmarks/bench_class.py's soak: 0.9 MB a minute, the caches themselves still creeping 0.7).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

M_MMAP_THRESHOLD = -3  # from glibc's <malloc.h>
M_ARENA_MAX = -8
ARENAS = 2  # the main arena and one for every other thread
THRESHOLD_BYTES = 128 * 2**10  # glibc's own starting value, kept from moving up


@functools.cache  # once per process: find_library runs `ldconfig -p`, 5 % of a rerun's time
def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


def _mallopt(option: int, value: int) -> bool:
    """glibc's mallopt; False where there is no glibc (macOS, Windows, musl)."""
    try:
        return bool(_libc().mallopt(option, value))  # type: ignore[union-attr]
    except AttributeError:  # no C library, or one without mallopt
        return False


@functools.cache  # once per process
def return_large_arrays_to_the_os() -> bool:
    """Fix glibc's mmap threshold; False where there is no glibc."""
    return _mallopt(M_MMAP_THRESHOLD, THRESHOLD_BYTES)


@functools.cache  # once per process, as early as possible: arenas made before it stay
def share_malloc_arenas() -> bool:
    """At most ARENAS malloc arenas for all the server's threads; False where there is no
    glibc."""
    return _mallopt(M_ARENA_MAX, ARENAS)


@functools.cache  # once per process; buffers made before it keep their own pool
def arrow_memory_from_malloc() -> str:
    """pyarrow's buffers from glibc's malloc (pyarrow's system pool) instead of the mimalloc
    it bundles; returns the pool's backend name.

    pandas 3 keeps text as pyarrow strings and Streamlit sends every chart's rows as Arrow, so
    every script run allocates Arrow buffers, from a thread that Streamlit starts for that run
    and that ends with it. mimalloc keeps a heap per thread and gives freed pages back lazily,
    so under a class its share of the server held between 2 and 25 MB for pools that never had
    more than 2 MB allocated at once: in a 10-minute soak of 40 (bench_class.py --probe, read
    inside the server every 20 s, 2 December) its mappings' resident memory moved with the
    server's (correlation 0.8) and went up and down by 6–10 MB for minutes at a time, the size
    and shape of the steps that made earlier soaks miss their 1 MB a minute. With the system
    pool those mappings held a constant 3–6 MB and the server's readings scattered less about
    their trend (2.8 MB against 4.1; over two more pairs 2.8–4.2 against 4.1–5.9, README);
    the judged slopes were alike (0.4–0.6 against −0.2–0.4 MB a minute): this removes a source
    of steps, not a steady rise. glibc's mmap threshold (above) returns large buffers whole.
    CPU per run did not change (the same Arrow work timed alternately with each pool: 1.89 ms
    either way; a class of 20: 35.7 ms against 36.6, medians of four runs each), and that
    class peaked 6–10 MB lower. The variable
    ARROW_DEFAULT_MEMORY_POOL=system does the same from the start but cannot be set on
    Community Cloud."""
    import pyarrow

    pyarrow.set_memory_pool(pyarrow.system_memory_pool())
    return pyarrow.default_memory_pool().backend_name
