"""bench_class.py's `--probe`: the soak server's own readings (ui/compute/memory_probe.py), minute
by minute, and the anonymous mappings that grew most over the judged window."""

from __future__ import annotations

from pathlib import Path

from ui.compute import memory_probe

COLUMNS = (  # (heading, field, format)
    ("RSS", "rss_mb", "{:6.0f}"),
    ("anon", "anon_mb", "{:5.0f}"),
    ("m.use", "malloc_in_use_mb", "{:5.0f}"),
    ("m.free", "malloc_free_mb", "{:6.0f}"),
    ("m.mmap", "malloc_mapped_mb", "{:6.0f}"),
    ("pyblk(k)", "python_blocks", "{:8.0f}"),
    ("arrow", "arrow_pool_mb", "{:5.1f}"),
    ("a.peak", "arrow_pool_peak_mb", "{:6.1f}"),
    ("entries", "cache_entries", "{:7.0f}"),
    ("cacheMB", "cache_mb", "{:7.0f}"),
    ("sess", "sessions", "{:4.0f}"),
    ("media", "media_mb", "{:5.1f}"),
    ("thr", "threads", "{:3.0f}"),
    ("bigAnon", "big_anon_mb", "{:7.0f}"),
)


def per_minute(readings: list[dict], began: float) -> dict[int, dict]:
    """The last reading of each minute, minutes counted from `began` (wall-clock seconds, the
    level's start); readings before it are left out."""
    minutes: dict[int, dict] = {}
    for reading in readings:
        if reading.get("wall", 0.0) >= began:
            minutes[int((reading["wall"] - began) // 60)] = reading
    return minutes


def grown(readings: list[dict], since: float, top: int = 6) -> list[tuple[str, int, int]]:
    """The anonymous mappings whose resident kB grew most from the first reading at or after
    `since` (wall-clock seconds) to the last: (start address, kB then, kB at the end)."""
    window = [r for r in readings if r.get("wall", 0.0) >= since and "mappings_kb" in r]
    if len(window) < 2:
        return []
    first, last = window[0]["mappings_kb"], window[-1]["mappings_kb"]
    changes = [(a, first.get(a, 0), kb) for a, kb in last.items()]
    changes.sort(key=lambda c: c[2] - c[1], reverse=True)
    return [c for c in changes[:top] if c[2] > c[1]]


def print_probe(path: Path, began: float, judged_from: float) -> None:
    """The table, and where the judged window's growth went."""
    readings = memory_probe.read(path) if path.exists() else []
    if not readings:
        print(f"  probe: no readings in {path}")
        return
    backend = readings[-1].get("arrow_backend", "-")
    print(f"  probe (inside the server, the last reading of each minute; pyarrow pool: {backend}):")
    print("  minute " + " ".join(f"{h:>{len(f.format(0))}}" for h, _, f in COLUMNS))
    for minute, reading in sorted(per_minute(readings, began).items()):
        cells = []
        for _, key, form in COLUMNS:
            value = reading.get(key)
            if key == "python_blocks" and value is not None:
                value /= 1000
            width = len(form.format(0))
            cells.append(form.format(value) if value is not None else f"{'-':>{width}}")
        print(f"  {minute:>6} " + " ".join(cells))
    changes = grown(readings, began + judged_from)
    if changes:
        print("  anonymous mappings that grew most over the judged window (address: kB → kB):")
        for address, then, now in changes:
            print(f"    {address}: {then} → {now}")
