"""What a student sees and sets: every page and every sidebar control, as plain data.

Adding a page is one Page here plus its file in pages/; a control, one Control plus its field
in ui/config.py. Which controls an optimizer or schedule shows comes from their entries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ui.registry.optimizers import CONSTANT_RATE, OPTIMIZERS, PLAIN_GD, SCHEDULES


@dataclass(frozen=True)
class Page:
    file: str
    title: str  # in the navigation
    heading: str  # the page's own st.title
    url_path: str  # "" for the default page
    icon: str
    charts: int  # charts drawn at the defaults


PAGES = (
    Page("pages/fit.py", "Fit", "Fit", "", ":material/show_chart:", 1),
    Page("pages/loss.py", "Loss", "Loss", "loss", ":material/trending_down:", 3),
    Page("pages/parameters.py", "Parameters", "Parameters", "parameters", ":material/timeline:", 4),
    Page(
        "pages/compare.py",
        "Compare",
        "Compare strategies",
        "compare",
        ":material/compare_arrows:",
        3,
    ),
    Page("pages/stability.py", "Stability", "Stability map", "stability", ":material/grid_on:", 1),
    Page(
        "pages/theory.py",
        "Theory",
        "Why k usually converges faster than b",
        "theory",
        ":material/function:",
        1,
    ),
    Page("pages/sweep.py", "Sweeps", "Sweep one setting", "sweep", ":material/tune:", 3),
    # The file is named as its URL path: a fresh server's first request for a sub-page finds
    # it by file name (the pages-folder mode of ui/state/controls.py), so /lr-finder must be
    # lr-finder.py or that first student sees "Page not found".
    Page(
        "pages/lr-finder.py",
        "LR finder",
        "The learning-rate finder, graded",
        "lr-finder",
        ":material/search:",
        1,
    ),
    Page("pages/lessons.py", "Lessons", "Lessons", "lessons", ":material/school:", 0),
)


@dataclass(frozen=True)
class Control:
    """A sidebar control: `key` is its session-state key and URL parameter."""

    key: str
    label: str
    widget: str  # slider, choice (select_slider), number, whole, toggle, picker, rate
    default: Any
    name: str  # how the preset trace names it
    section: str = "training"
    low: float | None = None
    high: float | None = None
    step: float | None = None
    format: str | None = None
    options: tuple[Any, ...] = ()
    column: str | None = None  # "left" opens two columns, "right" fills the second
    help: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


N_CHOICES = (10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000)
EPOCH_CHOICES = (10, 20, 50, 100, 200, 450, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000)
EPOCH_CHOICES += (100_000, 200_000, 500_000, 1_000_000)
BATCH_CHOICES = (0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)


def _row(key: str, label: str, widget: str, default: Any, name: str = "", **kw: Any) -> Control:
    return Control(key, label, widget, default, name or label, **kw)


CONTROLS: dict[str, Control] = {
    c.key: c
    for c in (
        _row("n", "Number of points", "choice", 100, "points", section="data", options=N_CHOICES),
        _row(
            "slope",
            "True slope k",
            "slider",
            2.0,
            "true k",
            section="data",
            low=-10.0,
            high=10.0,
            step=0.1,
        ),
        _row(
            "intercept",
            "True intercept b",
            "slider",
            1.0,
            "true b",
            section="data",
            low=-10.0,
            high=10.0,
            step=0.1,
        ),
        _row(
            "noise",
            "Noise σ",
            "slider",
            1.0,
            "noise σ",
            section="data",
            low=0.0,
            high=5.0,
            step=0.1,
        ),
        _row("x_min", "x from", "number", 0.0, section="data", low=-1e4, high=1e4, column="left"),
        _row("x_max", "x to", "number", 10.0, section="data", low=-1e4, high=1e4, column="right"),
        _row("seed", "Random seed", "whole", 0, "seed", section="data", low=0, high=2**31 - 1),
        _row("epochs", "Epochs", "choice", 450, "epochs", options=EPOCH_CHOICES),
        _row(
            "optimizer",
            "Optimizer",
            "picker",
            PLAIN_GD,
            "optimizer",
            extra={"labels": {key: entry.label for key, entry in OPTIMIZERS.items()}},
        ),
        _row("momentum", "Momentum μ", "slider", 0.9, "μ", low=0.0, high=0.99, step=0.01),
        _row("alpha", "Smoothing α", "slider", 0.99, "α", low=0.5, high=0.999, step=0.001),
        _row("beta1", "β1", "slider", 0.9, low=0.0, high=0.99, step=0.01),
        _row("beta2", "β2", "slider", 0.999, low=0.9, high=0.9999, step=0.0001, format="%.4f"),
        _row("same_rate", "Same rate for k and b", "toggle", True, "same rate"),
        _row(
            "lr_k",
            "Learning rate η_k",
            "rate",
            0.01,
            "η_k",
            low=0.0,
            high=10.0,
            step=0.001,
            format="%.6g",
            extra={"same_label": "Learning rate η"},
        ),
        _row(
            "lr_b",
            "Learning rate η_b",
            "rate",
            0.01,
            "η_b",
            low=0.0,
            high=10.0,
            step=0.001,
            format="%.6g",
        ),
        _row(
            "standardize",
            "Standardise x",
            "toggle",
            False,
            "standardised x",
            help="Trains on (x − x̄)/std(x) instead of x, where k and b have the same "
            "curvature, and shows k and b in the original units of x. The rates apply to the "
            "standardised problem.",
        ),
        _row(
            "schedule",
            "Schedule",
            "picker",
            CONSTANT_RATE,
            "schedule",
            extra={"labels": {key: entry.label for key, entry in SCHEDULES.items()}},
        ),
        _row("every", "Every (epochs)", "whole", 100, "every", low=1, high=10**6),
        _row("factor", "Factor", "slider", 0.5, "factor", low=0.05, high=1.0, step=0.05),
        _row(
            "gamma",
            "γ per epoch",
            "number",
            0.99,
            "γ",
            low=0.5,
            high=1.0,
            step=0.001,
            format="%.4f",
        ),
        _row(
            "decay",
            "Decay rate",
            "number",
            0.01,
            "decay rate",
            low=0.0,
            high=10.0,
            step=0.001,
            format="%.4g",
        ),
        _row(
            "final",
            "Final fraction",
            "slider",
            0.0,
            "final fraction",
            low=0.0,
            high=1.0,
            step=0.05,
            extra={"caption": "Decays over all {epochs:,} epochs (after any warm-up)."},
        ),
        _row(
            "pct_start",
            "Rising part (pct_start)",
            "slider",
            0.3,
            "rising part",
            low=0.15,  # ≥ 0.15 of ≥ 10 epochs: the rise never has zero length (torch divides)
            high=0.9,
            step=0.05,
            help="The fraction of the run over which the rate rises from η/div_factor to η; "
            "it then falls to η/(div_factor·final_div_factor). torch's OneCycleLR, cosine form.",
        ),
        _row(
            "div",
            "Start divisor (div_factor)",
            "number",
            25.0,
            "div_factor",
            low=1.0,
            high=1e4,
            format="%.4g",
            column="left",
        ),
        _row(
            "final_div",
            "End divisor (final_div_factor)",
            "number",
            1e4,
            "final_div_factor",
            low=1.0,
            high=1e8,
            format="%.4g",
            column="right",
        ),
        _row(
            "drop",
            "Factor",
            "slider",
            0.1,
            "plateau factor",
            low=0.05,
            high=0.95,
            step=0.05,
            help="Each cut multiplies the rates by this (torch's ReduceLROnPlateau factor).",
        ),
        _row(
            "patience",
            "Patience (epochs)",
            "whole",
            10,
            "patience",
            low=0,
            high=10**6,
            column="left",
            help="The rates are cut after more than this many epochs in a row in which the "
            "full-data loss did not beat its best by the threshold.",
        ),
        _row(
            "cooldown",
            "Cooldown (epochs)",
            "whole",
            0,
            "cooldown",
            low=0,
            high=10**6,
            column="right",
            help="Epochs after a cut in which the rule does not count.",
        ),
        _row(
            "threshold",
            "Threshold (relative)",
            "number",
            1e-4,
            "threshold",
            low=0.0,
            high=0.5,
            step=1e-4,
            format="%.2g",
            column="left",
            help="An epoch counts as better only when its loss is below best·(1 − threshold).",
        ),
        _row(
            "min_lr",
            "Smallest rate",
            "number",
            0.0,
            "min_lr",
            low=0.0,
            high=10.0,
            step=0.001,
            format="%.4g",
            column="right",
            help="No cut takes a rate below this (torch's min_lr).",
        ),
        _row(
            "warmup",
            "Warm-up (epochs)",
            "whole",
            0,
            "warm-up",
            low=0,
            high=10**6,
            help="Epochs over which the rate rises linearly to η before the schedule starts "
            "(torch's LinearLR, then the schedule, as SequentialLR runs them). 0 for none.",
        ),
        _row(
            "warmup_from",
            "Warm-up starts at (× η)",
            "number",
            1.0 / 3.0,
            "warm-up start",
            low=0.001,
            high=1.0,
            step=0.01,
            format="%.3g",
            help="The warm-up's first rate as a fraction of η (LinearLR's start_factor).",
            extra={"needs": "warmup"},
        ),
        _row(
            "batch",
            "Batch size",
            "choice",
            0,
            "batch size",
            options=BATCH_CHOICES,
            extra={"format_func": lambda size: "full" if size == 0 else str(size)},
        ),
        _row(
            "k0",
            "Start k₀",
            "number",
            0.0,
            "k₀",
            low=-100.0,
            high=100.0,
            format="%.4g",
            column="left",
        ),
        _row(
            "b0",
            "Start b₀",
            "number",
            0.0,
            "b₀",
            low=-100.0,
            high=100.0,
            format="%.4g",
            column="right",
        ),
    )
}

# Which controls belong to a choice: drawn only while an owner is chosen.
OWNERS: dict[str, dict[str, set[str]]] = {}
for _picker, _table in (("optimizer", OPTIMIZERS), ("schedule", SCHEDULES)):
    for _value, _entry in _table.items():
        for _key in _entry.controls:
            OWNERS.setdefault(_key, {}).setdefault(_picker, set()).add(_value)


def shown(key: str, chosen: Mapping[str, Any]) -> bool:
    """Whether control `key` is drawn, given the values chosen so far in the sidebar: its
    owners chosen, and the control it `needs` (if any) switched on (above zero)."""
    owners = OWNERS.get(key, {})
    needs = CONTROLS[key].extra.get("needs")
    if needs is not None and not chosen.get(needs):
        return False
    return all(chosen.get(picker) in values for picker, values in owners.items())


def labels(key: str) -> dict[str, str]:
    """A picker's URL value → readable name."""
    return CONTROLS[key].extra["labels"]
