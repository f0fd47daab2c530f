"""settling.few_settled: a few runs' settled epochs in Python floats, each run's later crossing
found first and the other coordinate ruled out by its bound where it can be.

Against stepping every epoch (test_crossings.brute_force) and against the NumPy path that
answers both coordinates of every run (converged_epochs with FEW = 0).
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gd_core as gd
from gd_core import settling
from tests.core.test_crossings import arrays, brute_force, element
from tests.core.test_sweeps import assert_points_match_train

HORIZONS = [0, 1, 2, 7, 60, 900, 4000]


def general(amplitudes, logs, signs, limits, horizon):
    """converged_epochs with the few-runs path switched off: both coordinates, every run."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settling, "FEW", 0)
        return settling.converged_epochs(amplitudes, logs, signs, limits, horizon)


def settled_by_stepping(amplitudes_k, amplitudes_b, logs, signs, limits, horizon):
    """(epoch both settled or NaN, comparable) from every epoch's value: an independent answer."""
    last_k, comparable_k = brute_force(amplitudes_k, logs, signs, limits[0], horizon)
    last_b, comparable_b = brute_force(amplitudes_b, logs, signs, limits[1], horizon)
    latest = np.maximum(last_k, last_b)
    return np.where(latest < horizon, latest + 1.0, np.nan), comparable_k & comparable_b


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(element, element), min_size=1, max_size=12),
    st.sampled_from(HORIZONS),
    st.data(),
)
def test_the_chosen_runs_settle_as_stepping_and_the_numpy_path_say(pairs, horizon, draw):
    amplitudes_k, logs, signs, limit_k = arrays([k for k, _ in pairs])
    amplitudes_b, _, _, limit_b = arrays([b for _, b in pairs])  # b shares k's modes
    amplitudes, limits = np.stack([amplitudes_k, amplitudes_b]), np.stack([limit_k, limit_b])
    runs = draw.draw(st.lists(st.integers(0, len(pairs) - 1), min_size=1, max_size=6))
    found = settling.few_settled(amplitudes, logs, signs, limits, float(horizon), runs)
    if found is None:  # a bound was not sure: the callers take the other paths
        return
    assert len(found) == len(runs)
    every = general(amplitudes, logs, signs, limits, horizon)
    np.testing.assert_array_equal(np.array(found), every[runs])
    expected, comparable = settled_by_stepping(
        amplitudes_k, amplitudes_b, logs, signs, limits, horizon
    )
    check = comparable[runs]
    np.testing.assert_array_equal(np.array(found)[check], expected[runs][check])


def test_whichever_coordinate_settles_later_decides():
    # k settles at epoch 40 (0.9^t ≤ 0.015 from t = 40). b = 0.01·0.9^t: inside from the
    # start, or from epoch 1 (both ruled out by b's bound at epoch 40), or, against a
    # threshold of 0.01·0.9^60.5, outside until epoch 60, so the run settles at 61.
    logs, signs = np.log([[0.9], [0.5]]), np.ones((2, 1))
    amplitudes = np.array([[[1.0], [0.0]], [[0.01], [0.0]]])  # [coordinate, mode, run]
    for limit_b, settles in ((0.02, 40.0), (0.0095, 40.0), (0.01 * 0.9**60.5, 61.0)):
        limits = np.array([[0.015], [limit_b]])
        assert settling.few_settled(amplitudes, logs, signs, limits, 1000.0) == [settles]
        assert general(amplitudes, logs, signs, limits, 1000)[0] == settles


def test_a_run_still_outside_at_the_horizon_never_settles():
    logs, signs = np.log([[0.999], [0.5]]), np.ones((2, 1))
    amplitudes = np.array([[[1.0], [1.0]], [[1.0], [0.0]]])
    limits = np.array([[1e-3], [1e-3]])
    found = settling.few_settled(amplitudes, logs, signs, limits, 100.0)
    assert found is None or np.isnan(found[0])


@settings(max_examples=40, deadline=None)
@given(
    st.integers(2, 40),
    st.floats(-1.0, 3.0),
    st.floats(0.0, 2.0),
    st.lists(st.floats(0.3, 1.05), min_size=1, max_size=settling.FEW),
    st.sampled_from([1, 2, 37, 400, 3000]),
    st.tuples(st.floats(-5.0, 5.0), st.floats(-5.0, 5.0)),
)
def test_a_few_settling_rates_equal_train(n, low, noise, factors, epochs, init):
    # A sweep of up to FEW rates takes few_settled for every run that settles: each point
    # must be train()'s own, whichever coordinate settles last.
    data = gd.make_dataset(n, 2.0, 1.0, noise, x_range=(low, low + 4.0))
    rates = np.array(factors) * gd.analyze(data).max_stable_lr
    result = gd.sweep(data, "lr", rates, "sgd", epochs, init=init)
    assert_points_match_train(
        result, [gd.sgd(rate) for rate in rates], [data] * rates.size, epochs, init
    )


@pytest.mark.parametrize(
    ("x_range", "init", "epochs"),
    [
        ((0.0, 10.0), (0.0, 0.0), 1000),  # the walkthrough's race: b settles at 610, k at 603
        ((0.0, 10.0), (5.0, 5.0), 1000),
        ((-2.0, 2.0), (0.0, 0.0), 1000),
        ((1.0, 3.0), (4.0, -1.0), 1000),
        ((-5.0, 1.0), (0.0, 0.0), 1000),
        ((5.0, 6.0), (0.0, 0.0), 100_000),
    ],
)
def test_at_theorys_fastest_rate_the_later_coordinate_is_answered_alone(x_range, init, epochs):
    # At 2/(λ_min + λ_max) the two ratios are the same size, so which term is "slower" is
    # rounding: the sums of the terms must pick the coordinate that settles last, whose answer
    # is then the run's and whose bound rules the other out (one crossing found, not two).
    data = gd.make_dataset(30, 2.0, 1.0, 1.0, x_range=x_range)
    rate = gd.analyze(data).best_lr
    answers, crossing = [], settling.last_outside_of_one

    def counted(*arguments):
        answers.append(crossing(*arguments))
        return answers[-1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settling, "last_outside_of_one", counted)
        result = gd.sweep(data, "lr", [rate], "sgd", epochs, init=init)
    assert_points_match_train(result, [gd.sgd(rate)], [data], epochs, init)
    assert answers == [result.epochs_to_converge[0] - 1.0]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(element, min_size=1, max_size=settling.FEW),
    st.tuples(element, element),
    st.sampled_from(HORIZONS),
)
def test_modes_shared_by_every_run_may_come_as_one_column_or_none(elements, shared, horizon):
    # One rate for both parameters (single_rate.py) has the same amplitudes for every run and
    # passes them [coordinate, mode], without the run axis: the same answers as with it.
    _, logs, signs, _ = arrays(elements)
    amplitudes_k, _, _, limit_k = arrays([shared[0]])
    amplitudes_b, _, _, limit_b = arrays([shared[1]])
    amplitudes, limits = np.stack([amplitudes_k, amplitudes_b]), np.stack([limit_k, limit_b])
    runs = list(range(len(elements)))
    with_axis = settling.few_settled(amplitudes, logs, signs, limits, float(horizon), runs)
    without = settling.few_settled(amplitudes[:, :, 0], logs, signs, limits, float(horizon), runs)
    assert without == with_axis or (
        without is not None and np.array_equal(without, with_axis, equal_nan=True)
    )
