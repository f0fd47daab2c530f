"""A start at or near a parameter's optimum, on the pages a student opens by link: every
sentence reads as English, quotes no e-notation share, and says why the settle epoch is late,
with numbers checked against the run's arrays by loops written here."""

import re

import pytest

import gd_core as gd
from tests.core.test_near_start import farthest  # the same reference loop
from tests.ui.helpers import fresh_app
from ui.plain import figures

DATA = gd.make_dataset(100, slope=2.0, intercept=1.0, noise=1.0)
PAGES = ("pages/fit.py", "pages/loss.py", "pages/parameters.py")


def texts(app):
    return " ".join(e.value for e in [*app.info, *app.success, *app.caption])


@pytest.mark.parametrize(
    ("query", "p", "other"),
    [({"b0": "0.99254"}, "b", "k"), ({"b0": "0.9925437"}, "b", "k"), ({"k0": "1.98687"}, "k", "b")],
    ids=lambda v: "-".join(v.values()) if isinstance(v, dict) else v,
)
def test_a_near_optimum_start_is_told_as_a_pull_and_a_tight_band(query, p, other):
    app = fresh_app(**query).run()
    init = (float(query.get("k0", 0.0)), float(query.get("b0", 0.0)))
    run = gd.train(DATA, gd.sgd(0.01), 450, init=init)
    i = "kb".index(p)
    optimum = (DATA.slope_ols, DATA.intercept_ols)[i]
    gap = abs(init[i] - optimum)
    far = farthest((run.k, run.b)[i], optimum)
    forecast = gd.analyze(DATA, (0.01, 0.01), init=init).predicted_settled_at
    for page in PAGES:
        app.switch_page(page).run()
        text = texts(app)
        assert not app.exception
        # No garbled share ("far beyond as far") and no share of a tiny gap in e-notation.
        assert "far beyond" not in text and "as far from" not in text, text
        assert not re.search(r"\de\+\d", text), text
        assert f"{p}, which started only {gap:.3g} from {p}*, has been pulled up to {far:.3g}" in (
            text
        )
        if page == "pages/fit.py":
            assert f"{other}'s gap pulls {p} off {p}* and back" in text
    banner = app.info[0].value
    assert f"{p} settles at epoch {forecast[i]:,}" in banner
    assert (
        f"For {p} that is a tight target: settling means staying within "
        f"{gd.DEFAULT_TOL * gap:.3g} of {p}*, 0.1 % of its starting gap."
    ) in banner


def test_a_near_start_that_settles_says_why_its_epoch_is_late():
    init = (0.0, 0.9925437)
    app = fresh_app(b0="0.9925437", epochs="5000").run()
    run = gd.train(DATA, gd.sgd(0.01), 5000, init=init)
    assert run.status == "converged"
    gap = abs(init[1] - DATA.intercept_ols)
    text = app.success[0].value
    assert f"b at epoch {run.settled_at[1]:,}" in text
    assert f"b started only {gap:.3g} from b*, so settling means staying within" in text
    assert f"pulled it up to {farthest(run.b, DATA.intercept_ols):.3g} away first" in text


@pytest.mark.parametrize(
    ("fraction", "expected"),
    [
        (0.5, "50 %"),
        (1.6, "1.6 times"),
        (300.4, "300 times"),
        (9_381.2, "9,380 times"),
        (1.33e7, "13,300,000 times"),
        (float("inf"), "infinitely many times"),
    ],
)
def test_a_share_past_the_start_reads_as_a_number_never_as_e_notation(fraction, expected):
    assert figures.share(fraction) == expected
