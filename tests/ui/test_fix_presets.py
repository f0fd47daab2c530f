"""Every preset called a fix shows the fix working: gd_core's verdict on its own run is
"converged" within the preset's own epochs, and its trace says what it demonstrates."""

from __future__ import annotations

from dataclasses import fields

import pytest

import gd_core as gd
from ui.config import DataSpec, TrainSpec, batch_size, build_optimizer
from ui.state.presets import PRESET_POINTS, PRESETS, preset_settings, preset_trace

FIXES = [name for name in PRESETS if name.startswith("Fix")]


def preset_run(name: str) -> tuple[gd.Run, int]:
    """The run the sidebar trains once the preset is applied (one rate for both when the
    "same rate" switch is on, as the sidebar does), and its epochs."""
    values = preset_settings(name)
    if values["same_rate"]:
        values["lr_b"] = values["lr_k"]
    data = DataSpec(**{f.name: values[f.name] for f in fields(DataSpec) if f.name in values})
    train = TrainSpec(**{f.name: values[f.name] for f in fields(TrainSpec) if f.name in values})
    points = gd.make_dataset(
        data.n, data.slope, data.intercept, data.noise, (data.x_min, data.x_max), data.seed
    )
    run = gd.train(
        points,
        build_optimizer(train),
        train.epochs,
        (train.k0, train.b0),
        batch_size(train),
        standardize=train.standardize,
    )
    return run, train.epochs


def test_there_are_fixes_and_each_says_what_it_demonstrates():
    assert len(FIXES) >= 4 and set(FIXES) == set(PRESET_POINTS)


@pytest.mark.parametrize("name", FIXES)
def test_every_fix_converges_within_its_own_epochs(name):
    run, epochs = preset_run(name)
    assert run.status == "converged", f"{name}: {run.status}"
    assert run.converged_at <= epochs


def test_the_point_is_said_only_of_the_presets_own_run():
    name = "Fix 3: Adam"
    own = preset_settings(name)
    assert PRESET_POINTS[name] in preset_trace(name, own)
    assert PRESET_POINTS[name] not in preset_trace(name, own | {"lr_k": 0.01})
    assert PRESET_POINTS[name] not in preset_trace(name, own, uploaded=True)
