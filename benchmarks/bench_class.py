"""A whole class at once, without browsers: N students on one server, against a bare page.

    python benchmarks/bench_class.py [--levels 10,20,40,60] [--duration 60] [--think 2,4]
                                     [--replicas 1] [--compare-replicas 2] [--soak 600]
                                     [--soak-fill 1200] [--probe FILE]

Each student is a session of scripts/class_client.py, which speaks Streamlit's websocket
protocol itself (no browser: on this 2-core machine Chromium tabs, not the server, were the
bottleneck of bench_load.py). A student opens its own shared link (benchmarks/students.py: its
own seed, noise, epochs and rates) on its own first page, then every 2–4 s (`--think`) visits
the next page through the navigation, and after each round of pages moves the noise slider a
step up or down. After every answer it checks its own page: the page's title, no exception,
every chart drawn, and k, b and loss equal to gd_core's run for its own settings, so no student
can see another's numbers through a cache or a global. Before the levels, one student moves
the slider and compares every page it then sees with a new session opened on that page's
address: a widget change and the link must draw exactly the same texts, numbers and charts.

For each level (`--levels`, each `--duration` seconds on the same server) it prints the p50, p95
and max seconds from a student's action to the end of the script run, the server's CPU per
script run, its peak memory and MB per student, the caches' hits, misses and evictions
(`/_stcore/metrics`), and every problem; then the same for benchmarks/bare_app.py, one slider
and one Altair chart, in the same run. `--replicas N` serves the app with scripts/serve_class.py
(N replicas behind HAProxy); `--compare-replicas N` measures one process first, then N, and
prints how many students each held at p95 ≤ 1 s. `--soak S` adds one level of `--soak-students`
that first brings the caches to their steady state (every entry lives ui/compute/sizes.py's
CLASS_SECONDS; at most `--soak-fill` seconds) and then goes on for S seconds, and prints the
server's memory and the caches' hits, misses and evictions over those S seconds; with `--probe
FILE` the soak's server also reads its own memory every 20 s (ui/compute/memory_probe.py:
malloc, Python, pyarrow, caches, sessions, mappings) and the soak prints that minute by minute
too. Loopback only; ports from `--port` (default 8190) upwards.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import statistics
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import measure  # first: puts the repository on sys.path
import soak_probe
from students import NAMES, Student

from scripts import serve_class
from scripts.class_client import Rendered, Session
from ui import registry
from ui.compute import memory_probe, sizes

ROOT = Path(__file__).resolve().parents[1]
BARE = "benchmarks/bare_app.py"
PATHS = {name: page.url_path for name, page in zip(NAMES, registry.PAGES, strict=True)}
HEADINGS = {name: page.heading for name, page in zip(NAMES, registry.PAGES, strict=True)}
CHARTS = {name: page.charts for name, page in zip(NAMES, registry.PAGES, strict=True)}
METRICS = ("k after the last epoch", "b after the last epoch", "loss after the last epoch")
P95_TARGET = 1.0  # seconds: an answer within a second of a click
CPU_RATIO_TARGET = 2.0  # server CPU per script run, app / bare page


@dataclass
class Level:
    """What one level measured."""

    students: int
    moves: bool = True  # students move the noise slider after each round of pages
    seconds: list[float] = field(default_factory=list)  # per action
    runs: int = 0
    cpu: float = 0.0
    base_mb: float = 0.0
    peak_mb: float = 0.0
    memory: list[tuple[float, float]] = field(default_factory=list)  # (elapsed, MB)
    cached: list[tuple[float, float]] = field(default_factory=list)  # (elapsed, MB cached)
    problems: list[str] = field(default_factory=list)
    caches: dict[str, dict[str, float]] = field(default_factory=dict)
    # The benchmark's own process (every student's client): CPU seconds over the level and the
    # level's wall-clock seconds. On a small machine the clients compete with the servers.
    client_cpu: float = 0.0
    wall: float = 0.0
    # When the students stop (monotonic seconds); a soak moves it once its caches have filled.
    until: float = float("inf")
    # Elapsed seconds at which the judged part began: 0, or when a soak's caches had filled.
    judged_from: float = 0.0
    filled: bool = False  # the caches were at their steady state when the judged part began

    def percentile(self, q: float) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")

    @property
    def cpu_per_run(self) -> float:
        return self.cpu / max(self.runs, 1)

    @property
    def held(self) -> bool:
        """Every student answered within target at the 95th percentile, with no problem."""
        return self.percentile(0.95) <= P95_TARGET and not self.problems


def check(shown: Rendered, student: Student, page: str, noise: float) -> list[str]:
    """What is wrong with what `student` was shown on `page` at `noise`."""
    problems = [f"{page}: {exception}" for exception in shown.exceptions]
    if HEADINGS[page] not in shown.headings:
        problems.append(f"{page}: its title is missing ({shown.headings})")
    if shown.charts != CHARTS[page]:
        problems.append(f"{page}: {shown.charts} of {CHARTS[page]} charts")
    values = [v for label, v in shown.metrics.items() if label.startswith(METRICS)]
    if values and values != student.expected_metrics(noise):
        expected = student.expected_metrics(noise)
        problems.append(f"{page} at noise {noise}: shows {values}, gd_core gives {expected}")
    return problems


async def attend(url: str, student: Student, think: tuple, level: Level) -> None:
    """One student's class: open the link, then act every `think` seconds until the level
    ends (`level.until`)."""
    rng = random.Random(student.number)
    page, noise = student.first_page, float(student.query["noise"])
    await asyncio.sleep(rng.uniform(0, think[1]))  # students do not all click at once
    session = Session(url, PATHS[page], student.query)
    try:
        shown = await session.open()
        step = 0
        while True:
            level.seconds.append(shown.seconds)
            level.runs += shown.runs
            level.problems += [
                f"student {student.number}: {p}" for p in check(shown, student, page, noise)
            ]
            await asyncio.sleep(rng.uniform(*think))
            if time.monotonic() >= level.until:
                return
            step += 1
            if level.moves and step % len(NAMES) == 0:  # after each round of pages, a new noise
                noise = round(min(5.0, max(0.0, noise + rng.choice((-0.1, 0.1)))), 1)
                shown = await session.set_slider("noise", noise, shown)
            else:
                page = NAMES[(NAMES.index(page) + 1) % len(NAMES)]
                shown = await session.switch(PATHS[page])
    except Exception as error:  # a dropped connection or a timeout: a problem, reported
        level.problems.append(f"student {student.number}: stopped: {type(error).__name__}: {error}")
    finally:
        await session.close()


async def attend_bare(url: str, student: Student, think: tuple, level: Level) -> None:
    """The reference: a student on the bare page, moving its one slider."""
    rng = random.Random(student.number)
    await asyncio.sleep(rng.uniform(0, think[1]))
    session = Session(url, "", {})
    try:
        shown = await session.open()
        while True:
            level.seconds.append(shown.seconds)
            level.runs += shown.runs
            if shown.exceptions or shown.charts != 1:
                level.problems.append(f"bare student {student.number}: {shown.exceptions}")
            await asyncio.sleep(rng.uniform(*think))
            if time.monotonic() >= level.until:
                return
            shown = await session.set_slider("noise", rng.randrange(51) / 10, shown)
    except Exception as error:
        level.problems.append(
            f"bare student {student.number}: stopped: {type(error).__name__}: {error}"
        )
    finally:
        await session.close()


def cache_counts(ports: list[int]) -> dict[str, dict[str, float]]:
    """Per cached function, summed over the servers: hits, misses and evictions so far (in all
    and by reason: its own entry or byte bound, or the process-wide budget), and the MB it
    holds now."""
    counts: dict[str, dict[str, float]] = {}
    for port in ports:
        for line in metrics(port):
            family = line.split("{", 1)[0]
            if family not in ("cache_lookups_total", "cache_evictions_total", "cache_memory_bytes"):
                continue
            labels, value = line.rsplit(" ", 1)
            fields = dict(part.split("=", 1) for part in labels.split("{", 1)[1][:-1].split(","))
            name = fields["cache"].strip('"').removeprefix("ui.")
            if not name:  # session state, not a cached function
                continue
            entry = counts.setdefault(name, dict.fromkeys(("hit", "miss", "evicted", "MB"), 0))
            if family == "cache_memory_bytes":
                entry["MB"] += float(value) / 2**20
                continue
            what = fields.get("result", "").strip('"') or "evicted"
            entry[what] = entry.get(what, 0) + int(float(value))
            if what == "evicted":
                reason = fields["reason"].strip('"')
                entry[reason] = entry.get(reason, 0) + int(float(value))
    return counts


def cached_mb(ports: list[int]) -> float:
    """What every st.cache_data function holds now (pickled MB, the bytes the budget counts),
    summed over the servers."""
    total = 0
    for port in ports:
        for line in metrics(port):
            if line.startswith('cache_memory_bytes{cache_type="st_cache_data"'):
                total += int(float(line.rsplit(" ", 1)[1]))
    return total / 2**20


def metrics(port: int, attempts: int = 5) -> list[str]:
    """A server's `/_stcore/metrics`, line by line, asked again a second later after a 500.

    One soak ended 11 minutes in on a 500 from this address (its log went with its temporary
    folder). Most likely cause, from Streamlit's code: the caches' bytes family also counts
    every session's state by iterating its dicts without a lock (`SessionState.__len__`), while
    script runs change them. Streamlit logs such a failure, so the soak's count of server log
    errors still shows it, with the lines printed."""
    url = f"http://127.0.0.1:{port}/_stcore/metrics"
    for attempt in itertools.count(1):
        try:
            with urllib.request.urlopen(url, timeout=30) as r:
                return r.read().decode().splitlines()
        except urllib.error.HTTPError as error:
            if error.code < 500 or attempt >= attempts:
                raise
            time.sleep(1)
    raise AssertionError("unreachable")


def resident_mb(served) -> float:
    """The servers' resident memory now, summed over the replicas."""
    return sum(measure.resident_mb(process.pid) for process in served.replicas)


async def run_level(
    served,
    students: int,
    seconds: float,
    think: tuple,
    bare: bool,
    idle_mb: float,
    moves: bool = True,
    track_caches: bool = False,
    fill: float = 0.0,
) -> Level:
    """`students` at once for `seconds`; memory per student is counted from `idle_mb`, the
    servers after warming up (sessions of an earlier level linger for Streamlit's 2 minutes).
    Without `moves` the students only tour the pages of their own links; with
    `track_caches` the caches' size is read beside the memory. With `fill` (and
    `track_caches`), the same students first class on until the caches are at their steady
    state (at most `fill` seconds, see `caches_steady`), and the `seconds` counted begin then
    (`level.judged_from`), as do the caches' counts (`level.caches`)."""
    level = Level(students, moves=moves, base_mb=idle_mb)
    pids = [process.pid for process in served.replicas]
    before = cache_counts(served.ports) if not bare else {}
    cpu = sum(measure.cpu_seconds(pid) for pid in pids)
    client = time.process_time()
    start = time.monotonic()
    filling = fill > 0 and track_caches
    level.until = start + (fill if filling else 0) + seconds
    who = attend_bare if bare else attend
    crowd = asyncio.gather(*(who(served.url, Student(i), think, level) for i in range(students)))
    while not crowd.done():
        level.memory.append((time.monotonic() - start, resident_mb(served)))
        if track_caches:
            mb = await asyncio.to_thread(cached_mb, served.ports)
            level.cached.append((time.monotonic() - start, mb))
        now = time.monotonic()
        if filling:
            level.filled = caches_steady(level.cached, STEADY_AFTER)
            if level.filled or now - start >= fill:
                filling = False  # the same students go on, for `seconds` more from here
                level.judged_from, level.until = now - start, now + seconds
                before = await asyncio.to_thread(cache_counts, served.ports)
        await asyncio.wait([crowd], timeout=0.5 if seconds < 120 else 5)
    level.cpu = sum(measure.cpu_seconds(pid) for pid in pids) - cpu
    level.client_cpu, level.wall = time.process_time() - client, time.monotonic() - start
    level.peak_mb = max(mb for _, mb in level.memory)
    if not bare:
        after = cache_counts(served.ports)
        level.caches = {  # counts over the level; the MB held at its end
            name: {
                k: v - (0 if k == "MB" else before.get(name, {}).get(k, 0))
                for k, v in counts.items()
            }
            for name, counts in after.items()
        }
    return level


async def validate(url: str) -> list[str]:
    """A slider moved through the protocol draws what that page's link draws, page by page."""
    student = Student(7)
    moved = Session(url, PATHS["fit"], student.query)
    shown = await moved.open()
    noise = round(float(student.query["noise"]) + 0.3, 1)
    shown = await moved.set_slider("noise", noise, shown)
    problems = check(shown, student, "fit", noise)
    for page in NAMES:
        shown = await moved.switch(PATHS[page])
        linked = Session(url, PATHS[page], moved.query)
        opened = await linked.open()
        await linked.close()
        problems += check(shown, student, page, noise)
        if opened.content != shown.content:
            differ = [t[:200] for t in set(opened.content) ^ set(shown.content)][:4]
            problems.append(f"{page}: the link {linked.address} draws something else: {differ}")
    await moved.close()
    return problems


async def warm_up(served, bare: bool) -> None:
    """One student alone on every page of every replica, each on its own port: a fresh
    server's first runs import Altair and pandas and build the chart templates (seconds).
    Through the balancer only the first replica would be warmed, and the others' first
    students would pay for it in the first level's p95."""
    for port in served.ports:
        session = Session(f"http://127.0.0.1:{port}", "", {} if bare else Student(1000).query)
        await session.open()
        for page in [] if bare else NAMES:
            await session.switch(PATHS[page])
        await session.close()


def server_errors(served) -> list[str]:
    lines = [line for log in served.logs for line in log.read_text(errors="replace").splitlines()]
    return [line for line in lines if any(w in line for w in ("Traceback", "Error", "WARNING"))]


def print_level(name: str, level: Level) -> None:
    mb_each = (level.peak_mb - level.base_mb) / level.students
    seconds = (level.percentile(0.5), level.percentile(0.95), max(level.seconds, default=0.0))
    print(
        f"  {name:<9} {level.students:>4} {seconds[0]:6.2f} {seconds[1]:6.2f} {seconds[2]:6.2f}"
        f" {len(level.seconds):>7} {level.runs:>6} {1000 * level.cpu_per_run:8.1f}"
        f" {level.peak_mb:7.0f} {mb_each:6.2f} {len(level.problems):>5}"
        f" {100 * level.client_cpu / max(level.wall, 1e-9):7.0f}"
    )


EVICTED_BY = {
    "max_size": "bytes",
    "max_entries": "entries",
    "global_budget": "budget",
    "ttl": "age",  # older than sizes.CLASS_SECONDS
}


def print_caches(level: Level) -> None:
    used = {name: c for name, c in level.caches.items() if c["hit"] + c["miss"]}
    what = "revisiting" if not level.moves else "this level"
    if level.judged_from:
        what = f"the soak's judged {(level.wall - level.judged_from) / 60:.0f} minutes"
    print(
        f"  caches at {level.students} students ({what}; evicted by its own byte or entry bound,"
        f" by the budget of all caches, or by age, {sizes.CLASS_SECONDS} s after it was"
        " computed; MB held at the end):"
    )
    print(f"    {'':<34} {'hits':>7} {'misses':>7} {'evicted':>7}  {'by':<24} {'MB':>6}")
    for name, c in sorted(used.items()):
        by = ", ".join(f"{word} {c[r]:.0f}" for r, word in EVICTED_BY.items() if c.get(r))
        print(
            f"    {name:<34} {c['hit']:>7.0f} {c['miss']:>7.0f} {c.get('evicted', 0):>7.0f}"
            f"  {by:<24} {c['MB']:6.1f}"
        )


HEADER = "             N    p50    p95    max actions   runs  CPU/run  peakMB MB/stu probs client%"


async def measure_class(
    options, replicas: int, script: str, levels: list[int], climb: bool = False
) -> list[Level]:
    """Every level on one fresh setup of `replicas` servers. With `climb`, stop after the first
    level the setup does not hold (p95 over target or a problem): every larger class would
    miss too, and a capacity is the largest level held below that one."""
    bare = script == BARE
    env = dict(pair.split("=", 1) for pair in options.env) if not bare else {}
    port = options.port + (5 if bare else 0)
    results = []
    with serve_class.serve(replicas, port, script=script, env=env) as served:
        await warm_up(served, bare)
        idle_mb = resident_mb(served)
        if not bare and not options.no_validate:
            found = await validate(served.url)
            print(
                f"Validation (slider moved vs. link opened, {len(NAMES)} pages): "
                f"{found or 'identical'}"
            )
            measure.report("validation: pages that differ or are wrong", len(found), 0, False)
        for students in levels:
            level = await run_level(
                served, students, options.duration, options.think, bare, idle_mb
            )
            results.append(level)
            print_level(f"{'bare' if bare else 'app'}×{replicas}", level)
            for problem in level.problems[:5]:
                print(f"      {problem}")
            if climb and not level.held:
                break
        if not bare and options.revisit and not climb:
            # The same students again, touring their own links' pages without moving a
            # slider: every page was computed in the first level, so these reruns are served
            # from the caches, which is what a class does most of the time.
            level = await run_level(
                served, levels[-1], options.duration, options.think, False, idle_mb, moves=False
            )
            results.append(level)
            print_level("revisit", level)
        errors = server_errors(served)
    for line in errors[:10]:
        print(f"  server log: {line}")
    measure.report(f"{script} ×{replicas}: server log errors", len(errors), 0, False)
    for level in results[-2:] if not bare else []:
        print_caches(level)
    return results


def capacity(levels: list[Level]) -> int:
    """The largest class a setup held (p95 within target, no problem) with every smaller level
    of the ladder held too; 0 if it missed the first."""
    held = 0
    for level in levels:
        if not level.held:
            break
        held = level.students
    return held


async def main_async(options) -> int:
    print(HEADER)
    if options.compare_replicas:
        await compare_replicas(options)
    else:
        await class_levels(options)
    if options.soak:
        await soak(options)
    return measure.summary()


async def class_levels(options) -> None:
    """The levels on `--replicas`, then the bare page's, and their ratios."""
    app = await measure_class(options, options.replicas, "app.py", options.levels)
    revisit = app.pop() if options.revisit else None
    if not options.no_bare:
        bare = await measure_class(options, 1, BARE, options.levels)
        for a, b in zip(app, bare, strict=True):
            measure.report(
                f"CPU per run at {a.students} students, app / bare page",
                a.cpu_per_run / b.cpu_per_run,
                CPU_RATIO_TARGET,
                False,
            )
        if revisit:
            same = next(b for b in bare if b.students == revisit.students)
            measure.report(
                f"CPU per run, {revisit.students} students revisiting, app / bare page",
                revisit.cpu_per_run / same.cpu_per_run,
                CPU_RATIO_TARGET,
                False,
            )
    top = app[-1]
    measure.report(
        f"p95 seconds at {top.students} students, {options.replicas} process(es)",
        top.percentile(0.95),
        P95_TARGET,
        False,
    )
    measure.report(f"problems seen by {top.students} students", len(top.problems), 0, False)
    measure.report(
        f"MB per student at {top.students}", (top.peak_mb - top.base_mb) / top.students, 30, False
    )


async def compare_replicas(options) -> None:
    """Capacity of one process, then of N replicas behind HAProxy: each climbs the same
    ladder of levels on fresh servers until the first level it does not hold, and the ratio of
    the students each held is the answer. The ladder must start low enough for one process
    to hold its first level, or there is nothing to compare (then it says so)."""
    one_setup, many_setup = options.replicas, options.compare_replicas
    one = await measure_class(options, one_setup, "app.py", options.levels, climb=True)
    many = await measure_class(options, many_setup, "app.py", options.levels, climb=True)
    held_one, held_many = capacity(one), capacity(many)
    print(
        f"Students held at p95 ≤ {P95_TARGET:g} s (every level up to it held): "
        f"{held_one} on {one_setup} process(es), {held_many} on {many_setup} replicas"
    )
    for a, b in itertools.zip_longest(one, many):
        students = (a or b).students
        shown = [f"p95 {x.percentile(0.95):.2f} s" if x else "not run" for x in (a, b)]
        print(f"  at {students}: {shown[0]} → {shown[1]}")
    problems = sum(len(level.problems) for level in one + many)
    measure.report("problems seen by the students, both ladders", problems, 0, False)
    if many and len(many) == len(options.levels) and many[-1].held:
        print("  the replicas held every level: their capacity, and the ratio, are lower bounds")
    if held_one:
        measure.report(
            f"students held, {many_setup} replicas / {one_setup}",
            held_many / held_one,
            1.25,
        )
    else:
        print(
            f"  one process did not hold the first level ({options.levels[0]} students): "
            "start the ladder lower (--levels) for a ratio"
        )
        measure.report(f"students held by {one_setup} process(es)", 0, options.levels[0])


async def soak(options) -> None:
    """A long class: is the server's memory flat once the caches are at their steady state?

    Memory rises while the caches fill: that is the caches doing their job, not a leak. Every
    cached result is dropped sizes.CLASS_SECONDS after it was computed, so from then on the
    caches hold what the class computed in the last CLASS_SECONDS, and their size levels off
    in a known time whatever the class (before, with bounds alone, a student's random walk of
    settings kept them creeping up for 15–19 minutes). So the same students first class on
    until the caches are at their steady state (`caches_steady`: CLASS_SECONDS and a minute
    have passed and the last minute held what the minute before did; at most `--soak-fill`
    seconds, and the output says which ended the fill), and the judged figure is the whole
    server's memory, nothing subtracted, over the `--soak` seconds that follow. With
    `--soak-fill 0` the soak starts judging at once and is judged as before: from the moment
    the caches settled (every later reading within 1 % of the most they held) to the end, or,
    with less than SETTLED_MINUTES of that, the second half. Both figures are printed, and the
    memory beyond what the caches hold (their own byte counts) beside them."""
    env = dict(pair.split("=", 1) for pair in options.env)
    if options.probe:
        options.probe.unlink(missing_ok=True)
        env[memory_probe.PROBE_ENV] = str(options.probe.resolve())
    with serve_class.serve(options.replicas, options.port, env=env) as served:
        await warm_up(served, False)
        idle_mb = resident_mb(served)
        began = time.time()
        level = await run_level(
            served,
            options.soak_students,
            options.soak,
            options.think,
            False,
            idle_mb,
            track_caches=True,
            fill=options.soak_fill,
        )
        errors = server_errors(served)
    filled = ""
    if level.judged_from:
        filled = f" after {level.judged_from:.0f} s " + (
            "bringing the caches to their steady state" if level.filled else "of filling"
        )
    print(f"Soak: {options.soak_students} students for {options.soak:.0f} s{filled}")
    print_level("soak", level)
    if level.judged_from:
        print(fill_report(level))
    judge_soak(level)
    print_caches(level)
    if options.probe:
        soak_probe.print_probe(options.probe, began, level.judged_from)
    for line in errors[:10]:
        print(f"  server log: {line}")
    measure.report("soak: problems seen by the students", len(level.problems), 0, False)
    measure.report("soak: server log errors", len(errors), 0, False)


def judge_soak(level: Level) -> None:
    """The soak's memory minute by minute, and its judged slope (see `soak`)."""
    minutes: dict[int, list[float]] = {}
    for elapsed, mb in level.memory:
        minutes.setdefault(int(elapsed // 60), []).append(mb)
    cached: dict[int, float] = {}
    for elapsed, mb in level.cached:
        cached[int(elapsed // 60)] = mb  # the last reading of each minute
    print("  minute  server MB (mean, max)  cached MB (end of minute)")
    for minute, readings in sorted(minutes.items()):
        print(
            f"  {minute:>6}  {statistics.mean(readings):7.1f} {max(readings):7.1f}"
            f"  {cached.get(minute, float('nan')):12.1f}"
        )
    top = max((mb for _, mb in level.cached), default=0.0)
    if top <= 0:
        print("  the caches held nothing: no soak to judge")
        measure.report("soak: server memory (MB per minute)", float("nan"), 1.0, False)
        return
    # None where the caches end below 99 % (95 %) of their most: caches that age out peak
    # once the class's first minutes are all still cached, then give some of it back.
    settled = caches_settled_at(level.cached, 0.99)
    full = caches_settled_at(level.cached, 0.95)
    # Both lists are read in the same loop, so they pair up reading by reading.
    pairs = list(zip(level.memory, level.cached, strict=True))
    beyond = [(t, mb - held) for (t, mb), (_, held) in pairs]
    if settled is not None and full is not None:
        print(
            f"  the caches reached 95 % of their most at {full / 60:.1f} min and settled within"
            f" 1 % at {settled / 60:.1f} min ({top:.0f} MB cached); the memory beyond them grew"
            f" {slope([p for p in beyond if p[0] >= settled]):.1f} MB per minute from then"
            f" ({slope([p for p in beyond if p[0] >= full]):.1f} from the 95 % reading)"
        )
    else:
        peak = next(t for t, mb in level.cached if mb == top)
        print(
            f"  the caches peaked at {top:.0f} MB at {peak / 60:.1f} min and held"
            f" {level.cached[-1][1]:.0f} MB at the end (entries age out, so the caches need not"
            " stay near their peak)"
        )
    if level.judged_from:
        print(
            "  the memory beyond the caches over the judged window:"
            f" {slope([p for p in beyond if p[0] >= level.judged_from]):.1f} MB per minute"
        )
    # A student's noise is a random walk, so new settings come ever more slowly and the caches
    # creep up their last few percent for a minute or more after a reading within 5 % of
    # their most: judged from there, the whole server's slope was their filling. Once they
    # have settled, nothing bounded by design is still growing, so the server's own memory,
    # with nothing subtracted, is what must be flat.
    since_settled = [(t, mb) for t, mb in level.memory if settled is not None and t >= settled]
    short = settled is None or settled > level.wall - 60 * SETTLED_MINUTES
    if level.judged_from:
        # The soak proper: `--soak` seconds from the caches' steady state (judged online,
        # `caches_steady`). Over the whole 10 minutes, not the 3–5 left of them after
        # a fill that took the rest, a slope has two to three times the readings' span: a
        # one-off step in it counts for less, a steady rise for as much.
        window = [(t, mb) for t, mb in level.memory if t >= level.judged_from]
        label = f"{(level.wall - level.judged_from) / 60:.0f} minutes after " + (
            "the caches' steady state" if level.filled else "the fill's time ran out"
        )
        start = level.judged_from
        if settled is None:
            print("  the measure before --soak-fill: none (the caches never settled at their most)")
        else:
            before = "too short" if short else f"{slope(since_settled):.1f} MB per minute"
            print(
                f"  the measure before --soak-fill, from the caches' settling ({settled / 60:.1f}+"
                f" min) to the end: {before}"
            )
    elif short:
        half = [(t, mb) for t, mb in level.memory if t >= level.wall / 2]
        print(
            f"  the caches settled with less than {SETTLED_MINUTES} minutes left: the soak is too"
            " short to separate their filling from other growth; the second half's slope is"
            " reported"
        )
        measure.report("soak: memory growth, second half (MB per minute)", slope(half), 1.0, False)
        return
    else:
        window, label, start = since_settled, "after the caches settled", settled
    # Unjudged: whether the curve levels off within the window (the second half against the
    # whole), so a step right after the caches fill is told apart from a steady rise.
    later = (start + level.wall) / 2
    print(
        f"  the server's memory over the window's second half ({later / 60:.1f}+ min):"
        f" {slope([p for p in window if p[0] >= later]):.1f} MB per minute"
    )
    measure.report(
        f"soak: server memory {label} ({start / 60:.1f}+ min, MB/min)", slope(window), 1.0, False
    )


SETTLED_MINUTES = 3  # the least window a slope of 5-second readings is judged over
# The caches are at their steady state once every entry of the class's first minutes has aged
# out (CLASS_SECONDS; expired entries go at their function's next write, so a minute more)
# and their last minute held what the minute before did, within LEVEL_SHARE.
STEADY_AFTER = sizes.CLASS_SECONDS + 60.0
LEVEL_SHARE = 0.02


def slope(readings: list[tuple[float, float]]) -> float:
    """MB per minute, fitted to (seconds, MB) readings; nan for fewer than two (a soak of
    seconds), which no target accepts."""
    if len(readings) < 2:
        return float("nan")
    return 60 * statistics.linear_regression(*zip(*readings, strict=True)).slope


def caches_settled_at(cached: list[tuple[float, float]], share: float) -> float | None:
    """When the caches had settled, seen at the end: the first reading from which every later
    one is within `share` of the most they held (None if they never held anything)."""
    top = max((mb for _, mb in cached), default=0.0)
    if top <= 0:
        return None
    at = None
    for t, mb in cached:
        if mb < share * top:
            at = None
        elif at is None:
            at = t
    return at


def minute_means(cached: list[tuple[float, float]]) -> tuple[float, float]:
    """The mean of the readings of the last minute and of the minute before it."""
    end = cached[-1][0]
    last = [mb for t, mb in cached if t > end - 60]
    before = [mb for t, mb in cached if end - 120 < t <= end - 60]
    return statistics.mean(before or [0.0]), statistics.mean(last)


def caches_steady(
    cached: list[tuple[float, float]], after: float, share: float = LEVEL_SHARE
) -> bool:
    """Whether the caches are at their steady state, seen as the readings come: the readings
    span `after` seconds, and the mean of the last minute's is within `share` of the minute
    before's (a level, not a rise or a fall)."""
    if not cached or cached[-1][0] - cached[0][0] < max(after, 120.0):
        return False
    before, last = minute_means(cached)
    return last > 0 and abs(last - before) <= share * last


def fill_report(level: Level) -> str:
    """How the fill ended, in words: at the caches' steady state, or when its time ran out."""
    before, last = minute_means([(t, mb) for t, mb in level.cached if t <= level.judged_from])
    how = "reached their steady state" if level.filled else "were not yet level when time ran out"
    return (
        f"  the caches {how} at {level.judged_from / 60:.1f} min (every entry is dropped"
        f" {sizes.CLASS_SECONDS} s after it was computed; they held {before:.1f} MB on average"
        f" over the minute before and {last:.1f} MB over the last)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="10,20,40,60", help="students per level, ascending")
    parser.add_argument("--duration", type=float, default=60, help="seconds per level")
    parser.add_argument("--think", default="2,4", help="seconds between a student's actions")
    parser.add_argument("--replicas", type=int, default=1, help="app processes (HAProxy if > 1)")
    parser.add_argument("--compare-replicas", type=int, default=0, help="then measure N replicas")
    parser.add_argument("--soak", type=float, default=0, help="seconds of a long class at the end")
    parser.add_argument("--soak-students", type=int, default=40)
    parser.add_argument(
        "--soak-fill",
        type=float,
        default=1200,
        help="most seconds the soak's students bring the caches to their steady state before"
        " its judged --soak seconds (0: judge from the start, as before)",
    )
    parser.add_argument(
        "--probe",
        type=Path,
        help="the soak server reads its own memory every 20 s into this file (JSON lines,"
        " ui/compute/memory_probe.py) and the soak prints it minute by minute",
    )
    parser.add_argument("--port", type=int, default=8190, help="first loopback port to use")
    parser.add_argument("--env", action="append", default=[], help="KEY=VALUE for the app servers")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare page")
    parser.add_argument("--no-validate", action="store_true", help="skip the link check")
    parser.add_argument(
        "--revisit", action="store_true", help="then the first level again, touring only"
    )
    options = parser.parse_args()
    options.levels = [int(n) for n in options.levels.split(",")]
    options.think = tuple(float(s) for s in options.think.split(","))
    return asyncio.run(main_async(options))


if __name__ == "__main__":
    raise SystemExit(main())
