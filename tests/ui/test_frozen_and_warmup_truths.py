"""Sentences tester E's walkthrough (s11, §3, §6, §7, §8) found untrue of the run on screen:
a schedule that froze the run told as "b crawls", Adam's b called ahead while it ends far
off, Fit and Compare disagreeing about a late settle, and a warm-up longer than the run met
with "Try more epochs". Each claim is checked against the run's own arrays by loops here."""

import re

import numpy as np
import pytest

import gd_core as gd
from tests.core.reference import learner_run
from tests.ui.helpers import dataset, fresh_app
from ui.charts import mode_charts
from ui.compute.lesson_answers import lesson_config
from ui.compute.runs import load_dataset, reduced_run, train
from ui.config import build_optimizer
from ui.plain import loss_captions, run_captions, verdicts
from ui.plain.outcome_words import outcome
from ui.plain.parameter_progress import progress

FROZEN = {
    "momentum, plateau": {"optimizer": "momentum", "schedule": "plateau"},
    "exponential 0.5": {"schedule": "exponential", "gamma": 0.5},
}


def shown(settings):
    config = lesson_config(settings)
    data = load_dataset(config.data)
    return config, data, train(config, data), reduced_run(config, data)


def frozen_epoch(caption):
    found = re.search(r"from epoch ([\d,]+) on, the schedule's rates add up to under 1 %", caption)
    assert found, caption
    return int(found.group(1).replace(",", ""))


@pytest.mark.parametrize("settings", FROZEN.values(), ids=FROZEN.keys())
def test_a_run_the_schedule_froze_is_not_told_as_a_slow_walk(settings):
    config, data, run, view = shown(settings)
    fit = run_captions.fit(view, data)
    excess = loss_captions.excess(config.train, view)
    for caption in (fit, excess):
        assert "crawls" not in caption and "b's slow walk" not in caption, caption
        epoch = frozen_epoch(caption)
        # The rates from that epoch on, by a loop: at most 1 % of all the run's.
        rates = gd.scheduled_rates(build_optimizer(config.train), run.loss)[0]
        assert sum(rates[t] for t in range(epoch, len(rates))) <= 0.01 * sum(rates)
        # Each parameter stands still there: its range after it is under a tenth of the
        # distance it still has, and is the width the caption gives.
        for p, path, best in (("k", run.k, data.slope_ols), ("b", run.b, data.intercept_ols)):
            width = max(path[epoch:]) - min(path[epoch:])
            assert width <= 0.1 * abs(path[-1] - best)
            assert f"{p} stays within a stretch {width:.2g} wide" in caption


def test_the_plateau_caption_claims_no_cause_it_did_not_check():
    # Momentum's swings, not a flat valley, kept the loss from beating its best here.
    config, _, _, view = shown(FROZEN["momentum, plateau"])
    text = loss_captions.rates(config.train, view)
    assert "along the flat valley the loss barely moves while b is still far off" not in text
    assert "whatever the reason" in text


def test_the_loss_page_of_a_frozen_run_says_the_schedule_froze_it():
    app = fresh_app(optimizer="momentum", schedule="plateau")
    app.run()
    app.switch_page("pages/loss.py").run()
    assert not app.exception
    texts = [c.value for c in app.caption] + [m.value for m in app.markdown]
    assert not any("b's slow walk" in text for text in texts)
    assert any("The schedule froze the run there" in text for text in texts)


def first_close(values, optimum, share=0.1):
    start = abs(values[0] - optimum)
    return next((e for e, v in enumerate(values) if abs(v - optimum) <= share * start), None)


@pytest.mark.parametrize("lr", [0.01, 0.1])
def test_adams_fit_caption_does_not_call_b_ahead_when_k_ends_closer(lr):
    _, data, run, view = shown({"optimizer": "adam", "lr_k": lr})
    caption = run_captions.fit(view, data)
    assert "gets there before its slope" not in caption
    gaps = {
        "k": abs(run.k[-1] - data.slope_ols) / abs(run.k[0] - data.slope_ols),
        "b": abs(run.b[-1] - data.intercept_ols) / abs(run.b[0] - data.intercept_ols),
    }
    if "its slope stays close first and ends closer" in caption:
        assert gaps["k"] < gaps["b"]
        assert first_close(run.b, data.intercept_ols) < first_close(run.k, data.slope_ols)
    # "is still 0.773 past it at the end": b's last value, past b* on the far side.
    still = re.search(r"and is still ([\d.e+-]+) past it at the end", caption)
    if still:
        side = 1.0 if run.b[0] <= data.intercept_ols else -1.0
        assert f"{side * (run.b[-1] - data.intercept_ols):.3g}" == still.group(1)
    if lr == 0.01:  # the walkthrough's run: b ends 78 % away, near the far end of its swing
        assert still, caption


PACES = {
    "adam fast": {"optimizer": "adam", "lr_k": 0.1},
    "adam": {"optimizer": "adam"},
    "momentum": {"optimizer": "momentum"},
    "rmsprop": {"optimizer": "rmsprop"},
}


@pytest.mark.parametrize("settings", PACES.values(), ids=PACES.keys())
def test_compare_names_every_parameter_fit_does_not_call_settled(settings):
    config, data, _, view = shown(settings)
    words = outcome(config.train, view, data)
    for p in "kb":
        told = progress(view, p)
        settled = re.fullmatch(rf"{p} settled at epoch [\d,]+", told)
        if view.status != "converged" and not settled:
            assert re.search(rf"(^|: |, ){p} ", words), (told, words)
    if settings == PACES["adam fast"]:  # the walkthrough's run: k came back lately
        assert "too short a stay to trust" in progress(view, "k")
        assert "k back within 0.1 % since epoch" in words and "not shown to stay" in words


def test_a_warm_up_longer_than_the_run_is_named_and_more_epochs_are_not_advised():
    settings = {"warmup": 1_000_000}
    config, data, run, view = shown(settings)
    text = verdicts.verdict(data, config.train, view).text
    assert "Try more epochs" not in text
    assert "ended while still warming up" in text
    # The largest rate it used, by a loop over the run's rates, against the η set.
    rates = gd.scheduled_rates(build_optimizer(config.train), run.loss)[0]
    peak = max(float(r) for r in rates)
    assert peak < config.train.lr_k
    assert f"the rate never got above {peak:.3g}" in text
    assert f"try a warm-up well under {config.train.epochs:,} epochs" in text
    assert "never reached" in loss_captions.rates(config.train, view)


def test_the_loss_page_banner_names_a_warm_up_longer_than_the_run():
    app = fresh_app(warmup="1000000")
    app.run()
    app.switch_page("pages/loss.py").run()
    assert not app.exception
    (banner,) = [e.value for e in app.info]
    assert "ended while still warming up" in banner and "Try more epochs" not in banner


def test_a_warm_up_hides_the_two_modes_of_a_constant_rate():
    # The split is a constant rate's: with a warm-up the run's own L − L* at epoch 450 is not
    # their sum (a loop with LinearLR's multipliers against one without, by 30 % here).
    data = gd.make_dataset(100, 2.0, 1.0, 1.0)
    ramp = [1 / 3 + (2 / 3) * t / 100 if t < 100 else 1.0 for t in range(450)]
    warm = learner_run(data.x, data.y, "sgd", 0.01, 450, multipliers=np.array(ramp))[2]
    plain = learner_run(data.x, data.y, "sgd", 0.01, 450)[2]
    assert warm[-1] - data.loss_ols > 1.3 * (plain[-1] - data.loss_ols)
    app = fresh_app(warmup="100").run()
    app.switch_page("pages/loss.py").run()
    assert not app.exception
    with pytest.raises(KeyError):
        dataset(app, mode_charts.MODES)
    said = " ".join(c.value for c in app.caption)
    assert "The split into two modes is exact for plain gradient descent at a constant rate" in said
    assert "no warm-up" in said and "the run's own L − L*" not in said


def test_the_rate_falls_where_a_warm_up_hands_over_to_one_cycle():
    # LinearLR from s = 1/3 over W = 20 epochs reaches η(s + (1 − s)·19/20) in epoch 19; then
    # OneCycleLR starts at its own step 0, η/div_factor (torch's formulas, written out here).
    eta, warmup, div = 0.3, 20, 25.0
    before, after = eta * (1 / 3 + (2 / 3) * 19 / 20), eta / div
    settings = {"optimizer": "adam", "lr_k": eta, "schedule": "onecycle", "warmup": warmup}
    config, _, _, view = shown(settings)
    text = loss_captions.rates(config.train, view)
    assert (
        f"At epoch 20 η falls from {before:.3g} to {after:.3g}, {before / after:.3g} times lower"
        in text
    )
    assert "the one-cycle schedule starts from its own first rate (η/div_factor)" in text
    # A warm-up into a schedule that starts at η has no such fall to explain.
    config, _, _, view = shown({"schedule": "cosine", "warmup": warmup})
    assert "falls from" not in loss_captions.rates(config.train, view)


def test_a_run_in_which_neither_parameter_came_close_says_so_in_a_whole_sentence():
    settings = {"warmup": 1_000_000, "warmup_from": 0.001}
    config, data, run, view = shown(settings)
    for values, optimum in ((run.k, data.slope_ols), (run.b, data.intercept_ols)):
        assert first_close(values, optimum) is None  # never within 10 % of its starting gap
    text = loss_captions.excess(config.train, view)
    assert "never comes." not in text and "b never comes" not in text
    assert "neither comes within 10 % of its starting gap." in text
