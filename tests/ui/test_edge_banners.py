"""Texts at the edges a student reaches by links and lessons, each claim checked against the run."""

import math
import re

import numpy as np
import pytest

import gd_core as gd
from tests.ui.helpers import charts, fresh_app
from ui.compute import lesson_answers, runs
from ui.config import Config, TrainSpec
from ui.plain import alt_text, run_captions
from ui.state.lessons import BY_SLUG

DATA = gd.make_dataset(100, slope=2.0, intercept=1.0, noise=1.0)


def banner(app, kind="info"):
    shown = [e.value for e in getattr(app, kind)]
    assert len(shown) == 1, shown
    return shown[0]


def gap_b(run):
    return abs(run.b[-1] - DATA.intercept_ols)


def test_a_decay_that_stalls_the_loss_is_blamed_on_small_steps_not_large_ones():
    text = banner(fresh_app(schedule="step", epochs="2000").run())
    # Step decay at its defaults (every 100 epochs × 0.5): the last epoch, 1999, used η·0.5¹⁹.
    assert f"lowered the rate to {0.01 * 0.5 ** (1999 // 100):.3g} by the last epoch" in text
    assert "too large" not in text and "lower the rates" not in text
    # What it advises is true: a slower decay gets b closer in the same epochs.
    run = gd.train(DATA, gd.sgd(0.01, schedule=gd.step_decay(100, 0.5)), 2000)
    slower = gd.train(DATA, gd.sgd(0.01, schedule=gd.step_decay(100, 0.9)), 2000)
    assert "a slower decay lets them get closer" in text and gap_b(slower) < gap_b(run) / 10


def test_a_schedule_that_spans_the_run_is_told_more_epochs_help():
    text = banner(fresh_app(schedule="cosine", epochs="200").run())
    last = 0.01 * (1 + math.cos(math.pi * 199 / 200)) / 2  # torch's CosineAnnealingLR, t = 199
    assert text.startswith("**Still converging after 200 epochs**")
    assert f"lowered the rate to {last:.3g} by the last epoch" in text
    assert "More epochs will not help" not in text and "Try more epochs" in text
    short = gd.train(DATA, gd.sgd(0.01, schedule=gd.cosine_decay(200)), 200)
    longer = gd.train(DATA, gd.sgd(0.01, schedule=gd.cosine_decay(1000)), 1000)
    assert gap_b(longer) < gap_b(short) / 4


def test_b_starting_at_its_optimum_is_said_to_be_pulled_off_it_not_a_share_of_no_gap():
    exact = gd.make_dataset(100, slope=2.0, intercept=1.0, noise=0.0)
    app = fresh_app(noise="0", b0=repr(exact.intercept_ols)).run()
    app.switch_page("pages/loss.py").run()
    run = gd.train(exact, gd.sgd(0.01), 450, init=(0.0, exact.intercept_ols))
    pulled = abs(run.b[-1] - exact.intercept_ols)
    assert pulled > 0.01  # k's pull through mean(x) moved b off its optimum
    text = banner(app)
    assert f"b, which started at b*, has been pulled away from it (|b − b*| = {pulled:.3g})" in text
    assert "far beyond" not in text and "times" not in text
    # The loss still falls in two phases: k closes 90 % of its gap fast, then the slow slide.
    gap_k = abs(run.k - exact.slope_ols)
    outside = gap_k > 0.1 * gap_k[0]
    held = int(outside.nonzero()[0][-1]) + 1  # k stays within 10 % of its gap from here on
    captions = " ".join(c.value for c in app.caption)
    assert f"a steep drop while k closes 90 % of its gap for good (by epoch {held:,})" in captions
    assert "similar paces" not in captions


def test_starting_at_the_optimum_names_both_parameters():
    exact = gd.make_dataset(100, slope=2.0, intercept=1.0, noise=0.0)
    start = {"k0": repr(exact.slope_ols), "b0": repr(exact.intercept_ols)}
    text = banner(fresh_app(noise="0", **start).run(), "success")
    assert "both started at their optimum and stayed there" in text


def test_a_diverged_runs_fit_texts_count_the_epochs_it_ran_and_write_a_minus_sign():
    config = Config(train=TrainSpec(lr_k=0.0255, lr_b=0.0255))  # just past 2/λ_max = 0.02499
    shown_run = runs.trajectory(config, DATA)
    run = gd.train(DATA, gd.sgd(0.0255), 450)
    assert run.status == "diverged" and run.b[-1] < 0
    caption = run_captions.fit(shown_run, DATA)
    # It ran epochs 0 … diverged_at, not the 451 asked for.
    assert "of the 451 epochs" not in caption
    if "The chart keeps" in caption:
        assert f"of the {run.diverged_at + 1:,} epochs" in caption
    text = alt_text.fit(shown_run, [("least squares", DATA.slope_ols, DATA.intercept_ols)], 100)
    assert f"the model is y = {run.k[-1]:.4g}·x − {abs(run.b[-1]):.4g}," in text
    assert "+ -" not in text


def test_theorys_adaptive_caption_names_the_limit_lines_by_the_dash_they_are_drawn_with():
    app = fresh_app().run()
    app.switch_page("pages/theory.py").run()
    (chart,) = charts(app)
    (rule,) = [layer for layer in chart["layer"] if layer["mark"]["type"] == "rule"]
    assert rule["mark"]["strokeDash"] == [2, 3]  # dotted; b's own curve is the dashed line
    (caption,) = [c.value for c in app.caption if "plain gradient descent tolerates" in c.value]
    assert "dotted level lines" in caption and "dashed lines" not in caption


def test_the_divergence_lessons_answer_names_the_colour_the_stability_map_uses():
    lesson = BY_SLUG["divergence"]
    (colour,) = re.findall(
        r"in the ([\w -]+) region", lesson_answers.answer(lesson.slug, lesson.settings)
    )
    settings = {key: str(value) for key, value in lesson.settings.items()}
    app = fresh_app(**settings).run()
    app.switch_page("pages/stability.py").run()
    assert any(f"diverge ({colour})" in c.value for c in app.caption), colour


def loss_captions(**query):
    app = fresh_app(**query).run()
    app.switch_page("pages/loss.py").run()
    return " ".join(c.value for c in app.caption)


def test_the_slow_walk_is_never_pinned_on_a_parameter_that_settled_first():
    run = gd.train(DATA, gd.momentum(0.02), 450)
    settled_k, settled_b = run.settled_at
    assert settled_b < settled_k  # b closes 90 % of its gap later, yet settles first
    text = loss_captions(optimizer="momentum", lr_k="0.02")
    assert f"k settled at epoch {settled_k:,}, and b settled at epoch {settled_b:,}" in text
    # k passes within 10 % of its gap at epoch 5 on its way past k*, but stays there only
    # from the epoch b does too: no fast phase and slow phase to tell.
    assert "b's slow walk" not in text and "a steep drop" not in text
    assert "neither k nor b is far ahead" in text
    app = fresh_app(optimizer="momentum", lr_k="0.02").run()  # Fit
    assert "while b crawls" not in " ".join(c.value for c in app.caption)


def test_a_frozen_k_is_not_said_to_close_its_gap_or_head_for_the_optimum():
    run = gd.train(DATA, gd.sgd((0.0, 0.1)), 450)
    assert run.k[-1] == run.k[0] and abs(run.b[-1] - DATA.intercept_ols) > DATA.intercept_ols
    app = fresh_app(same_rate="false", lr_k="0", lr_b="0.1").run()
    app.switch_page("pages/loss.py").run()
    text = " ".join(c.value for c in app.caption)
    assert "k closes" not in text and "Neither k nor b has got closer" in text
    app.switch_page("pages/parameters.py").run()
    text = " ".join(c.value for c in app.caption)
    assert "heads for the cross" not in text and "ends no nearer the cross" in text


def adaptive_caption(**query):
    app = fresh_app(**query).run()
    app.switch_page("pages/theory.py").run()
    (caption,) = [c.value for c in app.caption if "effective rate" in c.value]
    return caption


def test_adam_is_not_credited_with_the_fix_when_x_is_small_and_the_fix_runs_the_other_way():
    centred = gd.make_dataset(100, 2.0, 1.0, 1.0, (-1.0, 1.0))
    needed = float(np.mean(centred.x**2))  # b's best rate over k's: below 1 here
    text = adaptive_caption(x_min="-1", x_max="1")
    (ratio,) = re.findall(r"at the end b's is ([\d.e+-]+) times k's", text)
    assert needed < 1 < float(ratio)  # Adam gave b the larger rate: the wrong way
    assert "does not find that fix" in text and "fix and more" not in text


def test_a_rate_that_did_not_change_at_the_shown_digits_is_said_to_stay():
    text = adaptive_caption(lr_k="1e-7", lr_b="1e-7")
    assert not re.search(r"from (\S+) to \1\b", text), text


def test_a_rate_tiny_against_the_flattest_curvature_crawls_it_is_not_on_the_boundary():
    query = dict(slope="10", intercept="-10", noise="5", x_min="-10000", x_max="-9999")
    far = gd.make_dataset(100, 10.0, -10.0, 5.0, (-10000.0, -9999.0))
    x = far.x
    hessian = 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    flattest = min(np.linalg.eigvalsh(hessian))
    assert 1e-9 * flattest < 1e-16  # each epoch shrinks the slow mode by less than rounding
    text = banner(fresh_app(**query, lr_k="1e-9").run())
    assert text.startswith("**Not converging")
    assert "swings without shrinking" not in text and "stability boundary" not in text
    assert f"flattest curvature λ_min = {flattest:.3g}" in text


def reference_legend(**query):
    app = fresh_app(**query).run()
    app.switch_page("pages/loss.py").run()
    spec = charts(app)[0]
    layers = [layer for layer in spec["layer"] if layer["mark"].get("type") == "rule"]
    return layers[0]["encoding"]["color"]["scale"]["domain"] if layers else []


def test_the_loss_legend_lists_the_noise_variance_only_where_it_is_drawn():
    assert reference_legend() == ["least-squares floor L*", "noise variance σ²"]
    # σ = 0 has no place on a log axis: no line, so no legend entry; nor has the floor, which
    # noise 0 makes 0 (tests/ui/test_floor_zero.py): no reference line at all.
    assert reference_legend(noise="1e-3") == ["least-squares floor L*", "noise variance σ²"]
    assert reference_legend(noise="0") == []


def test_a_rate_a_hair_past_the_limit_shows_the_digits_that_tell_it_and_its_growth_from_1():
    x = DATA.x
    hessian = 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    radius = max(abs(np.linalg.eigvals(np.eye(2) - 0.02498775 * hessian)))
    assert 1 < radius < 1 + 1e-5
    text = banner(fresh_app(lr_k="0.02498775").run(), "warning")
    (shown,) = re.findall(r"grows ×([\d.]+) per epoch", text)
    assert float(shown) > 1 and abs(float(shown) - radius) < 1e-7
    assert "η = 0.02498775 is above it" in text


def test_theorys_table_gives_each_single_parameter_limit_its_formula_not_its_value_again():
    app = fresh_app().run()
    app.switch_page("pages/theory.py").run()
    table = app.dataframe[0].value.set_index("quantity")
    x = DATA.x
    limit_k, limit_b = 2 / (2 * np.mean(x * x)), 2 / 2.0  # 2/H_kk and 2/H_bb, by hand
    assert float(table.loc["largest stable η_k alone", "value"]) == pytest.approx(limit_k, 1e-4)
    assert float(table.loc["largest stable η_b alone", "value"]) == limit_b
    assert table.loc["largest stable η_b alone", "meaning"].startswith("2/H_bb")
    assert table.loc["largest stable η_k alone", "meaning"].startswith("2/H_kk")


def test_a_run_farther_from_the_optimum_near_its_end_is_not_called_converging():
    # One-cycle at per-parameter rates on x far from 0: the peak rates throw b off and the
    # decay leaves it there. The banner said "Still converging … Try more epochs".
    link = dict(schedule="onecycle", x_min="100", x_max="110", lr_k="4.5e-05", lr_b="0.5")
    app = fresh_app(same_rate="false", **link).run()
    text = banner(app)
    assert text.startswith("**Not converging after 450 epochs**"), text
    assert "In the last tenth of the run b was farther from the optimum than at the start" in text
    assert "Try more epochs" not in text
    (under,) = [c.value for c in app.caption if c.value.startswith("The solid line")]
    assert "while b crawls" not in under and "b was farther from b* than at the start" in under
    far = gd.make_dataset(100, 2.0, 1.0, 1.0, (100.0, 110.0))
    start = abs(far.intercept_ols)  # b starts at 0

    def last_tenth(epochs, lr_b=0.5):
        schedule = gd.one_cycle(epochs, 0.45, 25.0, 1e4)
        run = gd.train(far, gd.sgd((4.5e-05, lr_b), schedule=schedule), epochs)
        return np.max(np.abs(run.b[-(epochs // 10) :] - far.intercept_ols)) / start

    assert last_tenth(450) > 1  # what it claims
    assert last_tenth(3600) > 1  # eight times the epochs: still no fix
    assert last_tenth(450, lr_b=0.005) < 1  # a lower rate is
