"""Sentences a walkthrough in the browser found untrue of the run on screen, on those runs,
each against a plain loop or matrix written here."""

import colorsys
import re

import numpy as np
import pandas as pd
import pytest
from streamlit.proto.Metric_pb2 import Metric

import gd_core as gd
from tests.core.reference import TorchRule, learner_loop, learner_run, settled_from
from tests.ui.helpers import fresh_app
from ui.charts import palette
from ui.compute import modes
from ui.compute.lesson_answers import lesson_config
from ui.compute.runs import load_dataset, reduced_run
from ui.plain import loss_captions, path_captions, verdicts
from ui.plain.sweep_text import sweep_alt, value_text

DATA = gd.make_dataset(100, slope=2.0, intercept=1.0, noise=1.0)
ADAM = {"betas": (0.9, 0.999), "eps": 1e-8}  # torch.optim.Adam's defaults
FASTEST_PAIR = {"same_rate": False, "lr_k": 0.012739, "lr_b": 0.5}  # Theory's fastest pair


def lstsq(data):
    design = np.column_stack([data.x, np.ones(data.n)])
    return np.linalg.lstsq(design, data.y, rcond=None)[0]


def run_of(**settings):
    config = lesson_config(settings)
    data = load_dataset(config.data)
    return config, data, reduced_run(config, data)


def test_the_loss_slide_ends_where_the_loss_above_the_floor_reaches_rounding():
    # A million epochs: L − L* (k − k*, b − b*, as the chart draws it) reaches float64 rounding
    # near epoch 6,400 and is exactly 0 from about 8,000 on; the slide is not 999,998 epochs.
    config, data, run = run_of(epochs=1_000_000)
    text = loss_captions.excess(config.train, run)
    assert "over the last 999,998 epochs" not in text
    found = re.search(
        r"slide over ([\d,]+) epochs.*until L − L\* reaches float64 rounding at "
        r"epoch ([\d,]+) \(below ([\d.e+-]+)",
        text,
    )
    assert found, text
    at = int(found.group(2).replace(",", ""))
    k, b, _ = learner_run(data.x, data.y, "sgd", 0.01, 10_000)
    k_star, b_star = lstsq(data)
    excess = np.mean(((k - k_star)[:, None] * data.x + (b - b_star)[:, None]) ** 2, axis=1)
    level = (16 * np.finfo(float).eps) ** 2 * (np.mean(data.y**2) + k_star**2 * np.mean(data.x**2))
    assert float(found.group(3)) == pytest.approx(level, rel=0.05)
    above = np.flatnonzero(excess > level)
    assert abs(at - (above[-1] + 1)) <= 0.02 * at  # the loop's own rounding differs a little
    assert int(found.group(1).replace(",", "")) == at - run.held_most("k")


def test_a_path_that_swings_far_out_is_not_said_to_head_for_the_cross():
    _, data, run = run_of(**FASTEST_PAIR)
    text = path_captions.contour(run, lstsq(data))
    assert "heads for the cross" not in text
    _, b, _ = learner_run(data.x, data.y, "sgd", (0.012739, 0.5), 450)
    b_star = lstsq(data)[1]
    far = np.abs(b - b_star).max()
    assert far > 10 * abs(b[0] - b_star)  # the loop's b swings out to 11 times its start
    assert f"b strays up to {far:.3g} from b*, {far / abs(b[0] - b_star):.3g} times as far" in text


def passes_by_loop(values, optimum, band):
    """Sign changes of value − optimum among values more than `band` away, one by one."""
    count, side = 0, 0
    for value in values:
        gap = value - optimum
        if abs(gap) > band:
            if side and (gap > 0) != (side > 0):
                count += 1
            side = gap
    return count


def test_a_path_that_zig_zags_across_the_valley_is_not_said_to_head_for_the_cross():
    # The momentum lesson's run: k swings 0.8 ↔ 3.8 around k* = 1.99 about a dozen times but
    # never farther out than it started, so the "strays" rule does not catch it.
    config, data, run = run_of(optimizer="momentum", lr_k=0.005)
    text = path_captions.contour(run, lstsq(data))
    assert "heads for the cross" not in text and "zig-zags across the valley" in text
    k_star = lstsq(data)[0]
    assert (config.train.k0, config.train.b0, config.train.epochs) == (0.0, 0.0, 450)
    hyper = {"momentum": 0.9}  # the sidebar's default μ
    k, _, _ = learner_run(data.x, data.y, "momentum", 0.005, 450, hyper=hyper)
    band = run.progress.band
    count = passes_by_loop(k, k_star, band[0])
    assert count >= 10
    assert f"k passes k* {count} times" in text
    assert np.abs(np.array(k) - k_star).max() <= abs(k[0] - k_star)  # never strays out


def test_a_path_that_never_passes_the_cross_heads_for_it():
    # Standardised x, plain GD at 0.1: both parameters close in from one side.
    _, data, run = run_of(standardize=True, same_rate=True, lr_k=0.1)
    text = path_captions.contour(run, lstsq(data))
    assert "heads for the cross without a long walk" in text


@pytest.mark.parametrize("standardize", [False, True])
def test_a_path_that_never_moves_is_one_dot_on_the_cross(standardize):
    _, data, run = run_of(noise=0.0, k0=2.0, b0=1.0, standardize=standardize)
    text = path_captions.contour(run, lstsq(data))
    assert "heads for the cross" not in text
    assert "starts on the cross and stays there" in text


def test_two_modes_at_the_same_pace_are_not_called_slow_and_fast():
    # D·H at the fastest pair has eigenvalues 1 ± 0.875: both modes shrink by 0.875² a step.
    lr = (FASTEST_PAIR["lr_k"], FASTEST_PAIR["lr_b"])
    x = DATA.x
    hessian = 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    s = np.linalg.eigvals(np.diag(lr) @ hessian).real
    factors = [f"{(1 - value) ** 2:.4g}" for value in s]
    assert factors[0] == factors[1]
    first, second = gd.loss_modes(DATA, lr)
    for mode, other in ((first, second), (second, first)):
        label = modes.mode_label(mode, other)
        assert label.startswith("same pace: mostly b"), label
        assert label.endswith(f"×{factors[0]} per epoch")


def _hue_degrees(shade: str) -> float:
    red, green, blue = (int(shade[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 360 * colorsys.rgb_to_hsv(red, green, blue)[0]


def test_the_colour_a_caption_names_for_b_is_the_one_both_themes_draw():
    # Orange spans about 15°–45° of hue; vermillion (about 10°–25°) fits the light shade only.
    for shade in (palette.HUES[palette.B].light, palette.HUES[palette.B].dark):
        assert 15 <= _hue_degrees(shade) <= 45, shade
    app = fresh_app().run()
    app.switch_page("pages/loss.py").run()
    said = " ".join(c.value for c in app.caption)
    assert "blue for k, orange for b" in said and "vermillion" not in said


def test_a_difference_of_zero_has_no_arrow_and_no_sign():
    # At a million epochs k and b are k* and b* to the last bit (a plain loop reaches them too).
    app = fresh_app(epochs="1000000").run()
    k, b, _ = learner_run(DATA.x, DATA.y, "sgd", 0.01, 10_000)
    k_star, b_star = lstsq(DATA)
    for metric, value in zip(app.metric, (k[-1], b[-1], None), strict=True):
        assert metric.proto.delta.startswith("0 from "), metric.proto.delta
        assert metric.proto.direction == Metric.MetricDirection.NONE
        if value is not None:
            assert metric.value == f"{value:.5g}"
    assert abs(k[-1] - k_star) < 1e-12 and abs(b[-1] - b_star) < 1e-12
    app = fresh_app().run()  # 450 epochs: b is still off b*, and the arrow says which way
    assert app.metric[1].proto.delta.startswith("-")
    assert app.metric[1].proto.direction == Metric.MetricDirection.DOWN


def test_a_sweep_does_not_count_a_settle_the_run_has_not_shown_to_last():
    # Adam at batch size 4 (seed 0): k and b each came within 0.1 % of their starting gap,
    # left, and are back only at the last epoch, which the Parameters page calls "not shown
    # to stay". The sweep does not call that point converged either.
    k, b, _ = learner_run(DATA.x, DATA.y, "adam", 0.01, 450, batch_size=4, hyper=ADAM)
    for values, optimum in ((k, DATA.slope_ols), (b, DATA.intercept_ols)):
        inside = np.abs(values - optimum) <= 1e-3 * abs(values[0] - optimum)
        assert settled_from(values, optimum) == 450 and inside[:450].any()
    app = fresh_app(sweep="batch_size", batch="1").run()
    app.switch_page("pages/sweep.py").run()
    text = app.markdown[0].value
    assert "**Adam** converged at no point" in text, text
    assert "1 settled, but not shown to stay" in text


def test_a_swept_value_is_not_rounded_to_one_it_cannot_be():
    assert value_text(0.99999) == "0.99999" and value_text(0.9) == "0.9"
    assert value_text(0.123456) == "0.1235" and value_text(1024.0) == "1,024"
    assert (
        sweep_alt(
            pd.DataFrame(
                {"optimizer": ["Adam"], "value": [0.99999], "epochs": [12.0], "final_loss": [1.0]}
            ),
            "β2",
            "epochs to converge",
            450,
        ).count("1 point,")
        == 1
    )


def _step_decay_loop(epochs, every):
    """Plain GD at η = 0.01 halved every `every` epochs (torch's StepLR), from (0, 0)."""
    multipliers = 0.5 ** (np.arange(epochs) // every)
    return learner_loop(
        DATA.x,
        DATA.y,
        TorchRule("sgd", 0.01),
        TorchRule("sgd", 0.01),
        epochs,
        multipliers=multipliers,
    )


def test_a_decay_that_has_spent_its_rates_is_not_told_to_try_more_epochs():
    # Halved every 100 epochs, the rates left after epoch 450 add up to 5 % of those used:
    # b keeps about 28 % of its gap however long the run goes on (the banner's exact figure).
    config, data, run = run_of(schedule="step")
    text = verdicts.verdict(data, config.train, run).text
    assert text.startswith("**Not converging after 450 epochs**"), text
    assert "Try more epochs" not in text and "more epochs will not get there" in text
    _, b, _ = _step_decay_loop(20_000, 100)
    b_star = lstsq(DATA)[1]
    kept = abs(b[-1] - b_star) / abs(b[0] - b_star)
    assert kept > 0.2  # the loop, 20,000 epochs on: still far from settling
    found = re.search(r"b from \d+ % to (\d+) % of (its starting gap|their starting gaps)", text)
    projected = float(found.group(1))
    assert projected / 100 == pytest.approx(kept, abs=0.006)  # exact, up to the % rounding
    # Halved only every 1,000 epochs, the same run has rates to spare, and gets there.
    config, data, run = run_of(schedule="step", every=1_000)
    text = verdicts.verdict(data, config.train, run).text
    assert text.startswith("**Still converging") and "Try more epochs" in text
    k, b, _ = _step_decay_loop(20_000, 1_000)
    assert settled_from(b, b_star) is not None and settled_from(k, lstsq(DATA)[0]) is not None


def test_a_settle_in_the_last_tenth_of_an_unfinished_run_is_not_said_flatly():
    # Mini-batch RMSProp from (100, 100): k first comes within 0.1 % of its gap 2 epochs
    # before the end while b is still 0.6 % away. "k settled at epoch 448" read as settled for
    # good; Parameters and Sweeps call such a short final stay "not shown to stay".
    config, data, run = run_of(optimizer="rmsprop", lr_k=0.02, k0=100, b0=100, batch=8)
    hyper = {"alpha": 0.99, "eps": 1e-8}  # torch.optim.RMSprop's defaults, the sidebar's
    k, _, _ = learner_run(
        data.x, data.y, "rmsprop", 0.02, 450, init=(100.0, 100.0), batch_size=8, hyper=hyper
    )
    settled = settled_from(k, lstsq(data)[0])
    assert settled is not None and 450 - settled < 45  # inside the last tenth
    text = verdicts.verdict(data, config.train, run).text
    assert (
        f"k settled at epoch {settled} ({450 - settled} epochs before the end: not shown to stay)"
        in text
    )


def test_adams_slide_ends_where_b_first_comes_close_and_the_spikes_after_are_told():
    # Adam at η = 0.01: b is within 0.1 % of its gap by epoch 3,849; after that its steps
    # (a tiny gradient over a tinier root) throw k and b out of that band again and again,
    # so the rest of the chart is spikes, not "a slide over the last 19,665 epochs".
    config, data, run = run_of(optimizer="adam", epochs=20_000)
    text = loss_captions.excess(config.train, run)
    assert "over the last" not in text
    k, b, loss = learner_run(data.x, data.y, "adam", 0.01, 20_000, hyper=ADAM)
    k_star, b_star = lstsq(data)
    gap_k, gap_b = np.abs(k - k_star), np.abs(b - b_star)
    held = np.flatnonzero(gap_k > 0.1 * gap_k[0])[-1] + 1  # k within 10 % from here on
    inside_b, inside_k = gap_b <= 1e-3 * gap_b[0], gap_k <= 1e-3 * gap_k[0]
    entered = int(inside_b.argmax())
    # Both leave the band after first getting there (the loop's spikes are its own: Adam
    # this near the optimum amplifies each rounding difference, so only that they happen).
    assert not inside_b[entered:].all() and not inside_k[int(inside_k.argmax()) :].all()
    found = re.search(
        r"slide over ([\d,]+) epochs, b's slow walk, until b first comes within 0\.1 % of its "
        r"starting gap \(epoch ([\d,]+)\); after that L − L\* jumps back up, as high as "
        r"([\d.e+-]+), as k and b move out of that band again",
        text,
    )
    assert found, text
    assert int(found.group(2).replace(",", "")) == entered
    assert int(found.group(1).replace(",", "")) == entered - held
    assert float(found.group(3)) > (loss - data.loss_ols)[entered]


def test_a_path_that_diverges_in_one_step_is_not_said_to_jump_from_side_to_side():
    _, data, run = run_of(x_min=9990.0, x_max=10_000.0)
    text = path_captions.contour(run, lstsq(data))
    _, _, loss = learner_run(data.x, data.y, "sgd", 0.01, 1)
    assert loss[1] > 1e12 * loss[0]  # past the divergence line after its first step
    assert "side to side" not in text
    assert "This path is a single step, far out from the cross: the run diverged at once." in text
    # Three steps across the valley and back (η = 10): side to side, as the loop's k shows.
    _, data, run = run_of(lr_k=10.0)
    k, _, _ = learner_run(data.x, data.y, "sgd", 10.0, 3)
    k_star = lstsq(data)[0]
    assert np.sign(k[1] - k_star) != np.sign(k[2] - k_star) != np.sign(k[3] - k_star)
    assert "This path jumps from side to side ever further out." in path_captions.contour(
        run, lstsq(data)
    )
