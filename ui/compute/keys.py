"""How cached calls hash the frozen specs: by their fingerprint (ui/config.py), not field by field.

Pass `hash_funcs=keys.SPECS` to every st.cache_data / st.cache_resource that takes a Config,
DataSpec or TrainSpec (alone or inside a tuple): the key is then a 32-byte digest computed once
per spec object, instead of Streamlit converting the dataclass to a dict and hashing each of
its ~40 fields on every call of every rerun.
"""

from __future__ import annotations

from ui.config import Config, DataSpec, TrainSpec


def _fingerprint(spec: Config | DataSpec | TrainSpec) -> bytes:
    return spec.fingerprint


SPECS = {Config: _fingerprint, DataSpec: _fingerprint, TrainSpec: _fingerprint}
