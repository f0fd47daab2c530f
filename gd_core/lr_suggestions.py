"""fastai's four rules for reading a learning-rate range test, and how good each one is here.

The rules are those of fastai/callback/schedule.py (`valley`, `slide`, `minimum`, `steep`),
each returning (suggested rate, (rate, loss) of the point fastai marks on the curve):

- valley: the longest stretch over which the loss keeps falling (a longest decreasing
  subsequence, found as fastai finds it); the point about half-way (⌊d/3⌋ + ⌊d/6⌋ of its
  d steps, fastai's int(d/3) + int(d/3/2)) into it.
- slide: from the right end, a window of `lr_diff` steps slides left until the loss's gradient
  (np.gradient, per step) at its two ends differs by at most `thresh`; the rate at the window's
  left end, times `adjust_value`. Its threshold is in loss units, so it depends on the data's
  scale.
- minimum: a tenth of the rate with the lowest loss.
- steep: the rate where the loss falls fastest per unit of log-rate (its first difference).

Each takes fastai's arguments (lrs, losses, num_it; num_it is unused there as here), as lists
or arrays. `suggest(test)` applies them as fastai's `lr_find` does: to the recorded curve
without its first steps//10 and last 5 points, cut at the first NaN. `grade` compares a rate
with the exact answers for plain gradient descent on the same data: the largest stable single
rate 2/λ_max and the fastest one 2/(λ_min + λ_max).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from gd_core.analysis import analyze
from gd_core.data import Dataset
from gd_core.lr_finder import RangeTest
from gd_core.theory import spectral_radius

Point = tuple[float, float]
Rule = Callable[[np.ndarray, np.ndarray], tuple[float, Point]]
SKIP_END = 5  # fastai's lr_find drops the last 5 points before suggesting


def _curve(lrs: Sequence[float], losses: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(lrs, dtype=np.float64), np.asarray(losses, dtype=np.float64)


def valley(
    lrs: Sequence[float], losses: Sequence[float], num_it: int | None = None
) -> tuple[float, Point]:
    """fastai's `valley`: the rate about half-way into the longest falling stretch.

    lds[i] is the length of the longest strictly decreasing run of losses ending at i; the
    stretch is recorded when some lds[i] first exceeds the longest so far, with its start
    taken at that moment, exactly as fastai's double loop does.
    """
    lrs, losses = _curve(lrs, losses)
    n = len(losses)
    lds = np.ones(n, dtype=np.int64)
    max_start = max_end = 0
    for i in range(1, n):
        # fastai raises lds[i] to lds[j] + 1 for each earlier, higher loss j in turn, and
        # checks after each j whether lds[i] now beats the longest: a running maximum.
        higher = losses[:i] > losses[i]
        running = np.maximum.accumulate(np.where(higher, lds[:i] + 1, 1))
        beats = np.flatnonzero(running > lds[max_end])
        if beats.size:
            max_end = i
            max_start = i - int(running[beats[0]])
        lds[i] = running[-1]
    sections = (max_end - max_start) / 3
    index = max_start + int(sections) + int(sections / 2)
    return float(lrs[index]), (float(lrs[index]), float(losses[index]))


def slide(
    lrs: Sequence[float],
    losses: Sequence[float],
    num_it: int | None = None,
    lr_diff: int = 15,
    thresh: float = 0.005,
    adjust_value: float = 1.0,
) -> tuple[float, Point]:
    """fastai's `slide`: slide a window of `lr_diff` steps left from the end while the loss's
    gradient differs by more than `thresh` between its ends; the rate at its left end."""
    lrs, losses = _curve(lrs, losses)
    gradient = np.gradient(losses)
    right = -1
    left = right - lr_diff
    local_min_lr = lrs[left]
    while left >= -len(losses) and abs(gradient[right] - gradient[left]) > thresh:
        local_min_lr = lrs[left]
        right -= 1
        left -= 1
    suggestion = float(local_min_lr) * adjust_value
    loss = float(np.interp(np.log10(suggestion), np.log10(lrs), losses))
    return suggestion, (suggestion, loss)


def minimum(
    lrs: Sequence[float], losses: Sequence[float], num_it: int | None = None
) -> tuple[float, Point]:
    """fastai's `minimum`: a tenth of the rate with the lowest loss (marked at that rate)."""
    lrs, losses = _curve(lrs, losses)
    index = int(np.argmin(losses))
    return float(lrs[index]) / 10, (float(lrs[index]), float(losses[index]))


def steep(
    lrs: Sequence[float], losses: Sequence[float], num_it: int | None = None
) -> tuple[float, Point]:
    """fastai's `steep`: the rate at the start of the steepest fall per unit of log-rate."""
    lrs, losses = _curve(lrs, losses)
    slopes = np.diff(losses) / np.diff(np.log(lrs))
    index = int(np.argmin(slopes))
    return float(lrs[index]), (float(lrs[index]), float(losses[index]))


RULES: dict[str, Rule] = {"valley": valley, "slide": slide, "minimum": minimum, "steep": steep}
# The fewest points each rule can read: slide's window must fit; steep needs one difference.
MIN_POINTS = {"valley": 1, "slide": 16, "minimum": 1, "steep": 2}


@dataclass(frozen=True)
class Suggestion:
    """One rule's reading of a range test: the rate it suggests and the point it marks."""

    rule: str
    lr: float
    point: Point


def read_span(test: RangeTest) -> tuple[int, int]:
    """[start, stop): the steps of the recorded curve fastai's lr_find hands to the rules,
    without the first steps//10 and the last 5, cut at the first NaN (start == stop: none)."""
    start = test.steps // 10
    stop = max(start, len(test.losses) - SKIP_END)
    bad = np.flatnonzero(np.isnan(test.losses[start:stop]))
    if bad.size:
        stop = start + int(bad[0])
    return start, stop


def suggestion_curve(test: RangeTest) -> tuple[np.ndarray, np.ndarray]:
    """The part of the curve fastai's lr_find hands to the rules (`read_span`)."""
    start, stop = read_span(test)
    return test.lrs[start:stop], test.losses[start:stop]


def lowest(test: RangeTest) -> tuple[int, float, float]:
    """(step, rate, loss) of the lowest loss the test recorded, over all its steps (the
    rules read fewer: a lowest point among the last 5 is one `minimum` never sees)."""
    with np.errstate(invalid="ignore"):
        step = int(np.nanargmin(np.where(np.isnan(test.losses), np.inf, test.losses)))
    return step, float(test.lrs[step]), float(test.losses[step])


def loss_at(test: RangeTest, lr: float) -> float:
    """The recorded curve's loss at rate `lr`, interpolated in log-rate between its steps
    (held at its ends): where a suggestion sits on the curve as drawn."""
    finite = np.isfinite(test.losses)
    if not finite.any():
        return float("nan")
    return float(np.interp(np.log(lr), np.log(test.lrs[finite]), test.losses[finite]))


def suggest(test: RangeTest) -> dict[str, Suggestion | None]:
    """Each rule's suggestion (None where the curve is too short for it, e.g. a test that
    stopped after a few steps)."""
    lrs, losses = suggestion_curve(test)
    out: dict[str, Suggestion | None] = {}
    for name, rule in RULES.items():
        if len(losses) < MIN_POINTS[name]:
            out[name] = None
            continue
        with np.errstate(all="ignore"):
            lr, point = rule(lrs, losses)
        out[name] = Suggestion(name, lr, point)
    return out


@dataclass(frozen=True)
class Grade:
    """A suggested rate against the exact answers of plain GD on the same data.

    `of_limit` = lr/(2/λ_max): below 1 it converges, above 1 it diverges; `of_best` =
    lr/(2/(λ_min + λ_max)): 1 is the fastest a single rate can be. `radius` is the spectral
    radius of plain GD at that rate: the factor by which the error shrinks (or grows) an epoch.
    """

    lr: float
    of_limit: float
    of_best: float
    radius: float
    converges: bool


def grade(data: Dataset, lr: float) -> Grade:
    """How a single rate `lr` compares with 2/λ_max and 2/(λ_min + λ_max) on `data`."""
    # The limits and the radius only: analyze() with a rate would also predict when each
    # parameter settles, a crossing search that was most of the LR finder's first visit.
    if not 0.0 <= lr < np.inf:
        raise ValueError(f"A learning rate must be a finite number ≥ 0; got {lr!r}.")
    exact = analyze(data)
    radius = float(spectral_radius(data, lr, lr))
    return Grade(
        lr=float(lr),
        of_limit=float(lr / exact.max_stable_lr),
        of_best=float(lr / exact.best_lr),
        radius=radius,
        converges=radius < 1.0,
    )
