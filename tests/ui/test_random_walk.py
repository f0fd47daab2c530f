"""A student who tries everything: hundreds of random sidebar changes, uploads and page switches.

Seeded, so a failure replays exactly: the assertion message lists the steps that led to it.
Every control is pushed to both of its ends as well as between them (the walk goes on until it
has been), and the only acceptable outcomes are a drawn page or a clear message.
"""

from __future__ import annotations

import random
from pathlib import Path

from tests.ui.helpers import PAGES, fresh_app
from ui.state.controls import BATCH_CHOICES, EPOCH_CHOICES, N_CHOICES

STEPS = 300  # at least; then on until every control has been at both ends
MAX_STEPS = 2_000
SEED = 20261122
DATA = Path(__file__).resolve().parents[1] / "data"
CHOICES = {"n": N_CHOICES, "epochs": EPOCH_CHOICES, "batch": BATCH_CHOICES}
ALL_PAGES = [*PAGES, "pages/lessons.py"]
UPLOADS = sorted(path.name for path in DATA.iterdir() if path.suffix in {".csv", ".txt", ".tsv"})
KINDS = ("slider", "select_slider", "number_input", "selectbox", "toggle", "checkbox")
# Controls the walk must meet, some shown only for one optimizer or schedule: it goes on until it
# has, rather than relying on the seed's path to pass them.
MUST_MEET = {"n", "epochs", "batch", "lr_k", "alpha", "beta2", "every", "gamma", "final"}


class Walk:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.app = fresh_app().run()
        self.steps: list[str] = []
        self.controls: set[str] = set()  # every sidebar control met on the way
        self.ends: set[tuple[str, str]] = set()  # (control, "low" or "high") reached

    def missing_ends(self) -> set[tuple[str, str]]:
        return {(key, end) for key in self.controls for end in ("low", "high")} - self.ends

    def unfinished(self) -> bool:
        """A control met but not yet at both ends, or one never shown (it needs, say, RMSProp)."""
        return bool(self.missing_ends() or MUST_MEET - self.controls)

    def step(self) -> None:
        roll = self.rng.random()
        if roll < 0.15:
            page = self.rng.choice(ALL_PAGES)
            self.app.switch_page(page)
            self.steps.append(f"open {page}")
        elif roll < 0.20:
            self._upload_or_remove()
        elif roll < 0.23 and self._segmented():
            # The page's own pickers (the map's optimizer, Compare's tuning metric).
            control = self.rng.choice(self._segmented())
            value = self.rng.choice(list(control.options))
            control.set_value(value)
            self.steps.append(f"{control.key} = {value}")
        else:
            self._change_one_control()
        self.app.run()

    def _segmented(self) -> list:
        return [c for c in self.app.get("segmented_control") if not c.proto.disabled]

    def _upload_or_remove(self) -> None:
        uploader = self.app.file_uploader(key="csv_upload")
        if uploader.value is not None and self.rng.random() < 0.7:
            uploader.clear()
            self.steps.append("remove the upload")
            return
        name = self.rng.choice(UPLOADS)
        uploader.set_value((name, (DATA / name).read_bytes(), "text/csv"))
        self.steps.append(f"upload {name}")

    def _change_one_control(self) -> None:
        widgets = [
            widget
            for kind in KINDS
            for widget in getattr(self.app.sidebar, kind)
            if not widget.proto.disabled
        ]
        self.controls |= {widget.key for widget in widgets}
        # Mostly a control still short of one of its ends, so that the walk covers them all.
        short = [w for w in widgets if {(w.key, "low"), (w.key, "high")} - self.ends]
        widget = self.rng.choice(short if short and self.rng.random() < 0.8 else widgets)
        # Mostly an end it has not reached: some controls are shown only for a while (an
        # uploaded file's column pickers), and the sidebar has many to share the steps.
        missing = sorted({"low", "high"} - {e for k, e in self.ends if k == widget.key})
        ends = missing if missing and self.rng.random() < 0.8 else ["low", "high", "between"]
        end = self.rng.choice(ends)
        value = self._value(widget, end)
        self.ends.add((widget.key, end))
        self.steps.append(f"{widget.key} = {value!r}")

    def _value(self, widget, end: str):
        kind, rng = type(widget).__name__, self.rng
        if kind in ("Toggle", "Checkbox"):
            value = {"low": False, "high": True, "between": not widget.value}[end]
            widget.set_value(value)
            return value
        if kind == "Selectbox":
            index = {"low": 0, "high": len(widget.options) - 1}.get(end)
            index = rng.randrange(len(widget.options)) if index is None else index
            widget.select_index(index)
            return widget.options[index]
        if kind == "SelectSlider":
            choices = CHOICES[widget.key]
            value = {"low": choices[0], "high": choices[-1]}.get(end, rng.choice(choices))
        else:
            low, high = widget.proto.min, widget.proto.max
            value = {"low": low, "high": high}.get(end, rng.uniform(low, high))
            if kind == "NumberInput" and widget.proto.data_type == widget.proto.INT:
                value = round(value)
            elif kind == "Slider":  # onto the slider's grid, inside its range
                step = widget.proto.step
                value = min(max(round(value / step) * step, low), high)
        widget.set_value(value)
        return value


def test_a_long_random_walk_through_every_control_never_raises():
    walk = Walk(SEED)
    while len(walk.steps) < STEPS or (walk.unfinished() and len(walk.steps) < MAX_STEPS):
        walk.step()
        app, recent = walk.app, " → ".join(walk.steps[-8:])
        assert not app.exception, (
            f"step {len(walk.steps)}, after {recent}: {[e.value for e in app.exception]}"
        )
        assert app.title, f"step {len(walk.steps)}, after {recent}: the page drew nothing"
    assert not walk.missing_ends(), f"never reached: {sorted(walk.missing_ends())}"
    # The walk met every control the sidebar can show (some only for one optimizer or schedule).
    assert walk.controls >= MUST_MEET, f"never shown: {sorted(MUST_MEET - walk.controls)}"
