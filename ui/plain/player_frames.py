"""Which epochs the player stops at: every epoch early, then log-spaced to the last.

A run of a million epochs played one epoch a frame would take days; played at even strides it
would skip the early epochs where everything happens. So frame i is epoch i up to `linear`,
then round(linear·ratio^(i − linear)), up to the last epoch. The ratio is at least
1 + 1/linear, which keeps consecutive frames at least one epoch apart.

The browser steps through the frames with the same formula (ui/charts/player.py writes it as a
Vega expression from these numbers), so the frames need not be sent: only the rows drawn at
them, which ui/compute/runs.py keeps.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

LINEAR = 300  # epochs shown one by one
GEOMETRIC = 300  # frames for the rest of a long run


@dataclass(frozen=True)
class Frames:
    """Frame i → epoch, for a run whose last epoch is `last`; frames 0 … `count`."""

    last: int
    linear: int
    ratio: float
    count: int

    def epoch(self, index: int) -> int:
        """The epoch frame `index` shows (the browser's formula, in Python)."""
        if index <= self.linear:
            return index
        # floor(x + 0.5), not round(): JavaScript's Math.round rounds halves up.
        return min(self.last, math.floor(self.linear * self.ratio ** (index - self.linear) + 0.5))

    def epochs(self) -> np.ndarray:
        """Every frame's epoch, increasing, from 0 to `last` (read-only: shared, see below)."""
        return _epochs(self)


# Every run of the same length has the same frames, and Compare's ten strategies (most of the
# same length) asked for them one Python call per frame each: computed once per length instead.
@functools.lru_cache(maxsize=256)
def _epochs(frames: Frames) -> np.ndarray:
    epochs = np.array([frames.epoch(index) for index in range(frames.count + 1)], dtype=np.int64)
    epochs.setflags(write=False)
    return epochs


def frames_for(last: int) -> Frames:
    """The frames of a run whose last epoch is `last` (its epochs, or where it diverged)."""
    if last <= LINEAR + GEOMETRIC:
        return Frames(last, last, 1.0, last)
    ratio = max((last / LINEAR) ** (1.0 / GEOMETRIC), 1.0 + 1.0 / LINEAR)
    frames = Frames(last, LINEAR, ratio, LINEAR)
    count = LINEAR + math.ceil(math.log(last / LINEAR) / math.log(ratio))
    while frames.epoch(count - 1) >= last:  # the first frame to reach the last epoch
        count -= 1
    while frames.epoch(count) < last:
        count += 1
    return Frames(last, LINEAR, ratio, count)
