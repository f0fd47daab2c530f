"""The Sweeps and LR-finder pages and Compare's tuning through AppTest: what they draw is what
gd_core computes for the sidebar's settings, and their own parameters come from the URL."""

import numpy as np
import pytest

import gd_core as gd
from tests.ui.helpers import assert_page_ok, caption_paragraphs, dataset, datasets, fresh_app
from ui.config import OPTIMIZER_LABELS

DATA = gd.make_dataset(100, 2.0, 1.0, 1.0)


def open_page(page: str, **query: str):
    app = fresh_app(**query).run()
    app.switch_page(page).run()
    assert_page_ok(app, page)
    return app


def test_the_sweep_page_draws_what_sweep_computes_for_each_optimizer():
    app = open_page("pages/sweep.py", sweep="momentum", from_momentum="0.5", sweep_points="12")
    rows = dataset(app, "points")
    assert {row["optimizer"] for row in rows} <= {"Momentum", "Nesterov momentum"}
    mus = np.linspace(0.5, 0.99, 12)
    expected = gd.sweep(DATA, "momentum", mus, "momentum", 450, lr=0.01)
    drawn = [(row["value"], row["epochs"]) for row in rows if row["optimizer"] == "Momentum"]
    converged = np.isfinite(expected.epochs_to_converge)
    assert converged.any()
    np.testing.assert_allclose([value for value, _ in drawn], mus[converged])
    assert [epochs for _, epochs in drawn] == list(expected.epochs_to_converge[converged])
    # The sidebar's optimizer is plain gradient descent, which has no μ: nothing to mark.
    assert dataset(app, "mark") == []
    (how,) = [p for p in caption_paragraphs(app) if p.startswith("Each point")]
    assert "Your sidebar's optimizer, Gradient descent, has no μ" in how
    with_mu = open_page("pages/sweep.py", sweep="momentum", sweep_points="5", optimizer="nesterov")
    assert [row["x"] for row in dataset(with_mu, "mark")] == [0.9]  # the sidebar's μ
    (how,) = [p for p in caption_paragraphs(with_mu) if p.startswith("Each point")]
    assert "has no μ" not in how


def test_the_sweep_caption_says_how_each_optimizer_was_computed():
    # What gd.sweep reports for each: exact (the modes), a linear update's matrix powers (a
    # spectral radius at every point), or stepped. Momentum was said to be stepped.
    app = open_page("pages/sweep.py", sweep_points="6")
    (how,) = [p for p in caption_paragraphs(app) if p.startswith("Each point")]
    rates = np.geomspace(1e-3, 0.02, 6)
    plain, momentum, adam = (
        gd.sweep(DATA, "lr", rates, name, 450, **hyper)
        for name, hyper in (("sgd", {}), ("momentum", {"momentum": 0.9}), ("adam", {}))
    )
    assert plain.exact and not momentum.exact and not adam.exact
    assert np.isfinite(momentum.spectral_radius).all() and np.isnan(adam.spectral_radius).all()
    assert "Gradient descent: computed exactly, without stepping." in how
    assert "Momentum: from powers of its update's matrix, without stepping each epoch." in how
    assert "The other optimizers stepped all 6 points together." in how
    app = open_page("pages/sweep.py", sweep="momentum", sweep_points="5")
    (how,) = [p for p in caption_paragraphs(app) if p.startswith("Each point")]
    assert "Momentum, Nesterov momentum: from powers of their updates' matrices" in how
    assert "stepped" not in how


def test_the_rate_sweep_draws_plain_gds_exact_curve_and_keeps_its_range_in_the_link():
    app = open_page("pages/sweep.py", from_lr="0.01", to_lr="1", sweep_with="Gradient descent")
    theory = dataset(app, "theory")
    assert len(theory) > 100
    limit = gd.analyze(DATA).max_stable_lr
    assert min(row["value"] for row in theory) == pytest.approx(0.01 * limit)
    some = theory[len(theory) // 2]
    predicted = gd.analyze(DATA, (some["value"], some["value"])).predicted_epochs
    assert some["epochs"] == predicted


def test_a_sweep_from_the_optimum_says_its_points_sit_at_epoch_zero():
    # Rates up to a hundred times 2/λ_max: every point has converged at epoch 0, as train()
    # says, which the log axis cannot draw; so the page says so, and no dashed line is promised.
    start = {"k0": repr(DATA.slope_ols), "b0": repr(DATA.intercept_ols)}
    app = open_page("pages/sweep.py", from_lr="0.01", to_lr="100", sweep_points="6", **start)
    captions = " ".join(caption.value for caption in app.caption)
    assert "Every point converged at epoch 0" in captions
    assert "The dashed line" not in captions
    assert "(0 epochs; 6 of 6 points converged)" in app.markdown[0].value


@pytest.mark.parametrize(
    ("setting", "extra"),
    [
        ("beta2", {}),
        ("n", {}),
        ("x_offset", {}),
        ("batch_size", {"epochs": "20"}),
        ("lr_ratio", {}),
    ],
)
def test_every_setting_sweeps_without_a_problem(setting, extra):
    app = open_page("pages/sweep.py", sweep=setting, sweep_points="8", **extra)
    final_losses = datasets(app.get("vega_lite_chart")[1])["points"]  # every finite point
    assert final_losses and all(row["final_loss"] > 0 for row in final_losses)


def test_the_finder_page_marks_fastais_suggestions_and_grades_them_exactly():
    app = open_page("pages/lr-finder.py", lr_min="1e-6", lr_max="1", lr_steps="80")
    test = gd.lr_range_test(DATA, 1e-6, 1.0, 80)
    curve = dataset(app, "curve")
    np.testing.assert_allclose([row["loss"] for row in curve], test.losses, rtol=1e-12)
    found = gd.suggest(test)
    marks = {row["rule"]: row["lr"] for row in dataset(app, "suggestions")}
    assert marks == pytest.approx({name: s.lr for name, s in found.items() if s is not None})
    table = app.dataframe[0].value
    best = gd.analyze(DATA).best_lr
    row = table[table["rule"] == "minimum"].iloc[0]
    assert float(row["× fastest"]) == pytest.approx(found["minimum"].lr / best, rel=1e-2)
    exact = {row["name"]: row["lr"] for row in dataset(app, "exact_rates")}
    assert sorted(exact.values()) == pytest.approx(sorted([best, gd.analyze(DATA).max_stable_lr]))


def test_the_finder_runs_one_test_per_seed_on_mini_batches():
    app = open_page("pages/lr-finder.py", batch="16", lr_seeds="3", lr_steps="60")
    seeds = {row["seed"] for row in dataset(app, "curve")}
    assert seeds == {0, 1, 2}
    assert "range over 3 seeds" in app.dataframe[0].value.columns


def test_on_mini_batches_the_finder_says_its_grades_are_full_batch_and_what_seeds_count():
    """A student asking whether a suggestion suits their mini-batches read a table graded for
    full-batch plain GD, said only in a header's hover help; "seeds converging" said nothing."""
    app = open_page("pages/lr-finder.py", batch="16", lr_seeds="3", lr_steps="60")
    hessian = 2.0 / DATA.n * np.array([[DATA.x @ DATA.x, DATA.x.sum()], [DATA.x.sum(), DATA.n]])
    limit = 2.0 / np.linalg.eigvalsh(hessian)[-1]
    suggested = [
        gd.suggest(gd.lr_range_test(DATA, 1e-7, 10.0, 60, 16, seed, (0.0, 0.0)))
        for seed in range(3)
    ]
    table = app.dataframe[0].value.set_index("rule")
    for rule in ("valley", "slide", "minimum", "steep"):
        rates = [each[rule].lr for each in suggested if each[rule] is not None]
        below = sum(rate < limit for rate in rates)
        assert table.loc[rule, "seeds converging"] == f"{below} of {len(rates)}"
    note = next(c.value for c in app.caption if "mini-batches of 16" in c.value)
    assert "the table grades each rate for full-batch plain gradient descent" in note
    assert "“seeds converging” counts the seeds" in note and f"2/λ_max = {limit:.5g}" in note
    full = open_page("pages/lr-finder.py")
    assert not any("mini-batches of" in c.value for c in full.caption)


def test_a_reversed_range_is_explained_not_run():
    app = fresh_app(lr_min="1", lr_max="0.001").run()
    app.switch_page("pages/lr-finder.py").run()
    assert not app.exception
    assert "must be below lr_max" in app.error[0].value


def test_tuning_races_each_strategy_at_the_grids_best_rate():
    app = open_page("pages/compare.py", tune="true")
    table = app.dataframe[-1].value
    assert {"tuned η_k", "tuned η_b"} <= set(table.columns)
    momentum = table[table["strategy"] == "Momentum"].iloc[0]
    tuned = gd.tune(DATA, gd.momentum(1.0, 0.9), 450)
    assert momentum["tuned η_k"] == pytest.approx(tuned.lr[0])
    per_parameter = table[table["strategy"] == "Per-parameter rates"].iloc[0]
    assert per_parameter["tuned η_k"] != per_parameter["tuned η_b"]  # tuned as a pair
    assert "log grid" in app.caption[-1].value or any("log grid" in c.value for c in app.caption)


def test_tuning_over_the_budget_is_refused_with_a_way_out():
    app = fresh_app(tune="true", epochs="200000").run()
    app.switch_page("pages/compare.py").run()
    assert not app.exception
    assert "Tuning" in app.error[0].value and any("Use" in b.label for b in app.button)


def test_tuning_at_an_epoch_over_the_budget_offers_an_earlier_epoch_not_fewer_epochs():
    # The scored epoch, not the sidebar's budget, decides this cost: the way out moves it.
    app = fresh_app(tune="true", tune_metric="loss_at", tune_at="100000", epochs="100000").run()
    app.switch_page("pages/compare.py").run()
    assert not app.exception and "Tuning" in app.error[0].value
    (button,) = app.main.button
    assert button.label.startswith("Score the loss at epoch ")
    button.click().run()
    assert app.number_input(key="tune_at").value < 100_000
    assert app.select_slider(key="epochs").value == 100_000  # the sidebar's budget untouched
    assert not app.error and not app.exception and "tuned η_k" in app.dataframe[-1].value


def test_the_labels_of_the_optimizers_are_the_sweep_pages_url_values():
    # The optimizer pills keep readable labels in the link; they must stay unique.
    assert len(set(OPTIMIZER_LABELS.values())) == len(OPTIMIZER_LABELS)


def test_a_sweep_too_costly_to_train_point_by_point_is_refused_with_its_cost():
    app = fresh_app(sweep="batch_size", n="100000", epochs="1000").run()
    app.switch_page("pages/sweep.py").run()
    assert not app.exception
    message = app.error[0].value
    assert "one by one" in message and "more than the 2 s" in message


def test_a_momentum_range_at_zero_sweeps_momentum_alone():
    # Nesterov at μ = 0 is plain GD, which its factory refuses: it sits this range out.
    app = open_page("pages/sweep.py", sweep="momentum", to_momentum="0", sweep_points="5")
    rows = datasets(app.get("vega_lite_chart")[1])["points"]
    assert {row["optimizer"] for row in rows} == {"Momentum"}
