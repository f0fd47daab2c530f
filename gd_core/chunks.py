"""How many runs stepped together ended, judged a chunk of epochs at a time.

The steppers (stepping.py, linear_sweep.orbits) hand over each chunk of deviations from the
optimum, (epochs, 2, runs); this keeps what train()'s verdict needs of them: whether a run's
loss ever passed its divergence limit, the last epoch each parameter was outside its
threshold, the last excess loss and, when asked, the excess losses the trend rule reads.

train() measures a parameter's distance from the parameters it reports, |θ − θ*| with
θ = θ* + δ rounded (run.finish_run), not |δ| itself: the two differ by up to half an ulp of
θ*, which decides the settled epoch where a threshold is a few ulps of θ* (a start next to
the optimum). Given the `optimum`, the distances are read as train() reads them; rounding is
monotone, so a chunk's largest distance is still that of its largest and smallest δ.
"""

from __future__ import annotations

from typing import Any

import numpy as np

# Epochs whose extremes are kept together: the search for the last epoch a run was outside
# reads one block of its epochs.
BLOCK = 16
_BACKWARDS = np.arange(BLOCK - 1, -1, -1)


class ChunkVerdict:
    """The running verdict of `runs` runs; `thresholds` and `excess_limit` per run or shared.

    `optimum` is (k*, b*), shared or per run, for the distances as train() reads them (the
    module's docstring); without it, |δ|. `record` is (first epoch, last epoch, floor): keep
    every run's excess loss over those epochs as train() computes it from its losses,
    (loss_ols + E) − loss_ols, in `recorded` (epochs, runs), for the trend rule.
    """

    def __init__(
        self,
        data: Any,
        delta: np.ndarray,
        thresholds: Any,
        excess_limit: Any,
        start: Any,
        optimum: tuple[Any, Any] | None = None,
        record: tuple[int, int, Any] | None = None,
        stays: bool = False,
    ) -> None:
        runs = delta.shape[1]
        self.data = data
        # Both one per parameter and run, contiguous: NumPy's calls on them cost a third of
        # those on broadcast views (most of what add() does per chunk is such calls).
        self.limits = _per_run(thresholds, runs)
        self.excess_limit = excess_limit
        self.optimum = None if optimum is None else _per_run(optimum, runs)
        # ... and twice over, for add()'s (extremes, last deviations) read in one pass
        self.limits_twice = np.array([self.limits, self.limits])
        self.optimum_twice = None if optimum is None else np.array([self.optimum, self.optimum])
        self.last_outside = np.where(np.abs(delta) > self.limits, 0.0, -1.0)
        # With `stays`, what progress.late_settlers reads of each parameter, kept epoch by
        # epoch for the runs not inside all chunk long: the epoch its current stay in the band
        # began (−1 while outside) and its longest stay that ended by leaving (0: none yet).
        self.stay_from = np.where(self.last_outside < 0, 0.0, -1.0) if stays else None
        self.longest = np.zeros((2, runs)) if stays else None
        self.alive = np.ones(runs, dtype=bool)  # not yet diverged
        self.excess = np.broadcast_to(start, (runs,))
        self.final: np.ndarray | None = None  # the last deviations added
        # Each chunk's (extremes, last deviations): the largest, the smallest (add() says why)
        self.tops, self.bottoms = np.empty((2, 2, runs)), np.empty((2, 2, runs))
        # The side of the box of (|δk|, |δb|) where every excess loss is within the limit by
        # the bound add() reads (0 where rounding puts the bound's value past the limit).
        with np.errstate(all="ignore"):
            x_var, x_mean = data.x_var, np.abs(data.x_mean)
            side = np.sqrt(excess_limit / (x_var + (x_mean + 1.0) ** 2)) * (1.0 - 1e-9)
            fits = x_var * side * side + (x_mean * side + side) ** 2 <= excess_limit
            self.side = np.where(fits, side, 0.0)
        self.epoch = 0
        self.record = record
        self.recorded = None if record is None else np.empty((record[1] - record[0] + 1, runs))

    def add(self, begin: int, done: np.ndarray) -> None:
        """Epochs begin + 1 … begin + len(done), as (epochs, 2, runs) deviations."""
        with np.errstate(all="ignore"):
            # The largest and smallest δ of every BLOCK epochs: two passes over the chunk (no
            # array of |δ| written and read again). They give the chunk's own extremes, and
            # the block in which a run was last outside, so that the search for that epoch
            # reads one block, not the whole chunk (most runs settle in the first chunk:
            # searching all of it was half this method's time on a 400-run map).
            highs, lows = _block_extremes(done)
            # Row 0 the chunk's extremes, row 1 its last deviations, so that one pass of
            # calls reads the distances of both (a chunk's calls on arrays of a few hundred
            # floats, not its passes over the epochs, were most of its cost).
            tops, bottoms = self.tops, self.bottoms
            np.maximum.reduce(highs, 0, out=tops[0])  # NaN if NaN
            np.minimum.reduce(lows, 0, out=bottoms[0])
            np.copyto(tops[1], done[-1])
            np.copyto(bottoms[1], tops[1])
            high, low = tops[0], bottoms[0]
            # Every epoch's excess loss is at most x_var·K² + (|x_mean|·K + B)² with K, B the
            # chunk's largest |δk|, |δb| (rounding is monotone, so this holds in floats too):
            # within the box where that bound is below the limit no run can have diverged;
            # outside it, only runs whose own bound passes the limit need their losses epoch
            # by epoch (the few far away, not every run: passes over the whole chunk were
            # most of a stepped map's time).
            side = self.side
            if side.ndim == 0:  # one box for every run: two reductions, not four calls
                boxed = high.max() <= side and low.min() >= -side
            else:
                boxed = ((high <= side) & (low >= -side)).all()
            if not boxed:
                self._diverged(done, np.maximum(high, -low))
            self.final = tops[1]  # its excess loss, for result()
            if self.recorded is not None:
                self._record(begin, done)
            # The last epoch each parameter is outside (NaN counts as outside): the chunk's last
            # where it ends outside; searched where it went inside during the chunk.
            inside = self._distances(tops, bottoms, self.optimum_twice) <= self.limits_twice
            np.putmask(self.last_outside, ~inside[1], begin + len(done))
            searched = inside[1] > inside[0]
            if searched.any():
                self._search(begin, done, highs, lows, np.flatnonzero(searched))
            if self.stay_from is not None:
                self._stays(begin, done, inside[0], highs, lows)
        self.epoch = begin + len(done)

    def _stays(
        self,
        begin: int,
        done: np.ndarray,
        throughout: np.ndarray,
        highs: np.ndarray,
        lows: np.ndarray,
    ) -> None:
        """Carry every parameter's stays in its band over epochs begin + 1 … begin + len(done):
        one inside all chunk long goes on with (or starts) its stay; one outside all chunk
        long ends the stay it was in; the others are read epoch by epoch, each stay that
        ends by leaving kept if it is the longest so far. `highs`, `lows` are the chunk's
        block extremes: a block whose δ all lie on one side beyond the band is all outside."""
        stay_from, longest = self.stay_from.reshape(-1), self.longest.reshape(-1)
        whole = throughout.reshape(-1)
        stay_from[whole & (stay_from < 0)] = begin + 1.0
        low, high = lows, highs
        if self.optimum is not None:  # as train() reads them (rounding is monotone)
            low, high = (self.optimum + lows) - self.optimum, (self.optimum + highs) - self.optimum
        with np.errstate(invalid="ignore"):
            # NaN is outside, so a block of NaN compares as not maybe-inside too.
            maybe = ~((low > self.limits) | (-high > self.limits)) & ~np.isnan(high + low)
        maybe = maybe.any(axis=0).reshape(-1)
        away = ~whole & ~maybe & (stay_from >= 0)  # left at the chunk's first epoch
        np.maximum.at(longest, np.flatnonzero(away), begin - stay_from[away] + 1.0)
        stay_from[away] = -1.0
        columns = np.flatnonzero(~whole & maybe)
        if not columns.size:
            return
        count = len(done)
        series = done.reshape(count, -1)[:, columns]
        if self.optimum is not None:  # as train() reads them (the module's docstring)
            at = self.optimum.reshape(-1)[columns]
            series = (series + at) - at
        # Rows: nothing, the epoch before the chunk, its epochs, nothing. Each stay is then a
        # start (+1) and an end (−1) of the diff, in order along each column.
        rows = np.zeros((len(columns), count + 3), dtype=np.int8)
        rows[:, 1] = stay_from[columns] >= 0
        rows[:, 2:-1] = (np.abs(series) <= self.limits.reshape(-1)[columns]).T
        change = np.diff(rows, axis=1)
        owner, opened = np.nonzero(change == 1)  # row-major: in order along each column
        _, closed = np.nonzero(change == -1)
        # A start at 0 is the stay carried in (from stay_from); a start at i ≥ 1 is epoch
        # begin + i; an end at i was last inside at epoch begin + i − 1, and one at
        # count + 1 (the row after the chunk's last epoch) is still inside when it ends.
        first = np.where(opened == 0, stay_from[columns][owner], begin + opened)
        ended = closed < count + 1
        lengths = (begin + closed - 1) - first + 1
        np.maximum.at(longest, columns[owner[ended]], lengths[ended])
        stay_from[columns] = -1.0
        stay_from[columns[owner[~ended]]] = first[~ended]

    def late(self, share: float) -> np.ndarray:
        """(2, runs): each parameter that settled but has not shown that it stays, by
        progress.late_settlers's rule: it had an earlier stay in its band, and its final stay
        is no longer than its longest earlier one, or than `share` of the run."""
        final = np.where(self.last_outside < self.epoch, self.epoch - self.last_outside, 0.0)
        longest = self.longest
        return (final > 0) & (longest > 0) & ((final <= share * self.epoch) | (final <= longest))

    def _search(
        self, begin: int, done: np.ndarray, highs: np.ndarray, lows: np.ndarray, columns: Any
    ) -> None:
        """The last epoch of the chunk that each of `columns` was outside, for those outside
        during the chunk and inside at its end; `highs`, `lows` the chunk's block extremes,
        (blocks, 2, runs). A column is parameter a of run r flattened, a·runs + r: one index
        array, not two, for every gather (NumPy's indexing by two costs twice as much)."""
        limits = self.limits.reshape(-1)[columns]
        optimum = None if self.optimum is None else self.optimum.reshape(-1)[columns]
        count = len(highs)
        high, low = highs.reshape(count, -1)[:, columns], lows.reshape(count, -1)[:, columns]
        outside = ~(self._distances(high, low, optimum) <= limits)
        blocks = (count - 1) - np.argmax(outside[::-1], axis=0)
        # That block's epochs of each, last first: the first outside is then the last
        # epoch (a shorter last block repeats the chunk's last epoch, inside, in the gap).
        last = len(done) - 1
        epochs = np.minimum(blocks[:, np.newaxis] * BLOCK + _BACKWARDS, last)
        series = done.reshape(len(done), -1)[epochs, columns[:, np.newaxis]]  # (searched, BLOCK)
        if optimum is not None:  # as train() reads them: θ* + δ rounded, less θ*
            at = optimum[:, np.newaxis]
            series += at
            series -= at
        inside = np.abs(series, out=series) <= limits[:, np.newaxis]
        # Entry j of a row is epoch block·BLOCK + BLOCK − 1 − j (or the chunk's last): the
        # first outside is worked out so, not read back from `epochs` by a second fancy index.
        found = np.minimum(blocks * BLOCK + (BLOCK - 1) - np.argmin(inside, axis=1), last)
        self.last_outside.reshape(-1)[columns] = found + (begin + 1.0)

    def _diverged(self, done: np.ndarray, largest: np.ndarray) -> None:
        """Mark the runs whose excess loss passed the limit in `done`, whose largest |δ| over
        the chunk are `largest` (2, runs)."""
        far_k, far_b = largest
        bound = self.data.x_var * far_k * far_k + (np.abs(self.data.x_mean) * far_k + far_b) ** 2
        doubtful = np.flatnonzero(~(bound <= self.excess_limit) & self.alive)
        if doubtful.size:
            self.alive[doubtful] &= self._within_limit(done[:, :, doubtful], doubtful).all(axis=0)

    @staticmethod
    def _distances(high: np.ndarray, low: np.ndarray, optimum: np.ndarray | None) -> np.ndarray:
        """The largest distance from the optimum of deviations between `low` and `high` (of
        `optimum`'s shape, or ending in it), as train() reads it: θ* + δ rounded, less θ*
        (rounding is monotone, so it is that of `high` or of `low`); |δ| without it."""
        if optimum is None:
            return np.maximum(high, -low)
        return np.maximum((optimum + high) - optimum, optimum - (optimum + low))

    def _record(self, begin: int, done: np.ndarray) -> None:
        """Keep the excess losses of the chunk's epochs that fall in the recorded span."""
        first, last, floor = self.record  # type: ignore[misc]
        low, high = max(first, begin + 1), min(last, begin + len(done))
        if low > high:
            return
        losses = self._losses(done[low - begin - 1 : high - begin]) + floor
        self.recorded[low - first : high - first + 1] = losses - floor  # type: ignore[index]

    def _losses(self, done: np.ndarray, runs: Any = slice(None)) -> np.ndarray:
        """The excess loss of (epochs, 2, runs) deviations, as train()'s verdict computes it."""
        x_mean, x_var = _of(self.data.x_mean, runs), _of(self.data.x_var, runs)
        offset = x_mean * done[:, 0] + done[:, 1]
        return x_var * done[:, 0] * done[:, 0] + offset * offset

    def _within_limit(self, done: np.ndarray, runs: np.ndarray) -> np.ndarray:
        return self._losses(done, runs) <= _of(self.excess_limit, runs)

    def result(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(final excess loss, diverged, epoch both settled or NaN). Each parameter settled one
        epoch after the last epoch it was outside, if it is inside at the end."""
        settled = np.where(self.last_outside == self.epoch, np.nan, self.last_outside + 1.0)
        converged = np.maximum(settled[0], settled[1])  # NaN unless both settled
        if self.final is not None:
            with np.errstate(all="ignore"):
                self.excess = self._losses(self.final[np.newaxis])[0]
        return self.excess, ~self.alive, converged


def _per_run(value: Any, runs: int) -> np.ndarray:
    """A pair (shared, or one of each per run) as a contiguous (2, runs) array."""
    pair = np.empty((2, runs))
    pair[...] = np.asarray(value, dtype=float).reshape(2, -1)
    return pair


def _block_extremes(done: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The largest and smallest of every BLOCK epochs of (epochs, 2, runs) deviations (the last
    block may be shorter), each (blocks, 2, runs)."""
    epochs, whole = len(done), len(done) // BLOCK * BLOCK
    shape = (-(-epochs // BLOCK), *done.shape[1:])
    highs, lows = np.empty(shape), np.empty(shape)
    if whole:
        blocks = done[:whole].reshape(whole // BLOCK, BLOCK, *done.shape[1:])
        np.maximum.reduce(blocks, axis=1, out=highs[: whole // BLOCK])
        np.minimum.reduce(blocks, axis=1, out=lows[: whole // BLOCK])
    if whole < epochs:
        np.maximum.reduce(done[whole:], axis=0, out=highs[-1])
        np.minimum.reduce(done[whole:], axis=0, out=lows[-1])
    return highs, lows


def _of(value: Any, runs: Any) -> Any:
    """`value` for the chosen runs: one per run, or one shared by all."""
    value = np.asarray(value)
    return value[..., runs] if value.ndim else value
