"""What every benchmark here shares: median timings and a table of ratios against targets."""

from __future__ import annotations

import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

# Benchmarks run as scripts from the repository; make gd_core and ui importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def median_seconds(
    work: Callable[[], object], repeats: int, clock: Callable[[], float] = time.perf_counter
) -> float:
    times = []
    for _ in range(repeats):
        start = clock()
        work()
        times.append(clock() - start)
    return statistics.median(times)


def median_cpu_seconds(work: Callable[[], object], repeats: int) -> float:
    """The median CPU time of `work` in this process: on a shared machine the wall clock also
    counts the time other processes held the core (train() one by one took 1.5 s of wall time
    in one run here and 3.7 s in another)."""
    return median_seconds(work, repeats, clock=time.process_time)


def paired_seconds(
    first: Callable[[], object], second: Callable[[], object], repeats: int
) -> tuple[float, float, float]:
    """The fastest of `repeats` timings of `first` and of `second`, timed in alternation, and
    their ratio first/second. On a shared machine other work only ever adds time, so the
    fastest of each is the closest to its own cost, and alternating exposes both to the same
    spells of load."""
    pairs = [(median_seconds(first, 1), median_seconds(second, 1)) for _ in range(repeats)]
    fastest = min(a for a, _ in pairs), min(b for _, b in pairs)
    return fastest[0], fastest[1], fastest[0] / fastest[1]


def cpu_seconds(pid: int | None = None) -> float:
    """CPU time used so far by one process, or by the whole machine (every core) if no pid."""
    ticks = os.sysconf("SC_CLK_TCK")
    if pid is None:
        user, nice, system = (int(v) for v in Path("/proc/stat").read_text().split()[1:4])
        return (user + nice + system) / ticks
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime


def resident_mb(pid: int) -> float:
    """A process's resident memory now (VmRSS), in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


RESULTS: list[tuple[str, float, float, bool]] = []  # (what, measured, target, higher is better)


def report(what: str, measured: float, target: float, higher_is_better: bool = True) -> None:
    RESULTS.append((what, measured, target, higher_is_better))
    ok = measured >= target if higher_is_better else measured <= target
    sign = "≥" if higher_is_better else "≤"
    print(
        f"  {what:<58} {measured:>12,.1f}   target {sign} {target:,g}   {'ok' if ok else 'MISSED'}"
    )


def summary() -> int:
    """Print how many figures met their target; the exit status is 1 if any missed."""
    missed = [r for r in RESULTS if not (r[1] >= r[2] if r[3] else r[1] <= r[2])]
    print(f"\n{len(RESULTS) - len(missed)} of {len(RESULTS)} figures at or beyond target.")
    return 1 if missed else 0
