"""What each chart says to a screen reader: its text alternative, from the run's own numbers.

A screen reader otherwise hears "Vega visualization". Each function here describes one chart
the way a sighted student reads it: what is drawn, and what this run's curve does, with the
numbers gd_core computed (the Trajectory's frame and verdict fields), never a hard-coded story.
Drawn with `render_chart(..., alt=...)`. Plain Python: no Streamlit here.

Each text is two parts (`described`): the chart's name, which says what it draws and never
quotes the run, then this run's numbers. render_chart gives the chart the name and puts the
numbers in a text for screen readers right after it: a chart whose own text changes is rebuilt
from scratch by Streamlit's frontend on every rerun (its spec key includes the text), which cost
more than everything else a slider move does in the browser.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ui.plain import map_text
from ui.plain.loss_captions import rate_summary
from ui.plain.parameter_progress import progress
from ui.plain.records import records
from ui.plain.run_captions import both
from ui.plain.views import AdaptiveRates, StabilityView, Trajectory

SEPARATOR = "\n"  # between a chart's name and its run's numbers


def described(name: str, numbers: str) -> str:
    """A chart's text alternative: its `name` (what it draws, the same for every run), then
    this run's `numbers`."""
    return f"{name}{SEPARATOR}{numbers}"


def _number(value: float) -> str:
    return f"{value:.4g}" if np.isfinite(value) else "overflowed"


def _line(k: float, b: float) -> str:
    """y = k·x + b as a student writes it: "y = 2·x − 0.5", never "+ -0.5"."""
    sign = "−" if b < 0 else "+"
    return f"y = {_number(k)}·x {sign} {_number(abs(b))}"


def _last_epoch(run: Trajectory) -> int:
    return int(run.last["epoch"])


def fit(
    run: Trajectory,
    lines: Sequence[tuple[str, float, float]],
    points: int,
    total: int | None = None,
) -> str:
    """The Fit chart: the points (`points` drawn of the data's `total`, all of them if None),
    the reference lines (name, k, b), the model at an epoch."""
    references = "; ".join(f"{name}: {_line(k, b)}" for name, k, b in lines)
    last = run.last
    return described(
        "Scatter plot of the data points with reference lines "
        f"({', '.join(name for name, _, _ in lines)}) and the model line at the epoch the "
        "player under the chart picks.",
        f"{point_count(points, total)}; {references}. The player goes from epoch 0 to "
        f"{_last_epoch(run):,}; at epoch {_last_epoch(run):,} the model is "
        f"{_line(last.k, last.b)}, loss {_number(last.loss)}. {both(run)}",
    )


def point_count(points: int, total: int | None = None) -> str:
    """ "100 data points", or "2,000 of the 100,000 data points drawn (an even spread)" when the
    chart draws a sample: the data, and what the loss and the steps are computed on, is all of
    them."""
    if total is None or total <= points:
        return f"{points:,} data points"
    return f"{points:,} of the {total:,} data points drawn (an even spread)"


def loss(run: Trajectory, floor: float, noise_variance: float | None) -> str:
    """The loss per epoch on a log scale, against the floor and σ²."""
    first, last = run.frame.iloc[0], run.last
    noisy = noise_variance is not None and noise_variance > 0
    noise = f" and the noise variance σ² = {_number(noise_variance)}" if noisy else ""
    return described(
        "Line chart of the loss per epoch on a log scale, with reference lines at the "
        f"least-squares floor L*{' and the noise variance σ²' if noisy else ''}.",
        f"The loss goes from {_number(first.loss)} at epoch 0 to {_number(last.loss)} at epoch "
        f"{_last_epoch(run):,}; the least-squares floor L* = {_number(floor)}{noise}. {both(run)}",
    )


def excess(run: Trajectory) -> str:
    """The loss above the floor, L − L*, on a log scale."""
    first, last = run.frame.iloc[0], run.last
    return described(
        "Line chart of the loss above the floor, L − L*, per epoch on a log scale.",
        f"L − L* is {_number(first.excess)} at epoch 0 and {_number(last.excess)} at epoch "
        f"{_last_epoch(run):,}. {both(run)}",
    )


def distance(run: Trajectory) -> str:
    """|k − k*| and |b − b*| on a log scale."""
    last = run.last
    return described(
        "Line chart of the distance to the optimum per epoch on a log scale, |k − k*| solid "
        "and |b − b*| dashed.",
        f"At epoch {_last_epoch(run):,}, k is {_number(last.dist_k)} from k* and b is "
        f"{_number(last.dist_b)} from b*. {both(run)}",
    )


def parameter(run: Trajectory, column: str, optimum: float) -> str:
    """k(t) or b(t) against its least-squares value."""
    values = run.frame[column].to_numpy()
    finite = values[np.isfinite(values)]
    span = (
        f"ranges from {_number(finite.min())} to {_number(finite.max())}"
        if finite.size
        else "has no finite value"
    )
    return described(
        f"Line chart of {column} per epoch, with a dashed level line at its least-squares "
        f"value {column}*.",
        f"{column} {span}; it starts at {_number(values[0])} and is {_number(values[-1])} "
        f"at epoch {_last_epoch(run):,}. The level line marks {column}* = {_number(optimum)}. "
        f"In this run {progress(run, column)}.",
    )


def contour(run: Trajectory, optimum: tuple[float, float]) -> str:
    """The loss surface with the path of (k, b)."""
    first, last = run.frame.iloc[0], run.last
    return described(
        "Shaded map of the loss over k (across) and b (up), darker where it is lower, with a "
        "cross at the optimum (k*, b*) and the run's path.",
        f"The optimum (k*, b*) = ({_number(optimum[0])}, {_number(optimum[1])}); the path goes "
        f"from ({_number(first.k)}, {_number(first.b)}) at epoch 0 to ({_number(last.k)}, "
        f"{_number(last.b)}) at epoch {_last_epoch(run):,}.",
    )


def compare(table: Sequence[Mapping], quantity: str) -> str:
    """One of Compare's charts: `quantity` per epoch for each strategy, with each one's end."""
    name = (
        f"Line chart of {quantity} per epoch for each ticked strategy, each with its own "
        "colour and dash; a drop-down above it picks one out."
    )
    if not table:
        return described(name, "No strategy is ticked.")
    endings = "; ".join(f"{row['strategy']}: {row['outcome']}" for row in table)
    return described(name, f"{len(table)} strategies. {endings}.")


def stability(counts: Mapping[str, int], view: StabilityView, optimizer_name: str) -> str:
    """The stability map: how many pairs converge, diverge, and where the marks are."""
    cells, marks = view.cells, view.marks
    total = sum(counts.values())
    best = " " + fastest if (fastest := map_text.fastest_cell(cells)) else ""
    marked = "; ".join(
        f"{row['mark']} at η_k = {_number(row['lr_k'])}, η_b = {_number(row['lr_b'])}"
        for row in records(marks)
    )
    return described(
        f"Map of pairs of rates η_k (across) and η_b (up), both on log scales, for "
        f"{optimizer_name}, coloured by epochs to converge. The sliders under the map move a "
        "square cell by cell and train with the cell it marks.",
        f"{total:,} pairs over {view.epochs:,} epochs: "
        f"{counts.get('converged', 0):,} converge, {counts.get('diverged', 0):,} diverge, "
        f"{counts.get('moving away', 0):,} are moving away and "
        f"{counts.get('not converged', 0):,} are still on their way.{best} Marked: {marked}.",
    )


def effective_rates(adaptive: AdaptiveRates, limits: tuple[float, float]) -> str:
    """Theory section 5: each parameter's effective rate over the epochs."""
    _, parameters, rate = adaptive.positive()
    ends = []
    for parameter, idle in zip("kb", adaptive.idle, strict=True):
        rates = rate[parameters == parameter]
        if rates.size:
            ends.append(f"{parameter}'s from {_number(rates[0])} to {_number(rates[-1])}")
        elif idle == adaptive.epochs:
            ends.append(
                f"no effective rate for {parameter}, whose gradient was exactly 0 at every epoch"
            )
    moves = " and ".join(ends) if ends else "no rate above zero"
    return described(
        "Line chart of the effective rate of k (solid) and b (dashed) per epoch, log scales, "
        "with dotted level lines at the largest stable plain-GD rates.",
        f"Over {adaptive.epochs:,} epochs: {moves}. The level lines are at "
        f"{_number(limits[0])} for k and {_number(limits[1])} for b.",
    )


def rates(run: Trajectory) -> str:
    """The scheduled learning rate per epoch, drawn as steps on a log scale."""
    return described(
        "Step chart of the learning rate of each epoch on a log scale, one line per rate.",
        rate_summary(run),
    )
