"""The strategies the Compare page puts side by side, each a variant of the sidebar's spec."""

from __future__ import annotations

from dataclasses import dataclass, replace

import gd_core as gd
from ui import registry
from ui.config import Fingerprinted, TrainSpec


@dataclass(frozen=True)
class Strategy(Fingerprinted):
    """A named variant of the sidebar's spec; cached calls hash it by its fingerprint (with
    its spec's), not by Streamlit's field-by-field copy of it and its spec."""

    label: str
    spec: TrainSpec
    why: str


def default_strategies(base: TrainSpec, data: gd.Dataset) -> list[Strategy]:
    """Plain GD at the sidebar's rates, and each registered fix (registry.STRATEGIES) with
    rates that suit the current data."""
    limit_k, limit_b = gd.single_parameter_limits(data)
    # No schedule and no warm-up: a strategy that wants one says so in its changes.
    plain = replace(base, optimizer=registry.PLAIN_GD, schedule=registry.CONSTANT_RATE, warmup=0)
    plain = replace(plain, standardize=False)
    strategies = []
    for row in registry.STRATEGIES:
        spec = replace(plain, **row.changes)
        if row.rates is not None:
            lr_k, lr_b = row.rates(limit_k, limit_b)
            spec = replace(spec, lr_k=lr_k, lr_b=lr_b)
        strategies.append(Strategy(row.label, spec, row.why))
    return strategies


def unlinked_edits(defaults: list[Strategy], rows: list[dict]) -> str | None:
    """What the Compare table's edits (`rows`: show, lr_k, lr_b per strategy) change that a
    link does not carry, or None when it is as a link opens it. The table lives in the session:
    its rows and rates have no URL parameter (DESIGN.md's contract lists every one), and one
    per row and rate would be 30 new names for what a student can redo in a few clicks."""
    hidden, edited = [], []
    for strategy, row in zip(defaults, rows, strict=True):
        if not row["show"]:
            hidden.append(strategy.label)
        elif any(row[rate] != getattr(strategy.spec, rate) for rate in ("lr_k", "lr_b")):
            edited.append(strategy.label)
    changes = [f"{_listed(hidden)} hidden"] if hidden else []
    changes += [f"the rates of {_listed(edited)} edited"] if edited else []
    if not changes:
        return None
    return (
        f"Your edits to this table ({'; '.join(changes)}) stay in this browser: a link to this "
        "page opens with every strategy shown at its own starting rates."
    )


def _listed(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"
