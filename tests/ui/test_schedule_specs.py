"""Every sidebar schedule, with or without a warm-up, gives the rates torch.optim would.

The sidebar's settings (a TrainSpec, any values its controls allow) go through the app's own
path (ui.config.build_optimizer, then gd.scheduled_rates) and are compared epoch by epoch with
torch.optim.lr_scheduler's documented formulas, written out below from the documentation:
LinearLR then the schedule from its own epoch 0 (SequentialLR), StepLR, ExponentialLR,
CosineAnnealingLR, OneCycleLR (cos, two phases) and ReduceLROnPlateau stepped on the loss
after each epoch. No streamlit here: the spec is plain data.
"""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import gd_core as gd
from tests.core.test_torch_schedules import TorchPlateau, torch_linear_lr, torch_one_cycle
from ui import registry
from ui.config import TrainSpec, build_optimizer


def torch_schedule(spec: TrainSpec, u: int, total: int) -> float:
    """The multiplier of the schedule's own epoch u in a run of `total` epochs after warm-up."""
    if spec.schedule == "none":
        return 1.0
    if spec.schedule == "step":  # StepLR(step_size=every, gamma=factor)
        return spec.factor ** (u // spec.every)
    if spec.schedule == "exponential":  # ExponentialLR(gamma)
        return spec.gamma**u
    if spec.schedule == "inverse":  # 1/(1 + decay·t), the classic decay (no torch class)
        return 1.0 / (1.0 + spec.decay * u)
    if spec.schedule == "cosine":  # CosineAnnealingLR(T_max=total, eta_min=final·η)
        return spec.final + (1.0 - spec.final) * (1.0 + math.cos(math.pi * u / total)) / 2.0
    assert spec.schedule == "onecycle"
    return torch_one_cycle(u, 1.0, total, spec.pct_start, spec.div, spec.final_div)


epoch_schedules = st.sampled_from(["none", "step", "exponential", "inverse", "cosine", "onecycle"])
specs = st.builds(
    lambda schedule, epochs, warmup, every, factor, gamma, decay, final, pct, div, final_div, s: (
        TrainSpec(
            epochs=epochs,
            lr_k=0.01,
            lr_b=0.03,
            schedule=schedule,
            every=every,
            factor=factor,
            gamma=gamma,
            decay=decay,
            final=final,
            pct_start=pct,
            div=div,
            final_div=final_div,
            warmup=min(warmup, epochs - 10),
            warmup_from=s,
        )
    ),
    epoch_schedules,
    st.sampled_from([10, 20, 50, 100, 200, 450]),
    st.sampled_from([0, 0, 1, 3, 10, 40, 300]),
    st.integers(1, 200),
    st.floats(0.05, 1.0),
    st.floats(0.5, 1.0),
    st.floats(0.0, 10.0),
    st.sampled_from([0.0, 0.05, 0.5, 1.0]),
    st.sampled_from([0.15, 0.3, 0.45, 0.6, 0.9]),
    st.floats(1.0, 1e4),
    st.floats(1.0, 1e8),
    st.floats(0.001, 1.0),
)


@settings(max_examples=120, deadline=None)
@given(specs)
def test_every_epoch_schedule_after_any_warmup_is_torchs(spec):
    optimizer = build_optimizer(spec)
    rates_k, rates_b = gd.scheduled_rates(optimizer, np.ones(spec.epochs + 1))
    total = spec.epochs - spec.warmup
    expected = [
        torch_linear_lr(t, spec.warmup_from, spec.warmup)
        if t < spec.warmup
        else torch_schedule(spec, t - spec.warmup, total)
        for t in range(spec.epochs)
    ]
    np.testing.assert_allclose(rates_k, 0.01 * np.array(expected), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(rates_b, 0.03 * np.array(expected), rtol=1e-12, atol=1e-300)


# Loss curves with long plateaus, tiny improvements under and over the threshold, and bumps.
loss_steps = st.lists(st.sampled_from([0.0, 0.0, 0.0, -1e-6, -1e-3, -0.1, 0.05]), max_size=119)


@settings(max_examples=80, deadline=None)
@given(
    loss_steps,
    st.sampled_from([0, 0, 5, 30]),
    st.floats(0.05, 0.95),
    st.integers(0, 6),
    st.integers(0, 4),
    st.sampled_from([0.0, 1e-4, 1e-2]),
    st.sampled_from([0.0, 1e-3, 0.02]),
    st.floats(0.001, 1.0),
)
def test_plateau_after_any_warmup_is_torchs(steps, warmup, drop, patience, cooldown, thr, low, s):
    losses = np.cumsum([5.0, *steps])
    spec = TrainSpec(
        epochs=len(losses) - 1 if len(losses) > 40 else 450,
        lr_k=0.1,
        lr_b=0.05,
        schedule="plateau",
        drop=drop,
        patience=patience,
        cooldown=cooldown,
        threshold=thr,
        min_lr=low,
        warmup=warmup,
        warmup_from=s,
    )
    epochs = len(losses) - 1
    rates_k, rates_b = gd.scheduled_rates(build_optimizer(spec), losses, epochs)
    torch = TorchPlateau((0.1, 0.05), drop, patience, thr, cooldown, low)
    expected = []
    for t in range(epochs):
        if t < warmup:
            factor = torch_linear_lr(t, s, warmup)
            expected.append((0.1 * factor, 0.05 * factor))
            continue
        if t > warmup:  # scheduler.step(loss after epoch t − 1), from the first epoch it rules
            torch.step(losses[t])
        expected.append(tuple(torch.lrs))
    assert list(zip(rates_k, rates_b, strict=True)) == expected


# Each schedule's controls at values other than their defaults, and a warm-up before it.
LINKS = {
    "step": {"every": "37", "factor": "0.7"},
    "exponential": {"gamma": "0.95"},
    "inverse": {"decay": "0.25"},
    "cosine": {"final": "0.35"},
    "onecycle": {"pct_start": "0.45", "div": "8", "final_div": "300"},
    "plateau": {"drop": "0.3", "patience": "4", "cooldown": "3", "threshold": "0.01"},
}


def test_a_link_carries_every_setting_of_every_schedule_and_its_formula():
    from tests.ui.helpers import fresh_app, sidebar_values

    assert set(LINKS) | {"none"} == set(registry.SCHEDULES)
    for name, settings_ in LINKS.items():
        assert set(settings_) <= set(registry.SCHEDULES[name].controls)
        query = {"schedule": name, "warmup": "20", "warmup_from": "0.2"} | settings_
        if name == "plateau":
            query["min_lr"] = "0.002"
        app = fresh_app(**query).run()
        assert not app.exception and not app.error, name
        shown = sidebar_values(app)
        for key, value in query.items():
            drawn = shown[key]
            assert str(drawn) == value if isinstance(drawn, str) else drawn == float(value), key
            assert app.query_params[key] == value, key  # still in the link to share
        rule = next(e for e in app.expander if e.label.startswith("Update rule"))
        formulas = [latex.value.strip("$\n") for latex in rule.latex]
        assert registry.WARMUP_FORMULA in formulas
        assert registry.SCHEDULES[name].formula in formulas
