"""The kept runs as one CSV: every epoch a student expects, not only the drawn ones.

A kept run holds only its drawn epochs (ui/plain/history.py), so the CSV trains each run again
from its settings, which gives the same numbers (training is deterministic, seeds included),
when the download is clicked and never before.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import gd_core as gd
from ui.compute.runs import load_dataset, train
from ui.plain import run_diff
from ui.plain.history import KeptRun, labels

# Runs up to this many epochs are written epoch by epoch; longer ones at this many epochs,
# log-spaced with each stretch's extremes (gd.plot_indices), so a file stays a few megabytes.
CSV_EVERY_EPOCH = 20_000


def kept_rows(kept: list[KeptRun]) -> pd.DataFrame:
    """One row per kept run and epoch: run, settings (what it changes from the reference, as
    the legend says), epoch, k, b, loss, and all settings (every one of the run's, so that the
    file alone says how each run was made)."""
    names = labels(kept)
    parts = []
    for run in kept:
        result = train(run.config, load_dataset(run.config.data))
        length = len(result.loss)
        if length <= CSV_EVERY_EPOCH + 1:
            epochs = np.arange(length)
        else:
            epochs = gd.plot_indices([result.k, result.b, result.loss], CSV_EVERY_EPOCH)
        parts.append(
            pd.DataFrame(
                {
                    "run": run.name,
                    "settings": names[run.number],
                    "epoch": epochs,
                    "k": result.k[epochs],
                    "b": result.b[epochs],
                    "loss": result.loss[epochs],
                    "all settings": run_diff.full_text(run.config),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def kept_csv(kept: list[KeptRun]) -> bytes:
    return kept_rows(kept).to_csv(index=False).encode()
