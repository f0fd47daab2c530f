"""Kept runs: pinned in the session, surviving page switches and reruns, drawn with a legend
that names what differs, renamed, hidden and removed, and downloaded as one CSV."""

import io
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

import gd_core as gd
from tests.ui.helpers import assert_page_ok, charts, dataset, fresh_app
from ui.charts.palette import DASHES
from ui.compute.history import CSV_EVERY_EPOCH, kept_csv
from ui.config import Config
from ui.plain import history, run_diff
from ui.state.history import KEPT

DATA = gd.make_dataset(100, 2.0, 1.0, 1.0, (0.0, 10.0), 0)
DASH_DOT = DASHES[-1]


def keep(app):
    app.button(key="_gdlab_keep").click().run()
    assert_page_ok(app, "after keeping")


def legend(app, name="history"):
    return sorted({row["run"] for row in dataset(app, name)})


def test_three_kept_runs_survive_pages_and_reruns_and_the_legend_says_what_changed():
    app = fresh_app().run()
    app.switch_page("pages/loss.py").run()
    keep(app)
    app.sidebar.number_input(key="lr_k").set_value(0.02).run()
    keep(app)
    app.selectbox(key="optimizer").select("momentum").run()
    app.sidebar.number_input(key="lr_k").set_value(0.005).run()
    keep(app)
    assert legend(app) == [
        "Run 1: η 0.01 (the reference)",
        "Run 2: η 0.01 → 0.02",
        "Run 3: Gradient descent → Momentum, η 0.01 → 0.005",
    ]
    # Each kept run is drawn with its own trajectory, as train() gives it at its settings.
    rows = pd.DataFrame(dataset(app, "history"))
    second = rows[rows.run == "Run 2: η 0.01 → 0.02"]
    reference = gd.train(DATA, gd.sgd(0.02), 450)
    np.testing.assert_allclose(second.value, reference.loss[second.epoch], rtol=1e-12)
    for page in ("pages/parameters.py", "pages/fit.py", "pages/compare.py", "pages/loss.py"):
        app.switch_page(page).run()
        assert not app.exception
    app.run()  # a rerun with nothing changed
    assert [run.name for run in app.session_state[KEPT]] == ["Run 1", "Run 2", "Run 3"]
    app.switch_page("pages/parameters.py").run()
    assert len(legend(app)) == 3
    assert "This run: " not in " ".join(c.value for c in app.caption)  # it names the change
    assert "The thick line is this run: Gradient descent → Momentum, η 0.01 → 0.005." in " ".join(
        c.value for c in app.caption
    )


def test_kept_runs_are_on_the_distance_chart_both_distances_each_and_the_legend_shows_dashes():
    """The chart made for comparing speed draws every kept run's |k − k*| and |b − b*|."""
    app = fresh_app(lr_k="0.005").run()
    app.switch_page("pages/parameters.py").run()
    keep(app)
    app.sidebar.number_input(key="lr_k").set_value(0.02).run()
    keep(app)
    app.sidebar.number_input(key="lr_k").set_value(0.024).run()
    keep(app)
    rows = pd.DataFrame(dataset(app, "history"))  # the first chart's: the distance chart
    assert set(rows.run) == {
        "Run 1: η 0.005 (the reference)",
        "Run 2: η 0.005 → 0.02",
        "Run 3: η 0.005 → 0.024",
    }
    k_star, b_star = np.linalg.lstsq(np.c_[DATA.x, np.ones(DATA.n)], DATA.y, rcond=None)[0]
    for rate, name in ((0.005, "Run 1"), (0.024, "Run 3")):
        run = gd.train(DATA, gd.sgd(rate), 450)
        for of, path, star in (("|k − k*|", run.k, k_star), ("|b − b*|", run.b, b_star)):
            line = rows[rows.run.str.startswith(name) & (rows.of == of)]
            assert len(line) > 100
            expected = np.abs(path[line.epoch] - star)
            np.testing.assert_allclose(line.value, expected, rtol=1e-6, atol=1e-12)
    spec = charts(app)[0]
    (kept,) = [layer for layer in spec["layer"] if layer.get("data", {}).get("name") == "history"]
    assert kept["encoding"]["detail"] == [
        {"field": "run", "type": "nominal"},
        {"field": "of", "type": "nominal"},
    ]
    # A run's two lines differ in width and opacity, k's wider and darker (not only on hover),
    # and the caption and the text alternative say which is which.
    for channel in ("strokeWidth", "opacity"):
        scale = kept["encoding"][channel]["scale"]
        assert kept["encoding"][channel]["field"] == "of"
        assert scale["domain"] == ["|k − k*|", "|b − b*|"] and scale["range"][0] > scale["range"][1]
    said = "Each kept run draws |k − k*| as its wider, darker line and |b − b*| as its thinner"
    assert any(said in c.value for c in app.caption)
    assert any(said in str(getattr(e, "proto", e)) for e in app.get("html"))  # the alt text
    # Runs 2 and 3 are dotted and dash-dot, not dashed: the alt text names all three styles.
    styles = {tuple(dash) for dash in kept["encoding"]["strokeDash"]["scale"]["range"][:3]}
    assert styles == {tuple(dash) for dash in DASHES[1:]}  # dashed, dotted, dash-dot
    alt = " ".join(str(getattr(e, "proto", e)) for e in app.get("html"))
    assert "as thin dashed lines" not in alt and "(dashed, dotted or dash-dot)" in alt
    # A legend swatch (√size px) shows a whole dash-dot period and the dash it starts again with.
    assert kept["encoding"]["color"]["legend"]["symbolSize"] ** 0.5 >= sum(DASH_DOT) + DASH_DOT[0]


def test_rename_hide_remove_and_the_bound():
    app = fresh_app().run()
    app.switch_page("pages/loss.py").run()
    keep(app)
    assert app.button(key="_gdlab_keep").disabled  # this very run is kept already
    app.sidebar.number_input(key="lr_k").set_value(0.015).run()
    keep(app)
    app.text_input(key="_gdlab_kept_name_1").input("slow").run()
    assert legend(app) == ["Run 2: η 0.01 → 0.015", "slow: η 0.01 (the reference)"]
    app.checkbox(key="_gdlab_kept_shown_1").uncheck().run()
    assert legend(app) == ["Run 2: η 0.015 (the reference)"]  # the first drawn run
    app.button(key="_gdlab_kept_remove_2").click().run()
    assert [run.name for run in app.session_state[KEPT]] == ["slow"]
    with pytest.raises(KeyError):  # nothing drawn: no overlay
        legend(app)
    for rate in range(1, history.MAX_KEPT + 1):
        app.sidebar.number_input(key="lr_k").set_value(0.001 * rate).run()
        if not app.button(key="_gdlab_keep").disabled:
            keep(app)
    assert len(app.session_state[KEPT]) == history.MAX_KEPT
    button = app.button(key="_gdlab_keep")
    assert button.disabled and f"{history.MAX_KEPT} runs are kept" in button.help


def test_the_csv_parses_back_to_the_kept_trajectories_every_epoch():
    base = Config()
    configs = [
        base,
        replace(base, train=replace(base.train, lr_k=0.02, lr_b=0.2)),
        replace(base, train=replace(base.train, optimizer="adam", lr_k=0.1, lr_b=0.1, batch=8)),
    ]
    kept = []
    for config in configs:
        frame = pd.DataFrame({c: [0.0] for c in history.COLUMNS})
        kept = history.keep(kept, config, frame, "max_epochs")
    kept = history.renamed(kept, 2, "two rates")
    parsed = pd.read_csv(io.BytesIO(kept_csv(kept)))
    assert list(parsed.columns) == ["run", "settings", "epoch", "k", "b", "loss", "all settings"]
    assert list(parsed.run.unique()) == ["Run 1", "two rates", "Run 3"]
    for run, config in zip(kept, configs, strict=True):
        rows = parsed[parsed.run == run.name]
        spec = config.train
        optimizer = gd.make_optimizer(spec.optimizer, (spec.lr_k, spec.lr_b))
        expected = gd.train(DATA, optimizer, spec.epochs, batch_size=spec.batch or None)
        assert rows.epoch.tolist() == list(range(spec.epochs + 1))  # every epoch
        np.testing.assert_allclose(rows.k, expected.k, rtol=1e-12)
        np.testing.assert_allclose(rows.b, expected.b, rtol=1e-12)
        np.testing.assert_allclose(rows.loss, expected.loss, rtol=1e-12)
        assert rows.settings.iloc[0] == history.labels(kept)[run.number]
        assert rows["all settings"].nunique() == 1
    # "settings" names only what differs from the reference (n, seed, optimizer unsaid):
    # "all settings" says, on every row, everything the run was trained with.
    every = {
        name: parsed[parsed.run == name]["all settings"].iloc[0].split("; ")
        for name in ("Run 1", "two rates", "Run 3")
    }
    shared = ["data generated points", "points 100", "true k 2", "noise σ 1", "seed 0"]
    assert set(shared) <= set(every["Run 1"]) & set(every["two rates"]) & set(every["Run 3"])
    assert {"optimizer Gradient descent", "η 0.01", "batch size full batch"} <= set(every["Run 1"])
    assert {"η_k 0.02", "η_b 0.2", "epochs 450"} <= set(every["two rates"])
    assert {"optimizer Adam", "β1 0.9", "β2 0.999", "η 0.1", "batch size 8"} <= set(every["Run 3"])
    long = replace(base, train=replace(base.train, epochs=100_000))
    rows = pd.read_csv(io.BytesIO(kept_csv(history.keep([], long, frame, "max_epochs"))))
    assert len(rows) <= CSV_EVERY_EPOCH + 1 and rows.epoch.iloc[-1] == 100_000


def test_differences_name_every_setting_that_changed():
    base = Config()
    changed = replace(
        base,
        data=replace(base.data, noise=0.5, n=200),
        train=replace(base.train, schedule="plateau", patience=3, epochs=1_000, lr_b=0.2),
    )
    assert run_diff.differences(base, changed) == [
        "points 100 → 200",
        "noise σ 1 → 0.5",
        "epochs 450 → 1,000",
        "η_b 0.01 → 0.2",
        "Constant rate → Reduce on plateau",
    ]
    same_schedule = replace(changed, train=replace(changed.train, patience=7))
    assert run_diff.differences(changed, same_schedule) == ["patience 3 → 7"]
    assert run_diff.change_text(changed, changed) == "same settings"


def test_a_runs_full_settings_keep_every_digit():
    """Six digits, enough to tell two runs apart in a legend, would not rebuild a run from a
    file: a rate of 0.0123456789 is written whole."""
    base = Config()
    precise = replace(base, train=replace(base.train, lr_k=0.0123456789, lr_b=0.0123456789))
    assert "; η 0.0123456789; " in run_diff.full_text(precise)
    assert "; η 0.01; " in run_diff.full_text(base)
