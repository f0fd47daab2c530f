"""The banner's forecast for a decay that has cut the rate: its numbers are the run's own
(against a loop written here), and it never says "try more epochs" where the decay forbids it."""

import numpy as np

import gd_core as gd
from ui.compute.lesson_answers import lesson_config
from ui.compute.runs import load_dataset, reduced_run
from ui.plain import stalls, verdicts


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
    said = f"b from {stalls.percent(run.gap_left('b'))} to {stalls.percent(ends[1])}"
    assert said in text and stalls.percent(ends[1]) != stalls.percent(run.gap_left("b"))
    assert "at best" not in text and "Try more epochs" not in text


def test_adam_after_a_step_decay_is_not_told_to_try_more_epochs():
    # A loop of torch's Adam with the same StepLR, 20,000 epochs on, leaves b about half its
    # gap: nothing the run shows says more epochs get there.
    *_, text = banner(optimizer="adam", schedule="step")
    assert "Try more epochs" not in text and "more epochs run at ever smaller rates" in text


def test_a_spent_mini_batch_decay_is_not_converging_with_a_bound():
    data, config, run, text = banner(schedule="exponential", gamma=0.9, batch=32)
    assert text.startswith("**Not converging"), text
    assert "can move each parameter by at most" in text and "Try more epochs" not in text
    assert verdicts.outcome(config.train, run, data).startswith("stuck")


def test_a_vanishing_share_is_said_in_words():
    assert stalls.percent(3.4e-136) == "practically none (under 10⁻⁶ %)"
    assert stalls.percent(0.0) == "0 %" and stalls.percent(0.02) == "2 %"
