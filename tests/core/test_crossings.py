"""The last epoch a sum of two geometric sequences is above a threshold, against brute force.

The reference steps epoch by epoch: v(t) = |A_1·s_1^t·e^(ℓ_1·t) + A_2·s_2^t·e^(ℓ_2·t)| for every
t up to the horizon, and the last t with v(t) > threshold. An epoch where v(t) is within 1e-8
of the terms' size of the threshold is a tie that rounding decides, so an element with one is
not compared. Both the certified quick answers (crossing_bound.py) and the whole search
(crossings.last_epoch_outside: quick answers, then the search for the rest) are checked.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gd_core as gd
from gd_core.crossing_bound import last_outside_by_bound
from gd_core.crossings import _searched, last_epoch_outside
from gd_core.settling import CoordinateModes
from gd_core.verdict import settle_thresholds

TIE = 1e-8


def brute_force(amplitudes, logs, signs, threshold, horizon):
    """(last epoch above, comparable) for each element, stepping every epoch to `horizon`."""
    t = np.arange(horizon + 1, dtype=float)[:, np.newaxis]
    with np.errstate(all="ignore"):
        terms = [
            a * s**t * np.exp(ell * t) for a, ell, s in zip(amplitudes, logs, signs, strict=True)
        ]
    value = np.abs(terms[0] + terms[1])
    size = np.abs(terms[0]) + np.abs(terms[1])
    outside = value > threshold
    last = np.where(outside.any(axis=0), horizon - np.argmax(outside[::-1], axis=0), -1.0)
    comparable = ~(np.abs(value - threshold) <= TIE * size).any(axis=0)
    return last, comparable & np.isfinite(size).all(axis=0)


magnitudes = st.floats(-6.0, 6.0).map(lambda e: 10.0**e)
element = st.fixed_dictionaries(
    {
        "a1": st.one_of(st.just(0.0), magnitudes, magnitudes.map(lambda a: -a)),
        "a2": st.one_of(st.just(0.0), magnitudes, magnitudes.map(lambda a: -a)),
        # A_2 = −A_1·(1 + ε): the terms nearly cancel at first.
        "cancel": st.one_of(st.none(), st.floats(-12.0, -1.0).map(lambda e: 10.0**e)),
        "l1": st.floats(-8.0, 1.0).map(lambda e: -(10.0**e)),
        # ℓ_2 as its own draw, equal to ℓ_1, a hair from it, 0, or growing.
        "l2": st.one_of(
            st.floats(-8.0, 1.0).map(lambda e: -(10.0**e)),
            st.sampled_from(["same", "near", 0.0, 1e-3]),
        ),
        "s1": st.sampled_from([-1.0, 1.0]),
        "s2": st.sampled_from([-1.0, 1.0]),
        "threshold": st.floats(-12.0, 3.0).map(lambda e: 10.0**e),
    }
)


def arrays(elements):
    a1 = np.array([e["a1"] for e in elements])
    a2 = np.array(
        [e["a2"] if e["cancel"] is None else -e["a1"] * (1 + e["cancel"]) for e in elements]
    )
    l1 = np.array([e["l1"] for e in elements])
    l2 = np.array(
        [
            {"same": e["l1"], "near": e["l1"] * (1 + 1e-9)}.get(e["l2"], e["l2"])
            if isinstance(e["l2"], str)
            else e["l2"]
            for e in elements
        ]
    )
    size = np.fmax(np.abs(a1), np.abs(a2))
    threshold = np.array([e["threshold"] for e in elements]) * np.where(size > 0, size, 1.0)
    signs = np.array([[e["s1"] for e in elements], [e["s2"] for e in elements]])
    return np.array([a1, a2]), np.array([l1, l2]), signs, threshold


@settings(max_examples=300, deadline=None)
@given(st.lists(element, min_size=1, max_size=12), st.sampled_from([0, 1, 2, 7, 60, 900, 4000]))
def test_quick_answers_and_the_whole_search_agree_with_brute_force(elements, horizon):
    amplitudes, logs, signs, threshold = arrays(elements)
    expected, comparable = brute_force(amplitudes, logs, signs, threshold, horizon)
    quick, sure = last_outside_by_bound(amplitudes, logs, signs, threshold, float(horizon))
    np.testing.assert_array_equal(quick[sure & comparable], expected[sure & comparable])
    found = last_epoch_outside(amplitudes, logs, signs, threshold, horizon)
    np.testing.assert_array_equal(found[comparable], expected[comparable])


def test_cancellation_and_alternating_signs_are_answered_quickly_and_exactly():
    # Shapes from the default data's stability map that the first bound (the sum of the
    # sizes) could not decide: a large fast term cancelling a slow one just under the
    # threshold, and ratios of opposite signs, where v is the sum only every other epoch.
    amplitudes = np.array(
        [[1.886e-3, -0.06597, -0.1207, -119.6], [-1.989, -1.921, -1.866, 4.98e-3]]
    )
    logs = np.array(
        [[-2.770e-3, -0.05150, -0.05946, -0.0558], [-0.1664, -0.04321, -0.1612, -1.2e-4]]
    )
    signs = np.array([[1.0, 1.0, 1.0, 1.0], [1.0, -1.0, -1.0, 1.0]])
    threshold = np.array([1.99e-3, 1.99e-3, 1.99e-3, 3.65e-3])
    expected, comparable = brute_force(amplitudes, logs, signs, threshold, 1000)
    assert comparable.all()
    quick, sure = last_outside_by_bound(amplitudes, logs, signs, threshold, 1000.0)
    assert sure[:3].all()  # the last one stays outside past the horizon: for the search
    np.testing.assert_array_equal(quick[sure], expected[sure])
    found = last_epoch_outside(amplitudes, logs, signs, threshold, 1000)
    np.testing.assert_array_equal(found, expected)


@pytest.mark.parametrize("epochs", [300, 1_000, 20_000])
def test_a_whole_map_is_answered_quickly_and_as_the_search_answers_it(epochs):
    # Every coordinate of every cell of a 60 × 60 map, quick answers against the search alone:
    # a wrong epoch from the quick path fails here, and so does a quick path that gives up.
    data = gd.make_dataset(100, 2.0, 1.0, 1.0)
    lr_k, lr_b = gd.rate_grid(data, 60)
    delta = (-data.slope_ols, -data.intercept_ols)
    modes = CoordinateModes.of(data, lr_k[np.newaxis, :], lr_b[:, np.newaxis], delta)
    amplitudes = modes.amplitudes.reshape(2, 2, -1).transpose(1, 0, 2).reshape(2, -1)
    logs = np.concatenate([modes.logs.reshape(2, -1)] * 2, axis=1)
    signs = np.concatenate([modes.signs.reshape(2, -1)] * 2, axis=1)
    limits = np.repeat(settle_thresholds(data, (0.0, 0.0), 1e-3), logs.shape[1] // 2)
    quick, sure = last_outside_by_bound(amplitudes, logs, signs, limits, float(epochs))
    searched = _searched(amplitudes, logs, signs, limits, epochs)
    settles = searched < epochs  # inside by the horizon: what a map needs the epoch of
    assert settles.sum() > 500 and sure[settles].mean() > 0.98
    np.testing.assert_array_equal(quick[sure], searched[sure])
    assert (quick[sure] >= 0).any() and (quick[sure] < epochs - 1).any()


@pytest.mark.parametrize("sign", [-1.0, 1.0])
def test_the_search_sees_cancelling_signs_of_amplitudes_too_small_to_multiply(sign):
    # A_1·A_2 of amplitudes near 1e-260 rounds to −0: the signs must come from the sign bits.
    # The answer cannot depend on the scale: the same problem 1e250 times larger is the check.
    amplitudes = np.array([[-2.298e-260], [2.298e-260]])
    logs = np.array([[-0.016393], [-0.016371]])
    signs = np.array([[sign], [sign]])
    threshold = np.array([2.84e-267])
    scaled = _searched(amplitudes * 1e250, logs, signs, threshold * 1e250, 2000)
    expected, comparable = brute_force(amplitudes * 1e250, logs, signs, threshold * 1e250, 2000)
    assert comparable.all() and scaled[0] == expected[0] > 0
    assert _searched(amplitudes, logs, signs, threshold, 2000)[0] == expected[0]
    assert last_epoch_outside(amplitudes, logs, signs, threshold, 2000)[0] == expected[0]


def test_a_ratio_of_zero_given_as_a_log_of_minus_infinity_counts_at_epoch_zero_only():
    amplitudes = np.array([[5.0, 5.0], [1.0, 0.0]])
    logs = np.array([[-np.inf, -np.inf], [-0.1, -0.2]])
    signs = np.ones((2, 2))
    threshold = np.array([0.5, 0.5])
    # The second mode alone: 1·e^(−0.1t) > 0.5 up to t = 6; the first is 5 at t = 0 only.
    np.testing.assert_array_equal(last_epoch_outside(amplitudes, logs, signs, threshold), [6, 0])
