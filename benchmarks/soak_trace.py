"""What grew inside a soak's server between two of its traces (ui/compute/memory_probe.py's
GDLAB_MEMORY_TRACE): the allocation sites whose live bytes grew most (tracemalloc, grouped by
line and by call stack), the object types whose counts grew most, and every LRU cache's
entries.

    python benchmarks/soak_trace.py DIR [FROM TO]

FROM and TO are the traces' seconds (their file names); by default the second-to-last trace
that is at least 5 minutes before the last, and the last.
"""

from __future__ import annotations

import json
import sys
import tracemalloc
from pathlib import Path

KB = 1024


def _times(directory: Path) -> list[int]:
    return sorted(int(p.stem.split("-")[1]) for p in directory.glob("objects-*.json"))


def _snapshot(directory: Path, seconds: int) -> tracemalloc.Snapshot:
    snapshot = tracemalloc.Snapshot.load(str(directory / f"trace-{seconds}.snap"))
    return snapshot.filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])


def compare(directory: Path, first: int, last: int, top: int = 25) -> None:
    minutes = (last - first) / 60
    print(f"From {first / 60:.1f} to {last / 60:.1f} min ({minutes:.1f} min) in {directory}:")
    if (directory / f"trace-{first}.snap").exists() and (directory / f"trace-{last}.snap").exists():
        allocations(directory, first, last, top)
    objects(directory, first, last)


def allocations(directory: Path, first: int, last: int, top: int) -> None:
    minutes = (last - first) / 60
    old, new = _snapshot(directory, first), _snapshot(directory, last)
    total = sum(s.size for s in new.statistics("filename")) - sum(
        s.size for s in old.statistics("filename")
    )
    grew = total / 2**20
    print(f"  traced Python allocations grew {grew:.2f} MB ({grew / minutes:.2f} MB a minute)")
    print("  by line (KB then → KB now, blocks now):")
    for stat in new.compare_to(old, "lineno")[:top]:
        frame = stat.traceback[0]
        print(
            f"    {stat.size_diff / KB:+9.1f} KB  {(stat.size - stat.size_diff) / KB:9.1f} →"
            f" {stat.size / KB:9.1f}  {stat.count:>7}  {frame.filename}:{frame.lineno}"
        )
    print("  by call stack (the largest growths):")
    for stat in new.compare_to(old, "traceback")[: top // 3]:
        print(f"    {stat.size_diff / KB:+9.1f} KB, {stat.count_diff:+d} blocks")
        for line in stat.traceback.format(most_recent_first=True)[::2]:
            print(f"        {line.strip()}")


def objects(directory: Path, first: int, last: int) -> None:
    objects_old = json.loads((directory / f"objects-{first}.json").read_text())
    objects_new = json.loads((directory / f"objects-{last}.json").read_text())
    types = objects_new["types"]
    grew = sorted(types, key=lambda t: types[t] - objects_old["types"].get(t, 0), reverse=True)
    print("  object types whose counts grew most (then → now):")
    for name in grew[:15]:
        print(f"    {objects_old['types'].get(name, 0):>8} → {types[name]:>8}  {name}")
    print("  LRU caches that grew (entries then → now / bound):")
    for name, (size, bound, _hits, _misses) in sorted(objects_new["lru"].items()):
        before = objects_old["lru"].get(name, [0])[0]
        if size != before:
            print(f"    {before:>6} → {size:>6} / {bound}  {name}")


def main() -> int:
    directory = Path(sys.argv[1])
    times = _times(directory)
    if len(sys.argv) >= 4:
        first, last = int(sys.argv[2]), int(sys.argv[3])
    else:
        last = times[-1]
        first = max((t for t in times if t <= last - 300), default=times[0])
    compare(directory, first, last)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
