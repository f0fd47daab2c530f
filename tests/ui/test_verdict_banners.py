"""What the pages say about the run on screen, against gd_core's own account of that run."""

import re

import numpy as np
import pytest

import gd_core as gd
from tests.core.reference import learner_run
from tests.core.test_torch_schedules import TorchPlateau
from tests.ui.helpers import dataset, fresh_app, map_cells
from ui.charts import lab_charts
from ui.compute.lesson_answers import lesson_config
from ui.state.lessons import BY_SLUG

DATA = gd.make_dataset(100, slope=2.0, intercept=1.0, noise=1.0)
PAGES_WITH_A_BANNER = ["pages/fit.py", "pages/loss.py", "pages/parameters.py"]
RMS = {"alpha": 0.99, "eps": 1e-8}  # torch.optim.RMSprop's defaults


def banners(app):
    return {
        "success": [e.value for e in app.success],
        "info": [e.value for e in app.info],
        "warning": [e.value for e in app.warning],
    }


def only_banner(app, kind):
    shown = banners(app)
    assert len(shown[kind]) == 1, shown
    assert sum(len(values) for values in shown.values()) == 1, shown
    return shown[kind][0]


def captions(app):
    return " ".join(c.value for c in app.caption)


def theory_table(app):
    table = app.dataframe[0].value
    return dict(zip(table["quantity"], table["value"], strict=True))


@pytest.mark.parametrize("page", PAGES_WITH_A_BANNER)
def test_the_seed_story_is_still_converging_with_b_lagging_and_the_predicted_epochs(page):
    app = fresh_app().run()
    app.switch_page(page).run()
    text = only_banner(app, "info")
    run = gd.train(DATA, gd.sgd(0.01), 450)
    forecast = gd.analyze(DATA, (0.01, 0.01))
    gap_b = abs(run.b[-1] - DATA.intercept_ols)
    share = 100 * gap_b / abs(DATA.intercept_ols)
    assert text.startswith("**Still converging after 450 epochs**")
    assert f"|b − b*| = {gap_b:.3g}" in text and f"{share:.2g} % of its starting gap" in text
    settled_k, settled_b = forecast.predicted_settled_at
    assert f"b settles at epoch {settled_b:,} ({settled_b - 450:,} more)" in text
    assert f"k settles at epoch {settled_k:,}" in text


def test_x_far_from_zero_is_never_called_converged():
    app = fresh_app(x_min="100", x_max="110", lr_k="8e-05").run()
    text = only_banner(app, "info")
    far = gd.make_dataset(100, 2.0, 1.0, 1.0, (100.0, 110.0))
    run = gd.train(far, gd.sgd(8e-5), 450)
    assert run.status == "max_epochs"
    share = 100 * abs(run.b[-1] - far.intercept_ols) / abs(far.intercept_ols)
    assert f"b still has {share:.0f} % of its starting gap left" in text
    assert "Converged" not in text


def test_one_rate_just_above_two_over_lambda_max_is_diverging_with_theorys_number():
    app = fresh_app(lr_k="0.025").run()
    text = only_banner(app, "warning")
    run = gd.train(DATA, gd.sgd(0.025), 450)
    assert run.status == "diverging"
    assert text.startswith("**Diverging**")
    assert f"×{run.spectral_radius:.6g} per epoch" in text
    assert "Try more epochs" not in text
    limit = gd.analyze(DATA).max_stable_lr
    assert f"2/λ_max = {limit:.5g}" in text
    app.switch_page("pages/theory.py").run()
    assert theory_table(app)["largest stable single rate"] == f"{limit:.5g}"


def test_one_rate_just_below_two_over_lambda_max_is_still_converging():
    app = fresh_app(lr_k="0.0249").run()
    assert only_banner(app, "info").startswith("**Still converging")


def test_two_rates_too_large_together_name_the_coupled_limit():
    limit_k, limit_b = gd.single_parameter_limits(DATA)
    lr_k = 0.0203
    edge = float(gd.stability_boundary(DATA, lr_k))
    app = fresh_app(same_rate="false", lr_k=str(lr_k), lr_b="0.26").run()
    text = only_banner(app, "warning")
    assert limit_b > 0.26 and lr_k < limit_k and edge < 0.26
    assert "together they are too large" in text
    assert f"the largest η_b that converges is {edge:.5g}" in text
    assert f"η_k < {limit_k:.5g}, η_b < {limit_b:.5g}" in text


def test_a_rate_above_its_own_limit_is_named():
    app = fresh_app(same_rate="false", lr_k="0.03", lr_b="0.1").run()
    text = only_banner(app, "warning")
    limit_k, _ = gd.single_parameter_limits(DATA)
    assert f"η_k = 0.03 is above {limit_k:.5g}, the largest rate k tolerates on its own" in text


@pytest.mark.parametrize("optimizer", ["momentum", "nesterov"])
def test_momentum_past_its_own_limit_quotes_its_own_limit_as_theory_shows_it(optimizer):
    high = gd.analyze(DATA).eigenvalues[1]
    gain = 2 * 1.9 / (2.8 if optimizer == "nesterov" else 1.0)
    lr = round(1.0005 * gain / high, 6)
    app = fresh_app(optimizer=optimizer, lr_k=str(lr)).run()
    text = only_banner(app, "warning")
    run = gd.train(DATA, gd.make_optimizer(optimizer, lr, momentum=0.9), 450)
    assert run.status in ("diverging", "diverged")
    quoted = f"{gain / high:.5g}"
    assert f"= {quoted} (Theory, section 3)" in text
    app.switch_page("pages/theory.py").run()
    label = "Momentum" if optimizer == "momentum" else "Nesterov momentum"
    assert theory_table(app)[f"largest stable single rate ({label}, μ = 0.9)"] == quoted


@pytest.mark.parametrize("lr", ["0.1", "1", "3"])
def test_adams_overshoot_is_not_a_warning(lr):
    app = fresh_app(optimizer="adam", lr_k=lr).run()
    assert not app.warning
    run = gd.train(DATA, gd.adam(float(lr)), 450)
    kind = "success" if run.status == "converged" else "info"
    only_banner(app, kind)


def test_a_converged_run_says_when_each_parameter_settled():
    app = fresh_app(same_rate="false", lr_k="0.02", lr_b="0.2").run()
    text = only_banner(app, "success")
    run = gd.train(DATA, gd.sgd((0.02, 0.2)), 450)
    k_at, b_at = run.settled_at
    assert text.startswith(f"**Converged at epoch {run.converged_at:,} of 450**")
    assert f"k settled at epoch {k_at:,} and b at epoch {b_at:,}" in text


def test_a_start_on_the_optimum_in_one_coordinate_converges_and_says_so():
    k_star = DATA.slope_ols
    app = fresh_app(same_rate="false", lr_k="0.02", lr_b="0.2", k0=repr(k_star)).run()
    assert app.session_state["k0"] == k_star
    run = gd.train(DATA, gd.sgd((0.02, 0.2)), 450, init=(k_star, 0.0))
    text = only_banner(app, "success")
    assert text.startswith(f"**Converged at epoch {run.converged_at:,} of 450**")
    assert "k started at its optimum" in text


def test_captions_of_a_diverging_run_do_not_tell_the_slow_slide():
    app = fresh_app(lr_k="0.025").run()
    for page in ("pages/fit.py", "pages/loss.py", "pages/parameters.py"):
        app.switch_page(page).run()
        text = captions(app)
        assert not re.search(r"\bslide\b|crawl", text)
        assert "times as far from" in text


def test_captions_of_the_seed_story_tell_it_with_this_runs_numbers():
    app = fresh_app(epochs="5000").run()
    run = gd.train(DATA, gd.sgd(0.01), 5000)
    k_at, b_at = run.settled_at
    app.switch_page("pages/loss.py").run()
    assert f"k settled at epoch {k_at:,}" in captions(app)
    assert f"b settled at epoch {b_at:,}" in captions(app)
    app.switch_page("pages/parameters.py").run()
    assert f"mean(x²) = {DATA.x_sq_mean:.4g} times" in captions(app)


def test_the_fit_metrics_say_they_are_the_last_epochs():
    app = fresh_app().run()
    labels = [metric.label for metric in app.metric]
    assert labels == [f"{name} after the last epoch, 450" for name in ("k", "b", "loss")]


def test_the_compare_caption_names_the_race_from_its_table():
    app = fresh_app().run()
    app.switch_page("pages/compare.py").run()
    table = app.dataframe[-1].value
    settled = table[table.outcome.str.startswith("settled at")]
    assert f"{len(settled)} of {len(table)} strategies converged within 450 epochs" in captions(app)
    fastest = settled.loc[settled.outcome.str.removeprefix("settled at ").astype(int).idxmin()]
    epoch = fastest.outcome.removeprefix("settled at ")
    assert f"the fastest is {fastest.strategy} (epoch {epoch})" in captions(app)


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"lesson": "standardise", "x_min": "100", "x_max": "110", "lr_k": "8e-05"},
        {"lr_k": "0"},
    ],
    ids=["defaults", "x far from 0", "plain GD frozen"],
)
def test_the_compare_caption_says_what_each_outcome_in_its_table_means(query):
    app = fresh_app(**query).run()
    app.switch_page("pages/compare.py").run()
    outcomes = " | ".join(app.dataframe[-1].value.outcome)
    said = captions(app)
    for word in ("settled at", "not yet", "stuck", "farther off", "diverging", "diverged"):
        assert (f"*{word}*:" in said) == (word in outcomes), word
    if "lr_k" in query and float(query["lr_k"]) == 0:  # plain GD cannot move: "stuck"
        assert "*stuck*: more epochs will not help" in said


def test_the_seed_story_lesson_answer_quotes_what_theory_shows():
    lesson = BY_SLUG["seed-story"]
    app = fresh_app().run()
    app.selectbox(key="lesson").select("seed-story").run()
    app.switch_page("pages/theory.py").run()
    metrics = {metric.label: metric.value for metric in app.metric}
    answer = " ".join(md.value for md in app.markdown if "Theory page predicts" in md.value)
    assert f"needs {metrics['predicted epochs to converge']} epochs" in answer
    spec = lesson_config(lesson.settings).train
    run = gd.train(DATA, gd.sgd((spec.lr_k, spec.lr_b)), spec.epochs)
    assert f"b is {abs(run.b[-1] - DATA.intercept_ols):.3g} from b*" in answer


def test_the_divergence_lesson_answer_names_this_runs_epoch():
    app = fresh_app().run()
    app.selectbox(key="lesson").select("divergence").run()
    answer = " ".join(md.value for md in app.markdown if "At η = " in md.value)
    run = gd.train(DATA, gd.sgd(0.05), 450)
    assert f"diverges at epoch {run.diverged_at:,}" in answer
    assert f"2/λ_max = {gd.analyze(DATA).max_stable_lr:.5g}" in answer


@pytest.mark.parametrize(
    "query",
    [{}, {"epochs": "5000"}, {"x_min": "100", "x_max": "110", "lr_k": "8e-05"}],
    ids=["seed story", "5000 epochs", "x far from zero"],
)
def test_the_lagging_b_is_told_where_b_lags_even_before_anything_settles(query):
    app = fresh_app(**query).run()
    app.switch_page("pages/loss.py").run()
    assert "a steep drop while k" in captions(app) and "b's slow walk" in captions(app)
    app.switch_page("pages/parameters.py").run()
    # Far from zero 450 epochs move b along the floor by a ten-thousandth: no walk to tell.
    walk = "walks along it" if "x_min" not in query else "hardly moves along the floor"
    assert f"drops to the valley floor first, then {walk}" in captions(app)


def test_a_run_that_cycles_forever_is_not_told_to_try_more_epochs():
    app = fresh_app(optimizer="rmsprop", lr_k="3", epochs="20000").run()
    text = only_banner(app, "info")
    assert text.startswith("**Not converging after 20,000 epochs**")
    assert "stopped shrinking" in text and "Try more epochs" not in text


def test_rates_on_the_boundary_say_the_distance_does_not_shrink():
    app = fresh_app(standardize="true", lr_k="1").run()
    text = only_banner(app, "info")
    assert text.startswith("**Not converging")
    assert "spectral radius of this run's update is 1" in text


def test_a_rate_a_hair_above_the_limit_is_told_apart_from_it():
    app = fresh_app(lr_k="0.024988").run()
    text = only_banner(app, "warning")
    limit = gd.analyze(DATA).max_stable_lr
    assert limit < 0.024988
    assert f"2/λ_max = {limit:.6g} (Theory, section 3); η = 0.024988 is above it" in text


def test_a_diverged_banner_gives_both_distances_instead_of_a_culprit():
    app = fresh_app(same_rate="false", lr_k="0.03", lr_b="0.2").run()
    text = only_banner(app, "warning")
    run = gd.train(DATA, gd.sgd((0.03, 0.2)), 450)
    assert "ran away" not in text
    assert f"|k − k*| = {abs(run.k[-1] - DATA.slope_ols):.3g}" in text


def test_the_adaptive_rates_caption_reads_the_rates_it_draws():
    app = fresh_app(optimizer="adam", lr_k="0.1").run()
    app.switch_page("pages/theory.py").run()
    rates = dataset(app, lab_charts.RATES)
    first, last = (
        {row["parameter"]: row["rate"] for row in rates if row["epoch"] == pick}
        for pick in (min(r["epoch"] for r in rates), max(r["epoch"] for r in rates))
    )
    text = captions(app)
    for p in "kb":
        verb = "rose" if last[p] > first[p] else "fell"
        assert f"{verb} from {first[p]:.3g} to {last[p]:.3g}" in text
    assert f"b's is {last['b'] / last['k']:.3g} times k's" in text


def test_the_per_parameter_lesson_names_the_maps_own_fastest_cell():
    app = fresh_app().run()
    app.selectbox(key="lesson").select("per-parameter-rates").run()
    answer = " ".join(md.value for md in app.markdown if "The diamond" in md.value)
    app.switch_page("pages/stability.py").run()
    cells = [cell for cell in map_cells(app) if cell["epochs"] is not None]
    fastest = min(cells, key=lambda cell: cell["epochs"])
    assert f"takes {int(fastest['epochs']):,}" in answer


def test_a_plateau_that_cut_the_rate_says_so_instead_of_more_epochs_or_smaller_rates():
    # Patience 2 on the seed story: the loss's relative gain along the valley falls below the
    # threshold, and the rate is cut again and again while b is still far off.
    data = gd.make_dataset(100, 2.0, 1.0, 1.0)
    optimizer = gd.sgd(0.01, gd.reduce_on_plateau(factor=0.1, patience=2))
    rates = gd.scheduled_rates(optimizer, gd.train(data, optimizer, 450).loss)
    final = max(rates[0][-1], rates[1][-1])
    assert final <= 0.01 / 100
    banner = fresh_app(schedule="plateau", patience="2").run().info[0].value
    assert banner.startswith("**Not converging after 450 epochs**")
    assert f"has cut the rate to {final:.3g} (from η = 0.01)" in banner
    assert "Try more epochs" not in banner and "lower the rates" not in banner
    # The seed story's own plateau run at 450 epochs has not been cut yet, but would be
    # (to 1e-8 by epoch 1,000): no promise that more epochs help, and the rule that decides.
    optimizer = gd.sgd(0.01, gd.reduce_on_plateau())
    assert gd.scheduled_rates(optimizer, gd.train(data, optimizer, 450).loss)[0][-1] == 0.01
    banner = fresh_app(schedule="plateau").run().info[0].value
    assert banner.startswith("**Still converging after 450 epochs**")
    assert "Try more epochs" not in banner and "has not cut the rate yet (from η = 0.01)" in banner
    assert (
        "by 0.1 whenever the loss has gone more than 10 epochs in a row without beating its "
        "best by a relative 0.0001, so more epochs may run at smaller rates" in banner
    )
    # A milder cut so far is said with its numbers.
    optimizer = gd.sgd(0.01, gd.reduce_on_plateau(factor=0.9, patience=20))
    rates = gd.scheduled_rates(optimizer, gd.train(data, optimizer, 1000).loss)
    assert 0.01 / 100 < rates[0][-1] < 0.01
    query = {"schedule": "plateau", "drop": "0.9", "patience": "20", "epochs": "1000"}
    banner = fresh_app(**query).run().info[0].value
    assert f"has cut the rate to {rates[0][-1]:.3g} so far (from η = 0.01)" in banner


def test_a_plateau_banner_names_the_cooldown_and_the_floor_its_rule_has():
    banner = fresh_app(schedule="plateau", min_lr="0.001", cooldown="5").run().info[0].value
    assert "(and waits 5 epochs after each cut), never below 0.001, so more epochs" in banner


@pytest.mark.parametrize(
    ("query", "offered"),
    [
        ({"x_min": "100", "x_max": "110"}, True),  # one rate, far above 2/λ_max
        (
            {"x_min": "100", "x_max": "110", "same_rate": "false", "lr_b": "0.5"},
            True,
        ),  # two rates, each too big
        ({"x_min": "100", "x_max": "110", "lr_k": "1.5", "lr_b": "1.5"}, False),  # ≥ 1
        ({"x_min": "100", "x_max": "110", "schedule": "step"}, False),  # a guide only
    ],
)
def test_a_diverging_run_offers_standardising_only_when_it_makes_these_rates_converge(
    query, offered
):
    app = fresh_app(**query).run()
    text = only_banner(app, "warning")
    assert ("tick 'Standardise x'" in text) == offered
    if offered:  # the promise holds: the same rates on standardised x converge (in time or not)
        app.toggle(key="standardize").set_value(True).run()
        assert not banners(app)["warning"]
        assert app.session_state["lr_k"] == float(query.get("lr_k", 0.01))


def test_a_long_walk_in_from_far_is_still_converging_and_told_the_advice_that_helps():
    # RMSProp from (100, 100): the loss falls only ×0.95 a quarter, but the steps (about η
    # each) are short next to the gap, and the same loop run longer gets there.
    app = fresh_app(optimizer="rmsprop", lr_k="0.02", k0="100", b0="100").run()
    app.switch_page("pages/parameters.py").run()
    text = only_banner(app, "info")
    assert text.startswith("**Still converging after 450 epochs**"), text
    assert "will not help" not in text and "lower the rates" not in text
    k, b, _ = learner_run(DATA.x, DATA.y, "rmsprop", 0.02, 450, init=(100.0, 100.0), hyper=RMS)
    against = "; ".join(
        f"{p}: {np.abs(np.diff(v[450 - 112 :])).sum():.3g} against {abs(v[-1] - star):.3g}"
        for p, v, star in (("k", k, DATA.slope_ols), ("b", b, DATA.intercept_ols))
    )
    assert f"added up to less than the gap still left ({against})" in text
    assert "Try more epochs, or a larger η (RMSProp's steps grow with it)" in text


def test_a_run_at_the_most_epochs_is_not_told_to_try_more():
    app = fresh_app(optimizer="adagrad", epochs="1000000").run()
    text = only_banner(app, "info")
    assert text.startswith("**Still converging after 1,000,000 epochs**")
    assert "Try more epochs" not in text
    assert "1,000,000 is the most epochs the sidebar offers" in text


def test_compare_files_far_starts_as_not_yet_and_a_noiseless_exact_start_as_settled():
    app = fresh_app(k0="100", b0="100").run()
    app.switch_page("pages/compare.py").run()
    table = app.dataframe[-1].value.set_index("strategy").outcome
    for name in ("AdaGrad", "RMSProp"):
        assert table[name].startswith("not yet after 450"), table[name]
    app = fresh_app(noise="0", k0="2", b0="1").run()
    app.switch_page("pages/compare.py").run()
    outcomes = app.dataframe[-1].value.outcome
    # Standardised x reads b back as b' − k'·x̄/s, off b* by rounding only: no pull.
    assert not outcomes.str.contains("pulled").any(), list(outcomes)
    assert (outcomes == "settled at 0").all(), list(outcomes)


def plateau_loop(rate, epochs, **rule):
    """Plain GD on DATA with torch's ReduceLROnPlateau stepped on the full-data loss after
    each epoch (tests/core's TorchPlateau): the rate of each epoch."""
    plateau, k, b, used = TorchPlateau([rate], **rule), 0.0, 0.0, []
    for _ in range(epochs):
        used.append(plateau.lrs[0])
        r = k * DATA.x + b - DATA.y
        k, b = k - used[-1] * 2 * np.mean(DATA.x * r), b - used[-1] * 2 * np.mean(r)
        plateau.step(np.mean((k * DATA.x + b - DATA.y) ** 2))
    return used, plateau


def test_a_plateau_that_cannot_cut_does_not_promise_smaller_rates():
    # A floor 1,000 times η: torch never cuts, so the run is the constant-rate run throughout.
    used, _ = plateau_loop(0.01, 450, patience=0, cooldown=1_000_000, min_lr=10.0)
    assert set(used) == {0.01}
    query = {"schedule": "plateau", "patience": "0", "cooldown": "1000000", "min_lr": "10"}
    app = fresh_app(**query).run()
    banner = app.info[0].value
    assert "may run at smaller rates" not in banner and "not cut the rate yet" not in banner
    assert "cannot cut the rate in this run (η = 0.01): its smallest rate, 10, is at or " in banner
    notes = [c.value for c in app.sidebar.caption]
    assert any("no cut can happen, so the rate stays at η" in note for note in notes), notes
    app.switch_page("pages/loss.py").run()
    caption = next(c.value for c in app.caption if c.value.startswith("The rate each epoch"))
    assert "cuts the rates whenever" not in caption
    assert "no cut can lower η = 0.01: its smallest rate, 10, is at or above it" in caption
    # A floor below η lets it cut, and the sidebar says nothing.
    app = fresh_app(schedule="plateau", min_lr="0.001").run()
    assert not any("no cut can happen" in c.value for c in app.sidebar.caption)


def test_a_plateau_cut_down_to_its_floor_says_it_cuts_no_further():
    used, plateau = plateau_loop(0.01, 450, patience=2, min_lr=0.001)
    assert used[-1] == 0.001 < used[0] and plateau.lrs[0] == 0.001
    banner = fresh_app(schedule="plateau", patience="2", min_lr="0.001").run().info[0].value
    assert "may run at smaller rates" not in banner
    assert "has cut the rate to 0.001 (from η = 0.01) and can cut it no further" in banner
    assert "more epochs would run at 0.001" in banner
