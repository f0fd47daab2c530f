"""The update panel's rows: one per player frame, the step's numbers and the lines that show them.

Every number is gd_core's (`step_table`, `gradient_sums`); this module only lays them out:
a small table of k and b (where the step starts, the gradient, the optimizer's state, the rate,
the step), in the notation of the update rule shown on the page, and the gradient with the
data's sums plugged in. Lines are monospace and at most about 48 characters, so they fit a
phone; the browser shows the lines of the frame being played. Each row also carries the ends
of the arrows drawn on the loss surface: −η·g, the step taken and, for momentum, the velocity
−η·μ·b_{t−1} that the buffer carries into the step.
"""

from __future__ import annotations

import functools
import math
import unicodedata

import numpy as np
import pandas as pd

import gd_core as gd
from ui.config import TrainSpec, batch_size
from ui.registry.optimizers import OptimizerEntry

LINES = 14  # the most lines a panel has (Adam's); a run's rows have as many as its longest
SPACE = "\u00a0"  # a space Vega does not collapse, so the columns stay aligned
LABEL, CELL = 22, 12


def panel_applies(spec: TrainSpec, n: int) -> bool:
    """Whether a run's steps can be read from its per-epoch positions: full batch (a mini-batch
    epoch takes several steps) on x as it is (standardised x steps in other units)."""
    size = batch_size(spec)
    return (size is None or size >= n) and not spec.standardize


# Labels repeat on every frame of every run (and epochs' on every run of the same length):
# counting their combining characters each time was a quarter of a new run's panel.
@functools.lru_cache(maxsize=4096)
def _padded(text: str, width: int) -> str:
    """`text` left-aligned in `width` columns, a combining hat (m̂) taking none, in SPACEs."""
    shown = sum(not unicodedata.combining(char) for char in text)
    return (text + " " * max(width - shown, 0)).replace(" ", SPACE)


def _number(value: float) -> str:
    return f"{value:.5g}".replace("-", "−")


def _short(value: float) -> str:
    """4 digits, in brackets when negative: it is plugged into a product or a difference."""
    text = f"{value:.4g}".replace("-", "−")
    return f"({text})" if value < 0 else text


def _row(label: str, pair: tuple[float, float] | None = None) -> str:
    """A label and its k and b cells, spaced with SPACE (a number has no space in it)."""
    if pair is None:
        return _padded(label, LABEL)
    return (
        _padded(label, LABEL)
        + _number(pair[0]).rjust(CELL, SPACE)
        + _number(pair[1]).rjust(CELL, SPACE)
    )


_HEADS = "k".rjust(CELL, SPACE) + "b".rjust(CELL, SPACE)  # the k and b columns' heads


def _state(table: gd.StepTable, name: str) -> np.ndarray:
    """A torch-named state's pairs, or bias-corrected ones ("exp_avg_hat": m/(1 − β1^t))."""
    if name == "exp_avg_hat":
        return table.state["exp_avg"] / table.bias_correction1[:, None]
    if name == "exp_avg_sq_hat":
        return table.state["exp_avg_sq"] / table.bias_correction2[:, None]
    return table.state[name]


def gradient_lines(sums: gd.GradientSums, k: float, b: float) -> list[str]:
    """The full-batch gradient's formula, then with this step's k, b and the data's sums (the
    panel's own lines, `_gradient_columns`, at one point)."""
    return [column[0] for column in _gradient_columns(sums, np.array([k]), np.array([b]))]


_GRADIENT_K = "g_k = (2/n)·(k·Σx² + b·Σx − Σxy)".replace(" ", SPACE)
_GRADIENT_B = "g_b = (2/n)·(k·Σx + n·b − Σy)".replace(" ", SPACE)


@functools.lru_cache(maxsize=64)  # the same data's sums on every frame of a run
def _sum_texts(sums: gd.GradientSums) -> tuple[str, str, str, str]:
    return _short(sums.sum_xx), _short(sums.sum_x), _short(sums.sum_xy), _short(sums.sum_y)


@functools.lru_cache(maxsize=64)  # the same optimizer's rows on every frame of a run
def _state_labels(entry: OptimizerEntry) -> tuple[tuple[str, str], ...]:
    """(label, torch name) of each state row: a bias-corrected one by its symbol alone."""
    return tuple(
        (symbol if name.endswith("_hat") else f"{symbol} ({name})", name)
        for symbol, name in entry.state_rows
    )


def _cells(label: str, pairs: np.ndarray) -> list[str]:
    """One line of the panel on every frame: `label`, then each frame's k and b cells (`pairs`,
    an (n, 2) array): each number as `_number` writes it, right-aligned in CELL columns.

    Formatted in bulk, one %-format for every frame's numbers: a format call, a replace and
    a pad per number was most of a new run's panel. `%{CELL}.5g` is `{:.5g}` padded with
    spaces to CELL, and the padding is the only space in it, so SPACE replaces it after."""
    text = (_PAIR_FORMAT * len(pairs)) % tuple(pairs.ravel().tolist())
    head = _padded(label, LABEL)
    return [head + cells for cells in _spaced(text)]


_PAIR_FORMAT = f"%{CELL}.5g%{CELL}.5g\n"  # one frame's k and b cells


def _spaced(text: str) -> list[str]:
    """Lines of %-formatted numbers as the panel writes them: − for -, SPACE for a space."""
    return text.replace("-", "−").replace(" ", SPACE).split("\n")[:-1]


def _shorts(values: np.ndarray) -> list[str]:
    """`_short` of each of `values`, formatted in bulk."""
    texts = _spaced(("%.4g\n" * len(values)) % tuple(values.tolist()))
    return [
        f"({text})" if negative else text
        for text, negative in zip(texts, (values < 0).tolist(), strict=True)
    ]


def panel_lines(
    table: gd.StepTable, sums: gd.GradientSums, entry: OptimizerEntry, adaptive: bool
) -> list[list[str]]:
    """The panel of each step, line by line: the first list holds every frame's first line.

    A line at a time, not a frame at a time: the same label and layout for ~450 frames, so
    the work left is the numbers' own formatting (every new run on Fit and Parameters).
    """
    lines = [
        [_row(f"Epoch {epoch:,} → {epoch + 1:,}") + _HEADS for epoch in table.epoch.tolist()],
        _cells("at θ", np.column_stack([table.k, table.b])),
        _cells("gradient g_t", table.gradient),
    ]
    for label, name in _state_labels(entry):  # torch's name beside the symbol
        lines.append(_cells(label, _state(table, name)))
    lines.append(_cells("rate η", table.learning_rate))
    if adaptive:
        lines.append(_cells("effective rate", table.effective_rate))
    lines.append(_cells(f"step {entry.step_rule}", table.step))
    return lines + _gradient_columns(sums, table.k, table.b)


def _gradient_columns(sums: gd.GradientSums, k: np.ndarray, b: np.ndarray) -> list[list[str]]:
    """The full-batch gradient's formula, then with the data's sums and each (k, b) plugged
    in, as four lines' columns (one entry per frame)."""
    n = sums.n
    sum_xx, sum_x, sum_xy, sum_y = _sum_texts(sums)
    k_texts, b_texts = _shorts(k), _shorts(b)
    # The text around k and b, the same on every frame.
    k_open, k_mid = f"g_k{SPACE}={SPACE}(2/{n})·(", f"·{sum_xx}{SPACE}+{SPACE}"
    k_close = f"·{sum_x}{SPACE}−{SPACE}{sum_xy})"
    b_open, b_mid = f"g_b{SPACE}={SPACE}(2/{n})·(", f"·{sum_x}{SPACE}+{SPACE}{n}·"
    b_close = f"{SPACE}−{SPACE}{sum_y})"
    return [
        [_GRADIENT_K] * len(k_texts),
        [k_open + k_ + k_mid + b_ + k_close for k_, b_ in zip(k_texts, b_texts, strict=True)],
        [_GRADIENT_B] * len(k_texts),
        [b_open + k_ + b_mid + b_ + b_close for k_, b_ in zip(k_texts, b_texts, strict=True)],
    ]


def _last_lines(data: gd.Dataset, k: float, b: float, epoch: int) -> list[str]:
    """The last frame has no step after it: where the run ended, and the gradient there."""
    return [
        _row(f"Epoch {epoch:,}: the end") + _HEADS,
        _row("at θ", (k, b)),
        _row("gradient g", gd.gradient(data, k, b)),
        "No step after the last epoch.".replace(" ", SPACE),
        *gradient_lines(gd.gradient_sums(data), k, b),
    ]


def receipt_rows(
    data: gd.Dataset,
    optimizer: gd.Optimizer,
    run: gd.Run,
    entry: OptimizerEntry,
    epochs: np.ndarray,
) -> pd.DataFrame:
    """One row per frame epoch (the last may be the run's end): its arrows' ends and its
    panel lines (line0, line1, …, as many as the longest panel has)."""
    numbers, lines = receipt_columns(data, optimizer, run, entry, epochs)
    return pd.DataFrame(numbers | lines)


def shows_end(run: gd.Run, epochs: np.ndarray) -> bool:
    """Whether the last of the frames' `epochs` is the run's end, which has no step after it:
    its row comes last, laid out apart (`_last_lines`)."""
    return bool(epochs.size) and epochs[-1] >= len(run.k) - 1


def receipt_columns(
    data: gd.Dataset,
    optimizer: gd.Optimizer,
    run: gd.Run,
    entry: OptimizerEntry,
    epochs: np.ndarray,
) -> tuple[dict[str, list], dict[str, list[str]]]:
    """`receipt_rows` as its columns, as lists: the numbers (epoch, k, b and the arrows'
    ends), and the panel's lines; both empty if there is no frame.

    Built column by column: a frame of ~450 dictionaries cost pandas more than the panel's
    text took to write (a new run on Fit or Parameters builds one), and the lines as a frame
    (fourteen columns of pyarrow strings) cost half as much again.
    """
    last = len(run.k) - 1
    stepped = epochs[epochs < last]
    table = gd.step_table(data, optimizer, run, stepped)
    sums = gd.gradient_sums(data)
    adaptive = optimizer.gain is None
    steps = len(table)
    panels = panel_lines(table, sums, entry, adaptive) if steps else []
    columns: dict[str, list] = {
        "epoch": table.epoch.tolist(),
        "k": table.k.tolist(),
        "b": table.b.tolist(),
    }
    if steps:
        start = np.column_stack([table.k, table.b])
        ends = {
            "gradient": start - table.learning_rate * table.gradient,  # the end of −η·g
            "step": start + table.step,
        }
        if "momentum_buffer" in table.state:
            # μ·b_{t−1} = b_t − g_t: the part of the step the buffer carried in.
            buffer = table.state["momentum_buffer"]
            ends["velocity"] = start - table.learning_rate * (buffer - table.gradient)
        for kind, end in ends.items():
            columns[f"{kind}_k"], columns[f"{kind}_b"] = end[:, 0].tolist(), end[:, 1].tolist()
    if shows_end(run, epochs):
        k, b = float(run.k[last]), float(run.b[last])
        for name, value in columns.items():
            value.append({"epoch": last, "k": k, "b": b}.get(name, math.nan))
        end = _last_lines(data, k, b, last)
        # A line that the steps' panels or the end's lacks is blank there.
        panels = [
            (panels[index] if index < len(panels) else [""] * steps)
            + [end[index] if index < len(end) else ""]
            for index in range(max(len(panels), len(end)))
        ]
    if not panels:
        return {}, {}
    # Columns line0 … line{m−1}, m the longest panel's lines: the pages send every line column
    # to the browser, and count them on each rerun.
    return columns, {f"line{index}": line for index, line in enumerate(panels[:LINES])}


ARROW_KINDS = {"gradient": "−η·g", "step": "step taken", "velocity": "velocity"}


def arrow_rows(steps: pd.DataFrame) -> pd.DataFrame:
    """The arrows in long form: (epoch, k, b, k_end, b_end, arrow), one row per arrow a step
    has (velocity only for momentum); rows that cannot be drawn (not finite) left out."""
    columns = arrow_columns(steps)
    if columns is None:
        return pd.DataFrame(columns=["epoch", "arrow", "k", "b", "k_end", "b_end"])
    return pd.DataFrame(columns)


def arrow_columns(
    steps: pd.DataFrame,
) -> dict[str, np.ndarray | pd.api.extensions.ExtensionArray] | None:
    """`arrow_rows` as its columns (None for steps without arrows): what the Parameters page
    sends is made from them, without a frame in between.

    Stacked in NumPy, one block of rows per kind of arrow: the Parameters page draws these on
    every rerun, and the same in pandas (select, dropna, rename, assign, concat per kind) was
    a tenth of a cached visit's server time.
    """
    kinds = [(kind, label) for kind, label in ARROW_KINDS.items() if f"{kind}_k" in steps]
    if not kinds:
        return None
    starts = [steps[name].to_numpy() for name in ("epoch", "k", "b")]
    columns = {
        name: np.concatenate([start] * len(kinds))
        for name, start in zip(("epoch", "k", "b"), starts, strict=True)
    }
    for end in ("k", "b"):
        columns[f"{end}_end"] = np.concatenate(
            [steps[f"{kind}_{end}"].to_numpy() for kind, _ in kinds]
        )
    values = np.column_stack([columns[name] for name in ("k", "b", "k_end", "b_end")])
    keep = np.isfinite(values).all(axis=1)
    rows = {name: column[keep] for name, column in columns.items()}
    # Each row's label taken by index from a str array of the kinds': pandas made its str
    # column of a NumPy string per row one by one.
    which = np.repeat(np.arange(len(kinds)), len(steps))[keep]
    rows["arrow"] = pd.array([label for _, label in kinds], dtype="str").take(which)
    return rows
