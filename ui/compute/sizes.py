"""How much each cache keeps: a class of 60 students, bounded in bytes.

A cache of 16 entries held about 16 students' runs: beyond that, students evicted each other and
every page visit trained again (bench_class.py prints each cache's hits, misses and evictions,
with the reason, per level). In a class each student moves a slider every round of pages and
comes back to a setting half the time within two rounds, so every cache holds two or three
settings for each of 60 students; the byte bounds (pickled size, least recently used dropped
first) keep a class of large runs from filling the container's memory: each function's here,
and all of them together in .streamlit/config.toml (`server.maxCacheDataSize`, 256 MB: 160 MB
for the views, about 3 settings per student, and ROWS_BYTES for the charts' rows).

What one student's setting costs, measured on bench_class's students (100 points; 200, 1,000,
2,000 and 5,000 epochs), all pages visited:
- the views, 0.54, 0.93, 0.97 and 0.86 MB pickled (mean 0.83 MB): a run up to 0.46 MB (most
  of it the update panel's lines, kept as the Arrow bytes they are sent as), the stability
  map 0.2 MB, its loss surface 0.09 MB, the rest under 0.15 MB each;
- the charts' other rows as Arrow bytes, 30 distinct frames of 0.50, 0.77, 0.77 and 0.66 MB
  (mean 0.68 MB; the stability map's cells 0.21 MB of it), which are now built again for each
  draw rather than kept (ui/charts/render.py says why).

Bounds alone never let a class's memory settle in a known time: a student's noise is a random
walk, so new settings come ever more slowly, and a class of 40 (bench_class.py's soak, 2
December) took 15–19 minutes to creep within 1 % of the most its caches held (229 → 234 MB
between minutes 9 and 18), never reaching a bound. So every entry is also dropped
CLASS_SECONDS after it was computed (`ttl`; Streamlit frees an expired entry at its
function's next write, without a read, tests/ui/test_cache_age.py): from then on the caches
hold what the class computed in its last ten minutes. In the same class they rose to 228 MB
at 10 minutes, gave back what the first minutes had computed, and held 191–195 MB from about
11.5 minutes on, with the server's memory 37 MB lower than at its peak. The price is a
setting recomputed when its student comes back to it more than ten minutes after it was
computed: over minutes 12–14 of that class the views hit 68–70 % of their look-ups (the run
itself 89 %). A simulation of the same walk (each student's page views and runs, nothing
else) predicts 72 % and 97 % with this age limit, 84 % and 98 % keeping every entry for ever.
A class that comes back to a setting within ten minutes hits as before; the levels
bench_class.py measures (a minute each) never reach the age.
"""

CLASS_ENTRIES = 256  # per cached function: 60 students × 3 settings, with room
# Every cached result (and every dataset) is dropped this long after it was computed, read or
# not: a class's caches then hold what it computed in the last CLASS_SECONDS, and its memory
# levels off after CLASS_SECONDS, whatever the class's size (see the module's docstring).
CLASS_SECONDS = 600
RUN_BYTES = "96MB"  # a run reduced for display: about 0.1–0.5 MB pickled
VIEW_BYTES = "32MB"  # the other views (a map, a sweep, a comparison): fewer, bigger entries
# Charts' rows as Arrow bytes (ui/charts/render.py), one entry per distinct frame that goes
# pyarrow's way (0.3–0.8 ms each). Rows of a layout learnt before are no longer kept: building
# them again costs what a hit does. The bound dates from when every frame was kept (60
# students × 2 settings × 0.68 MB = 82 MB; at 64 MB a 7-minute class of 40 evicted 11,370
# frames); it is now an upper bound that the class's rows stay far below.
ROWS_ENTRIES = 4096
ROWS_BYTES = "96MB"
# Datasets are resources, one shared copy each, bounded in entries only (Streamlit cannot
# weigh a resource). A class's own generated data (at most 10,000 points: x and y 0.16 MB, and
# up to as much again once a mini-batch or standardised run has kept x − mean(x) and the OLS
# residuals on it) gets room for 60 students × 3 settings (at most 82 MB); larger ones and
# uploads get a few entries (at most 8 × 3.2 MB generated; an upload is at most 5 MB of CSV).
# Generating 100 points again costs about 0.1 ms, so an eviction here is cheap, but at 64
# shared entries a class of 40 evicted 536 of its 599 datasets in 7 minutes.
SMALL_DATASET_POINTS = 10_000
SMALL_DATASETS = 256
LARGE_DATASETS = 8
