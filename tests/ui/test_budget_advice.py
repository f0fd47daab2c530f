"""A run the work budget stops at its epochs is never told "try more epochs": a page would
refuse the next stop (budget.check_feasible), so the banner names the budget and what fits."""

from dataclasses import replace

import pytest

from ui.compute.lesson_answers import lesson_config
from ui.compute.runs import load_dataset, reduced_run
from ui.plain import budget, schedule_cuts, verdicts


def _capped_banner(monkeypatch, **settings):
    """The banner of a run whose own epochs are the most the (shrunk) budget lets a page train."""
    config = lesson_config(settings)
    data = load_dataset(config.data)
    spec = config.train
    per_epoch = budget.epoch_seconds(data, spec, steps=True)
    monkeypatch.setattr(budget, "BUDGET_SECONDS", 1.5 * spec.epochs * per_epoch)
    budget.check_feasible(data, [spec], steps=True)  # this run fits ...
    with pytest.raises(budget.TooMuchWork):  # ... the slider's next stop does not
        budget.check_feasible(data, [replace(spec, epochs=1_000)], steps=True)
    assert budget.epoch_ceiling(data, spec) == spec.epochs
    run = reduced_run(config, data)
    return data, spec, run, verdicts.verdict(data, spec, run).text


def test_a_capped_slow_run_names_the_budget_and_a_larger_batch(monkeypatch):
    data, *_, text = _capped_banner(
        monkeypatch, batch=10, schedule="exponential", gamma=0.999, lr_k=0.001, lr_b=0.001
    )
    assert text.startswith("**Still converging after 450 epochs"), text
    assert "Try more epochs" not in text
    batches = -(-data.n // 10)
    assert (
        f"but 450 epochs is the most a page trains of this setting in its work budget of "
        f"{budget.BUDGET_SECONDS:g} s ({batches:,} mini-batch steps an epoch on {data.n:,} "
        "points): try a larger batch or full batch" in text
    )


def test_a_capped_spanning_decay_is_not_told_to_stretch_it(monkeypatch):
    *_, text = _capped_banner(monkeypatch, batch=10, schedule="cosine", lr_k=0.0005, lr_b=0.0005)
    assert text.startswith("**Still converging after 450 epochs"), text
    assert "Try more epochs" not in text and "so more epochs stretch it, but 450 epochs" in text


@pytest.mark.parametrize(
    "settings",
    [
        dict(batch=10, optimizer="adam", lr_k=0.003, b0=-8.0, schedule="inverse", decay=0.1),
        dict(optimizer="adam", lr_k=0.03, b0=-8.0, schedule="inverse", decay=0.03),
    ],
    ids=["mini-batch", "full-batch"],
)
def test_a_capped_falling_decay_is_not_told_to_run_on(monkeypatch, settings):
    """A decay whose leftover rates do not rule more epochs out would be told to run on to the
    sidebar's most (schedule_cuts.decay_ahead); at the budget's ceiling the page cannot."""
    data, spec, run, text = _capped_banner(monkeypatch, same_rate=True, **settings)
    assert schedule_cuts.decay_ahead(spec, run, data), "the uncapped banner would run on"
    assert "Run on to" not in text and "more epochs get there" not in text, text
    assert "rules more epochs out" not in text and "Try more epochs" not in text, text
    final, start = schedule_cuts.end_rates(run, spec)
    assert f"lowered the rate to {final:.3g} by the last epoch (from η = {start:.3g})" in text
    most = (
        f"and {spec.epochs:,} epochs is the most a page trains of this setting in its work "
        f"budget of {budget.BUDGET_SECONDS:g} s"
    )
    assert most in text, text
    batches = -(-data.n // spec.batch) if spec.batch else 1
    if batches > 1:
        assert f"({batches:,} mini-batch steps an epoch on {data.n:,} points): try a larger" in text
    else:
        assert "mini-batch" not in text and "larger batch" not in text, text
    assert text.endswith("a slower decay, or a fix from the Compare page."), text
