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

from ui.registry.interface import CONTROLS, Control
from ui.registry.optimizers import OPTIMIZERS, PLAIN_GD
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

# Each page widget's description, as CONTROLS describe the sidebar's, so that the link notice
# says of every parameter alike what the box is called, what it takes and what it shows
# instead (ui/plain/link_values.py). Bounds the page sets at run time are named in `extra`:
# "high_from" (a sidebar key whose value is the top) with "high_is" (how to say it), or
# "takes" (what a box whose stops the page computes accepts).
_OPTIMIZER_LABELS = {key: entry.label for key, entry in OPTIMIZERS.items()}
TUNE_METRICS = {"epochs": "Epochs to settle", "loss": "Final loss", "loss_at": "Loss at an epoch"}
FINDER_RATES = (1e-12, 1e6)  # what the LR finder's range boxes accept


def _page(key: str, label: str, widget: str, default: Any, **kw: Any) -> Control:
    return Control(key, label, widget, default, label, section="page", **kw)


def _sweep_range(key: str) -> tuple[Control, Control]:
    row = SWEEP_SETTINGS[key]
    unit = " (in multiples of 2/λ_max)" if row.relative else ""
    low, high = row.bounds
    return tuple(  # type: ignore[return-value]
        _page(
            f"{end}_{key}",
            f"{title}{unit}, sweeping {row.label}",
            "number",
            value,
            low=low,
            high=high,
        )
        for end, title, value in (("from", "From", row.default[0]), ("to", "To", row.default[1]))
    )


PAGE_CONTROLS: dict[str, Control] = {
    c.key: c
    for c in (
        _page("tune", "Tune each", "toggle", False),
        _page("tune_metric", "Best by", "picker", "epochs", extra={"labels": TUNE_METRICS}),
        _page(
            "tune_at",
            "Loss at epoch",
            "whole",
            100,
            low=1,
            extra={"high_from": "epochs", "high_is": "the run's Epochs"},
        ),
        _page("lr_min", "lr_min", "number", 1e-7, low=FINDER_RATES[0], high=FINDER_RATES[1]),
        _page("lr_max", "lr_max", "number", 10.0, low=FINDER_RATES[0], high=FINDER_RATES[1]),
        _page("lr_steps", "Steps", "whole", 100, low=10, high=1000),
        _page("lr_seeds", "Seeds", "whole", 5, low=1, high=20),
        _page("map", "Map for", "picker", PLAIN_GD, extra={"labels": _OPTIMIZER_LABELS}),
        *(
            _page(
                f"map_pick_{name}",
                f"The marked cell's η_{name}",
                "choice",
                None,
                extra={"takes": f"the η_{name} of one of the map's cells, as its slider shows it"},
            )
            for name in ("k", "b")
        ),
        _page(
            "sweep",
            "Setting to sweep",
            "picker",
            "lr",
            extra={"labels": {key: row.label for key, row in SWEEP_SETTINGS.items()}},
        ),
        _page("sweep_points", "Points", "whole", 40, low=5, high=200),
        _page(
            "sweep_with", "Optimizers", "choice", None, options=tuple(_OPTIMIZER_LABELS.values())
        ),
        *(control for key in SWEEP_SETTINGS for control in _sweep_range(key)),
        _page(
            "lesson",
            "Lesson",
            "picker",
            None,
            extra={"takes": "a lesson of the Lessons page", "none_is": "no lesson"},
        ),
    )
}
# Every parameter a student can set, by its key: what the link notice reads.
LINK_CONTROLS: Mapping[str, Control] = {**CONTROLS, **PAGE_CONTROLS}
