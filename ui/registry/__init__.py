"""What the app offers, as plain data: optimizers, schedules, pages and sidebar controls.

Everything else iterates over these tables: the sidebar draws CONTROLS, the budget reads each
optimizer's cost, Compare lists STRATEGIES, the update-rule box shows `rule`, app.py and
scripts/browser.py route PAGES, and tests check presets and lessons against the keys here.
optimizers.py holds what trains (optimizers, schedules, Compare's strategies); interface.py
what a student sees and sets (pages, sidebar controls); aliases.py the other paths that open
a page (ALIASES); sweeps.py what the Sweeps page can vary (SWEEP_SETTINGS); links.py every
query parameter a link can carry (URL_PARAMS). Code reads them through this package:
`from ui import registry; registry.OPTIMIZERS`.
"""

from ui.registry.aliases import ALIASES
from ui.registry.interface import (
    BATCH_CHOICES,
    CONTROLS,
    EPOCH_CHOICES,
    N_CHOICES,
    OWNERS,
    PAGES,
    Control,
    Page,
    labels,
    shown,
)
from ui.registry.links import (
    CELL_TEXT,
    FINDER_RATES,
    LINK_CONTROLS,
    PAGE_CONTROLS,
    SHOWN_AS,
    TUNE_METRICS,
    URL_PARAMS,
)
from ui.registry.optimizers import (
    ADAPTIVE_EXAMPLE,
    CONSTANT_RATE,
    OPTIMIZERS,
    PLAIN_GD,
    SCHEDULES,
    STRATEGIES,
    WARMUP_FORMULA,
    OptimizerEntry,
    ScheduleEntry,
    Strategy,
)
from ui.registry.sweeps import SWEEP_SETTINGS, SweepSetting

__all__ = [
    "ADAPTIVE_EXAMPLE",
    "ALIASES",
    "BATCH_CHOICES",
    "CELL_TEXT",
    "CONSTANT_RATE",
    "CONTROLS",
    "EPOCH_CHOICES",
    "FINDER_RATES",
    "LINK_CONTROLS",
    "N_CHOICES",
    "OPTIMIZERS",
    "OWNERS",
    "PAGES",
    "PAGE_CONTROLS",
    "PLAIN_GD",
    "SCHEDULES",
    "SHOWN_AS",
    "STRATEGIES",
    "SWEEP_SETTINGS",
    "TUNE_METRICS",
    "URL_PARAMS",
    "WARMUP_FORMULA",
    "Control",
    "OptimizerEntry",
    "Page",
    "ScheduleEntry",
    "Strategy",
    "SweepSetting",
    "labels",
    "shown",
]
