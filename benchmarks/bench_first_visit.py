"""What each page costs the server the first time a student opens it with new settings.

    python benchmarks/bench_first_visit.py [--students 8] [--port 8170]

In a class, every move of a slider makes the next visit of every page a first visit: the run
and each page's own views (a sweep, a map, ten strategies, a range test) are computed once,
then served from the caches. This starts `streamlit run app.py` on loopback and, for each page
and each of `--students` students (benchmarks/students.py) at a noise nobody has opened yet:
opens Fit (the run, shared by every page), then the page in a new session (its own views
miss), then the page again in another session (everything hits). It prints the server's CPU
(/proc) per visit, averaged over the students, and the difference: the page's own first-visit
work. Fit's row is the run itself (Fit at a new noise against Fit again). No target: the issue
names none; the notes of issue 15's follow-up compare it before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics

import measure  # first: puts the repository on sys.path
from students import NAMES, Student

from scripts import serve_class
from scripts.class_client import Session
from ui import registry

PATHS = {name: page.url_path for name, page in zip(NAMES, registry.PAGES, strict=True)}


async def visit(url: str, pid: int, page: str, query: dict[str, str]) -> float:
    """Server CPU seconds for one new session opening `page` with `query`."""
    session = Session(url, PATHS[page], query)
    before = measure.cpu_seconds(pid)
    await session.open()
    used = measure.cpu_seconds(pid) - before
    await session.close()
    return used


async def main_async(options) -> None:
    with serve_class.serve(1, options.port) as served:
        url, pid = served.url, served.replicas[0].pid
        # A fresh server's first runs import Altair and pandas, and the player's charts build a
        # template per run length: every page once per student's epochs, at a noise kept for it.
        for number in range(min(4, options.students)):
            for page in NAMES:
                await visit(url, pid, page, Student(number).query | {"noise": "5.0"})
        print(f"{'page':<12} {'first ms':>9} {'again ms':>9} {'own work':>9}")
        total = 0.0
        for index, page in enumerate(NAMES):
            first, again = [], []
            for number in range(options.students):
                # Noise 0.1 … 4.9: every (page, student) pair gets a noise of its own.
                noise = 0.1 * (1 + (index * options.students + number) % 49)
                query = Student(number).query | {"noise": f"{noise:.1f}"}
                if page == "fit":
                    first.append(await visit(url, pid, page, query))
                else:
                    await visit(url, pid, "fit", query)  # the run, as the class computes it
                    first.append(await visit(url, pid, page, query))
                again.append(await visit(url, pid, page, query))
            a, b = statistics.mean(first), statistics.mean(again)
            total += a - b
            print(f"{page:<12} {1000 * a:9.0f} {1000 * b:9.0f} {1000 * (a - b):9.0f}")
        print(f"{'every page':<12} {'':>9} {'':>9} {1000 * total:9.0f}  (a round at new settings)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=8, help="visits per page, averaged")
    parser.add_argument("--port", type=int, default=8170, help="loopback port of the server")
    options = parser.parse_args()
    asyncio.run(main_async(options))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
