"""bench_class.py's soak: when the caches count as steady, which slope is judged, how it reads them.

The soak brings the caches to their steady state first (every entry ages out after
ui/compute/sizes.py's CLASS_SECONDS, so they level off in a known time) and judges the whole
server's memory over the `--soak` seconds after; these check that judgement on made-up
readings (no server): a flat server passes, a steady rise of more than 1 MB a minute misses
however the window is placed, and the figure judged before `--soak-fill` is still printed
beside it.
"""

from __future__ import annotations

import io
import math
import sys
import urllib.error
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


def test_the_caches_are_steady_only_after_their_age_limit_and_a_level_minute():
    after = bench_class.STEADY_AFTER
    assert after > bench_class.sizes.CLASS_SECONDS  # every entry of the first minutes aged out
    filling = [(t, _fill(t)) for t in range(0, 400, 5)]
    # Level since 360 s, but the entries of the first minutes have not aged out yet.
    held = filling + [(t, 256.0 - (t % 20) / 4) for t in range(400, int(after) + 60, 5)]
    assert not bench_class.caches_steady(held[: len(held) - 14], after)
    assert bench_class.caches_steady(held, after)  # a level minute, with evictions' jitter
    rising = [(t, 0.2 * t) for t in range(0, int(after) + 60, 5)]  # 12 MB a minute
    assert not bench_class.caches_steady(rising, after)
    falling = held + [(t, 230.0) for t in range(int(after) + 60, int(after) + 120, 5)]
    assert not bench_class.caches_steady(falling, after)  # 10 % under the minute before
    assert not bench_class.caches_steady([(0, 0.0), (after + 60, 0.0)], after)  # nothing cached
    assert not bench_class.caches_steady([(0, 5.0)], after)  # one reading spans nothing


def test_a_flat_server_after_the_fill_passes_and_the_old_figure_is_printed(results, capsys):
    bench_class.judge_soak(_soak(0.0, judged_from=420.0))
    out = capsys.readouterr().out
    what, measured, target, _ = results[-1]
    assert what.startswith("soak: server memory 9 minutes after the caches' steady state (7.0+")
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


def _server(answers: list[int], monkeypatch) -> list[str]:
    """A fake /_stcore/metrics answering with `answers`' statuses in turn; returns the log."""
    asked = []

    def urlopen(url, timeout):
        asked.append(url)
        status = answers[len(asked) - 1]
        if status != 200:
            raise urllib.error.HTTPError(url, status, "error", {}, None)
        return io.BytesIO(b'cache_memory_bytes{cache_type="st_cache_data",cache="ui.x"} 1048576\n')

    monkeypatch.setattr(bench_class.urllib.request, "urlopen", urlopen)
    monkeypatch.setattr(bench_class.time, "sleep", lambda seconds: None)
    return asked


def test_a_metrics_reading_that_fails_inside_streamlit_is_taken_again(monkeypatch):
    asked = _server([500, 500, 200], monkeypatch)
    assert bench_class.cached_mb([8700]) == 1.0 and len(asked) == 3


def test_a_metrics_address_that_keeps_failing_or_is_wrong_still_stops_the_soak(monkeypatch):
    asked = _server([500] * 5, monkeypatch)
    with pytest.raises(urllib.error.HTTPError):
        bench_class.metrics(8700)
    assert len(asked) == 5
    asked = _server([404], monkeypatch)  # not the server's own failure: no second try
    with pytest.raises(urllib.error.HTTPError):
        bench_class.metrics(8700)
    assert len(asked) == 1


def _aging(t: float) -> float:
    """Cached MB of a class whose entries age out after ten minutes: 228 MB at ten minutes,
    then the first minutes' entries go and they hold 193 MB from eleven minutes on."""
    return min(228.0, 228.0 * t / 600.0) if t < 600 else max(193.0, 228.0 - 35.0 * (t - 600) / 60)


@pytest.mark.parametrize("rise, passes", [(0.0, True), (1.5, False)])
def test_caches_that_give_back_their_peak_are_judged_on_the_server_after_it(
    results, capsys, rise, passes
):
    level = bench_class.Level(40, judged_from=780.0, filled=True, wall=1380.0)
    for t in range(0, 1380, 5):
        level.cached.append((t, _aging(t)))
        level.memory.append((t, 260.0 + _aging(t) + rise * max(0.0, t - 780.0) / 60))
    steady = bench_class.STEADY_AFTER
    assert not bench_class.caches_steady(level.cached[: 720 // 5], steady)  # still falling
    assert bench_class.caches_steady(level.cached[: 780 // 5 + 1], steady)
    bench_class.judge_soak(level)
    out = capsys.readouterr().out
    assert "the caches peaked at 228 MB at 10.0 min and held 193 MB at the end" in out
    assert "the measure before --soak-fill: none" in out
    what, measured, _, _ = results[-1]
    assert what.startswith("soak: server memory 10 minutes after the caches' steady state (13.0+")
    assert measured == pytest.approx(rise, abs=1e-9) and (measured <= 1.0) == passes
    report = bench_class.fill_report(level)
    assert "reached their steady state at 13.0 min" in report and "193.0 MB over the last" in report
