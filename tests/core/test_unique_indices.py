"""unique_indices against np.unique: the same sorted distinct integers, dtype included."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import gd_core as gd


@settings(deadline=None)  # a loaded machine's first call is slow, not wrong
@given(hnp.arrays(np.int64, st.integers(0, 300), elements=st.integers(-50, 10**12)))
def test_unique_indices_are_np_uniques(values):
    found = gd.unique_indices(values)
    expected = np.unique(values)
    assert found.dtype == expected.dtype
    np.testing.assert_array_equal(found, expected)


def test_unique_indices_leave_their_input_alone():
    values = np.array([5, 1, 5, 3], dtype=np.int64)
    np.testing.assert_array_equal(gd.unique_indices(values), [1, 3, 5])
    np.testing.assert_array_equal(values, [5, 1, 5, 3])
