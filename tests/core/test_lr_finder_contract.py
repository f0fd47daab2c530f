"""The range test's contract at its edges, and fastai's rules on curves hypothesis makes.

References are independent of gd_core: fastai's rules as the loops fastai ships
(tests/core/test_lr_finder.py writes them out), the Hessian's eigenvalues from
np.linalg.eigvalsh of 2·[[mean x², mean x], [mean x, 1]] built from the points.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gd_core as gd
from gd_core import lr_suggestions as rules
from tests.core.test_lr_finder import fastai_minimum, fastai_slide, fastai_steep, fastai_valley

DATA = gd.make_dataset(40, slope=-1.0, intercept=3.0, noise=0.5, x_range=(1.0, 4.0), seed=5)

# Curves with ties (small whole numbers: equal neighbours, repeated minima) and without.
tied = st.lists(st.integers(0, 6).map(float), min_size=16, max_size=70)
smooth = st.lists(st.floats(0.0, 10.0, allow_nan=False), min_size=16, max_size=70)


@settings(max_examples=150, deadline=None)
@given(st.one_of(tied, smooth))
def test_every_rule_is_fastais_on_any_curve(values):
    losses = np.array(values)
    lrs = np.geomspace(1e-6, 1.0, len(losses))
    assert rules.valley(lrs, losses)[0] == fastai_valley(lrs, losses)
    assert rules.slide(lrs, losses)[0] == fastai_slide(lrs, losses)
    assert rules.minimum(lrs, losses)[0] == fastai_minimum(lrs, losses)
    assert rules.steep(lrs, losses)[0] == fastai_steep(lrs, losses)


def test_the_rules_take_fastais_arguments_lists_and_num_it():
    # fastai calls func(lrs, losses, num_it): a third positional argument must not become
    # slide's window (lr_diff), and plain lists must do.
    losses = [5.0, 4.0, 3.5, 3.0, 2.0, 1.0, 0.8, 0.7, 0.75, 0.9, 1.5, 3.0, 4.0, 6.0, 9.0, 12.0]
    losses += [15.0, 20.0]
    lrs = np.geomspace(1e-4, 1.0, len(losses)).tolist()
    for name, reference in [
        ("valley", fastai_valley),
        ("slide", fastai_slide),
        ("minimum", fastai_minimum),
        ("steep", fastai_steep),
    ]:
        found = rules.RULES[name](lrs, losses, 100)[0]
        assert found == reference(np.array(lrs), np.array(losses)), name


def test_a_first_step_that_overflows_stops_the_test_there():
    # Every loss after it would be inf or NaN: the overflowing step is the one that stops it.
    test = gd.lr_range_test(DATA, 1e200, 1e300, 10)
    assert test.stopped_at == 0
    assert len(test.lrs) == len(test.losses) == 1 and test.losses[0] == np.inf


def test_nothing_stops_a_test_whose_rates_are_all_stable():
    limit = 2.0 / np.linalg.eigvalsh(reference_hessian(DATA.x)).max()
    test = gd.lr_range_test(DATA, limit * 1e-4, limit * 0.99, 60)
    assert test.stopped_at is None and len(test.lrs) == 60
    assert test.lrs[0] == limit * 1e-4 and test.lrs[-1] == pytest.approx(limit * 0.99, rel=1e-15)
    assert np.all(np.diff(test.lrs) > 0)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"lr_min": "0.1"}, "lr_min must be a number"),
        ({"lr_max": None}, "lr_max must be a number"),
        ({"lr_min": 1.0, "lr_max": 1.0}, "lr_min < lr_max"),
        ({"steps": -5}, "steps must be"),
        ({"steps": 2.5}, "steps must be"),
        ({"seed": None}, "seed must be"),
        ({"seed": -1}, "seed must be"),
        ({"batch_size": 0}, "batch_size must be"),
        ({"init": (np.nan, 0.0)}, "init must be two finite numbers"),
        ({"init": (1.0, 2.0, 3.0)}, "init must be two finite numbers"),
        ({"init": ("a", "b")}, "init must be two finite numbers"),
        ({"init": 1.0}, "init must be two finite numbers"),
    ],
)
def test_bad_arguments_say_which_and_why(arguments, message):
    call = {"lr_min": 1e-4, "lr_max": 1.0, "steps": 20} | arguments
    with pytest.raises(ValueError, match=message):
        gd.lr_range_test(DATA, **call)


def test_mini_batches_are_the_seeds_and_full_batch_ignores_the_seed():
    one = gd.lr_range_test(DATA, 1e-4, 1.0, 50, batch_size=8, seed=3)
    again = gd.lr_range_test(DATA, 1e-4, 1.0, 50, batch_size=np.int64(8), seed=3)
    other = gd.lr_range_test(DATA, 1e-4, 1.0, 50, batch_size=8, seed=4)
    np.testing.assert_array_equal(one.losses, again.losses)
    assert not np.array_equal(one.losses[:10], other.losses[:10])
    full = [gd.lr_range_test(DATA, 1e-4, 1.0, 50, seed=s).losses for s in (0, 9)]
    np.testing.assert_array_equal(*full)
    assert gd.lr_range_test(DATA, 1e-4, 1.0, 50, batch_size=DATA.n).batch_size is None


def reference_hessian(x):
    return 2.0 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.999, 1.001, 3.0])
def test_a_grade_is_measured_against_the_hessians_own_eigenvalues(fraction):
    low, high = np.linalg.eigvalsh(reference_hessian(DATA.x))
    rate = fraction * 2.0 / high
    graded = gd.grade(DATA, rate)
    assert graded.of_limit == pytest.approx(fraction, rel=1e-12)
    assert graded.of_best == pytest.approx(rate / (2.0 / (low + high)), rel=1e-12)
    radius = max(abs(1.0 - rate * low), abs(1.0 - rate * high))  # I − ηH shares H's vectors
    assert graded.radius == pytest.approx(radius, rel=1e-10)
    assert graded.converges == (fraction < 1.0)
