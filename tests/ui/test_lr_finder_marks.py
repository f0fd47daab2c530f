"""The LR finder's chart against gd_core: each of fastai's marks sits at the rate its rule
suggests (the table's rate), on the recorded curve; the ring at the lowest point the rules read;
the sentences about the lowest loss and the two exact rates true of this test.

References are written here: the rules' window sliced by hand, the curve interpolated in
log-rate with np.interp, κ from np.linalg.eigvalsh of the Hessian written out.
"""

import numpy as np
import pytest

import gd_core as gd
from tests.ui.helpers import caption_paragraphs, charts, dataset, fresh_app

DATA = gd.make_dataset(100, 2.0, 1.0, 1.0)


@pytest.fixture(scope="module")
def app():
    app = fresh_app().run()
    app.switch_page("pages/lr-finder.py").run()
    assert not app.exception and not app.error
    return app


@pytest.fixture(scope="module")
def test():
    return gd.lr_range_test(DATA, 1e-7, 10.0, 100)  # the page's defaults: fastai's range


def _on_curve(test, lr):
    return np.interp(np.log(lr), np.log(test.lrs), test.losses)


def test_each_mark_sits_at_the_rate_its_rule_suggests_on_the_curve(app, test):
    suggested = {name: s.lr for name, s in gd.suggest(test).items()}
    drawn = {row["rule"]: row for row in dataset(app, "suggestions")}
    assert set(drawn) == set(suggested)
    for rule, lr in suggested.items():
        assert drawn[rule]["point_lr"] == pytest.approx(lr, rel=1e-12), rule
        assert drawn[rule]["point_loss"] == pytest.approx(_on_curve(test, lr), rel=1e-9), rule
    # minimum: a tenth of the rate with the lowest loss in the window the rules read.
    window = slice(test.steps // 10, len(test.losses) - 5)
    low = int(np.argmin(test.losses[window])) + window.start
    assert drawn["minimum"]["point_lr"] == pytest.approx(test.lrs[low] / 10, rel=1e-12)
    # The table prints the same rates the chart draws.
    table = app.dataframe[0].value
    for rule, lr in suggested.items():
        (printed,) = table.loc[table["rule"] == rule, "suggests η"]
        assert float(printed) == pytest.approx(lr, rel=1e-3)
    # The ring is the lowest point the rules read, a decade right of the minimum's mark.
    (ring,) = dataset(app, "lowest")
    assert (ring["lr"], ring["loss"]) == pytest.approx((test.lrs[low], test.losses[low]))


def test_the_lowest_loss_sentence_is_true_of_the_recorded_curve(app, test):
    step = int(np.argmin(test.losses))
    window = slice(test.steps // 10, len(test.losses) - 5)
    low = int(np.argmin(test.losses[window])) + window.start
    assert step != low  # on these defaults the recorded minimum is among the last 5
    (said,) = [p for p in caption_paragraphs(app) if p.startswith("The recorded loss")]
    assert f"lowest, {test.losses[step]:.4g}, at η = {test.lrs[step]:.3g} (step {step + 1})" in said
    assert f"steps {window.start + 1}–{window.stop}" in said
    assert f"lowest point they see is at η = {test.lrs[low]:.3g}" in said
    assert f"a tenth of that rate: {test.lrs[low] / 10:.4g}" in said


def test_the_two_exact_rates_are_told_apart_when_they_nearly_coincide(app):
    x = DATA.x
    hessian = np.array([[2 * np.mean(x * x), 2 * np.mean(x)], [2 * np.mean(x), 2.0]])
    low, high = np.linalg.eigvalsh(hessian)
    limit, best = 2 / high, 2 / (low + high)
    assert best / limit > 0.99  # they coincide at this κ
    text = " ".join(m.value for m in app.markdown)
    assert f"κ = λ_max/λ_min = {high / low:,.4g}" in text
    assert f"only {100 * (1 - best / limit):.2g} % below" in text
    exact = {row["name"]: row["lr"] for row in dataset(app, "exact_rates")}
    assert sorted(exact.values()) == pytest.approx([best, limit])
    # Each rule has its own dash and its own label, on its own side of the line.
    (layers,) = [
        c["layer"]
        for c in charts(app)
        if {"name": "exact_rates"} in [x["data"] for x in c["layer"]]
    ]
    dashes = [
        layer["encoding"]["strokeDash"]["scale"]["range"]
        for layer in layers
        if "strokeDash" in layer.get("encoding", {}) and layer["data"]["name"] == "exact_rates"
    ]
    assert len(dashes) == 1 and dashes[0][0] != dashes[0][1]
    texts = [
        layer["encoding"]["text"]["value"]
        for layer in layers
        if layer["data"]["name"] == "exact_rates" and "text" in layer.get("encoding", {})
    ]
    assert sorted(texts) == ["2/λ_max", "fastest"]


def test_with_standardised_x_the_test_and_its_exact_rates_are_the_standardised_problems():
    app = fresh_app(standardize="true").run()
    app.switch_page("pages/lr-finder.py").run()
    assert not app.exception and not app.error
    z = (DATA.x - DATA.x.mean()) / DATA.x.std()
    scaled = gd.Dataset(z, DATA.y)  # both curvatures 2: 2/λ_max = 1, the fastest ½
    exact = {row["name"]: row["lr"] for row in dataset(app, "exact_rates")}
    assert sorted(exact.values()) == pytest.approx([0.5, 1.0])
    test = gd.lr_range_test(scaled, 1e-7, 10.0, 100)  # the start (0, 0) is the same line
    drawn = {row["rule"]: row["point_lr"] for row in dataset(app, "suggestions")}
    assert drawn == pytest.approx({name: s.lr for name, s in gd.suggest(test).items()})
    text = " ".join(m.value for m in app.markdown)
    assert "with x standardised" in text and "below 2/λ_max = 1," in text


def test_the_phone_first_view_holds_the_rule_its_rate_and_what_plain_gd_does(app):
    table = app.dataframe[0].value
    assert list(table.columns[:3]) == ["rule", "suggests η", "plain GD there"]
    # Short cells, so those three fit 390 px (measured in Chromium: ρ begins at its edge).
    assert max(len(cell) for column in table.columns[:3] for cell in table[column]) <= 17


def test_the_lowest_reads_label_stands_a_row_above_the_suggestions_labels():
    """With x at 1000–1010 the lowest point read stands 0.16 decades right of valley and steep,
    at the same loss: "lowest read" (16 px above its ring) sat on "valley, steep" (8 px above
    theirs). Now the two rows of text are at least one line of the larger font apart."""
    from ui.charts import sweep_charts

    layers = sweep_charts.finder_chart().to_dict()["layer"]
    texts = [layer for layer in layers if layer["mark"]["type"] == "text"]
    (lowest,) = [t for t in texts if t["encoding"]["text"].get("value") == "lowest read"]
    (suggestions,) = [t for t in texts if t["encoding"]["text"].get("field") == "label"]
    gap = abs(lowest["mark"]["dy"] - suggestions["mark"]["dy"])
    assert gap >= max(lowest["mark"]["fontSize"], suggestions["mark"]["fontSize"]) + 2
