"""A contraction factor at rounding level is shown as 0: with standardised x the Hessian is
2·I, so the fastest single rate ½ (and the per-parameter pair ½, ½) reaches the optimum in one
step, ρ = 0, which the eigenvalue solver returns as 2.2e-16 or 3.3e-16."""

from __future__ import annotations

import numpy as np
import pytest

import gd_core as gd
from gd_core.standardize import standardized
from tests.ui.helpers import fresh_app
from ui.compute.lesson_answers import lesson_config
from ui.compute.runs import load_dataset
from ui.plain.figures import ROUNDING, at_rounding_zero, radius_text

STANDARDISED = standardized(load_dataset(lesson_config({}).data))


@pytest.mark.parametrize(
    ("radius", "text"),
    [
        (0.0, "0"),
        (3.3306690738754696e-16, "0"),
        (-2.2e-16, "0"),  # a signed factor (an eigenvalue) the same way
        (ROUNDING, "0"),
        (3 * ROUNDING, "3e-12"),  # above rounding: a number, however small
        (0.015, "0.015"),
        (0.9999995, "0.9999995"),  # near 1 the digits that tell it from 1, as before
    ],
)
def test_a_radius_at_rounding_level_reads_zero_and_others_keep_their_digits(radius, text):
    assert radius_text(radius) == text
    assert at_rounding_zero(np.array([radius]))[0] == (0.0 if text == "0" else radius)


def test_the_standardised_fastest_rates_radius_is_rounding_and_reads_zero():
    analysis = gd.analyze(STANDARDISED)
    assert analysis.best_lr == pytest.approx(0.5)  # H = 2·I: one step to the optimum
    for rates in ((analysis.best_lr, analysis.best_lr), analysis.best_rates):
        radius = float(gd.spectral_radius(STANDARDISED, *rates))
        assert 0 < radius <= ROUNDING  # what the solver returns: a zero at rounding level
        assert radius_text(radius) == "0"
    run = gd.train(STANDARDISED, gd.sgd(analysis.best_lr), 3)
    assert run.k[1] == pytest.approx(STANDARDISED.slope_ols, abs=1e-12)  # one step, truly


def cells(app) -> list[str]:
    return [str(cell) for frame in app.dataframe for cell in frame.value.to_numpy().ravel()]


def test_the_lr_finder_table_shows_the_standardised_fastest_radius_as_zero():
    app = fresh_app(standardize="true").run()
    app.switch_page("pages/lr-finder.py").run()
    assert not app.exception
    table = next(frame.value for frame in app.dataframe if "ρ" in frame.value.columns)
    fastest = table.loc[table["rule"] == "exact fastest", "ρ"]
    assert list(fastest) == ["0"]
    assert not any("e-16" in cell or "e-17" in cell for cell in cells(app))
