"""Every query parameter a link to the app can carry, so that any other key in a link can be
named as one the app does not know (ui/state/link_check.py) instead of being ignored.

A parameter is a bound widget's key (`bind="query-params"`): the sidebar's CONTROLS, and the
pages' own widgets listed here; tests/ui/test_link_notice.py visits every page and checks that
each key a page binds is in URL_PARAMS.
"""

from __future__ import annotations

from ui.registry.interface import CONTROLS
from ui.registry.sweeps import SWEEP_SETTINGS

# The pages' own widgets: Compare's tuning, the LR finder, the stability map, Sweeps, Lessons.
PAGE_PARAMS = ("tune", "tune_metric", "tune_at", "lr_min", "lr_max", "lr_steps", "lr_seeds")
PAGE_PARAMS += ("map", "sweep", "sweep_points", "sweep_with", "lesson")
# A sweep's range, one pair per setting it can sweep (ui/state/sweep.py).
SWEEP_RANGES = tuple(f"{end}_{key}" for key in SWEEP_SETTINGS for end in ("from", "to"))
# Streamlit's own: how an embedded app is drawn.
STREAMLIT_PARAMS = ("embed", "embed_options")
URL_PARAMS = frozenset((*CONTROLS, *PAGE_PARAMS, *SWEEP_RANGES, *STREAMLIT_PARAMS))
