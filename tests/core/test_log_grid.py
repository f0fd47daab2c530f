"""tuning.log_grid, the tuning grid without np.geomspace's general handling: the same floats."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gd_core.tuning import log_grid


@settings(max_examples=200, deadline=None)
@given(st.floats(-8.0, 8.0), st.floats(0.0, 6.0), st.integers(1, 400))
def test_the_log_grid_is_numpys_geomspace_bit_for_bit(top, decades, count):
    high = 10.0**top
    low = high * 10.0**-decades
    np.testing.assert_array_equal(log_grid(low, high, count), np.geomspace(low, high, count))
