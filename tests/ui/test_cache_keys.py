"""Cached calls hash specs and Compare's strategies by fingerprint: equal values share a key,
any changed field (a nested spec's too) gets its own."""

import hashlib
from dataclasses import replace

from streamlit.runtime.caching.cache_type import CacheType
from streamlit.runtime.caching.hashing import update_hash

import gd_core as gd
from ui.compute import keys
from ui.config import Config, DataSpec, TrainSpec
from ui.plain.strategies import default_strategies

DATA = gd.make_dataset(100, 2.0, 1.0, 1.0)


def _key(value: object) -> str:
    hasher = hashlib.new("md5")
    update_hash(value, hasher, CacheType.DATA, hash_funcs=keys.SPECS)
    return hasher.hexdigest()


def test_equal_strategies_share_a_key_and_each_change_gets_its_own():
    base = default_strategies(TrainSpec(), DATA)
    first = base[0]
    changed = [
        replace(first, spec=replace(first.spec, lr_k=first.spec.lr_k * 2)),
        replace(first, spec=replace(first.spec, lr_b=float(first.spec.lr_b))),  # same value
        replace(first, label=first.label + " again"),
        replace(first, why=first.why + "."),
    ]
    assert _key(default_strategies(TrainSpec(), DATA)) == _key(base)  # new objects, same values
    assert _key([changed[1], *base[1:]]) == _key(base)
    others = {_key([strategy, *base[1:]]) for strategy in (changed[0], changed[2], changed[3])}
    assert len(others) == 3 and _key(base) not in others
    assert _key(base[::-1]) != _key(base)  # the order is the table's


def test_a_config_key_follows_every_field():
    config = Config(DataSpec(), TrainSpec())
    assert _key(Config(DataSpec(), TrainSpec())) == _key(config)
    assert _key(replace(config, data=replace(config.data, seed=1))) != _key(config)
    assert _key(replace(config, train=replace(config.train, momentum=0.5))) != _key(config)
