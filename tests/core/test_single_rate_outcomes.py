"""outcomes.single_rate_outcomes, the tuning's path: plain GD's final loss and settled epoch at
one rate for both parameters, without the rows a Sweep also carries (single_rate_runs with
`verdicts` False judges only the runs that settle). It must be outcomes()'s two rows bit for
bit, and each point train()'s, wherever a rate, a start or a tolerance can take a run: past
the limit (diverging, diverged), a tolerance so loose that a diverging or diverged run is
inside it at the end, a start at or next to the optimum, a few settling runs or many.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gd_core as gd
from gd_core.outcomes import outcomes, single_rate_outcomes
from gd_core.single_rate import single_rate_runs
from gd_core.verdict import RADIUS_ROUNDING


def both_paths(data, rates, epochs, init, tol):
    """(the tuning's path, outcomes() as a Sweep takes it): (final loss, epochs to converge)."""
    lean = single_rate_outcomes(data, rates, epochs, init, tol)
    final, _, _, converged, _ = outcomes(data, rates, gd.sgd(1.0), None, epochs, init, tol)
    return lean, (final, converged)


def assert_train_agrees(data, rates, epochs, init, tol, final, converged):
    for i, rate in enumerate(rates):
        run = gd.train(data, gd.sgd(float(rate)), epochs, init=init, tol=tol)
        settled = np.nan if run.converged_at is None else run.converged_at
        np.testing.assert_array_equal(converged[i], settled, err_msg=f"η = {rate}")
        if run.status == "diverged":
            assert np.isnan(final[i]), f"η = {rate}"
        else:
            assert final[i] == pytest.approx(run.loss[-1], rel=1e-9, abs=1e-300), f"η = {rate}"


@settings(max_examples=150, deadline=None)
@given(
    st.integers(2, 60),
    st.floats(-5.0, 5.0),
    st.sampled_from([0.01, 1.0, 4.0]),
    st.sampled_from([0.0, 0.5, 2.0]),
    st.lists(st.floats(1e-3, 3.0), min_size=1, max_size=12),
    st.sampled_from([0, 1, 2, 9, 60, 450, 3000]),
    st.sampled_from(["zero", "optimum", "next to it", "far"]),
    st.sampled_from([1e-3, 0.0, 0.3, 1e9]),
)
def test_the_tunings_path_is_outcomes_and_train_at_every_rate(
    n, low, width, noise, shares, epochs, start, tol
):
    data = gd.make_dataset(n, 2.0, 1.0, noise, x_range=(low, low + width))
    rates = np.sort(np.array(shares)) * gd.analyze(data).max_stable_lr  # to 3 × 2/λ_max
    optimum = (data.slope_ols, data.intercept_ols)
    init = {
        "zero": (0.0, 0.0),
        "optimum": optimum,
        "next to it": (float(np.nextafter(optimum[0], 9.0)), optimum[1]),
        "far": (optimum[0] - 40.0, optimum[1] + 25.0),
    }[start]
    (final, converged), (expected_final, expected_converged) = both_paths(
        data, rates, epochs, init, tol
    )
    np.testing.assert_array_equal(final, expected_final)
    np.testing.assert_array_equal(converged, expected_converged)
    assert_train_agrees(data, rates, epochs, init, tol, final, converged)


DATA = gd.make_dataset(100, 2.0, 1.0, 1.0)
LIMIT = gd.analyze(DATA).max_stable_lr


@pytest.mark.parametrize(
    ("shares", "epochs"),
    [
        ([0.9, 0.95, 1.01, 1.05], 40),  # a few inside at the end, two of them diverging
        (np.linspace(0.5, 1.2, 12), 40),  # more than settling.FEW: the NumPy path
        ([1.5, 3.0, 0.99], 400),  # diverged runs (the loss past 1e12 × its start) and one not
    ],
)
def test_a_loose_tolerance_still_reads_diverging_and_diverged_runs_as_never_settled(shares, epochs):
    # At tol = 1e9 a run moving away from the optimum can still be within its thresholds at
    # the end, so its settled epoch is worked out; train() says it never settled.
    rates = np.array(shares) * LIMIT
    (final, converged), (expected_final, expected_converged) = both_paths(
        DATA, rates, epochs, (0.0, 0.0), 1e9
    )
    np.testing.assert_array_equal(final, expected_final)
    np.testing.assert_array_equal(converged, expected_converged)
    assert_train_agrees(DATA, rates, epochs, (0.0, 0.0), 1e9, final, converged)
    past = rates > LIMIT
    assert np.isnan(converged[past]).all() and np.isfinite(converged[~past]).any()


def test_a_start_at_the_optimum_converges_at_epoch_0_whatever_the_rate():
    optimum = (DATA.slope_ols, DATA.intercept_ols)
    rates = np.array([1e-6, 0.5, 1.0, 3.0]) * LIMIT
    final, converged = single_rate_outcomes(DATA, rates, 500, optimum, 1e-3)
    np.testing.assert_array_equal(converged, 0.0)
    np.testing.assert_array_equal(final, DATA.loss_ols)


@pytest.mark.parametrize("epochs", [1000, 3000])  # four runs settle (Python floats), or many
def test_without_verdicts_a_settling_run_past_the_divergence_limit_reads_never_settled(epochs):
    # A run whose modes both decay never ends past its start's loss, so no data reaches this
    # through outcomes(); single_rate_runs' contract is held directly, with a limit that puts
    # some settling runs past it: NaN where the verdicts say diverged, as outcomes() masks.
    rates = gd.tuning.log_grid(1e-3 * LIMIT, LIMIT, 40, gd.analyze(DATA).best_lr)
    delta = (-DATA.slope_ols, -DATA.intercept_ols)
    thresholds = (1e-3 * abs(delta[0]), 1e-3 * abs(delta[1]))
    final, _, settled, _ = single_rate_runs(DATA, rates, delta, epochs, thresholds, np.inf)
    limit = float(np.median(final[np.isfinite(settled)]))
    _, diverged, converged, radius = single_rate_runs(DATA, rates, delta, epochs, thresholds, limit)
    expected = np.where(diverged | (radius > 1.0 + RADIUS_ROUNDING), np.nan, converged)
    found = single_rate_runs(DATA, rates, delta, epochs, thresholds, limit, verdicts=False)[2]
    np.testing.assert_array_equal(found, expected)
    assert np.isfinite(found).any() and (np.isnan(found) & np.isfinite(settled)).any()


def test_a_rate_whose_product_with_the_curvature_overflows_is_a_diverged_run_not_a_warning():
    # η·λ_max past float64's range (x near 1e4: λ_max ≈ 2e8) made numpy warn "overflow in
    # multiply" outside the block that silences the rest (the suite turns warnings into errors).
    data = gd.make_dataset(20, 2.0, 1.0, 1.0, x_range=(1e4, 1e4 + 10.0))
    rates = np.array([1e-12, 1e300])
    result = gd.sweep(data, "lr", rates, "sgd", 10)
    assert result.diverged[1] and not result.diverged[0]
    final, converged = single_rate_outcomes(data, rates, 10, (0.0, 0.0), 1e-3)
    assert np.isnan(final[1]) and np.isnan(converged[1])
    # (train() itself cannot run 1e300 here: its transition matrix overflows and eigvals
    # refuses it, closed_form.spectral_radius; the crawling rate beside it is held to it.)
    assert_train_agrees(data, rates[:1], 10, (0.0, 0.0), 1e-3, final[:1], converged[:1])
