"""What the app offers, as plain data: optimizers, schedules, pages and sidebar controls.

Everything else iterates over these tables: the sidebar draws CONTROLS, the budget reads each
optimizer's cost, Compare lists STRATEGIES, the update-rule box shows `rule`, app.py and
scripts/browser.py route PAGES, and tests check presets and lessons against the keys here.
Adding an optimizer is its rule in gd_core plus one OptimizerEntry (and its Compare row);
adding a control is one Control plus its field in ui/config.py; a page, one Page plus its file.
Traits (linear, exact, limits) are the engine's: ask the built gd_core optimizer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import gd_core as gd


@dataclass(frozen=True)
class OptimizerEntry:
    label: str
    factory: Callable[..., gd.Optimizer]
    rule: str  # the update rule in LaTeX
    # Microseconds per full-batch epoch (constant rate, scheduled) and per mini-batch step,
    # measured on the development machine (ui/plain/budget.py).
    microseconds: tuple[float, float, float]
    controls: tuple[str, ...] = ()  # keys of its hyperparameter controls
    hyper: Callable[[Any], dict[str, Any]] = lambda spec: {}  # factory kwargs from a TrainSpec
    in_sentence: str = ""  # its name inside a sentence, when not its label
    limit_formula: str = ""  # the largest stable single rate, for linear rules


OPTIMIZERS: dict[str, OptimizerEntry] = {
    "sgd": OptimizerEntry(
        "Gradient descent",
        gd.sgd,
        r"\theta_t = \theta_{t-1} - \eta\, g_t",
        (0.03, 0.30, 0.31),
        in_sentence="plain gradient descent",
        limit_formula="2/λ_max",
    ),
    "momentum": OptimizerEntry(
        "Momentum",
        gd.momentum,
        r"b_t = \mu\, b_{t-1} + g_t, \qquad \theta_t = \theta_{t-1} - \eta\, b_t",
        (0.02, 0.39, 0.37),
        ("momentum",),
        lambda spec: {"momentum": spec.momentum},
        in_sentence="momentum",
        limit_formula="2(1 + μ)/λ_max",
    ),
    "nesterov": OptimizerEntry(
        "Nesterov momentum",
        gd.nesterov,
        r"b_t = \mu\, b_{t-1} + g_t, \qquad \theta_t = \theta_{t-1} - \eta\,(g_t + \mu\, b_t)",
        (0.02, 0.42, 0.39),
        ("momentum",),
        lambda spec: {"momentum": spec.momentum},
        limit_formula="2(1 + μ)/((1 + 2μ)·λ_max)",
    ),
    "adagrad": OptimizerEntry(
        "AdaGrad",
        gd.adagrad,
        r"s_t = s_{t-1} + g_t^2, \qquad "
        r"\theta_t = \theta_{t-1} - \eta\, \frac{g_t}{\sqrt{s_t} + \epsilon}",
        (0.46, 0.54, 0.51),
    ),
    "rmsprop": OptimizerEntry(
        "RMSProp",
        gd.rmsprop,
        r"v_t = \alpha\, v_{t-1} + (1-\alpha)\, g_t^2, \qquad "
        r"\theta_t = \theta_{t-1} - \eta\, \frac{g_t}{\sqrt{v_t} + \epsilon}",
        (0.49, 0.55, 0.54),
        ("alpha",),
        lambda spec: {"alpha": spec.alpha},
    ),
    "adam": OptimizerEntry(
        "Adam",
        gd.adam,
        r"m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t,\; v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2,"
        r"\; \theta_t = \theta_{t-1} - \eta\, \frac{m_t/(1-\beta_1^t)}{\sqrt{v_t/(1-\beta_2^t)}"
        r" + \epsilon}",
        (0.66, 0.71, 0.66),
        ("beta1", "beta2"),
        lambda spec: {"betas": (spec.beta1, spec.beta2)},
    ),
    "adamax": OptimizerEntry(
        "Adamax",
        gd.adamax,
        r"m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t,\; u_t = \max(\beta_2 u_{t-1}, |g_t| + \epsilon),"
        r"\; \theta_t = \theta_{t-1} - \eta\, \frac{m_t}{(1-\beta_1^t)\, u_t}",
        (0.58, 0.64, 0.58),
        ("beta1", "beta2"),
        lambda spec: {"betas": (spec.beta1, spec.beta2)},
    ),
}


@dataclass(frozen=True)
class ScheduleEntry:
    label: str
    build: Callable[[Any], gd.Schedule | None]  # from a TrainSpec; None is a constant rate
    controls: tuple[str, ...] = ()


SCHEDULES: dict[str, ScheduleEntry] = {
    "none": ScheduleEntry("Constant rate", lambda spec: None),
    "step": ScheduleEntry(
        "Step decay", lambda spec: gd.step_decay(spec.every, spec.factor), ("every", "factor")
    ),
    "exponential": ScheduleEntry(
        "Exponential decay", lambda spec: gd.exponential_decay(spec.gamma), ("gamma",)
    ),
    "inverse": ScheduleEntry(
        "Inverse-time decay", lambda spec: gd.inverse_time_decay(spec.decay), ("decay",)
    ),
    "cosine": ScheduleEntry(
        "Cosine decay", lambda spec: gd.cosine_decay(spec.epochs, spec.final), ("final",)
    ),
}


@dataclass(frozen=True)
class Strategy:
    """A row of the Compare page: the sidebar's spec with `changes`; `rates` from each
    parameter's own limit (limit_k, limit_b) when the rates suit the data."""

    label: str
    changes: Mapping[str, Any]
    why: str
    rates: Callable[[float, float], tuple[float, float]] | None = None


STRATEGIES = (
    Strategy("Plain GD", {}, "the sidebar's rates, one optimizer, nothing else"),
    Strategy(
        "Per-parameter rates",
        {},
        "each rate half of what its parameter tolerates alone (1/curvature)",
        lambda k, b: (0.5 * k, 0.5 * b),
    ),
    Strategy(
        "Momentum",
        {"optimizer": "momentum", "momentum": 0.9},
        "heavy ball, μ = 0.9",
        lambda k, b: (0.2 * k, 0.2 * k),
    ),
    Strategy(
        "Nesterov",
        {"optimizer": "nesterov", "momentum": 0.9},
        "look-ahead momentum, μ = 0.9",
        lambda k, b: (0.2 * k, 0.2 * k),
    ),
    Strategy(
        "AdaGrad",
        {"optimizer": "adagrad", "lr_k": 0.5, "lr_b": 0.5},
        "steps shrink with the summed g²",
    ),
    Strategy(
        "RMSProp",
        {"optimizer": "rmsprop", "lr_k": 0.02, "lr_b": 0.02},
        "steps scaled by recent |g|",
    ),
    Strategy(
        "Adam", {"optimizer": "adam", "lr_k": 0.1, "lr_b": 0.1}, "momentum plus RMSProp scaling"
    ),
    Strategy(
        "Adam + cosine decay",
        {"optimizer": "adam", "lr_k": 0.1, "lr_b": 0.1, "schedule": "cosine", "final": 0.0},
        "large steps first, small at the end",
    ),
    Strategy(
        "Adamax",
        {"optimizer": "adamax", "lr_k": 0.1, "lr_b": 0.1},
        "Adam with the largest recent |g| in place of its root mean square",
    ),
    Strategy(
        "Standardised x",
        {"standardize": True, "lr_k": 0.3, "lr_b": 0.3},
        "train on (x − x̄)/std(x): both curvatures become 2, one rate suits both",
    ),
)


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
    Page("pages/loss.py", "Loss", "Loss", "loss", ":material/trending_down:", 2),
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
        "Why k converges faster than b",
        "theory",
        ":material/function:",
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
            "sgd",
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
            "none",
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
            extra={"caption": "Decays over all {epochs:,} epochs."},
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
        _row("k0", "Start k₀", "number", 0.0, "k₀", low=-100.0, high=100.0, column="left"),
        _row("b0", "Start b₀", "number", 0.0, "b₀", low=-100.0, high=100.0, column="right"),
    )
}

# Which controls belong to a choice: drawn only while an owner is chosen.
OWNERS: dict[str, dict[str, set[str]]] = {}
for _picker, _table in (("optimizer", OPTIMIZERS), ("schedule", SCHEDULES)):
    for _value, _entry in _table.items():
        for _key in _entry.controls:
            OWNERS.setdefault(_key, {}).setdefault(_picker, set()).add(_value)


def shown(key: str, chosen: Mapping[str, Any]) -> bool:
    """Whether control `key` is drawn, given the values chosen so far in the sidebar."""
    owners = OWNERS.get(key, {})
    return all(chosen.get(picker) in values for picker, values in owners.items())


def labels(key: str) -> dict[str, str]:
    """A picker's URL value → readable name."""
    return CONTROLS[key].extra["labels"]
