"""Where a server's memory is, read inside it every few seconds: opt-in, for soaks.

Set GDLAB_MEMORY_PROBE to a file's path before `streamlit run app.py` (bench_class.py's
`--probe` does) and app.py's first script run starts one daemon thread that appends a JSON
line to that file every GDLAB_MEMORY_PROBE_SECONDS (20 by default): the process's resident
memory (anonymous and file-backed), glibc malloc's bytes in use, free and mapped
(mallinfo2), Python's allocated blocks, pyarrow's memory pool (backend, bytes allocated,
peak), the collector's counts, the st.cache_data entries and their bytes, the sessions, the
media files Streamlit keeps, the threads, and the resident memory of every anonymous mapping
of 1 MB or more (by address), so a step in a soak can be pinned to the mapping it grew in.
Without the variable nothing is started and a script run pays one cached call.

With GDLAB_MEMORY_TRACE set to a directory as well, every GDLAB_MEMORY_TRACE_SECONDS (300 by
default) the thread writes there the live objects counted by type and the entries of every
functools LRU cache (`objects-<seconds>.json`, a pause of about 0.3 s). With
GDLAB_MEMORY_TRACE_FROM=S it also starts tracemalloc S seconds in (TRACE_FRAMES frames a
block) and dumps a snapshot beside each of those (`trace-<seconds>.snap`): only what was
allocated after S is traced, so a snapshot holds what grew since. Tracing slows every
allocation: with 6 frames from the start a class of 40 fell so far behind that the event
loop's queue of callbacks grew by thousands and the soak's own metrics reads timed out, so
start it late, once the class is at its steady state, and do not judge that soak's slope.
`python benchmarks/soak_trace.py DIR` compares two dumps.

It reads Streamlit's private attributes (its session manager, its media file storage, the
caches' managers); where they are missing the field is left out, never an error.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import json
import os
import sys
import threading
import time
from pathlib import Path

PROBE_ENV = "GDLAB_MEMORY_PROBE"
SECONDS_ENV = "GDLAB_MEMORY_PROBE_SECONDS"
TRACE_ENV = "GDLAB_MEMORY_TRACE"
TRACE_SECONDS_ENV = "GDLAB_MEMORY_TRACE_SECONDS"
TRACE_FROM_ENV = "GDLAB_MEMORY_TRACE_FROM"
TRACE_FRAMES = 2
DEFAULT_SECONDS = 20.0
BIG_MAPPING_KB = 1024  # anonymous mappings resident at least this much are listed one by one
MB = 2**20


class _Mallinfo2(ctypes.Structure):
    """glibc's `struct mallinfo2` (2.33+): every field a size_t, summed over all arenas."""

    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",  # bytes from sbrk and the thread arenas' heaps (not mmapped chunks)
            "ordblks",  # free chunks
            "smblks",
            "hblks",  # mmapped chunks
            "hblkhd",  # bytes in mmapped chunks
            "usmblks",
            "fsmblks",
            "uordblks",  # bytes in use (heaps only)
            "fordblks",  # bytes free in the heaps
            "keepcost",  # releasable at the top of the main heap
        )
    ]


def parse_status(text: str) -> dict[str, float]:
    """/proc/<pid>/status: resident MB (all, anonymous, file-backed) and threads."""
    wanted = {"VmRSS": "rss_mb", "RssAnon": "anon_mb", "RssFile": "file_mb", "Threads": "threads"}
    found: dict[str, float] = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key in wanted:
            number = float(value.split()[0])
            found[wanted[key]] = number if key == "Threads" else number / 1024
    return found


def parse_smaps(text: str, least_kb: int = BIG_MAPPING_KB) -> dict[str, int]:
    """/proc/<pid>/smaps: resident kB of each anonymous mapping (no file, or [heap]) resident
    at least `least_kb`, by its start address; mappings of files and [stack]s are left out."""
    found: dict[str, int] = {}
    start, anonymous = "", False
    for line in text.splitlines():
        head = line.split(maxsplit=6)
        if len(head) >= 5 and "-" in head[0] and not head[0].endswith(":"):
            start = head[0].split("-")[0]
            name = head[5] if len(head) > 5 else ""
            anonymous = name in ("", "[heap]") or name.startswith("[anon")
        elif anonymous and line.startswith("Rss:"):
            kb = int(line.split()[1])
            if kb >= least_kb:
                found[start] = kb
    return found


@functools.cache
def _mallinfo2():
    try:
        function = ctypes.CDLL(None).mallinfo2
    except (OSError, AttributeError):  # no glibc, or one older than 2.33
        return None
    function.restype = _Mallinfo2
    return function


def _malloc() -> dict[str, float]:
    function = _mallinfo2()
    if function is None:
        return {}
    info = function()
    return {
        "malloc_in_use_mb": info.uordblks / MB,
        "malloc_free_mb": info.fordblks / MB,
        "malloc_heaps_mb": info.arena / MB,
        "malloc_mapped_mb": info.hblkhd / MB,
        "malloc_mapped_chunks": info.hblks,
    }


def _arrow() -> dict[str, object]:
    arrow = sys.modules.get("pyarrow")  # only once something has loaded it
    if arrow is None:
        return {}
    pool = arrow.default_memory_pool()
    return {
        "arrow_backend": pool.backend_name,
        "arrow_pool_mb": pool.bytes_allocated() / MB,
        "arrow_pool_peak_mb": pool.max_memory() / MB,
        "arrow_total_mb": arrow.total_allocated_bytes() / MB,
    }


def _streamlit() -> dict[str, float]:
    found: dict[str, float] = {}
    try:
        from streamlit.runtime import Runtime
        from streamlit.runtime.caching import cache_data_api

        runtime = Runtime.instance()
        manager = runtime._session_mgr
        found["sessions"] = len(manager.list_sessions())
        found["active_sessions"] = len(manager.list_active_sessions())
        files = dict(getattr(runtime.media_file_mgr._storage, "_files_by_id", {}))
        found["media_files"] = len(files)
        found["media_mb"] = sum(len(f.content) for f in files.values()) / MB
        caches = cache_data_api._data_caches
        with caches._caches_lock:
            functions = [c for scope in caches._function_caches.values() for c in scope.values()]
        stats = [s for c in functions for family in c.get_stats().values() for s in family]
        found["cache_entries"] = len(stats)
        found["cache_mb"] = sum(s.byte_length for s in stats) / MB
    except Exception:  # a Streamlit without these attributes: fewer fields, no error
        pass
    return found


def sample(pid: str = "self") -> dict[str, object]:
    """One reading of everything above, in MB where it is memory."""
    proc = Path("/proc") / pid
    reading: dict[str, object] = {}
    try:
        reading |= parse_status((proc / "status").read_text())
        mappings = parse_smaps((proc / "smaps").read_text())
        reading["big_anon_mb"] = sum(mappings.values()) / 1024
        reading["mappings_kb"] = mappings
    except OSError:  # no /proc (macOS)
        pass
    reading |= _malloc()
    reading["python_blocks"] = sys.getallocatedblocks()
    reading["gc_counts"] = list(gc.get_count())
    reading["gc_frozen"] = gc.get_freeze_count()
    reading |= _arrow()
    reading |= _streamlit()
    return reading


def objects() -> dict[str, object]:
    """The live objects the collector tracks and has not frozen (app.py freezes what the
    imports made, ui/plain/collector.py), counted by type, and the entries of every functools
    LRU cache found in a loaded module or one of its classes, by qualified name (with its
    bound, hits and misses)."""
    counts: dict[str, int] = {}
    for thing in gc.get_objects():
        kind = type(thing)
        name = f"{kind.__module__}.{kind.__qualname__}"
        counts[name] = counts.get(name, 0) + 1
    lru: dict[str, list] = {}
    for module in list(sys.modules.values()):
        spaces = [vars(module)] if hasattr(module, "__dict__") else []
        spaces += (
            [vars(v) for v in list(spaces[0].values()) if isinstance(v, type)] if spaces else []
        )
        for space in spaces:
            for thing in list(space.values()):
                if isinstance(thing, functools._lru_cache_wrapper):
                    info = thing.cache_info()
                    where = f"{getattr(thing, '__module__', '?')}.{thing.__qualname__}"
                    lru[where] = [info.currsize, info.maxsize, info.hits, info.misses]
    return {"types": counts, "lru": lru}


def _trace(directory: Path, start: float, trace_from: float | None) -> None:
    """Objects by type (and a tracemalloc snapshot once tracing, from `trace_from` seconds)."""
    import tracemalloc

    seconds = round(time.monotonic() - start)
    if trace_from is not None and seconds >= trace_from and not tracemalloc.is_tracing():
        tracemalloc.start(TRACE_FRAMES)
    if tracemalloc.is_tracing():
        tracemalloc.take_snapshot().dump(str(directory / f"trace-{seconds}.snap"))
    (directory / f"objects-{seconds}.json").write_text(json.dumps(objects()))


def _record(path: Path, every: float) -> None:
    start = time.monotonic()
    trace = os.environ.get(TRACE_ENV)
    trace_every = float(os.environ.get(TRACE_SECONDS_ENV) or 300)
    trace_from = os.environ.get(TRACE_FROM_ENV)
    traced = start
    if trace:
        Path(trace).mkdir(parents=True, exist_ok=True)
    while True:
        if trace and time.monotonic() - traced >= trace_every:
            traced = time.monotonic()
            try:
                _trace(Path(trace), start, float(trace_from) if trace_from else None)
            except Exception as error:
                with path.open("a") as out:
                    out.write(json.dumps({"error": repr(error)}) + "\n")
        try:
            reading = {"t": round(time.monotonic() - start, 1), "wall": time.time()} | sample()
            with path.open("a") as out:
                out.write(json.dumps(reading) + "\n")
        except Exception as error:  # a probe must never take the server down
            with path.open("a") as out:
                out.write(json.dumps({"error": repr(error)}) + "\n")
        time.sleep(every)


@functools.cache  # once per process
def start_if_asked() -> bool:
    """Start the probe's thread if GDLAB_MEMORY_PROBE names a file; False if not asked."""
    where = os.environ.get(PROBE_ENV)
    if not where:
        return False
    every = float(os.environ.get(SECONDS_ENV) or DEFAULT_SECONDS)
    threading.Thread(target=_record, args=(Path(where), every), daemon=True).start()
    return True


def read(path: Path) -> list[dict]:
    """The probe's readings from its file, skipping lines of errors and a half-written last
    line."""
    readings = []
    for line in path.read_text().splitlines():
        try:
            reading = json.loads(line)
        except json.JSONDecodeError:
            continue
        if "t" in reading:
            readings.append(reading)
    return readings
