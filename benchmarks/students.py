"""The students of the load benchmarks: each with a shared link of its own, and its answers.

bench_load.py (browsers) and bench_class.py (websocket clients) use the same students, so a
student's numbers are checked against the same independent source: gd_core run directly.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import measure  # noqa: F401  (first: puts the repository on sys.path)

import gd_core as gd
from ui import registry

NAMES = [page.file.removeprefix("pages/").removesuffix(".py") for page in registry.PAGES]


@dataclass(frozen=True)
class Student:
    """One student's shared link: every one differs in data and rates."""

    number: int

    @property
    def query(self) -> dict[str, str]:
        i = self.number
        # Streamlit leaves a value out of the address when it is the default: none here is.
        return {
            "seed": str(100 + i),
            "noise": f"{1.1 + 0.1 * (i % 20):.1f}",
            "epochs": ["200", "1000", "2000", "5000"][i % 4],
            "same_rate": "false",
            "lr_k": f"{0.004 + 0.0005 * (i % 10):g}",
            "lr_b": f"{0.02 + 0.01 * (i % 5):g}",
        }

    @property
    def first_page(self) -> str:
        return NAMES[self.number % len(NAMES)]

    def expected_metrics(self, noise: float) -> list[str]:
        """k, b and loss after the last epoch, as the Fit page formats them, from gd_core."""
        return list(_expected(tuple(self.query.items()), round(noise, 1)))


@functools.cache
def _expected(query: tuple[tuple[str, str], ...], noise: float) -> tuple[str, str, str]:
    q = dict(query)
    data = gd.make_dataset(100, 2.0, 1.0, noise, (0.0, 10.0), int(q["seed"]))
    optimizer = gd.make_optimizer("sgd", (float(q["lr_k"]), float(q["lr_b"])))
    run = gd.train(data, optimizer, int(q["epochs"]))
    return f"{run.k[-1]:.5g}", f"{run.b[-1]:.5g}", f"{run.loss[-1]:.5g}"
