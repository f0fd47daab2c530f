"""The Sweeps page on momentum μ with plain gradient descent in the sidebar: theory's μ of
smallest ρ is marked and named beside the fastest point measured (checked against brute force
over the 4 × 4 transition matrix, tests/core/test_momentum_optimum.py), the points left off the
epochs chart are accounted for, and no "your setting" line stands at a μ the sidebar lacks."""

from html import unescape

import numpy as np
import pytest

import gd_core as gd
from tests.core.test_momentum_optimum import _radius
from tests.ui.helpers import assert_page_ok, caption_paragraphs, dataset, fresh_app

DATA = gd.make_dataset(100, 2.0, 1.0, 1.0)
MUS = np.linspace(0.0, 0.99, 40)  # the page's default range and points


@pytest.fixture(scope="module")
def app():
    app = fresh_app(sweep="momentum").run()
    app.switch_page("pages/sweep.py").run()
    assert_page_ok(app, "pages/sweep.py")
    return app


def test_theory_best_mu_is_marked_and_named_beside_the_measured_fastest(app):
    grid = np.linspace(0.0, 0.99, 10_000)
    brute = grid[np.argmin(_radius(DATA, (0.01, 0.01), grid))]
    (marked,) = dataset(app, "optimum")
    assert marked["x"] == pytest.approx(brute, abs=2 * (grid[1] - grid[0]))
    theory = [m.value for m in app.markdown if m.value.startswith("**Theory**")]
    assert len(theory) == 1
    assert f"= {marked['x']:.4g}, with s₁ ≤ s₂" in theory[0]
    measured = gd.sweep(DATA, "momentum", MUS, "momentum", 450, lr=0.01)
    fastest = int(np.nanargmin(measured.epochs_to_converge))
    assert (
        f"fastest point measured on this grid is μ = {MUS[fastest]:.4g} "
        f"({measured.epochs_to_converge[fastest]:,.0f} epochs)" in theory[0]
    )
    assert "whole numbers" in theory[0]  # why the measured curve is jagged
    # A screen reader hears the same lines the charts draw: no "your setting" for plain GD.
    numbers = [
        unescape(html.body) for html in app.get("html") if 'class="chart-numbers"' in html.body
    ]
    assert f"theory's best μ for Momentum, {marked['x']:.4g}." in numbers[0]
    assert not [text for text in numbers if "Your setting" in text]


def test_missing_points_are_explained_and_no_mu_is_marked_for_plain_gd(app):
    nesterov = gd.sweep(DATA, "momentum", MUS[1:], "nesterov", 450, lr=0.01)
    settled = np.isfinite(nesterov.epochs_to_converge)
    missing = np.count_nonzero(~settled)
    assert not nesterov.diverged.any() and missing > 0
    optima = " ".join(m.value for m in app.markdown)
    assert (
        f"{settled.sum()} of {len(MUS) - 1} points converged; not drawn: {missing} not "
        "settled within 450 epochs" in optima
    )
    (how,) = [p for p in caption_paragraphs(app) if p.startswith("Each point")]
    assert "Nesterov momentum leaves out μ = 0" in how
    assert dataset(app, "mark") == []
