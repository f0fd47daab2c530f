"""tuning.log_grid, the tuning grid without np.geomspace's general handling: the same floats."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gd_core.tuning import _with as with_rate
from gd_core.tuning import log_grid


@settings(max_examples=200, deadline=None)
@given(st.floats(-8.0, 8.0), st.floats(0.0, 6.0), st.integers(1, 400))
def test_the_log_grid_is_numpys_geomspace_bit_for_bit(top, decades, count):
    high = 10.0**top
    low = high * 10.0**-decades
    np.testing.assert_array_equal(log_grid(low, high, count), np.geomspace(low, high, count))


@settings(max_examples=300, deadline=None)
@given(
    st.floats(-8.0, 8.0),
    st.floats(0.0, 6.0),
    st.integers(1, 400),
    st.one_of(
        st.floats(-0.5, 1.5),  # a share of the span in decades, beyond either end too
        st.integers(0, 399),  # a grid point itself, or a float either side of it
    ),
    st.sampled_from([-np.inf, 0.0, np.inf]),
)
def test_a_rate_sorted_into_the_log_grid_in_one_pass_is_the_grids_set_union(
    top, decades, count, where, nudge
):
    # tune() builds the grid with theory's fastest rate in its slot (found from the rate's
    # log); it must be the grid of every point and the rate, once each, in order.
    high = 10.0**top
    low = high * 10.0**-decades
    grid = np.geomspace(low, high, count)
    if isinstance(where, int):
        rate = float(np.nextafter(grid[min(where, count - 1)], nudge))
    else:
        rate = float(low * 10.0 ** (where * decades)) if decades else low
    found = log_grid(low, high, count, rate)
    np.testing.assert_array_equal(found, with_rate(grid, rate))
    if np.all(grid[1:] > grid[:-1]):  # (a span of 0 decades repeats its one point)
        union = np.unique(np.append(grid, rate)) if grid[0] <= rate <= grid[-1] else grid
        np.testing.assert_array_equal(found, union)
