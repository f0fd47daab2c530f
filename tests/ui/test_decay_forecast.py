"""The banner's forecast for a decay that has cut the rate: its numbers are the run's own
(against a loop written here), and it never says "try more epochs" where the decay forbids it."""

import numpy as np

import gd_core as gd
from ui.compute.lesson_answers import lesson_config
from ui.compute.runs import load_dataset, reduced_run
from ui.plain import figures, outcome_words, schedule_cuts, verdicts


def banner(**settings):
    config = lesson_config(settings)
    data = load_dataset(config.data)
    run = reduced_run(config, data)
    return data, config, run, verdicts.verdict(data, config.train, run).text


def test_plain_gd_forecast_is_the_loop_run_on():
    data, config, run, text = banner(schedule="step", every=200, factor=0.3, lr_b=0.05)
    spec = config.train
    delta = np.array([run.last.k - data.slope_ols, run.last.b - data.intercept_ols])
    h = gd.hessian(data)
    rates = np.array([spec.lr_k, spec.lr_b])
    for epoch in range(spec.epochs, 30_000):  # 0.3^150: the rest adds nothing
        delta = delta - rates * 0.3 ** (epoch // 200) * (h @ delta)
    ends = np.abs(delta) / np.array(run.start_gaps)
    assert text.startswith("**Not converging")
    said = f"b from {figures.percent(run.gap_left('b'))} to {figures.percent(ends[1])}"
    assert said in text and figures.percent(ends[1]) != figures.percent(run.gap_left("b"))
    assert "at best" not in text and "Try more epochs" not in text


def test_adam_after_a_step_decay_says_how_far_its_rates_can_still_move_it():
    # A loop of torch's Adam with the same StepLR, 20,000 epochs on, leaves b about half its
    # gap, but the bound on Adam's steps allows more than the gap: nothing proves it stuck,
    # so the banner gives the bound against each gap and promises nothing.
    data, config, run, text = banner(optimizer="adam", schedule="step")
    spec = config.train
    assert spec.every == 100 and spec.factor == 0.5 and spec.epochs == 450
    # Kingma & Ba's bound on |m̂|/√v̂ at step 451, times η and the StepLR multipliers left.
    beta1, beta2 = spec.beta1, spec.beta2
    per_rate = (1 - beta1) / (1 - beta1**451) / np.sqrt(1 - beta1**2 / beta2) / np.sqrt(1 - beta2)
    left = np.sum(0.5 ** (np.arange(450, schedule_cuts.MOST_EPOCHS) // 100))
    reach = per_rate * max(spec.lr_k, spec.lr_b) * left
    gaps = {
        p: abs(getattr(run.last, p) - optimum) - gd.DEFAULT_TOL * gap
        for p, optimum, gap in zip(
            "kb", (data.slope_ols, data.intercept_ols), run.start_gaps, strict=True
        )
    }
    assert all(gap < reach for gap in gaps.values())  # the bound cannot prove it stuck
    assert text.startswith("**Still converging")
    assert f"can move each parameter by at most {reach:.2g}" in text
    assert f"more than the {gaps['k']:.3g} k and {gaps['b']:.3g} b still have to cover" in text
    assert "nothing here rules more epochs out, nor shows that they get there" in text
    assert "Try more epochs" not in text
    assert outcome_words.outcome(spec, run, data).startswith("not yet")


def test_plain_gd_shown_to_get_there_says_where_the_decay_takes_it():
    data, config, run, text = banner(
        schedule="inverse", decay=0.005, epochs=2000, lr_k=0.02, lr_b=0.02
    )
    spec = config.train
    delta = np.array([run.last.k - data.slope_ols, run.last.b - data.intercept_ols])
    end = gd.plain_reach(
        data, (0.02, 0.02), gd.inverse_time_decay(0.005), 2000, schedule_cuts.MOST_EPOCHS, delta
    )
    b_end = abs(end[1]) / run.start_gaps[1]
    assert spec.lr_b == 0.02 and run.settled_at[1] is None and b_end <= gd.DEFAULT_TOL
    assert f"takes b from {figures.percent(run.gap_left('b'))} to {figures.percent(b_end)}" in text
    assert "more epochs get there, at ever smaller rates" in text


def test_a_spent_mini_batch_decay_is_not_converging_with_a_bound():
    data, config, run, text = banner(schedule="exponential", gamma=0.9, batch=32)
    assert text.startswith("**Not converging"), text
    assert "can move each parameter by at most" in text and "Try more epochs" not in text
    assert outcome_words.outcome(config.train, run, data).startswith("stuck")


def test_a_vanishing_share_is_said_in_words():
    assert figures.percent(3.4e-136) == "practically none (under 10⁻⁶ %)"
    assert figures.percent(0.0) == "0 %" and figures.percent(0.02) == "2 %"


class _ClearedByAnotherThread(dict):
    """A cache that another script thread clears right after each write, before the read."""

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self.clear()


def test_the_decay_forecast_survives_a_clear_between_its_write_and_read(monkeypatch):
    data, config, run, _ = banner(
        batch=10,
        optimizer="adam",
        lr_k=0.003,
        same_rate=True,
        b0=-8.0,
        schedule="inverse",
        decay=0.1,
    )
    fresh = schedule_cuts.decay_ahead(config.train, run, data)
    assert fresh and fresh.startswith("Run on to")  # a forecast to compute, not a None
    monkeypatch.setattr(schedule_cuts, "_REACH", _ClearedByAnotherThread())
    assert schedule_cuts.decay_ahead(config.train, run, data) == fresh
