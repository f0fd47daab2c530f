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
