"""What the app trains with: every optimizer, schedule and Compare strategy, as plain data.

Adding an optimizer is its rule in gd_core plus one OptimizerEntry here (and a Strategy row if
Compare should race it). Traits (linear, exact, limits) are the engine's: ask the built
gd_core optimizer (ui/config.build_optimizer), not its name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
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
    # The update panel (ui/plain/receipts.py): its state rows as (symbol in `rule`, torch.optim
    # name or a bias-corrected "<name>_hat"), and the step in `rule`'s notation.
    state_rows: tuple[tuple[str, str], ...] = ()
    step_rule: str = "−η·g_t"
    # An adaptive rule: what it divides each parameter's rate by, in `rule`'s notation.
    divides_by: str = ""


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
        state_rows=(("b_t", "momentum_buffer"),),
        step_rule="−η·b_t",
    ),
    "nesterov": OptimizerEntry(
        "Nesterov momentum",
        gd.nesterov,
        r"b_t = \mu\, b_{t-1} + g_t, \qquad \theta_t = \theta_{t-1} - \eta\,(g_t + \mu\, b_t)",
        (0.02, 0.42, 0.39),
        ("momentum",),
        lambda spec: {"momentum": spec.momentum},
        limit_formula="2(1 + μ)/((1 + 2μ)·λ_max)",
        state_rows=(("b_t", "momentum_buffer"),),
        step_rule="−η·(g_t + μ·b_t)",
    ),
    "adagrad": OptimizerEntry(
        "AdaGrad",
        gd.adagrad,
        r"s_t = s_{t-1} + g_t^2, \qquad "
        r"\theta_t = \theta_{t-1} - \eta\, \frac{g_t}{\sqrt{s_t} + \epsilon}",
        (0.46, 0.54, 0.51),
        state_rows=(("s_t", "sum"),),
        step_rule="−η·g_t/(√s_t + ε)",
        divides_by="√s_t + ε, the root of the running sum of its squared gradients",
    ),
    "rmsprop": OptimizerEntry(
        "RMSProp",
        gd.rmsprop,
        r"v_t = \alpha\, v_{t-1} + (1-\alpha)\, g_t^2, \qquad "
        r"\theta_t = \theta_{t-1} - \eta\, \frac{g_t}{\sqrt{v_t} + \epsilon}",
        (0.49, 0.55, 0.54),
        ("alpha",),
        lambda spec: {"alpha": spec.alpha},
        state_rows=(("v_t", "square_avg"),),
        step_rule="−η·g_t/(√v_t + ε)",
        divides_by="√v_t + ε, the root of the running mean of its squared gradients",
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
        state_rows=(
            ("m_t", "exp_avg"),
            ("v_t", "exp_avg_sq"),
            ("m̂_t", "exp_avg_hat"),
            ("v̂_t", "exp_avg_sq_hat"),
        ),
        step_rule="−η·m̂_t/(√v̂_t + ε)",
        divides_by="√v̂_t + ε, the root of the running mean of its squared gradients",
    ),
    "adamax": OptimizerEntry(
        "Adamax",
        gd.adamax,
        r"m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t,\; u_t = \max(\beta_2 u_{t-1}, |g_t| + \epsilon),"
        r"\; \theta_t = \theta_{t-1} - \eta\, \frac{m_t}{(1-\beta_1^t)\, u_t}",
        (0.58, 0.64, 0.58),
        ("beta1", "beta2"),
        lambda spec: {"betas": (spec.beta1, spec.beta2)},
        state_rows=(("m_t", "exp_avg"), ("u_t", "exp_inf"), ("m̂_t", "exp_avg_hat")),
        step_rule="−η·m̂_t/u_t",
        divides_by="u_t, the running maximum of its gradient's size (at least ε)",
    ),
}


# The method every other is measured against: Theory's predictions, Compare's "Plain GD" row
# and the stability map's first choice.
PLAIN_GD = "sgd"
CONSTANT_RATE = "none"  # the schedule that leaves the rate alone
# The adaptive optimizer whose effective rates Theory shows when the sidebar's is not adaptive.
ADAPTIVE_EXAMPLE = "adam"


@dataclass(frozen=True)
class ScheduleEntry:
    label: str
    # From a TrainSpec and the epochs it runs for (fewer than the spec's after a warm-up);
    # None is a constant rate.
    build: Callable[[Any, int], gd.Schedule | gd.ReduceOnPlateau | None]
    formula: str  # η_t in LaTeX, with the sidebar's names
    controls: tuple[str, ...] = ()
    # Microseconds a full-batch epoch costs beyond a schedule of the epoch alone (ui/budget.py).
    extra_microseconds: float = 0.0
    # Its shape is stretched over the run's epochs (cosine, one-cycle): more epochs give more
    # of them at large rates, where a decay in epochs only adds epochs at ever smaller ones.
    spans_run: bool = False


SCHEDULES: dict[str, ScheduleEntry] = {
    "none": ScheduleEntry("Constant rate", lambda spec, epochs: None, r"\eta_t = \eta"),
    "step": ScheduleEntry(
        "Step decay",
        lambda spec, epochs: gd.step_decay(spec.every, spec.factor),
        r"\eta_t = \eta \cdot \text{factor}^{\lfloor t / \text{every} \rfloor}",
        ("every", "factor"),
    ),
    "exponential": ScheduleEntry(
        "Exponential decay",
        lambda spec, epochs: gd.exponential_decay(spec.gamma),
        r"\eta_t = \eta \cdot \gamma^{t}",
        ("gamma",),
    ),
    "inverse": ScheduleEntry(
        "Inverse-time decay",
        lambda spec, epochs: gd.inverse_time_decay(spec.decay),
        r"\eta_t = \frac{\eta}{1 + \text{decay} \cdot t}",
        ("decay",),
    ),
    "cosine": ScheduleEntry(
        "Cosine decay",
        lambda spec, epochs: gd.cosine_decay(epochs, spec.final),
        r"\eta_t = \eta \left(f + (1 - f)\, \frac{1 + \cos(\pi \min(t, T)/T)}{2}\right),"
        r"\quad f = \text{final fraction},\ T = \text{epochs}",
        ("final",),
        spans_run=True,
    ),
    "onecycle": ScheduleEntry(
        "One-cycle",
        lambda spec, epochs: gd.one_cycle(epochs, spec.pct_start, spec.div, spec.final_div),
        r"\eta_t = \begin{cases} c(\eta/d,\ \eta,\ t/a) & t \le a = p\,T - 1 \\"
        r" c\big(\eta,\ \eta/(d\,d_f),\ (t - a)/(T - 1 - a)\big) & t > a \end{cases},"
        r"\quad c(s, e, x) = e + (s - e)\,\frac{1 + \cos \pi x}{2}",
        ("pct_start", "div", "final_div"),
        spans_run=True,
    ),
    "plateau": ScheduleEntry(
        "Reduce on plateau",
        lambda spec, epochs: gd.reduce_on_plateau(
            spec.drop, spec.patience, spec.threshold, spec.cooldown, spec.min_lr
        ),
        r"\eta_{t+1} = \begin{cases} \max(\text{factor} \cdot \eta_t,\ \eta_{\min}) &"
        r" \text{more than patience epochs without }"
        r" L < L_{\text{best}}\,(1 - \text{threshold})"
        r" \\ \eta_t & \text{otherwise} \end{cases}"
        r",\quad \text{the cooldown epochs after a cut not counted}",
        ("drop", "patience", "threshold", "cooldown", "min_lr"),
        extra_microseconds=1.2,
    ),
}

# LinearLR's ramp before any schedule, as SequentialLR runs it: the schedule starts at t = W.
WARMUP_FORMULA = (
    r"\eta_t = \eta \left(s + (1 - s)\, \frac{t}{W}\right) \text{ for } t < W,"
    r"\ \text{then the schedule from its own } t = 0"
)


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
