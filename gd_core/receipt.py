"""The receipt of one full-batch step: the gradient, the optimizer's state and the step taken.

Epoch t's step goes from (k_t, b_t) to (k_{t+1}, b_{t+1}). Its gradient is taken at (k_t, b_t);
its state is the optimizer's after that gradient went in, replayed from the start of the run
with the optimizer's own `update` on the run's own gradients, so no update rule is written
twice. State is reported under the names torch.optim keeps it by in `optimizer.state[p]`:

    momentum, Nesterov   momentum_buffer                b_t
    AdaGrad              sum                            s_t
    RMSProp              square_avg                     v_t
    Adam                 exp_avg, exp_avg_sq            m_t, v_t (before bias correction)
    Adamax               exp_avg, exp_inf               m_t, u_t

with Adam's bias corrections 1 − β1^t and 1 − β2^t (Adamax's 1 − β1^t) as torch's step code
names them, `bias_correction1` and `bias_correction2`. Full batch only: a mini-batch epoch
takes several steps at gradients that the run's per-epoch positions do not record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gd_core.data import Dataset
from gd_core.descent import scheduled_rates
from gd_core.model import gradient
from gd_core.optimizers import Optimizer
from gd_core.run import Run
from gd_core.thinning import unique_indices

Pair = tuple[float, float]

BLOCK = 65_536  # epochs replayed per block of NumPy gradients
# The state names torch.optim uses, in the order a receipt lists them.
TORCH_STATE = ("momentum_buffer", "sum", "square_avg", "exp_avg", "exp_avg_sq", "exp_inf")


@dataclass(frozen=True)
class StepReceipt:
    """What epoch `epoch`'s step did, for k and for b (each pair is (k, b)).

    `gradient` is (g_k, g_b) at (`k`, `b`) = (run.k[epoch], run.b[epoch]); `step` is
    (run.k[epoch + 1] − run.k[epoch], run.b[epoch + 1] − run.b[epoch]), so it is minus the
    update; `learning_rate` is this epoch's rate (its schedule applied) and `effective_rate` the
    rate the rule applied to its gradient signal after the step (lr/(√v̂ + eps) for the adaptive
    rules, lr for the others). The optimizer's state after the step is under torch.optim's
    names; a name the optimizer does not keep is None.
    """

    epoch: int
    k: float
    b: float
    gradient: Pair
    step: Pair
    learning_rate: Pair
    effective_rate: Pair
    momentum_buffer: Pair | None = None
    sum: Pair | None = None
    square_avg: Pair | None = None
    exp_avg: Pair | None = None
    exp_avg_sq: Pair | None = None
    exp_inf: Pair | None = None
    bias_correction1: float | None = None  # 1 − β1^t, t = epoch + 1 (Adam, Adamax)
    bias_correction2: float | None = None  # 1 − β2^t (Adam)

    @property
    def state(self) -> dict[str, Pair]:
        """The optimizer's state after the step, by torch.optim's names (empty for plain GD)."""
        values = {name: getattr(self, name) for name in TORCH_STATE}
        return {name: value for name, value in values.items() if value is not None}


def _checked_epochs(run: Run, epochs: Sequence[int]) -> np.ndarray:
    last = len(run.k) - 2  # the last epoch with a step after it
    # An array of whole numbers (the player's frames) is checked at once; anything else one by
    # one, which also names the epoch that is wrong.
    whole = isinstance(epochs, np.ndarray) and epochs.ndim == 1 and epochs.dtype.kind in "iu"
    if whole and (not epochs.size or (epochs.min() >= 0 and epochs.max() <= last)):
        return epochs.astype(np.int64)
    checked = []
    for epoch in epochs:
        if isinstance(epoch, bool) or not isinstance(epoch, int | np.integer):
            raise ValueError(f"epoch must be a whole number; got {epoch!r}.")
        if not 0 <= epoch <= last:
            raise ValueError(
                f"epoch must be between 0 and {last}: this run has {len(run.k) - 1} steps, "
                f"and epoch t's receipt is the step from t to t + 1; got {epoch}."
            )
        checked.append(int(epoch))
    return np.array(checked, dtype=np.int64)


@dataclass(frozen=True)
class StepTable:
    """StepReceipt's fields for many epochs at once, as read-only arrays, row i for `epoch[i]`.

    A pair field is an (n, 2) array of (k, b) rows, a scalar field an (n,) array; `state` holds
    the optimizer's state pairs under torch.optim's names (empty for plain GD), and the bias
    corrections are None for the rules without them. The update panel lays out hundreds of
    epochs per new run: as arrays it formats them in bulk, where hundreds of frozen receipts
    cost more than training the run.
    """

    epoch: np.ndarray
    k: np.ndarray
    b: np.ndarray
    gradient: np.ndarray
    step: np.ndarray
    learning_rate: np.ndarray
    effective_rate: np.ndarray
    state: dict[str, np.ndarray]
    bias_correction1: np.ndarray | None = None
    bias_correction2: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.epoch)

    def receipt(self, row: int) -> StepReceipt:
        """Row `row` as a StepReceipt (Python floats)."""

        def pair(values: np.ndarray) -> Pair:
            return (float(values[row, 0]), float(values[row, 1]))

        corrections = {
            name: float(values[row])
            for name, values in (
                ("bias_correction1", self.bias_correction1),
                ("bias_correction2", self.bias_correction2),
            )
            if values is not None
        }
        return StepReceipt(
            epoch=int(self.epoch[row]),
            k=float(self.k[row]),
            b=float(self.b[row]),
            gradient=pair(self.gradient),
            step=pair(self.step),
            learning_rate=pair(self.learning_rate),
            effective_rate=pair(self.effective_rate),
            **{name: pair(values) for name, values in self.state.items()},
            **corrections,
        )


def step_table(data: Dataset, optimizer: Optimizer, run: Run, epochs: Sequence[int]) -> StepTable:
    """The receipts of `epochs` (in any order, repeats allowed) as one StepTable, replaying the
    run only once.

    Plain GD keeps no state, so its receipts need only their own epochs' gradients; the other
    rules replay every step up to the latest epoch asked for, in blocks of at most BLOCK
    epochs: a million epochs as Python lists at once would hold over 100 MB. Every number is
    the one a step-by-step replay gives: the arithmetic on arrays is the same IEEE operations
    (and correctly rounded roots) as on the replay's floats.
    """
    wanted = _checked_epochs(run, epochs)
    at = unique_indices(wanted)  # sorted, each once
    end = int(at[-1]) + 1 if at.size else 0  # steps to replay: epochs 0 … max(wanted)
    # The rates each epoch was given, reduce-on-plateau's replayed from the run's losses.
    given_k, given_b = scheduled_rates(optimizer, run.loss, end)
    slots = len(optimizer.state_names)
    kept_k: list[tuple] = []  # the state after each of `at`'s steps
    kept_b: list[tuple] = []
    if slots:
        update = optimizer.update
        state_k, state_b = optimizer.init(0.0), optimizer.init(0.0)
        done = 0  # steps replayed so far
        for epoch in at.tolist():
            while done <= epoch:
                stop = min(done + BLOCK, epoch + 1)
                block_k, block_b = gradient(data, run.k[done:stop], run.b[done:stop])
                for g_k, g_b, rate_k, rate_b in zip(
                    block_k.tolist(),
                    block_b.tolist(),
                    given_k[done:stop].tolist(),
                    given_b[done:stop].tolist(),
                    strict=True,
                ):
                    _, state_k = update(g_k, state_k, rate_k)
                    _, state_b = update(g_b, state_b, rate_b)
                done = stop
            kept_k.append(state_k)
            kept_b.append(state_b)
    row = np.searchsorted(at, wanted)  # each wanted epoch's row among `at`'s
    k, b = run.k[at], run.b[at]
    # Slot i of every kept state, for k and for b: a (len(at),) array each.
    states_k = tuple(np.array(kept_k, dtype=np.float64).reshape(len(at), slots).T)
    states_b = tuple(np.array(kept_b, dtype=np.float64).reshape(len(at), slots).T)
    rates_k, rates_b = given_k[at], given_b[at]

    def pairs(k_values: np.ndarray, b_values: np.ndarray) -> np.ndarray:
        both = np.column_stack([k_values, b_values]).astype(np.float64)[row]
        both.setflags(write=False)
        return both

    named = dict(zip(optimizer.state_names, zip(states_k, states_b, strict=True), strict=True))
    powers = {name: named.pop(name)[0] for name in ("beta1_power", "beta2_power") if name in named}
    corrections = {
        f"bias_correction{index}": _read_only(1.0 - powers[f"beta{index}_power"][row])
        for index in (1, 2)
        if f"beta{index}_power" in powers
    }
    effective = [
        np.broadcast_to(optimizer.effective_rate(state, rates), rates.shape)
        for state, rates in ((states_k, rates_k), (states_b, rates_b))
    ]
    return StepTable(
        epoch=_read_only(wanted),
        k=_read_only(k[row]),
        b=_read_only(b[row]),
        gradient=pairs(*gradient(data, k, b)),
        step=pairs(run.k[at + 1] - k, run.b[at + 1] - b),
        learning_rate=pairs(rates_k, rates_b),
        effective_rate=pairs(*effective),
        state={name: pairs(*values) for name, values in named.items()},
        **corrections,
    )


def _read_only(values: np.ndarray) -> np.ndarray:
    values.setflags(write=False)
    return values


def step_receipts(
    data: Dataset, optimizer: Optimizer, run: Run, epochs: Sequence[int]
) -> list[StepReceipt]:
    """`step_receipt` at each of `epochs` (in any order), replaying the run only once (see
    `step_table`, whose rows these are)."""
    table = step_table(data, optimizer, run, epochs)
    return [table.receipt(row) for row in range(len(table))]


def step_receipt(data: Dataset, optimizer: Optimizer, run: Run, epoch: int) -> StepReceipt:
    """The receipt of epoch `epoch`'s step in the full-batch `run` that `optimizer` trained on
    `data` (see StepReceipt). `epoch` runs from 0 to len(run.k) − 2."""
    return step_receipts(data, optimizer, run, [epoch])[0]


@dataclass(frozen=True)
class GradientSums:
    """The sums the full-batch gradient is built from, as a student writes it:

    g_k = (2/n)·(k·Σx² + b·Σx − Σxy),  g_b = (2/n)·(k·Σx + n·b − Σy).
    """

    n: int
    sum_x: float
    sum_y: float
    sum_xx: float
    sum_xy: float


def gradient_sums(data: Dataset) -> GradientSums:
    """The raw sums of `data` that the gradient formula on the page plugs in."""
    x, y = data.x, data.y
    return GradientSums(
        data.n,
        float(np.sum(x)),
        float(np.sum(y)),
        float(np.dot(x, x)),
        float(np.dot(x, y)),
    )
