"""Compare's results: each strategy's curve rows are its own run's numbers at the rows' epochs."""

import json
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

import gd_core as gd
from ui.compute import comparison, runs
from ui.config import Config, DataSpec, TrainSpec
from ui.plain.strategies import default_strategies

CONFIGS = {
    "5,000 epochs": Config(DataSpec(noise=1.4, seed=103), TrainSpec(epochs=5000, lr_k=0.0055)),
    "one epoch": Config(DataSpec(seed=3), TrainSpec(epochs=1)),
    "mini-batches": Config(DataSpec(n=1000, seed=9), TrainSpec(epochs=200, batch=32)),
}


@pytest.mark.parametrize("config", CONFIGS.values(), ids=CONFIGS.keys())
def test_every_strategys_rows_are_its_runs_values_at_their_epochs(config):
    data = runs.load_dataset(config.data)
    strategies = default_strategies(config.train, data)
    curves, summary = comparison.results.__wrapped__(config, strategies, data)
    assert list(curves["strategy"].cat.categories) == [s.label for s in strategies]
    for strategy, (_, row) in zip(strategies, summary.iterrows(), strict=True):
        run = runs.train(replace(config, train=strategy.spec), data)  # the whole run
        rows = curves[curves["strategy"] == strategy.label]
        epochs = rows["epoch"].to_numpy()
        assert epochs[0] == 0 and epochs[-1] == len(run.k) - 1 and np.all(np.diff(epochs) > 0)
        assert len(rows) <= 2 * comparison.CURVE_POINTS + 2
        for name in ("k", "b", "loss"):
            assert np.array_equal(rows[name].to_numpy(), getattr(run, name)[epochs], equal_nan=True)
        excess = gd.excess_loss(
            data, run.k[epochs] - data.slope_ols, run.b[epochs] - data.intercept_ols
        )
        assert np.array_equal(rows["excess"].to_numpy(), excess, equal_nan=True)
        assert (row["strategy"], row["status"]) == (strategy.label, run.status)
        final = (row["final k"], row["final b"], row["final loss"])
        assert final == (run.k[-1], run.b[-1], run.loss[-1])


def _one_cell(label: str, column: str, value: object):
    """A stand-in for st.data_editor that returns the table with one cell changed, as the
    grid does after a student's edit (AppTest cannot type into the grid)."""
    import streamlit as st

    real = st.data_editor

    def edit(table, **kwargs):
        edited = real(table, **kwargs).copy()
        edited.loc[edited["strategy"] == label, column] = value
        return edited

    return edit


def _read(edited):
    data = runs.load_dataset(Config().data)
    defaults = default_strategies(Config().train, data)
    table = pd.DataFrame(
        {
            "show": True,
            "strategy": [s.label for s in defaults],
            "lr_k": [s.spec.lr_k for s in defaults],
            "lr_b": [s.spec.lr_b for s in defaults],
        }
    )
    return defaults, table


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (None, "Plain GD's η_k is empty."),
        (np.nan, "Plain GD's η_k is empty."),
        (-0.5, "Plain GD's η_k is -0.5: a rate cannot be negative"),
        (25.0, "Plain GD's η_k is 25, past the largest rate the app takes (10)."),
        (np.inf, "Plain GD's η_k is inf, not a number a run can use."),
    ],
)
def test_a_rate_cell_that_cannot_run_is_named_and_its_strategy_keeps_its_last_usable_rate(
    value, said
):
    defaults, table = _read(None)
    usable: dict = {}
    table.loc[0, "lr_k"] = 0.05  # an edit that can run: remembered
    chosen, problems = comparison.read_rates(defaults, table.astype({"lr_k": object}), usable)
    assert problems == [] and chosen[0].spec.lr_k == 0.05
    table.loc[0, "lr_k"] = value
    chosen, problems = comparison.read_rates(defaults, table.astype({"lr_k": object}), usable)
    assert [s.label for s in chosen] == [s.label for s in defaults]  # nobody vanishes
    assert chosen[0].spec.lr_k == 0.05 and chosen[0].spec.lr_b == defaults[0].spec.lr_b
    (line,) = problems
    assert line.startswith(said), line
    assert "Type a rate from 0 to 10, or untick Show to hide Plain GD." in line
    assert line.endswith("Until then Plain GD runs at its last usable η_k, 0.05.")
    fresh: dict = {}  # no usable edit yet: the strategy's own rate
    chosen, _ = comparison.read_rates(defaults, table.astype({"lr_k": object}), fresh)
    assert chosen[0].spec.lr_k == defaults[0].spec.lr_k
    table.loc[0, "show"] = False  # unticked: hidden, and nothing to say about its cells
    chosen, problems = comparison.read_rates(defaults, table.astype({"lr_k": object}), usable)
    assert problems == [] and "Plain GD" not in [s.label for s in chosen]


def test_an_emptied_cell_is_said_on_the_page_and_its_strategy_stays_in_every_chart(monkeypatch):
    import streamlit as st

    from tests.ui.helpers import charts, fresh_app

    monkeypatch.setattr(st, "data_editor", _one_cell("Plain GD", "lr_k", None))
    app = fresh_app().run()
    app.switch_page("pages/compare.py").run()
    assert not app.exception and not app.error
    (warning,) = app.warning
    assert "Plain GD's η_k is empty. Type a rate from 0 to 10, or untick Show" in warning.value
    assert "Plain GD runs at its last usable η_k, 0.01." in warning.value  # the sidebar's
    table = app.dataframe[-1].value
    assert list(table["strategy"]) == list(comparison.LABELS)
    assert any(f"of {len(comparison.LABELS)} strategies" in c.value for c in app.caption)
    for spec in charts(app):
        layers = spec.get("layer", [spec])
        color = layers[0]["encoding"]["color"]
        assert color["scale"]["domain"] == list(comparison.LABELS)


def test_a_strategys_colour_stays_its_own_when_others_are_hidden(monkeypatch):
    import streamlit as st

    from tests.ui.helpers import charts, fresh_app

    monkeypatch.setattr(st, "data_editor", _one_cell("Plain GD", "show", False))
    app = fresh_app().run()
    app.switch_page("pages/compare.py").run()
    shown = list(comparison.LABELS[1:])
    for spec in charts(app):
        lines = spec.get("layer", [spec])[0]
        color = lines["encoding"]["color"]
        assert color["scale"]["domain"] == list(comparison.LABELS)  # Plain GD keeps its hue
        assert color["legend"]["values"] == shown  # the legend lists the drawn ones
        params = spec.get("params", []) + lines.get("params", [])
        for choice in [p for p in params if p["name"] == "highlight"]:
            assert choice["bind"]["options"][1:] == shown


def test_the_grid_lets_a_minus_sign_through_for_the_page_to_explain():
    """With min_value=0 the grid dropped a typed '-' (-0.5 ran as 0.5) without a word."""
    import json

    from tests.ui.helpers import fresh_app

    app = fresh_app().run()
    app.switch_page("pages/compare.py").run()
    columns = json.loads(app.dataframe[0].proto.columns)
    for rate in ("lr_k", "lr_b"):
        assert "min_value" not in columns[rate]["type_config"]
        assert "max_value" not in columns[rate]["type_config"]


def test_with_tuning_the_text_says_where_the_tuned_rates_are_and_the_table_is_labelled_so():
    """The caption said "Tuning replaces the rates in the table below" while that table kept
    the untuned rates; the tuned ones were in the results table under the charts."""
    import json

    from tests.ui.helpers import fresh_app

    app = fresh_app(tune="true", tune_metric="loss", epochs="100").run()
    app.switch_page("pages/compare.py").run()
    assert not app.exception and not app.error
    text = " ".join(caption.value for caption in app.caption)
    assert "Tuning replaces" not in text
    assert "the table below keeps your rates, locked while tuning is on" in text
    assert "in the results under the charts, as tuned η_k and tuned η_b" in text
    editor, results = app.dataframe[0], app.dataframe[-1]
    columns = json.loads(editor.proto.columns)
    assert (columns["lr_k"]["label"], columns["lr_b"]["label"]) == ("η_k, untuned", "η_b, untuned")
    data = runs.load_dataset(Config().data)
    defaults = default_strategies(replace(Config().train, epochs=100), data)
    assert list(editor.value["lr_k"]) == [s.spec.lr_k for s in defaults]  # as they were
    assert {"tuned η_k", "tuned η_b"} <= set(results.value.columns)
    assert list(results.value["tuned η_k"]) != list(editor.value["lr_k"])


def test_the_phone_lines_say_what_the_results_table_says_row_by_row():
    from tests.ui.helpers import fresh_app

    app = fresh_app().run()
    app.switch_page("pages/compare.py").run()
    table = app.dataframe[-1].value
    (text,) = [m.value for m in app.markdown if m.value.startswith("- **Plain GD** (")]
    lines = text.split("\n")
    assert len(lines) == len(table) == len(comparison.LABELS)
    ideas = {
        s.label: s.why for s in default_strategies(Config().train, runs.load_dataset(Config().data))
    }
    for line, row in zip(lines, table.to_dict("records"), strict=True):
        finals = [f"{row[f'final {name}']:.5g}".replace("-", "−") for name in ("k", "b", "loss")]
        assert line == (
            f"- **{row['strategy']}** ({ideas[row['strategy']]}): {row['outcome']}. "
            f"Final k {finals[0]}, b {finals[1]}, loss {finals[2]}."
        )


def test_the_strategy_editors_ideas_are_also_listed_as_text_for_a_phone():
    """At 390 px the editor's idea column is off the grid's right edge: every row's idea is
    also under the editor as text (shown on a narrow screen only, by the style sheet)."""
    from tests.ui.helpers import fresh_app

    app = fresh_app().run()
    app.switch_page("pages/compare.py").run()
    assert not app.exception
    editor = app.dataframe[0]  # the editor, above the charts
    assert "idea" in editor.value.columns  # the laptop's column stays
    (listed,) = [m.value for m in app.markdown if m.value.startswith("- **Plain GD**: ")]
    ideas = dict(zip(editor.value["strategy"], editor.value["idea"], strict=True))
    assert listed.split("\n") == [f"- **{label}**: {idea}" for label, idea in ideas.items()]
    assert [e.label for e in app.expander] == ["What each strategy tries"]


def test_each_tuned_row_says_which_rates_it_was_the_best_of():
    """ "Tuned" is the best of a grid, not of every rate: each row of the tuned results (and its
    phone line) names the grid gd.tune searched, read here from gd.tune itself."""
    from tests.ui.helpers import fresh_app
    from ui.config import batch_size, build_optimizer

    def _short(value):  # four digits, a typographic minus
        return f"{value:.4g}".replace("-", "−")

    app = fresh_app(tune="true", epochs="100").run()
    app.switch_page("pages/compare.py").run()
    assert not app.exception and not app.error
    results = app.dataframe[-1].value
    # A laptop's 820 px cut "rates tried" off: the long texts now wrap in fixed widths, which
    # Streamlit does only in rows taller than 4 rem (64 px).
    shown = json.loads(app.dataframe[-1].proto.columns)
    assert app.dataframe[-1].proto.row_height > 64
    assert shown["outcome"]["width"] and shown["rates tried"]["width"]
    data = runs.load_dataset(Config().data)
    defaults = {s.label: s for s in default_strategies(replace(Config().train, epochs=100), data)}
    (text,) = [m.value for m in app.markdown if m.value.startswith("- **Plain GD** (")]
    for row, line in zip(results.to_dict("records"), text.split("\n"), strict=True):
        spec = defaults[row["strategy"]].spec
        pair = spec.lr_k != spec.lr_b
        grid = gd.tune(
            data,
            build_optimizer(spec),
            100,
            pair=pair,
            init=(spec.k0, spec.b0),
            batch_size=batch_size(spec),
            standardize=spec.standardize,
        )
        k, b = grid.lr_k_values, grid.lr_b_values
        expected = (
            f"{k.size:,} × {b.size:,} pairs, η_k {_short(k[0])} to {_short(k[-1])}, "
            f"η_b {_short(b[0])} to {_short(b[-1])}"
            if pair
            else f"{k.size:,} rates, {_short(k[0])} to {_short(k[-1])}"
        )
        assert row["rates tried"] == expected
        assert (row["tuned η_k"], row["tuned η_b"]) == grid.lr
        assert f"(the best of {expected})." in line
    standardised = results[results["strategy"] == "Standardised x"].iloc[0]
    assert standardised["tuned η_k"] == 0.5  # theory's fastest with standardised x: one step


def test_an_unticked_row_or_an_edited_rate_is_said_to_stay_out_of_a_link(monkeypatch):
    """The table is not in the URL: a link opened Compare with all 10 strategies at their
    starting rates while the page showed 9, and nothing said so."""
    import streamlit as st

    from tests.ui.helpers import fresh_app
    from ui.plain.strategies import unlinked_edits

    defaults = default_strategies(TrainSpec(), gd.make_dataset(100, 2.0, 1.0, 1.0))
    rows = [{"show": True, "lr_k": s.spec.lr_k, "lr_b": s.spec.lr_b} for s in defaults]
    assert unlinked_edits(defaults, rows) is None
    rows[1]["show"] = rows[2]["show"] = False
    rows[3]["lr_b"] = 0.5
    text = unlinked_edits(defaults, rows)
    names = [s.label for s in defaults]
    assert f"({names[1]} and {names[2]} hidden; the rates of {names[3]} edited)" in text

    app = fresh_app().run()
    app.switch_page("pages/compare.py").run()
    assert not any("stay in this browser" in c.value for c in app.caption)
    monkeypatch.setattr(st, "data_editor", _one_cell("Momentum", "show", False))
    app = fresh_app().run()
    app.switch_page("pages/compare.py").run()
    assert not app.exception
    (said,) = [c.value for c in app.caption if "stay in this browser" in c.value]
    assert said.startswith(
        "Your edits to this table (Momentum hidden) stay in this browser: a link"
    )


def _left(run: gd.Run, data: gd.Dataset) -> tuple[str, str]:
    """Each parameter's gap left at the end as a share of its starting gap, as the pages round
    it (2 significant digits)."""
    k_gap = abs(run.k[-1] - data.slope_ols) / abs(run.k[0] - data.slope_ols)
    b_gap = abs(run.b[-1] - data.intercept_ols) / abs(run.b[0] - data.intercept_ols)
    return f"{100 * k_gap:.2g} %", f"{100 * b_gap:.2g} %"


@pytest.mark.parametrize(
    ("query", "has", "schedule"),
    [
        (
            {"schedule": "step", "every": "10", "factor": "0.05"},
            "Your sidebar trains with the step decay schedule. The strategies here leave it out",
            gd.step_decay(10, 0.05),
        ),
        (
            {"warmup": "400", "warmup_from": "0.001"},
            "Your sidebar trains with a warm-up over its first 400 epochs.",
            gd.linear_warmup(400, 0.001, None),
        ),
    ],
)
def test_compare_says_its_plain_gd_is_not_the_sidebars_scheduled_run(query, has, schedule):
    """A student who set a schedule read Plain GD as their run, and Compare and Fit gave
    different percentages for the same link without a word why."""
    from tests.ui.helpers import fresh_app

    data = gd.make_dataset(100, 2.0, 1.0, 1.0)
    yours = gd.train(data, gd.sgd(0.01, schedule=schedule), 450)
    plain = gd.train(data, gd.sgd(0.01), 450)
    (your_k, your_b), (plain_k, plain_b) = _left(yours, data), _left(plain, data)
    assert (your_k, your_b) != (plain_k, plain_b)
    app = fresh_app(**query).run()
    banner = " ".join(element.value for element in [*app.success, *app.warning, *app.info])
    assert f"k still has {your_k} of its starting gap" in banner
    assert f"b still has {your_b} of its starting gap" in banner
    app.switch_page("pages/compare.py").run()
    assert not app.exception
    (note,) = [element.value for element in app.info if "Your sidebar trains" in element.value]
    assert note.startswith(has)
    assert "each trains at constant rates but Adam + cosine decay" in note
    assert f"it ends “not yet after 450: k {plain_k} left, b {plain_b} left”" in note
    assert "your run, as the Fit page trains it, “" in note
    assert f"k {your_k} left, b {your_b} left”." in note


def test_compare_says_nothing_of_a_schedule_the_sidebar_does_not_have():
    from tests.ui.helpers import fresh_app

    app = fresh_app().run()
    app.switch_page("pages/compare.py").run()
    assert not [element for element in app.info if "Your sidebar trains" in element.value]


def test_compare_races_when_the_sidebars_warm_up_leaves_its_schedule_no_epochs():
    """The sidebar's own run cannot start (the warm-up is longer than the run), which the Fit
    page stops on; on mini-batches the work budget does not build the schedule, so Compare's
    race (which has none) runs and says why the sidebar's run is missing from its note, where
    a random walk found a traceback."""
    from tests.ui.helpers import fresh_app

    app = fresh_app(schedule="plateau", warmup="1000000", epochs="200", batch="8").run()
    app.switch_page("pages/compare.py").run()
    assert not app.exception
    (note,) = [element.value for element in app.info if "Your sidebar trains" in element.value]
    assert "Your sidebar's own run does not start as set: A warm-up of 1,000,000 epochs" in note
    assert "Use at most 190 warm-up epochs, or more epochs." in note
