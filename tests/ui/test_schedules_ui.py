"""The new schedules through the sidebar and the URL: each in its LaTeX, its rate chart beside
the loss drawing the rates gd_core gives, and a clear message for a warm-up that leaves too
little."""

import numpy as np
import pytest

import gd_core as gd
from tests.core.test_torch_schedules import torch_one_cycle
from tests.ui.helpers import assert_page_ok, dataset, fresh_app, sidebar_values, visit_every_page

LINKS = {
    "onecycle": {"schedule": "onecycle", "pct_start": "0.4", "div": "10", "final_div": "100"},
    "plateau": {"schedule": "plateau", "drop": "0.5", "patience": "3", "cooldown": "2"},
    "warm-up into cosine": {"schedule": "cosine", "warmup": "50", "warmup_from": "0.1"},
}


@pytest.mark.parametrize("name", LINKS)
def test_a_link_restores_the_schedule_and_the_loss_page_draws_its_rates(name):
    query = {"optimizer": "adam", "lr_k": "0.1", "epochs": "200"} | LINKS[name]
    app = fresh_app(**query).run()
    values = sidebar_values(app)
    for key, value in LINKS[name].items():
        shown = values[key]
        assert (shown == value) if isinstance(shown, str) else shown == pytest.approx(float(value))
    app.switch_page("pages/loss.py").run()
    assert_page_ok(app, "pages/loss.py")
    drawn = dataset(app, "rates")
    data = gd.make_dataset(100, 2.0, 1.0, 1.0, (0.0, 10.0), 0)
    schedule = {
        "onecycle": gd.one_cycle(200, 0.4, 10.0, 100.0),
        "plateau": gd.reduce_on_plateau(0.5, 3, cooldown=2),
        "warm-up into cosine": gd.linear_warmup(50, 0.1, gd.cosine_decay(150)),
    }[name]
    optimizer = gd.adam(0.1, schedule=schedule)
    run = gd.train(data, optimizer, 200)
    expected, _ = gd.scheduled_rates(optimizer, run.loss)
    epochs = [row["epoch"] for row in drawn]
    assert epochs == list(range(200))  # 200 epochs: nothing thinned
    np.testing.assert_allclose([row["rate"] for row in drawn], expected, rtol=1e-12)
    caption = " ".join(c.value for c in app.caption)
    assert f"{expected[0]:.3g} in epoch 0" in caption
    app.switch_page("pages/fit.py").run()
    rule = next(e for e in app.expander if e.label.startswith("Update rule"))
    assert len(rule.latex) >= 2  # the optimizer's rule and the schedule's


def test_a_constant_rate_draws_no_rate_chart():
    app = fresh_app().run()
    app.switch_page("pages/loss.py").run()
    assert_page_ok(app, "pages/loss.py")
    with pytest.raises(KeyError):
        dataset(app, "rates")


def test_a_warmup_longer_than_the_run_is_explained_not_raised():
    app = fresh_app(schedule="onecycle", warmup="445").run()
    assert not app.exception
    assert "warm-up of 445 epochs leaves 5" in app.error[0].value
    assert "at most 440 warm-up epochs" in app.error[0].value


@pytest.mark.parametrize("name", ["plateau", "warm-up into cosine"])
def test_every_page_runs_with_the_new_schedules(name):
    app = fresh_app(**({"epochs": "200"} | LINKS[name])).run()
    visit_every_page(app)
    app.switch_page("pages/stability.py").run()
    assert "so here it is a guide" in " ".join(m.value for m in app.markdown)


@pytest.mark.parametrize(
    ("div", "final_div", "said", "not_said"),
    [
        ("1", "1", "one-cycle keeps the rate at η: it neither climbs nor anneals", "climbs from"),
        ("1", "10000", "One-cycle starts at η (div_factor = 1), with no climb", "climbs from"),
        ("25", "1", "then anneals back to where it started (final_div_factor = 1)", "times below"),
        ("25", "10000", "climbs from η/div_factor (η/25) to η, then anneals to", "keeps the"),
    ],
)
def test_the_one_cycle_caption_follows_its_divisors(div, final_div, said, not_said):
    # OneCycleLR's rates as torch computes them: a climb only when the first is below the
    # peak, an anneal below the start only when the last is below the first.
    rates = [torch_one_cycle(t, 1.0, 450, 0.15, float(div), float(final_div)) for t in range(450)]
    climbs, below = rates[0] < max(rates) * (1 - 1e-9), rates[-1] < rates[0] * (1 - 1e-9)
    assert climbs == (div != "1") and below == (final_div != "1")
    query = {"schedule": "onecycle", "optimizer": "adam", "lr_k": "1", "pct_start": "0.15"}
    app = fresh_app(**query, div=div, final_div=final_div).run()
    app.switch_page("pages/loss.py").run()
    caption = next(c.value for c in app.caption if c.value.startswith("The rate each epoch"))
    assert said in caption and not_said not in caption, caption
    if below:
        assert f"{rates[0] / rates[-1]:,.6g} times below where it started" in caption
