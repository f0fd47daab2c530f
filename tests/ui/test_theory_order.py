"""The Theory page says which parameter settles first from the sidebar's own rates (the roles
swap near the stability limit), and which run its "observed" metric observed."""

import numpy as np
import pytest

import gd_core as gd
from tests.ui.helpers import fresh_app

DATA = gd.make_dataset(100, slope=2.0, intercept=1.0, noise=1.0)


def theory(**query):
    app = fresh_app(**query).run()
    app.switch_page("pages/theory.py").run()
    assert not app.exception
    return app


def text(app):
    return " ".join(e.value for e in [*app.title, *app.markdown, *app.caption])


def test_near_the_limit_theory_says_b_settles_first_and_why():
    app = theory(lr_k="0.0249", lr_b="0.0249")
    run = gd.train(DATA, gd.sgd(0.0249), 2_000)
    k_at, b_at = run.settled_at
    assert b_at < k_at  # the real run: b first
    shown = text(app)
    assert "Why k converges faster than b" not in shown
    assert "That is why k settles and b crawls" not in shown
    assert "so the roles swap: b settles first, k later" in shown
    assert f"theory predicts k settles at epoch {k_at:,}, b at {b_at:,}" in shown
    assert f"η·λ_max = {0.0249 * gd.analyze(DATA).eigenvalues[1]:.4g} is close to 2" in shown


def test_well_below_the_limit_theory_says_k_settles_first():
    shown = text(theory())
    run = gd.train(DATA, gd.sgd(0.01), 2_000)
    assert (
        f"so k settles first and b later: theory predicts k settles at epoch {run.settled_at[0]:,}"
        in shown
    )
    assert "roles swap" not in shown


def test_the_observed_run_is_named_and_a_short_sidebar_run_is_not_passed_off_as_it():
    app = theory(epochs="10")
    needed = gd.analyze(DATA, (0.01, 0.01)).predicted_epochs
    run = gd.train(DATA, gd.sgd(0.01), needed + 3)
    observed = next(m for m in app.metric if m.label == "observed in a run")
    assert observed.value == f"{run.converged_at:,}"
    assert observed.proto.delta == f"as predicted, in a run of {needed + 3:,} epochs"
    shown = text(app)
    assert f"The observed run is a separate run of it for {needed + 3:,} epochs" in shown
    assert f"Your sidebar's run of this method stops after 10 epochs, before epoch {needed:,}" in (
        shown
    )


def test_a_start_near_b_star_is_not_given_a_home_mode_and_its_late_epoch_is_explained():
    init = (0.0, 0.9925437)
    shown = text(theory(b0="0.9925437"))
    settled = gd.analyze(DATA, (0.01, 0.01), init=init).predicted_settled_at
    run = gd.train(DATA, gd.sgd(0.01), settled[1] + 3, init=init)
    assert run.settled_at == settled
    assert "b starts near b*, where its two parts nearly cancel" in shown
    assert "b's" not in shown.split("b starts near b*")[0].split("At your rates")[-1]
    far = float(np.abs(run.b - DATA.intercept_ols).max())
    assert f"b settles only at epoch {settled[1]:,} because b started only" in shown
    assert f"k's gap pulled it up to {far:.3g} away first (in the observed run)" in shown


def test_the_mse_floor_is_said_near_sigma_squared_with_this_datas_own_value():
    # L* is the mean squared residual of the lstsq line: 0.9401 here, not σ² = 1. Over many
    # datasets it averages σ²·(n − 2)/n (two parameters fitted), which the page says.
    design = np.column_stack([DATA.x, np.ones(DATA.n)])
    residual = DATA.y - design @ np.linalg.lstsq(design, DATA.y, rcond=None)[0]
    floor = float(np.mean(residual**2))
    shown = text(theory())
    assert "settles at the noise variance σ²" not in shown
    assert f"here L* = {floor:.4g} and σ² = 1" in shown and "(σ²·(n − 2)/n" in shown
    floors = []
    for seed in range(400):
        data = gd.make_dataset(10, 2.0, 1.0, 1.0, (0.0, 10.0), seed)
        design = np.column_stack([data.x, np.ones(data.n)])
        fit = np.linalg.lstsq(design, data.y, rcond=None)[0]
        floors.append(np.mean((data.y - design @ fit) ** 2))
    assert np.mean(floors) == pytest.approx(8 / 10, rel=0.07)  # σ²·(n − 2)/n, not σ²
