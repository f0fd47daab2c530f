"""How much each cache keeps: enough for a class, bounded in bytes.

A cache of 16 entries held about 16 students' runs: beyond that, students evicted each other and
every page visit trained again (bench_class.py prints each cache's hits, misses and evictions
per level). A class of 60, each with the settings on screen and the ones just before, needs
about 120 entries per function; the byte bounds (pickled size, least recently used dropped
first) keep a class of large runs from filling the container's memory: each function's here,
and all of them together in .streamlit/config.toml (`server.maxCacheDataSize`, 224 MB). A
student's settings cost about 1 MB pickled across the caches: a run 0.48 MB (0.44 MB of it the
update panel's lines; as categories they pickle to half that, but Arrow then takes twice as
long to send them on every rerun), its loss surface and stability map 0.2 MB each, the rest
under 0.1 MB each.
"""

CLASS_ENTRIES = 256  # per cached function: 60 students × a few settings each, with room
RUN_BYTES = "96MB"  # a run reduced for display: about 0.1–0.4 MB pickled
VIEW_BYTES = "32MB"  # the other views (a map, a sweep, a comparison): fewer, bigger entries
DATASETS = 64  # loaded datasets (a resource, not bounded in bytes): cheap to load again
# Charts' rows as Arrow bytes (ui/charts/render.py), one entry per distinct frame: a student's
# pages hold about 36 frames, 0.8–1.3 MB (the update panel's lines, the map's cells and the
# surface are most of it). A revisiting class reuses a student's rows only after every other
# student has drawn theirs, so the bound must hold the whole class or the cache thrashes:
# 60 students need about 65 MB. .streamlit/config.toml's budget for all caches has these 64 MB
# on top of the 160 MB the views had. The budget is one least-recently-used pool for every
# cache, so that holds while the views stay within their 160 MB, as they did in a class of 40
# (bench_class prints each cache's bytes); beyond it, the oldest entries go, rows or views.
ROWS_ENTRIES = 4096
ROWS_BYTES = "64MB"
