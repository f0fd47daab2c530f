"""What the update panel costs: replaying a long run's optimizer state for the player's frames.

    python benchmarks/bench_player.py

The panel's rows (ui/plain/receipts.py) need the optimizer's state at each of the player's
frames, which means replaying every step of the run with the optimizer's own update. For each
optimizer, a million-epoch full-batch run on the default data: the CPU time of train() and of
the panel's rows, in microseconds per epoch, against the figure the work budget charges for
the replay (ui/plain/budget.py: the optimizer's stepped cost per epoch, from the registry).
Measured reruns run about 1.5 times the budget's estimates, so that is the target here too.
"""

from __future__ import annotations

import time

import measure  # first: puts the repository on sys.path

import gd_core as gd
from ui import registry
from ui.plain.player_frames import frames_for
from ui.plain.receipts import receipt_rows

EPOCHS = 1_000_000
SLACK = 1.5  # measured reruns against the budget's estimates (ui/plain/budget.py)


def cpu(work, *args) -> tuple[float, object]:
    """CPU seconds of work(*args) (robust on a shared machine), and its result."""
    start = time.process_time()
    result = work(*args)
    return time.process_time() - start, result


def main() -> int:
    data = gd.make_dataset(100, 2.0, 1.0, 1.0)
    print(f"{EPOCHS:,} full-batch epochs, default data; CPU microseconds per epoch\n")
    for name, entry in registry.OPTIMIZERS.items():
        optimizer = entry.factory(0.01)
        trained, run = cpu(gd.train, data, optimizer, EPOCHS)
        at = frames_for(len(run.k) - 1).epochs()
        panel, _ = cpu(receipt_rows, data, optimizer, run, entry, at)
        charged = entry.microseconds[1] if optimizer.state_names else 0.0
        print(
            f"  {name:<9} train() {1e6 * trained / EPOCHS:5.2f}   panel {1e6 * panel / EPOCHS:5.2f}"
        )
        measure.report(
            f"{name}: panel µs per epoch (budget charges {charged:g})",
            1e6 * panel / EPOCHS,
            max(SLACK * charged, 0.1),  # plain GD reads only its frames: next to nothing
            higher_is_better=False,
        )
    return measure.summary()


if __name__ == "__main__":
    raise SystemExit(main())
