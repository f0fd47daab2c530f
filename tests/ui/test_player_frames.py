"""The player's frames: every epoch early, log-spaced later, always ending at the last epoch."""

import numpy as np
import pytest

from ui.plain.player_frames import GEOMETRIC, LINEAR, frames_for


@pytest.mark.parametrize("last", [0, 1, 10, 450, LINEAR + GEOMETRIC, 601, 1000, 54_321, 10**6])
def test_frames_climb_one_epoch_at_a_time_then_by_a_ratio_to_the_last(last):
    frames = frames_for(last)
    epochs = frames.epochs()
    assert epochs[0] == 0 and epochs[-1] == last
    assert np.all(np.diff(epochs) >= 1)  # strictly increasing: no frame shown twice
    assert frames.epoch(frames.count - 1) < last  # the last frame is the first at the end
    if last <= LINEAR + GEOMETRIC:
        np.testing.assert_array_equal(epochs, np.arange(last + 1))
    else:
        np.testing.assert_array_equal(epochs[: LINEAR + 1], np.arange(LINEAR + 1))
        assert frames.count <= LINEAR + GEOMETRIC + 1
        later = epochs[LINEAR + 1 : -1] / epochs[LINEAR:-2]
        assert np.all(later <= frames.ratio * (1 + 1 / LINEAR))  # log-spaced, give or take rounding
