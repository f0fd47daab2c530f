"""Kept runs' names and diff text at their edges: a blank or taken name, rates 6 digits alike.

The legend, the lines (one per legend entry) and the CSV's `run` column tell runs apart by
name, so two kept runs must never share one; and a diff must never read "η 0.01 → 0.01".
"""

from dataclasses import replace

import pandas as pd

from tests.ui.helpers import assert_page_ok, dataset, fresh_app
from ui.config import Config
from ui.plain import history, run_diff
from ui.state.history import KEPT

FRAME = pd.DataFrame({column: [0.0] for column in history.COLUMNS})


def test_a_blank_or_taken_name_is_never_what_the_box_and_the_legend_disagree_on():
    app = fresh_app().run()
    app.switch_page("pages/loss.py").run()
    app.button(key="_gdlab_keep").click().run()
    app.sidebar.number_input(key="lr_k").set_value(0.02).run()
    app.button(key="_gdlab_keep").click().run()
    app.text_input(key="_gdlab_kept_name_2").input("Run 1").run()
    assert_page_ok(app, "after a rename to a taken name")
    names = [run.name for run in app.session_state[KEPT]]
    assert names == ["Run 1", "Run 1 (run 2)"]
    assert app.text_input(key="_gdlab_kept_name_2").value == "Run 1 (run 2)"
    runs = {row["run"] for row in dataset(app, "history")}
    assert len(runs) == 2  # two lines, two legend entries
    app.text_input(key="_gdlab_kept_name_1").input("   ").run()
    assert [run.name for run in app.session_state[KEPT]] == names  # blank: the name stays
    assert app.text_input(key="_gdlab_kept_name_1").value == "Run 1"


def test_a_new_run_never_takes_a_name_a_renamed_run_has():
    base = Config()
    kept = history.keep([], base, FRAME, "max_epochs")
    kept = history.renamed(kept, 1, "Run 2")
    other = replace(base, train=replace(base.train, lr_k=0.02))
    kept = history.keep(kept, other, FRAME, "max_epochs")
    assert [run.name for run in kept] == ["Run 2", "Run 2 (run 2)"]
    long = history.renamed(kept, 2, "x" * 60)[1].name
    assert long == "x" * history.MAX_NAME
    clash = history.renamed(history.renamed(kept, 2, "y" * 60), 1, "y" * 60)[0].name
    assert len(clash) <= history.MAX_NAME and clash.endswith(" (run 1)")


def test_rates_alike_to_six_digits_are_told_apart():
    base = Config()
    close = replace(base, train=replace(base.train, lr_k=0.0100000001, lr_b=0.0100000001))
    assert run_diff.differences(base, close) == ["η 0.01 → 0.0100000001"]
