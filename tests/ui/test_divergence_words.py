"""What "diverged" is said to mean, and how a diverged run is told: gd_core's rule exactly
(a loss that is not finite, or past DIVERGENCE_FACTOR times its start), in readable numbers."""

import math

import numpy as np

import gd_core as gd
from gd_core.run import power_of_ten
from ui.compute.runs import reduced_run
from ui.config import Config, TrainSpec
from ui.plain import outcome_words, verdicts

SPEC = TrainSpec(lr_k=1.0, lr_b=1.0)
# x of 1e70, y of 1e20: one step of plain GD at rate 1 takes the loss past what a float holds.
HUGE = gd.Dataset(np.array([2e69, 5e69, 1e70]), np.array([1e20, 2e20, 3e20]))


def banner(data: gd.Dataset, spec: TrainSpec) -> str:
    run = reduced_run(Config(train=spec), data)
    assert run.status == "diverged"
    return verdicts.verdict(data, spec, run).text


def test_the_glossary_gives_both_halves_of_the_rule_and_no_raw_exponent():
    words = outcome_words.outcome_words(["diverged at epoch 3", "settled at 40"])
    diverged = words.split("*diverged*: ")[1]
    assert "non-finite" in diverged and "10¹² times its starting value" in diverged
    assert "e+" not in words
    assert gd.DIVERGENCE_FACTOR == 10.0**12  # the superscript says the engine's own factor


def test_powers_of_ten_read_as_powers_and_other_factors_as_numbers():
    assert power_of_ten(1e12) == "10¹²"
    assert power_of_ten(1e-3) == "10⁻³"
    assert power_of_ten(2500.0) == "2,500"


def test_a_finite_divergence_quotes_the_loss_it_reached_past_the_factor():
    data = gd.make_dataset(100, slope=2.0, intercept=1.0, noise=1.0)
    spec = TrainSpec(lr_k=0.05, lr_b=0.05)
    run = gd.train(data, gd.sgd(0.05), spec.epochs)
    last, first = float(run.loss[-1]), float(run.loss[0])
    assert math.isfinite(last) and last > 1e12 * first  # a plain check of the rule
    text = banner(data, spec)
    assert f"the loss reached {last:.3g}, past 10¹² times its start ({first:.3g})" in text
    assert f"|k − k*| = {abs(run.k[-1] - data.slope_ols):.3g}" in text
    assert "non-finite" not in text and "e+12" not in text


def test_an_overflow_is_told_as_a_non_finite_loss_without_infinite_gaps():
    run = gd.train(HUGE, gd.sgd(1.0), 20)
    assert run.diverged_at == 1 and not np.isfinite(run.loss[-1])
    text = banner(HUGE, SPEC)
    assert f"**Diverged at epoch {run.diverged_at}**: the loss became non-finite" in text
    assert "past 10¹²" not in text and "inf" not in text and "nan" not in text


def test_the_engines_own_message_names_the_half_of_the_rule_that_fired():
    assert "non-finite" in gd.train(HUGE, gd.sgd(1.0), 20).message
    data = gd.make_dataset(100, slope=2.0, intercept=1.0, noise=1.0)
    message = gd.train(data, gd.sgd(0.05), 450).message
    assert "past 10¹² times its starting value" in message  # as the banners say it
