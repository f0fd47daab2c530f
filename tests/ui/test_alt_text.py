"""Charts that speak: every chart's text alternative is built from the run on screen.

The numbers are checked against gd_core run directly here (train, stability_map), and each
text must change when the run does.
"""

from __future__ import annotations

import pytest

import gd_core as gd
from tests.ui.helpers import PAGES, fresh_app
from ui.compute import lab, runs
from ui.config import Config, TrainSpec
from ui.plain import alt_text

DATA = gd.make_dataset(100, 2.0, 1.0, 1.0)  # the sidebar's default data
SEED_STORY = Config(train=TrainSpec())  # one rate, 0.01: b crawls
PER_PARAMETER = Config(train=TrainSpec(lr_k=0.02, lr_b=0.2))  # converges
DIVERGING = Config(train=TrainSpec(lr_k=0.9, lr_b=0.9))


def shown(config: Config):
    return runs.trajectory(config, DATA)


def reference(config: Config) -> gd.RunResult:
    spec = config.train
    return gd.train(DATA, gd.sgd((spec.lr_k, spec.lr_b)), spec.epochs)


def test_the_distance_text_quotes_this_runs_distances_and_settled_epochs():
    for config in (SEED_STORY, PER_PARAMETER):
        run = reference(config)
        text = alt_text.distance(shown(config))
        assert f"{abs(run.k[-1] - DATA.slope_ols):.4g} from k*" in text
        assert f"{abs(run.b[-1] - DATA.intercept_ols):.4g} from b*" in text
        for parameter, epoch in zip("kb", run.settled_at, strict=True):
            if epoch is not None:
                assert f"{parameter} settled at epoch {epoch:,}" in text
    assert run.converged_at is not None  # the per-parameter run settles: both epochs checked


@pytest.mark.parametrize(
    "describe",
    [
        lambda run: alt_text.fit(run, (("least squares", 2.0, 1.0),), 100),
        lambda run: alt_text.loss(run, DATA.loss_ols, 1.0),
        alt_text.excess,
        alt_text.distance,
        lambda run: alt_text.parameter(run, "b", DATA.intercept_ols),
        lambda run: alt_text.contour(run, (DATA.slope_ols, DATA.intercept_ols)),
    ],
)
def test_every_run_chart_text_changes_with_the_run(describe):
    texts = {describe(shown(config)) for config in (SEED_STORY, PER_PARAMETER, DIVERGING)}
    assert len(texts) == 3


def test_the_loss_text_gives_the_first_and_last_loss_and_the_floor():
    run = reference(SEED_STORY)
    text = alt_text.loss(shown(SEED_STORY), DATA.loss_ols, 1.0)
    assert f"from {gd.mse(DATA, 0.0, 0.0):.4g} at epoch 0" in text
    assert f"to {run.loss[-1]:.4g} at epoch 450" in text
    assert f"L* = {DATA.loss_ols:.4g}" in text


def test_a_diverged_run_is_described_up_to_where_it_blew_up():
    config = Config(train=TrainSpec(lr_k=1.5, lr_b=1.5, epochs=2_000))
    run = reference(config)
    assert run.status == "diverged"
    text = alt_text.distance(shown(config))
    assert f"At epoch {run.diverged_at:,}" in text and "blew up" in text


def test_the_stability_text_counts_the_maps_own_cells():
    view = lab.stability_view(SEED_STORY, "sgd", DATA)
    counts = view.cells.outcome.value_counts().to_dict()
    text = alt_text.stability(counts, view, "Gradient descent")
    rates = lab.shown_rates
    even_k, even_b = gd.rate_grid(DATA, lab.MAP_RESOLUTION)
    result = gd.stability_map(DATA, rates(even_k), rates(even_b), 450, gd.sgd(1.0))
    assert f"{int(result.diverged.sum()):,} diverge" in text
    converged = int(
        (~result.diverged & (result.epochs_to_converge == result.epochs_to_converge)).sum()
    )
    assert f"{converged:,} converge" in text
    assert "your rates (sidebar) at η_k = 0.01, η_b = 0.01" in text


def _chart_texts(app) -> tuple[list[str], list[str]]:
    """Each chart's own label, and the run's numbers render_chart writes after it."""
    names = [chart.proto.alt for chart in app.get("vega_lite_chart")]
    numbers = [html.body for html in app.get("html") if 'class="chart-numbers"' in html.body]
    return names, numbers


@pytest.mark.parametrize("page", PAGES)
def test_every_chart_on_every_page_has_its_own_text_alternative(page):
    app = fresh_app().run()
    app.switch_page(page).run()
    names, numbers = _chart_texts(app)
    assert names and all(len(name) > 60 for name in names), names
    assert len(set(names)) == len(names)
    # Every chart's numbers are on the page for a screen reader, and new data changes them
    # but not the charts' labels: a changed label makes Streamlit's frontend rebuild the chart.
    assert len(numbers) == len(names) and all(any(c.isdigit() for c in n) for n in numbers)
    app.number_input(key="seed").set_value(7).run()
    new_names, new_numbers = _chart_texts(app)
    assert new_names == names
    assert len(new_numbers) == len(numbers) and new_numbers != numbers


def test_a_charts_numbers_reach_the_page_as_text_not_markup():
    name, numbers = alt_text.distance(shown(SEED_STORY)).split(alt_text.SEPARATOR)
    assert "|k − k*|" in name and not any(c.isdigit() for c in name)
    assert "k is" in numbers and "from k*" in numbers
