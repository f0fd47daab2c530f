"""Warm-up, one-cycle and reduce-on-plateau against torch.optim's documented formulas.

Each reference below is written out from the torch.optim.lr_scheduler documentation and source
(LinearLR's closed form, SequentialLR's milestones, OneCycleLR's two cosine phases,
ReduceLROnPlateau.step), as a plain loop, epoch by epoch: nothing is taken from gd_core.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gd_core as gd
from gd_core.model import mse
from tests.core.reference import settled_from

DATA = gd.make_dataset(60, slope=2.0, intercept=1.0, noise=1.0)


def torch_linear_lr(epoch, start_factor, total_iters, end_factor=1.0):
    """LinearLR's closed form: start + (end − start)·min(total_iters, epoch)/total_iters."""
    return start_factor + (end_factor - start_factor) * min(total_iters, epoch) / total_iters


def torch_sequential(epoch, milestone, first, then):
    """SequentialLR([first, then], milestones=[milestone]): `then` restarts at the milestone."""
    return first(epoch) if epoch < milestone else then(epoch - milestone)


def torch_one_cycle(step, max_lr, total_steps, pct_start=0.3, div=25.0, final_div=1e4):
    """OneCycleLR.get_lr with anneal_strategy='cos', three_phase=False."""
    initial = max_lr / div
    phases = [
        (float(pct_start * total_steps) - 1, initial, max_lr),
        (total_steps - 1, max_lr, initial / final_div),
    ]
    start_step = 0.0
    for i, (end_step, start_lr, end_lr) in enumerate(phases):
        if step <= end_step or i == len(phases) - 1:
            pct = (step - start_step) / (end_step - start_step)
            return end_lr + (start_lr - end_lr) / 2.0 * (math.cos(math.pi * pct) + 1)
        start_step = end_step
    raise AssertionError


class TorchPlateau:
    """ReduceLROnPlateau(mode='min', threshold_mode='rel') as torch steps it, on two groups."""

    def __init__(
        self,
        lrs,
        factor=0.1,
        patience=10,
        threshold=1e-4,
        cooldown=0,
        min_lr=0.0,
        threshold_mode="rel",
    ):
        self.lrs, self.factor, self.patience = list(lrs), factor, patience
        self.threshold, self.cooldown, self.min_lr, self.eps = threshold, cooldown, min_lr, 1e-8
        self.best, self.num_bad_epochs, self.cooldown_counter = math.inf, 0, 0
        self.threshold_mode = threshold_mode

    def is_better(self, current):  # mode 'min'
        if self.threshold_mode == "rel":
            return current < self.best * (1.0 - self.threshold)
        return current < self.best - self.threshold

    def step(self, metrics):
        current = float(metrics)
        if self.is_better(current):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0
        if self.num_bad_epochs > self.patience:
            for i, old_lr in enumerate(self.lrs):
                new_lr = max(old_lr * self.factor, self.min_lr)
                if old_lr - new_lr > self.eps:
                    self.lrs[i] = new_lr
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0


EPOCHS = np.arange(60)


@pytest.mark.parametrize(
    ("then", "reference"),
    [
        (None, lambda e: 1.0),
        (gd.step_decay(7, 0.5), lambda e: 0.5 ** (e // 7)),
        (
            gd.cosine_decay(40, 0.1),
            lambda e: 0.1 + 0.9 * (1 + math.cos(math.pi * min(e, 40) / 40)) / 2,
        ),
        (gd.one_cycle(45), lambda e: torch_one_cycle(min(e, 44), 1.0, 45)),
    ],
)
def test_warmup_into_a_schedule_is_torch_sequential_lr(then, reference):
    schedule = gd.linear_warmup(15, 0.2, then)
    expected = [
        torch_sequential(e, 15, lambda t: torch_linear_lr(t, 0.2, 15), reference) for e in EPOCHS
    ]
    np.testing.assert_allclose(schedule(EPOCHS), expected, rtol=1e-13)
    assert schedule(np.array([0]))[0] == pytest.approx(0.2)


def test_warmup_defaults_are_linear_lr_defaults():
    warmup = gd.linear_warmup()  # LinearLR(start_factor=1/3, total_iters=5)
    np.testing.assert_allclose(
        warmup(EPOCHS[:8]), [torch_linear_lr(e, 1 / 3, 5) for e in range(8)], rtol=1e-14
    )


@pytest.mark.parametrize(
    ("total", "kwargs"),
    [
        (100, {}),
        (450, {}),
        (10, {}),
        (37, {"pct_start": 0.5, "div_factor": 10.0, "final_div_factor": 100.0}),
        (20, {"pct_start": 0.04}),  # the rising phase ends before step 0: only the fall
    ],
)
def test_one_cycle_is_torch_one_cycle_lr_epoch_by_epoch(total, kwargs):
    schedule = gd.one_cycle(total, **kwargs)
    steps = np.arange(total)
    names = {"pct_start": "pct_start", "div_factor": "div", "final_div_factor": "final_div"}
    torch_kwargs = {names[key]: value for key, value in kwargs.items()}
    expected = [torch_one_cycle(int(s), 0.02, total, **torch_kwargs) for s in steps]
    np.testing.assert_allclose(0.02 * schedule(steps), expected, rtol=1e-12)


def test_one_cycle_defaults_start_at_max_over_25_and_end_at_its_1e4th():
    schedule = gd.one_cycle(101)  # pct_start·101 − 1 = 29.3: the peak lies between steps
    assert schedule(np.array([0]))[0] == pytest.approx(1 / 25, rel=1e-14)
    assert schedule(np.array([100]))[0] == pytest.approx(1 / 25 / 1e4, rel=1e-12)
    assert schedule(np.arange(101)).max() <= 1.0
    assert schedule(np.array([500]))[0] == schedule(np.array([100]))[0]  # stays at its last


@pytest.mark.parametrize(
    "make",
    [
        lambda: gd.one_cycle(1),
        lambda: gd.one_cycle(10, pct_start=0.1),  # 0.1·10 = 1: torch divides by zero
        lambda: gd.one_cycle(10, pct_start=1.5),
        lambda: gd.one_cycle(10, div_factor=0.5),
        lambda: gd.linear_warmup(0),
        lambda: gd.linear_warmup(5, start_factor=0.0),
        lambda: gd.reduce_on_plateau(factor=1.0),
        lambda: gd.reduce_on_plateau(patience=-1),
        lambda: gd.reduce_on_plateau(cooldown=1.5),
        lambda: gd.reduce_on_plateau(min_lr=-1.0),
        lambda: gd.reduce_on_plateau(mode="max"),
        lambda: gd.reduce_on_plateau(threshold_mode="relative"),
        lambda: gd.reduce_on_plateau(threshold=1.5),  # relative: a loss can't fall by 150 %
    ],
)
def test_bad_settings_raise_a_value_error(make):
    with pytest.raises(ValueError):
        make()


# A loss curve made by hand: improves, stalls, improves by less than the threshold, then NaN.
HAND_LOSSES = [9.0, 8.0, 7.0, 7.0, 7.0, 7.0, 6.9999, 7.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0]
HAND_LOSSES += [4.9999, 5.0, 5.0, math.nan, math.nan, 1.0, 1.0, 1.0]


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"factor": 0.5, "patience": 2},
        {"factor": 0.5, "patience": 0, "cooldown": 2},
        {"factor": 0.1, "patience": 1, "min_lr": 3e-4},
        {"factor": 0.5, "patience": 1, "threshold": 0.0},
        {"factor": 0.5, "patience": 1, "threshold": 5e-5, "threshold_mode": "abs"},
        {"factor": 0.5, "patience": 0, "threshold": 1.5, "threshold_mode": "abs"},
    ],
)
def test_plateau_rates_are_torch_reduce_lr_on_plateau(settings):
    lr = (0.02, 0.2)
    reference = TorchPlateau(lr, **settings)
    expected = []
    for epoch in range(len(HAND_LOSSES)):
        if epoch > 0:  # scheduler.step(loss) after each epoch, on the loss after it
            reference.step(HAND_LOSSES[epoch])
        expected.append(tuple(reference.lrs))
    rule = gd.reduce_on_plateau(**settings)
    rates_k, rates_b = rule.rates_after(lr, np.array(HAND_LOSSES), len(HAND_LOSSES))
    assert list(zip(rates_k, rates_b, strict=True)) == expected


def test_hand_worked_plateau():
    # patience 2, factor 0.5: the loss after epochs 1, 2, 3 does not beat 8 → rates halve for
    # epoch 4 (3 bad epochs > 2); it never improves again, so they halve every 3 epochs.
    losses = np.array([10.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0])
    rates_k, _ = gd.reduce_on_plateau(0.5, patience=2).rates_after((1.0, 1.0), losses, 9)
    assert rates_k.tolist() == [1, 1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25]


def reference_loop(data, lr, epochs, scheduler, warmup=0, start_factor=1.0, batch=None, seed=0):
    """The learner's loop: plain GD on the points, scheduler.step(full loss) after each epoch."""
    k = b = 0.0
    rng = np.random.default_rng(seed)
    ks, rates = [k], []
    for epoch in range(epochs):
        if epoch < warmup:
            factor = torch_linear_lr(epoch, start_factor, warmup)
            rate_k, rate_b = lr[0] * factor, lr[1] * factor
        else:
            rate_k, rate_b = scheduler.lrs
        order = np.arange(data.n) if batch is None else rng.permutation(data.n)
        for first in range(0, data.n, batch or data.n):
            part = order[first : first + (batch or data.n)]
            r = k * data.x[part] + b - data.y[part]
            k, b = k - rate_k * 2 * np.mean(data.x[part] * r), b - rate_b * 2 * np.mean(r)
        rates.append((rate_k, rate_b))
        ks.append(k)
        if epoch >= warmup:
            scheduler.step(mse(data, k, b))
    return np.array(ks), rates


@pytest.mark.parametrize("batch", [None, 16])
def test_training_with_plateau_is_the_learners_loop(batch):
    lr = (0.01, 0.1)
    rule = gd.linear_warmup(5, 0.5, gd.reduce_on_plateau(0.5, patience=3))
    run = gd.train(DATA, gd.sgd(lr, schedule=rule), 300, batch_size=batch)
    ks, rates = reference_loop(DATA, lr, 300, TorchPlateau(lr, 0.5, 3), 5, 0.5, batch)
    np.testing.assert_allclose(run.k, ks, rtol=1e-9, atol=1e-12)
    replayed = gd.scheduled_rates(gd.sgd(lr, schedule=rule), run.loss)
    np.testing.assert_allclose(np.column_stack(replayed), np.array(rates), rtol=1e-12)
    assert min(rate for rate, _ in rates) < lr[0]  # the rule did act on this run


@pytest.mark.parametrize(
    "rule",
    [
        gd.reduce_on_plateau(0.5, patience=4),
        gd.reduce_on_plateau(0.5, patience=0, cooldown=2),
        gd.linear_warmup(7, 0.2, gd.reduce_on_plateau(0.3, patience=2, cooldown=1, min_lr=1e-3)),
    ],
)
def test_replayed_rates_are_the_rates_training_used(rule):
    # Train again with the replayed rates as a fixed per-epoch table: the trajectory must be
    # the same, so training cut the rates exactly when the rule, fed the run's losses, does.
    lr = (0.3, 0.3)
    run = gd.train(DATA, gd.adam(lr, schedule=rule), 400)
    rates_k, _ = gd.scheduled_rates(gd.adam(lr, schedule=rule), run.loss)
    assert len(np.unique(rates_k)) > 2
    table = rates_k / lr[0]
    again = gd.train(DATA, gd.adam(lr, schedule=lambda epoch: table[epoch]), 400)
    np.testing.assert_allclose(again.k, run.k, rtol=1e-12)
    np.testing.assert_allclose(again.b, run.b, rtol=1e-12)


def test_verdicts_of_scheduled_runs_follow_the_contract():
    # One-cycle's peak is above 2/λ_max, yet the falling rate brings the run back: the verdict
    # is read from the run, never from its peak rate.
    limit = gd.analyze(DATA).max_stable_lr
    optimizer = gd.sgd(1.1 * limit, schedule=gd.one_cycle(1000))
    run = gd.train(DATA, optimizer, 1000)
    assert gd.scheduled_rates(optimizer, run.loss)[0].max() > limit
    assert run.status == "converged"
    assert run.settled_at == (
        settled_from(run.k, DATA.slope_ols),
        settled_from(run.b, DATA.intercept_ols),
    )
    # Reduce-on-plateau on the flat valley: the loss stalls while b is far off, the rule cuts
    # the rate to nothing, and b never gets there: still on its way, not converged.
    stalled = gd.train(DATA, gd.sgd(0.02, schedule=gd.reduce_on_plateau(0.5, 5)), 450)
    assert stalled.status == "max_epochs" and stalled.settled_at[1] is None
    assert settled_from(stalled.b, DATA.intercept_ols) is None


def test_absolute_threshold_trains_as_the_learners_loop_and_sweeps_as_train():
    lr = (0.01, 0.1)
    rule = gd.reduce_on_plateau(0.5, patience=3, threshold=1e-3, threshold_mode="abs")
    run = gd.train(DATA, gd.sgd(lr, schedule=rule), 300)
    reference = TorchPlateau(lr, 0.5, 3, threshold=1e-3, threshold_mode="abs")
    ks, rates = reference_loop(DATA, lr, 300, reference)
    np.testing.assert_allclose(run.k, ks, rtol=1e-9, atol=1e-12)
    assert min(rate for rate, _ in rates) < lr[0]  # the rule did act on this run
    values = np.array([0.005, 0.01, 0.05])
    swept = gd.sweep(DATA, "lr", values, gd.sgd(1.0, schedule=rule), 300)
    for value, final in zip(values, swept.final_loss, strict=True):
        alone = gd.train(DATA, gd.sgd(value, schedule=rule), 300)
        assert final == pytest.approx(alone.loss[-1], rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    losses=st.lists(
        st.sampled_from([0.5, 1.0, 1.0 - 1e-5, 2.0, 7.0, math.nan, math.inf]), max_size=40
    ),
    factor=st.sampled_from([0.1, 0.5, 0.9]),
    patience=st.integers(0, 3),
    cooldown=st.integers(0, 2),
    min_lr=st.sampled_from([0.0, 3e-4, 0.05]),
    threshold=st.sampled_from([0.0, 1e-4, 0.5]),
    threshold_mode=st.sampled_from(["rel", "abs"]),
)
def test_the_rule_on_floats_is_the_rule_on_arrays(
    losses, factor, patience, cooldown, min_lr, threshold, threshold_mode
):
    """One run reads the rule on Python floats, a sweep on arrays of runs (np.where): both
    must give the same rates, or a sweep point would not be the run train() makes."""
    rule = gd.reduce_on_plateau(factor, patience, threshold, cooldown, min_lr, 1e-8, threshold_mode)
    one = rule.init(0.02, 0.2)
    many = rule.init(np.array([0.02]), np.array([0.2]), np.zeros(1))
    for loss in losses:
        one = rule.step(one, loss)
        many = rule.step(many, np.array([loss]), np.where)
        assert one == tuple(value.item() for value in many)


@pytest.mark.parametrize(
    ("rate", "factor", "min_lr"),
    [
        (0.01, 0.1, 0.0),  # the default: cut to a tenth, again and again
        (0.01, 0.1, 10.0),  # a floor 1,000 times η: torch never cuts
        (0.01, 0.1, 0.01),  # a floor at η exactly
        (0.01, 0.5, 0.009),  # a floor just under η: one cut, to the floor, then none
        (0.01, 0.1, 0.01 - 5e-9),  # within torch's eps of η: skipped
        (1.5e-8, 0.1, 0.0),  # a cut of 1.35e-8 is more than eps: made
        (1.1e-8, 0.1, 0.0),  # one of 0.99e-8 is not
    ],
)
def test_a_rate_can_be_cut_exactly_when_torch_would_cut_it(rate, factor, min_lr):
    """can_cut(rate) against torch's step on a loss that never improves: with patience 0 every
    step after the first (which only sets `best`) asks for a cut, and the rate changes exactly
    when can_cut said it would."""
    rule = gd.reduce_on_plateau(factor, patience=0, min_lr=min_lr)
    torch = TorchPlateau([rate], factor, patience=0, min_lr=min_lr)
    torch.step(1.0)
    changed = []
    for _ in range(5):
        before = torch.lrs[0]
        torch.step(1.0)
        changed.append(torch.lrs[0] != before)
        assert rule.can_cut(before) == changed[-1], before
    cuts_at_all = min_lr < rate - 1e-8 and rate * (1 - factor) > 1e-8
    assert changed[0] == cuts_at_all
