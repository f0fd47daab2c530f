"""Plain GD's excess loss split into its two modes, for the Loss page (cached on the config)."""

from __future__ import annotations

import numpy as np

import gd_core as gd
from ui.charts import render
from ui.compute import sizes
from ui.compute.class_cache import class_cache
from ui.compute.runs import MAX_CHART_POINTS
from ui.config import Config
from ui.plain.limit_advice import is_exact


def applies(config: Config) -> bool:
    """The split is exact for plain full-batch GD at a constant rate on x as it is: the
    question every page asks of the theory (limit_advice.is_exact), so a warm-up, which changes
    the rate as a schedule does, hides the split here too."""
    return is_exact(config.train)


def mode_label(mode: gd.LossMode, other: gd.LossMode) -> str:
    """ "fast: mostly k, ×0.0398 per epoch": its pace against the other mode's, the parameter
    its direction mostly moves, and its loss factor per epoch."""
    shown, other_shown = f"{mode.loss_factor:.4g}", f"{other.loss_factor:.4g}"
    if mode.loss_factor > 1.0:
        pace = "growing"
    elif shown == other_shown:  # equal as far as the label can tell: neither is faster
        pace = "same pace"
    else:
        pace = "fast" if mode.factor < other.factor else "slow"
    return f"{pace}: mostly {mode.mostly}, ×{shown} per epoch"


@class_cache(sizes.VIEW_BYTES)
def mode_rows(config: Config, _data: gd.Dataset) -> render.Columns:
    """The MODES rows (ui/charts/mode_charts.py) at up to MAX_CHART_POINTS epochs, every early
    one and log-spaced later: each mode's part of L − L*, and their sum, the run's own.

    Columns, not a frame: they are only drawn, and a frame's text columns (four per part under
    pandas 3, made into pyarrow strings) cost more than the split itself."""
    data, spec = _data, config.train
    lr, init = (spec.lr_k, spec.lr_b), (spec.k0, spec.b0)
    split = gd.mode_losses(data, lr, spec.epochs, init=init)
    first, second = gd.loss_modes(data, lr, init)
    epochs = gd.unique_indices(
        np.concatenate(
            [np.arange(min(spec.epochs, 200) + 1), np.geomspace(1, max(spec.epochs, 1), 1000)]
        ).astype(np.int64)
    )[:MAX_CHART_POINTS]
    # A part 10⁻¹² below the start is gone from the sum: drawing it on would squash the rest.
    floor = 1e-12 * float(split[:, 0].sum())
    numbers: dict[str, list[np.ndarray]] = {"epoch": [], "excess": [], "end": []}
    words: dict[str, list[str]] = {"label": [], "mostly": [], "line": []}
    for line, excess, label, mostly in (
        ("mode 1", split[0, epochs], mode_label(first, second), first.mostly),
        ("mode 2", split[1, epochs], mode_label(second, first), second.mostly),
        ("sum", split[:, epochs].sum(axis=0), "sum: the run's L − L*", "sum"),
    ):
        keep = np.isfinite(excess) & (excess > floor)
        count = int(keep.sum())
        end = np.zeros(count, dtype=bool)
        end[count - 1 :] = True  # each line's last drawn epoch
        numbers["epoch"].append(epochs[keep])
        numbers["excess"].append(excess[keep])
        numbers["end"].append(end)
        for name, word in (("label", label), ("mostly", mostly), ("line", line)):
            words[name] += [word] * count
    rows = {name: np.concatenate(values) for name, values in numbers.items()}
    return {
        "epoch": rows["epoch"],
        "excess": rows["excess"],
        **{name: render.text(values) for name, values in words.items()},
        "end": rows["end"],
        "last_epoch": np.full(len(rows["epoch"]), int(epochs[-1]), dtype=np.int64),
    }
