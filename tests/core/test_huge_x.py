"""x as large as the data check accepts still gives the Hessian's exact eigenvalues.

The eigenvalues square half the gap of H's diagonal, ~mean(x²)², which overflows from |x| ≈ 1e77
(λ, 2/λ_max and the eigenvectors became inf/NaN, and `analyze` divided by a zero λ_min). The data
check bounds |x| by MAX_ABS_X instead; these check the maths up to that bound against values
worked out in 120-digit decimals from the data's exact rational sums, and past it the message.
"""

from decimal import Decimal, getcontext
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gd_core as gd
from gd_core.data import MAX_ABS_X


def exact_eigenvalues(x: np.ndarray) -> tuple[Decimal, Decimal]:
    """H = 2·[[mean(x²), x̄], [x̄, 1]] from the floats' exact values, its eigenvalues in decimals."""
    getcontext().prec = 120
    values = [Fraction(float(v)) for v in x]
    n = len(values)
    a, b, c = 2 * sum(v * v for v in values) / n, 2 * sum(values) / n, Fraction(2)
    tr, det = a + c, a * c - b * b
    as_dec = lambda f: Decimal(f.numerator) / Decimal(f.denominator)  # noqa: E731
    root = (as_dec(tr * tr - 4 * det)).sqrt()
    high = (as_dec(tr) + root) / 2
    return as_dec(det) / high, high  # λ_min = det/λ_max: no cancellation in the reference


def assert_eigen_exact(x: np.ndarray) -> None:
    data = gd.Dataset(x, 2.0 * (x / np.max(np.abs(x))) + 1.0)
    low, high = exact_eigenvalues(x)
    analysis = gd.analyze(data)
    for mine, exact in zip(analysis.eigenvalues, (low, high), strict=True):
        assert np.isfinite(mine) and mine > 0
        assert abs(Decimal(float(mine)) - exact) <= exact * Decimal("1e-12"), (mine, exact)
    assert np.isfinite(analysis.max_stable_lr) and np.all(np.isfinite(analysis.eigenvectors))
    vectors = analysis.eigenvectors
    np.testing.assert_allclose(vectors @ vectors.T, np.eye(2), atol=1e-15)


@settings(max_examples=60, deadline=None)
@given(
    scale=st.sampled_from([1.0, 1e10, 1e40, 1e70, MAX_ABS_X]),
    offset=st.floats(-1.0, 1.0),
    spread=st.floats(0.01, 1.0),
    n=st.integers(2, 40),
)
def test_eigenvalues_are_exact_up_to_the_largest_x_accepted(scale, offset, spread, n):
    x = np.linspace(offset - spread / 2, offset + spread / 2, n) * scale / 1.5
    assert np.max(np.abs(x)) <= MAX_ABS_X
    assert_eigen_exact(x)


def test_moderate_data_agrees_with_numpys_symmetric_solver():
    x = np.linspace(0.0, 10.0, 100)
    data = gd.Dataset(x, 2.0 * x + 1.0)
    np.testing.assert_allclose(
        gd.analyze(data).eigenvalues, np.linalg.eigvalsh(gd.hessian(data)), rtol=1e-13
    )
    assert_eigen_exact(x)


@pytest.mark.parametrize("too_big", [1.0000001e75, -3e76, 1e100])
def test_x_past_the_bound_is_refused_with_how_to_fix_it(too_big):
    with pytest.raises(
        gd.DataError, match=r"x\[1\] is .*curvature.*rescale the data so that \|x\| ≤ 1e\+75"
    ):
        gd.Dataset(np.array([1.0, too_big]), np.array([0.0, 1.0]))
    gd.Dataset(np.array([0.0, 1.0]), np.array([0.0, too_big]))  # y may be larger (to 1e100)
