"""Every query parameter a link to the app can carry, so that any other key in a link can be
named as one the app does not know (ui/state/link_check.py) instead of being ignored.

A parameter is a bound widget's key (`bind="query-params"`): the sidebar's CONTROLS, and the
pages' own widgets listed here; tests/ui/test_link_notice.py visits every page and checks that
each key a page binds is in URL_PARAMS.

Two things a student sees are left out of links on purpose, both Vega parameters that live in
the browser: the player's epoch (Fit, Parameters) and Compare's Highlight. A URL parameter
needs a bound Streamlit widget, so each change would be a Python rerun. The player steps up to
50 times a second: at about 14 ms of server CPU per cached Parameters rerun (AppTest, this
machine) that is 0.7 s of CPU per second of Play per student, on a server of one core, and Play
would wait on the network. Highlight changes no number on the page (a link already restores
every curve, the table and its sentences); binding it would put a second Highlight control
beside the three under the charts, which pick by keyboard, touch and legend without a rerun.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ui.registry.interface import CONTROLS
from ui.registry.sweeps import SWEEP_SETTINGS

# The pages' own widgets: Compare's tuning, the LR finder, the stability map (its optimizer,
# and the cell marked with its sliders: that cell's η_k and η_b), Sweeps, Lessons.
PAGE_PARAMS = ("tune", "tune_metric", "tune_at", "lr_min", "lr_max", "lr_steps", "lr_seeds")
PAGE_PARAMS += ("map", "map_pick_k", "map_pick_b", "sweep", "sweep_points", "sweep_with")
PAGE_PARAMS += ("lesson",)
# A select slider's URL value is its shown text: how the map's cell sliders show a rate (four
# digits tell every cell of a 40-cell log grid over a few decades apart), for them and for
# the notice that reads a link's value back (ui/state/link_check.py).
CELL_TEXT: Callable[[Any], str] = "{:.4g}".format
SHOWN_AS: Mapping[str, Callable[[Any], str]] = {"map_pick_k": CELL_TEXT, "map_pick_b": CELL_TEXT}
# A sweep's range, one pair per setting it can sweep (ui/state/sweep.py).
SWEEP_RANGES = tuple(f"{end}_{key}" for key in SWEEP_SETTINGS for end in ("from", "to"))
# Streamlit's own: how an embedded app is drawn.
STREAMLIT_PARAMS = ("embed", "embed_options")
URL_PARAMS = frozenset((*CONTROLS, *PAGE_PARAMS, *SWEEP_RANGES, *STREAMLIT_PARAMS))
