"""The soak's memory probe (ui/compute/memory_probe.py) and bench_class's report of it: what it
parses from /proc, that it stays off unless asked, and how the report reads its file."""

from __future__ import annotations

import io
import json
import sys
import threading
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from ui.compute import memory_probe

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import soak_probe  # benchmarks/ is not a package: put on the path above

STATUS = """Name:\tpython
VmPeak:\t 1200000 kB
VmRSS:\t  524288 kB
RssAnon:\t  409600 kB
RssFile:\t  112640 kB
RssShmem:\t    2048 kB
Threads:\t47
"""

SMAPS = """55d0c0a00000-55d0c4a00000 rw-p 00000000 00:00 0                          [heap]
Size:              65536 kB
Rss:               30000 kB
VmFlags: rd wr mr mw me ac sd
7f0000000000-7f0004000000 rw-p 00000000 00:00 0
Size:              65536 kB
Rss:                2048 kB
VmFlags: rd wr mr mw me nr sd
7f0004000000-7f0004100000 rw-p 00000000 00:00 0
Size:               1024 kB
Rss:                 512 kB
7f1000000000-7f1000800000 r-xp 00000000 08:01 1234                       /usr/lib/libarrow.so
Size:               8192 kB
Rss:                8192 kB
7ffd00000000-7ffd00900000 rw-p 00000000 00:00 0                          [stack]
Size:               9216 kB
Rss:                9000 kB
7f2000000000-7f2000200000 rw-p 00000000 00:00 0                          [anon:cpython]
Size:               2048 kB
Rss:                2048 kB
"""


def test_status_gives_resident_megabytes_and_threads():
    assert memory_probe.parse_status(STATUS) == {
        "rss_mb": 512.0,
        "anon_mb": 400.0,
        "file_mb": 110.0,
        "threads": 47.0,
    }


def test_smaps_lists_anonymous_mappings_of_a_megabyte_or_more_by_address():
    """The heap and unnamed (or [anon:…]) mappings count; files, stacks and small ones do not."""
    assert memory_probe.parse_smaps(SMAPS) == {
        "55d0c0a00000": 30000,
        "7f0000000000": 2048,
        "7f2000000000": 2048,
    }


def test_a_reading_of_this_process_has_its_memory_and_the_arrow_pool():
    reading = memory_probe.sample()
    if sys.platform.startswith("linux"):
        assert reading["rss_mb"] > 10 and reading["malloc_in_use_mb"] > 0
        assert reading["big_anon_mb"] == sum(reading["mappings_kb"].values()) / 1024
    assert reading["python_blocks"] > 0
    if "pyarrow" in sys.modules:
        assert reading["arrow_backend"] in ("system", "mimalloc", "jemalloc")
    json.dumps(reading)  # one JSON line per reading


def test_it_starts_nothing_unless_asked(monkeypatch):
    monkeypatch.delenv(memory_probe.PROBE_ENV, raising=False)
    memory_probe.start_if_asked.cache_clear()
    threads = threading.active_count()
    try:
        assert memory_probe.start_if_asked() is False
        assert threading.active_count() == threads
    finally:
        memory_probe.start_if_asked.cache_clear()


def test_asked_it_appends_a_reading_at_once_and_the_reader_skips_broken_lines(
    monkeypatch, tmp_path
):
    where = tmp_path / "probe.jsonl"
    where.write_text('{"error": "earlier"}\n')
    monkeypatch.setenv(memory_probe.PROBE_ENV, str(where))
    monkeypatch.setenv(memory_probe.SECONDS_ENV, "3600")  # one reading, then it sleeps
    memory_probe.start_if_asked.cache_clear()
    try:
        assert memory_probe.start_if_asked() is True
        assert memory_probe.start_if_asked() is True  # once per process
        for _ in range(200):
            if where.read_text().count("\n") >= 2:
                break
            threading.Event().wait(0.05)
        with where.open("a") as out:
            out.write('{"t": 5, "rss_mb"')  # a line cut off by the server's end
        readings = memory_probe.read(where)
        assert len(readings) == 1 and readings[0]["t"] >= 0 and "wall" in readings[0]
    finally:
        memory_probe.start_if_asked.cache_clear()


def _reading(wall: float, rss: float, mappings: dict[str, int]) -> dict:
    return {"t": wall - 1000, "wall": wall, "rss_mb": rss, "mappings_kb": mappings}


READINGS = [
    _reading(990.0, 300.0, {"a": 100}),  # before the level began: left out
    _reading(1000.0, 400.0, {"a": 100, "b": 5000}),
    _reading(1050.0, 410.0, {"a": 100, "b": 5000}),
    _reading(1070.0, 420.0, {"a": 2100, "b": 5000}),
    _reading(1130.0, 430.0, {"a": 2100, "b": 4000, "c": 1500}),
]


def test_per_minute_keeps_each_minutes_last_reading_from_the_levels_start():
    minutes = soak_probe.per_minute(READINGS, began=1000.0)
    assert sorted(minutes) == [0, 1, 2]
    assert [minutes[m]["rss_mb"] for m in (0, 1, 2)] == [410.0, 420.0, 430.0]


def test_grown_names_the_mappings_that_grew_over_the_window_most_first():
    assert soak_probe.grown(READINGS, since=1040.0) == [("a", 100, 2100), ("c", 0, 1500)]
    assert soak_probe.grown(READINGS, since=1200.0) == []  # no window


def test_the_report_prints_a_row_a_minute_and_dashes_for_missing_fields(tmp_path):
    where = tmp_path / "probe.jsonl"
    where.write_text("".join(json.dumps(r) + "\n" for r in READINGS))
    out = io.StringIO()
    with redirect_stdout(out):
        soak_probe.print_probe(where, began=1000.0, judged_from=40.0)
    lines = out.getvalue().splitlines()
    rows = [line.split() for line in lines if line.split() and line.split()[0].isdigit()]
    assert [row[:2] for row in rows] == [["0", "410"], ["1", "420"], ["2", "430"]]
    assert rows[0][2] == "-"  # no anonymous MB in these readings
    assert any("a: 100 → 2100" in line for line in lines)


@pytest.mark.parametrize("text", ["", "not json\n"])
def test_an_empty_probe_file_says_so(tmp_path, text):
    where = tmp_path / "probe.jsonl"
    where.write_text(text)
    out = io.StringIO()
    with redirect_stdout(out):
        soak_probe.print_probe(where, began=0.0, judged_from=0.0)
    assert "no readings" in out.getvalue()
