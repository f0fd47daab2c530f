"""The update panel's rows: one per player frame, the step's numbers and the lines that show them.

Every number is gd_core's (`step_receipts`, `gradient_sums`); this module only lays them out:
a small table of k and b (where the step starts, the gradient, the optimizer's state, the rate,
the step), in the notation of the update rule shown on the page, and the gradient with the
data's sums plugged in. Lines are monospace and at most about 48 characters, so they fit a
phone; the browser shows the lines of the frame being played. Each row also carries the ends
of the arrows drawn on the loss surface: −η·g, the step taken and, for momentum, the velocity
−η·μ·b_{t−1} that the buffer carries into the step.
"""

from __future__ import annotations

import functools
import unicodedata

import numpy as np
import pandas as pd

import gd_core as gd
from ui.config import TrainSpec, batch_size
from ui.registry.optimizers import OptimizerEntry

LINES = 14  # columns line0 … line13; unused ones are blank
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
    """`text` left-aligned in `width` columns, a combining hat (m̂) taking none."""
    shown = sum(not unicodedata.combining(char) for char in text)
    return text + " " * max(width - shown, 0)


def _number(value: float) -> str:
    return f"{value:.5g}".replace("-", "−")


def _short(value: float) -> str:
    """4 digits, in brackets when negative: it is plugged into a product or a difference."""
    text = f"{value:.4g}".replace("-", "−")
    return f"({text})" if value < 0 else text


def _row(label: str, pair: tuple[float, float] | None = None) -> str:
    cells = "" if pair is None else "".join(_number(v).rjust(CELL) for v in pair)
    return (_padded(label, LABEL) + cells).replace(" ", SPACE)


def _state(receipt: gd.StepReceipt, name: str) -> tuple[float, float]:
    """A torch-named state pair, or a bias-corrected one ("exp_avg_hat": m/(1 − β1^t))."""
    if name == "exp_avg_hat":
        return tuple(v / receipt.bias_correction1 for v in receipt.exp_avg)  # type: ignore[return-value]
    if name == "exp_avg_sq_hat":
        return tuple(v / receipt.bias_correction2 for v in receipt.exp_avg_sq)  # type: ignore[return-value]
    return getattr(receipt, name)


def gradient_lines(sums: gd.GradientSums, k: float, b: float) -> list[str]:
    """The full-batch gradient's formula, then with this step's k, b and the data's sums."""
    n, k_, b_ = sums.n, _short(k), _short(b)
    sum_xx, sum_x, sum_xy, sum_y = _sum_texts(sums)
    return [
        "g_k = (2/n)·(k·Σx² + b·Σx − Σxy)",
        f"g_k = (2/{n})·({k_}·{sum_xx} + {b_}·{sum_x} − {sum_xy})",
        "g_b = (2/n)·(k·Σx + n·b − Σy)",
        f"g_b = (2/{n})·({k_}·{sum_x} + {n}·{b_} − {sum_y})",
    ]


@functools.lru_cache(maxsize=64)  # the same data's sums on every frame of a run
def _sum_texts(sums: gd.GradientSums) -> tuple[str, str, str, str]:
    return _short(sums.sum_xx), _short(sums.sum_x), _short(sums.sum_xy), _short(sums.sum_y)


def panel_lines(
    receipt: gd.StepReceipt, sums: gd.GradientSums, entry: OptimizerEntry, adaptive: bool
) -> list[str]:
    """The panel for one step, top to bottom."""
    t = receipt.epoch
    lines = [
        _row(f"Epoch {t:,} → {t + 1:,}") + "k".rjust(CELL) + "b".rjust(CELL),
        _row("at θ", (receipt.k, receipt.b)),
        _row("gradient g_t", receipt.gradient),
    ]
    for symbol, name in entry.state_rows:
        label = symbol if name.endswith("_hat") else f"{symbol} ({name})"  # torch's name
        lines.append(_row(label, _state(receipt, name)))
    lines.append(_row("rate η", receipt.learning_rate))
    if adaptive:
        lines.append(_row("effective rate", receipt.effective_rate))
    lines.append(_row(f"step {entry.step_rule}", receipt.step))
    lines += gradient_lines(sums, receipt.k, receipt.b)
    return [line.replace(" ", SPACE) for line in lines]


def _last_lines(data: gd.Dataset, k: float, b: float, epoch: int) -> list[str]:
    """The last frame has no step after it: where the run ended, and the gradient there."""
    lines = [
        _row(f"Epoch {epoch:,}: the end") + "k".rjust(CELL) + "b".rjust(CELL),
        _row("at θ", (k, b)),
        _row("gradient g", gd.gradient(data, k, b)),
        "No step after the last epoch.",
        *gradient_lines(gd.gradient_sums(data), k, b),
    ]
    return [line.replace(" ", SPACE) for line in lines]


def receipt_rows(
    data: gd.Dataset,
    optimizer: gd.Optimizer,
    run: gd.Run,
    entry: OptimizerEntry,
    epochs: np.ndarray,
) -> pd.DataFrame:
    """One row per frame epoch (the last may be the run's end): its panel lines and arrows."""
    last = len(run.k) - 1
    stepped = [int(epoch) for epoch in epochs if epoch < last]
    receipts = gd.step_receipts(data, optimizer, run, stepped)
    sums = gd.gradient_sums(data)
    adaptive = optimizer.gain is None
    rows = []
    for receipt in receipts:
        lr_k, lr_b = receipt.learning_rate
        (g_k, g_b), (d_k, d_b) = receipt.gradient, receipt.step
        row = {
            "epoch": receipt.epoch,
            "k": receipt.k,
            "b": receipt.b,
            "gradient_k": receipt.k - lr_k * g_k,  # the end of −η·g
            "gradient_b": receipt.b - lr_b * g_b,
            "step_k": receipt.k + d_k,
            "step_b": receipt.b + d_b,
        }
        if receipt.momentum_buffer is not None:
            # μ·b_{t−1} = b_t − g_t: the part of the step the buffer carried in.
            carried = np.subtract(receipt.momentum_buffer, receipt.gradient)
            row["velocity_k"] = receipt.k - lr_k * carried[0]
            row["velocity_b"] = receipt.b - lr_b * carried[1]
        lines = panel_lines(receipt, sums, entry, adaptive)
        rows.append(row | _numbered(lines))
    if epochs.size and epochs[-1] >= last:
        k, b = float(run.k[last]), float(run.b[last])
        rows.append({"epoch": last, "k": k, "b": b} | _numbered(_last_lines(data, k, b, last)))
    return pd.DataFrame(rows)


def _numbered(lines: list[str]) -> dict[str, str]:
    padded = [*lines, *[""] * (LINES - len(lines))]
    return {f"line{index}": line for index, line in enumerate(padded[:LINES])}


ARROW_KINDS = {"gradient": "−η·g", "step": "step taken", "velocity": "velocity"}


def arrow_rows(steps: pd.DataFrame) -> pd.DataFrame:
    """The arrows in long form: (epoch, k, b, k_end, b_end, arrow), one row per arrow a step
    has (velocity only for momentum); rows that cannot be drawn (not finite) left out.

    Stacked in NumPy, one block of rows per kind of arrow: the Parameters page draws these on
    every rerun, and the same in pandas (select, dropna, rename, assign, concat per kind) was
    a tenth of a cached visit's server time.
    """
    kinds = [(kind, label) for kind, label in ARROW_KINDS.items() if f"{kind}_k" in steps]
    if not kinds:
        return pd.DataFrame(columns=["epoch", "arrow", "k", "b", "k_end", "b_end"])
    starts = [steps[name].to_numpy() for name in ("epoch", "k", "b")]
    columns = {
        name: np.concatenate([start] * len(kinds))
        for name, start in zip(("epoch", "k", "b"), starts, strict=True)
    }
    for end in ("k", "b"):
        columns[f"{end}_end"] = np.concatenate(
            [steps[f"{kind}_{end}"].to_numpy() for kind, _ in kinds]
        )
    columns["arrow"] = np.repeat([label for _, label in kinds], len(steps))
    values = np.column_stack([columns[name] for name in ("k", "b", "k_end", "b_end")])
    keep = np.isfinite(values).all(axis=1)
    return pd.DataFrame({name: column[keep] for name, column in columns.items()})
