"""How cached calls hash the frozen specs: by their fingerprint (ui/config.py), not field by field.

class_cache.py passes `hash_funcs=keys.SPECS` to every cache of a Config, DataSpec, TrainSpec or
Compare's Strategy (alone or inside a tuple or list), and so must any other: the key is then a
32-byte digest computed once per spec object, instead of Streamlit converting the dataclass to
a dict and hashing each of its ~40 fields on every call of every rerun (a Strategy's spec too:
Compare's ten strategies took ~2.7 ms of each of its reruns).
"""

from __future__ import annotations

from ui.config import Config, DataSpec, Fingerprinted, TrainSpec
from ui.plain.strategies import Strategy


def _fingerprint(spec: Fingerprinted) -> bytes:
    return spec.fingerprint


SPECS = {kind: _fingerprint for kind in (Config, DataSpec, TrainSpec, Strategy)}
