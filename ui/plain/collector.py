"""Python's garbage collector under a class: freeze the loaded modules, no collection per run.

After every script run Streamlit calls gc.collect(2) (`runner.postScriptGC`, on by default),
which walks every object the process tracks: Streamlit, Altair, pandas and NumPy loaded are
about a million, so under a class's load that collection was 68–75 % of the server's time.
`gc.freeze()` moves every object alive at that moment into a permanent generation that no
collection walks again. app.py calls it once, after its first run has imported everything.

Measured with benchmarks/bench_class.py (20 students, the same code, a busy machine): server
CPU per script run 94 and 91 ms with Streamlit's defaults; 36 and 37 ms with the freeze alone;
37 and 36 ms with the post-run collection off alone; later, with the Sweep and LR-finder pages
in the tour, 58 ms with the freeze alone and 52 ms with the freeze and the post-run collection
off, which is what .streamlit/config.toml sets (`runner.postScriptGC = false`). Without the
post-run collection, Python's own generational collections still free a session's cycles; with
the modules frozen they walk only what the sessions made, so they stay cheap. In 10-minute soaks
at 40 students the memory levelled off near 480 MB after about 6 minutes (the caches' budget
filled) both with the post-run collection (59.6 ms a run) and without it (41.5 ms a run).
"""

from __future__ import annotations

import functools
import gc


@functools.cache  # once per process; gc.get_freeze_count() would walk every frozen object
def freeze_what_is_loaded() -> bool:
    """Freeze every object alive now, once per process (later calls return the cached True).
    Called after a script run, when the run's imports are all loaded. What the first session
    holds then is frozen too: a few hundred kilobytes, never collected."""
    gc.freeze()
    return True
