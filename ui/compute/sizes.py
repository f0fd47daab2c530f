"""How much each cache keeps: a class of 60 students, bounded in bytes.

A cache of 16 entries held about 16 students' runs: beyond that, students evicted each other and
every page visit trained again (bench_class.py prints each cache's hits, misses and evictions,
with the reason, per level). In a class each student moves a slider every round of pages and
comes back to a setting half the time within two rounds, so every cache holds two or three
settings for each of 60 students; the byte bounds (pickled size, least recently used dropped
first) keep a class of large runs from filling the container's memory: each function's here,
and all of them together in .streamlit/config.toml (`server.maxCacheDataSize`, 160 MB: the
views, about 3 settings per student, and the few charts' rows still kept).

What one student's setting costs, measured on bench_class's students (100 points; 200, 1,000,
2,000 and 5,000 epochs), all pages visited:
- the views, 0.54, 0.93, 0.97 and 0.86 MB pickled (mean 0.83 MB): a run up to 0.46 MB (most
  of it the update panel's lines, kept as the Arrow bytes they are sent as), the stability
  map 0.2 MB, its loss surface 0.09 MB, the rest under 0.15 MB each;
- the charts' other rows as Arrow bytes, 30 distinct frames of 0.50, 0.77, 0.77 and 0.66 MB
  (mean 0.68 MB; the stability map's cells 0.21 MB of it), which are now built again for each
  draw rather than kept (ui/charts/render.py says why).

When a class's memory stops rising (bench_class.py's soak of 40 students, 2 December):
- With bounds alone it never settled in a known time: a student's noise is a random walk, so
  new settings come ever more slowly, and the caches crept within 1 % of their most only after
  15–19 minutes (229 → 234 MB between minutes 9 and 18), never reaching a bound.
- So every entry is also dropped CLASS_SECONDS after it was computed (`ttl`; Streamlit frees
  an expired entry at its function's next write, without a read, tests/ui/test_cache_age.py).
  The caches then hold what the class computed in its last ten minutes: they rose to 222–228
  MB at 10 minutes, gave back what the first minutes had computed (the server's memory 28–37
  MB lower) and then followed the class: 175 MB at 13 minutes, 207 at 19, 196 at 23, the
  server's memory with them (judged 3.6 MB a minute over minutes 13–23; beyond the caches 0.4).
  A simulation of the same walk shows the same swing and, after it, ±4 % from minute to minute
  for ever: what a class computed in the last ten minutes is not a constant.
- What holds the caches still is a bound the class reaches: the budget of all caches,
  `server.maxCacheDataSize` = 160 MB, which a class of 40 fills in about 4 minutes; from then
  each write evicts the least recently used entries. The age limit stays, for classes that
  never reach the budget: theirs levels off after ten minutes, at less than 160 MB.
The age costs a setting recomputed when its student comes back to it more than ten minutes
after it was computed: over the ten judged minutes the views hit 66–68 % of their look-ups,
the run 89 %, the loss surface 76 %. The simulation predicts 72 % and 97 % for a student's
views and run with this age, 84 % and 98 % keeping every entry for ever. The levels
bench_class.py measures (a minute each) never reach the age.
"""

CLASS_ENTRIES = 256  # per cached function: 60 students × 3 settings, with room
# Every cached result (and every dataset) is dropped this long after it was computed, read or
# not: a class's caches then hold what it computed in the last CLASS_SECONDS, at most the
# budget of all caches (a class of 40 reaches it first; see the module's docstring).
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
