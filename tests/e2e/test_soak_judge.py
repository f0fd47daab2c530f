"""bench_class.py's soak: when the caches count as filled, and which slope is judged.

The soak fills the caches first and judges the whole server's memory over the `--soak`
seconds after; these check that judgement on made-up readings (no server): a flat server
passes, a steady rise of more than 1 MB a minute misses however the window is placed, and
the figure judged before `--soak-fill` is still printed beside it.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

# benchmarks/ is not a package: its scripts import their neighbours (measure, students).
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import bench_class
import measure


def _fill(t: float) -> float:
    """Cached MB of a class: 256 MB reached over about six minutes, then held."""
    return min(256.0, 256.0 * t / 360.0)


def _soak(rise_per_minute: float, judged_from: float, end: float = 960.0) -> bench_class.Level:
    """A soak read every 5 s: the caches fill, the server is 260 MB beyond them plus
    `rise_per_minute` from the start of the judged window."""
    level = bench_class.Level(40, judged_from=judged_from, filled=judged_from > 0, wall=end)
    for t in range(0, int(end), 5):
        held = _fill(t)
        level.cached.append((t, held))
        level.memory.append((t, 260.0 + held + rise_per_minute * max(0.0, t - judged_from) / 60))
    return level


@pytest.fixture
def results():
    measure.RESULTS.clear()
    yield measure.RESULTS
    measure.RESULTS.clear()


def test_the_caches_are_full_only_once_a_minute_of_readings_stays_within_one_percent():
    filling = [(t, _fill(t)) for t in range(0, 400, 5)]
    assert not bench_class.caches_full(filling[:20], 60)  # still rising 40 MB a minute
    assert not bench_class.caches_full(filling, 60)  # full at 360 s, only 35 s ago
    held = filling + [(t, 256.0 - (t % 10) / 10) for t in range(400, 430, 5)]  # evictions' jitter
    assert bench_class.caches_full(held, 60)
    dropped = [*held, (430, 250.0)]  # 2.3 % under their most: not settled
    assert not bench_class.caches_full(dropped, 60)
    assert not bench_class.caches_full([(0, 0.0), (100, 0.0)], 60)  # nothing cached
    assert not bench_class.caches_full([(0, 5.0)], 60)  # one reading spans no minute


def test_a_flat_server_after_the_fill_passes_and_the_old_figure_is_printed(results, capsys):
    bench_class.judge_soak(_soak(0.0, judged_from=420.0))
    out = capsys.readouterr().out
    what, measured, target, _ = results[-1]
    assert what.startswith("soak: server memory 9 minutes after the caches filled (7.0+ min")
    assert measured == pytest.approx(0.0, abs=1e-9) and target == 1.0
    assert "the measure before --soak-fill, from the caches' settling (6.0+ min)" in out
    assert "0.0 MB per minute" in out


@pytest.mark.parametrize("judged_from", [0.0, 420.0])
def test_a_steady_rise_is_judged_as_it_is_with_or_without_the_fill(results, judged_from):
    bench_class.judge_soak(_soak(1.5, judged_from=judged_from))
    what, measured, target, _ = results[-1]
    assert what.startswith("soak: server memory")
    # Without the fill the window starts when the caches settled (6 min): the rise is 1.5
    # there too, since it began at 0.
    assert measured == pytest.approx(1.5, rel=1e-6) and measured > target


def test_a_fill_that_ran_out_of_time_says_so(results):
    level = _soak(0.0, judged_from=300.0)
    level.filled = False
    bench_class.judge_soak(level)
    assert "after the fill's time ran out (5.0+ min" in results[-1][0]
    assert results[-1][1] > 1.0  # the caches' last minute of filling is in the window: judged


def test_a_window_too_short_to_fit_misses_rather_than_passes(results):
    level = _soak(0.0, judged_from=955.0)  # one reading after the fill
    bench_class.judge_soak(level)
    assert math.isnan(results[-1][1])  # not ≤ 1: reported as missed
