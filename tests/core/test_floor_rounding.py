"""The least-squares floor L* reads 0 when the points lie on one line (what is left is rounding),
and keeps its value, against np.linalg.lstsq, when they do not, however small."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gd_core.data import Dataset


def lstsq_floor(x: np.ndarray, y: np.ndarray) -> float:
    """mean of the squared residuals of NumPy's least-squares line, written independently."""
    design = np.column_stack([x, np.ones_like(x)])
    coef = np.linalg.lstsq(design, y, rcond=None)[0]
    residual = y - design @ coef
    return float(np.mean(residual * residual))


def test_exact_lines_read_zero():
    x = np.linspace(0.0, 10.0, 100)
    assert Dataset(x, 2.0 * x + 1.0).loss_ols == 0.0  # the app's data at noise σ = 0
    assert Dataset(np.linspace(0, 49, 50), np.full(50, 7.0)).loss_ols == 0.0  # a constant y
    assert Dataset(np.array([0.0, 1.0]), np.array([3.0, 8.0])).loss_ols == 0.0  # two points


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(2, 300),
    offset=st.floats(-6, 6),
    width=st.floats(-3, 3),
    slope=st.floats(-4, 4),
    intercept=st.floats(-4, 6),
    decimals=st.one_of(st.none(), st.integers(0, 3)),
    seed=st.integers(0, 2**16),
)
def test_points_on_a_line_read_zero(n, offset, width, slope, intercept, decimals, seed):
    rng = np.random.default_rng(seed)
    x = 10**offset + 10**width * rng.uniform(size=n)
    if decimals is not None:
        x = np.round(x, decimals)
    if np.ptp(x) == 0.0:
        return
    y = 10**slope * x - 10**intercept
    assert Dataset(x, y).loss_ols == 0.0


@settings(max_examples=100, deadline=None)
@given(
    offset=st.floats(-2, 4),
    slope=st.floats(-2, 2),
    noise=st.floats(-9, 0),
    seed=st.integers(0, 2**16),
)
def test_a_real_floor_keeps_its_value(offset, slope, noise, seed):
    """Noise 1e-9 of values up to 1e4 still leaves a floor, and it matches lstsq's."""
    rng = np.random.default_rng(seed)
    x = 10**offset + np.linspace(0.0, 50.0, 50)
    y = 10**slope * x + 10**noise * rng.standard_normal(50)
    floor = Dataset(x, y).loss_ols
    assert floor > 0.0
    # Either way each residual is known to a few units in the last place of y, not better: at
    # y ~ 1e5 with noise 1e-8 that is ~1e-3 of a residual, so L* = mean(r²) is compared to
    # within 2·|r|·δ + δ² for δ = 8 ulp(max |y|), as well as to 1e-4 of its value.
    reference = lstsq_floor(x, y)
    residual_error = 8 * np.spacing(np.max(np.abs(y)))
    rounding = 2 * np.sqrt(reference) * residual_error + residual_error**2
    np.testing.assert_allclose(floor, reference, rtol=1e-4, atol=rounding)
