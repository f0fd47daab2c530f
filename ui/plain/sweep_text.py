"""Sentences under the Sweeps and LR-finder charts, each computed from what is on screen."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from gd_core.run import superscript
from ui.plain.alt_text import described
from ui.plain.figures import radius_text, rate
from ui.plain.records import records
from ui.plain.views import FinderView

# Two exact rates closer than this ratio draw as one line on the chart's decades of log-rate.
CLOSE = 0.9


def value_text(value: float) -> str:
    """A swept value: whole numbers grouped, others to 4 significant digits, or more where 4
    would round them to a whole number (β2 = 0.99999 is not 1, which no β2 may be)."""
    if float(value).is_integer() and abs(value) >= 1:
        return f"{value:,.0f}"
    for digits in range(4, 18):
        text = f"{value:.{digits}g}"
        if not float(text).is_integer():
            break
    return text


def _quantity(value: float) -> str:
    """A sweep's measured value (epochs, a loss, ρ): 4 significant digits, grouped from 1,000
    on ("1,426 epochs", not "1426" nor "1.426e+03")."""
    return f"{value:,.0f}" if 1_000 <= abs(value) < 1e15 else f"{value:.4g}"


def _points(count: int) -> str:
    return f"{count:,} point" + ("" if count == 1 else "s")


def per_optimizer(points: pd.DataFrame) -> list[tuple[str, np.ndarray]]:
    """Each optimizer's row positions, in the order the optimizers first appear.

    In NumPy: the Sweeps page writes four texts from these groups on every rerun, and pandas'
    groupby, masks and idxmin there were a fifth of a cached visit's server time.
    """
    names, first, codes = np.unique(
        points["optimizer"].to_numpy(dtype=object), return_index=True, return_inverse=True
    )
    order = np.argsort(first, kind="stable")
    return [(str(names[group]), np.flatnonzero(codes == group)) for group in order]


def lowest(values: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, int | None]:
    """The rows (positions) among `rows` whose value is finite, and the first lowest of them."""
    shown = rows[np.isfinite(values[rows])]
    return shown, (int(shown[np.argmin(values[shown])]) if shown.size else None)


# Why a point is missing from the epochs chart, in its outcome's words (outcome_words.outcomes).
MISSING = {
    "diverged": "diverged",
    "moving away": "moving away from the fit",
    "not converged": "not settled within {epochs:,} epochs",
    "not shown to stay": "settled, but not shown to stay",
}


def _missing(outcomes: np.ndarray, epochs: int | None) -> str:
    """What became of the points that did not converge: "27 not settled within 450 epochs".

    The outcomes (an object array of words, NaN where missing) counted as pandas'
    value_counts counts them, most first and a tie in order of first appearance, in Python:
    through pandas it was half a millisecond a call, three calls a visit of Sweeps."""
    counts = Counter(
        outcome for outcome in outcomes if isinstance(outcome, str) and outcome != "converged"
    )
    words = {
        outcome: MISSING.get(outcome, outcome).format(epochs=epochs)
        if epochs is not None
        else outcome
        for outcome in counts
    }
    ordered = sorted(counts.items(), key=lambda pair: -pair[1])  # stable: ties keep their order
    return ", ".join(f"{count} {words[outcome]}" for outcome, count in ordered)


def sweep_optima(points: pd.DataFrame, name: str, epochs: dict[str, int] | None = None) -> str:
    """Per optimizer: where in the sweep it converged fastest, or that it never did, and what
    became of the points it could not draw. `epochs` is how many each optimizer ran
    (sweep_ends says what the range's ends mean for it)."""
    epochs_of, values = points["epochs"].to_numpy(float), points["value"].to_numpy(float)
    outcome_of = points["outcome"].to_numpy(dtype=object)
    parts = []
    for optimizer, rows in per_optimizer(points):
        ran = (epochs or {}).get(optimizer)
        converged, best = lowest(epochs_of, rows)
        outcomes = outcome_of[rows]
        if best is None:
            parts.append(f"**{optimizer}** converged at no point ({_missing(outcomes, ran)})")
            continue
        ties = fastest_values(epochs_of, values, converged, best)
        where = f"{name} = {value_text(values[best])}"
        if len(ties) > 1:
            where = f"{name} from {value_text(ties.min())} to {value_text(ties.max())}"
        counted = f"{len(converged)} of {_points(len(rows))} converged"
        if len(converged) < len(rows):
            counted += f"; not drawn: {_missing(outcomes, ran)}"
        parts.append(
            f"**{optimizer}** converges fastest at {where} ({epochs_of[best]:,.0f} epochs; "
            f"{counted})"
        )
    return "; ".join(parts) + "."


def fastest_values(
    epochs: np.ndarray, values: np.ndarray, converged: np.ndarray, best: int
) -> np.ndarray:
    """The swept values of the `converged` rows that tie with row `best` for fewest epochs."""
    return values[converged[epochs[converged] == epochs[best]]]


def momentum_theory(view, points: pd.DataFrame, span: tuple[float, float]) -> str:
    """Theory's μ of smallest ρ for Momentum at the sidebar's rates beside the fastest point
    measured, Polyak's best pair as a general fact, and why the measured curve is jagged."""
    best, joint = view.optimum, view.polyak
    lr_k, lr_b = best.lr
    rates = f"η = {lr_k:g}" if lr_k == lr_b else f"η_k = {lr_k:g}, η_b = {lr_b:g}"
    text = (
        f"**Theory** (Momentum at your constant {rates}, full batch): ρ is smallest at "
        f"μ* = max(1 − √s₁, √s₂ − 1)² = {best.momentum:.4g}, with s₁ ≤ s₂ the eigenvalues of "
        f"diag(η)·H: there the error shrinks by ρ = {radius_text(best.radius)} per epoch"
    )
    low, high = sorted(span)
    if low <= best.momentum <= high:
        text += " (the solid line)."
    else:
        text += f", outside the swept range ({value_text(low)} to {value_text(high)})."
    rows = np.flatnonzero(points["optimizer"].to_numpy(dtype=object) == "Momentum")
    epochs = points["epochs"].to_numpy(float)
    _, fastest = lowest(epochs, rows)
    if fastest is not None:
        text += (
            f" The fastest point measured on this grid is μ = "
            f"{value_text(points['value'].iloc[fastest])} ({epochs[fastest]:,.0f} epochs)."
        )
    text += (
        " Epochs to converge are whole numbers, counted until k and b last leave their "
        "tolerance band; with momentum the error swings as it shrinks, and a small change of "
        "μ decides whether a swing still crosses the band's edge, so a measured curve can be "
        "jagged, and its lowest point need not sit at the smallest ρ."
    )
    text += (
        f" With the rate free too, the best pair is Polyak's: η = 4/(√λ_min + √λ_max)² = "
        f"{joint.lr[0]:.4g} with μ = ((√κ − 1)/(√κ + 1))² = {joint.momentum:.4g}, "
        f"ρ = {radius_text(joint.radius)}."
    )
    return text


def zero_epochs(points: pd.DataFrame) -> str | None:
    """What the epochs chart cannot draw: points converged at epoch 0, below its log axis
    (a start at the optimum, which no step moves from); None when there are none."""
    at_start = np.count_nonzero(points["epochs"].to_numpy(float) == 0.0)
    if not at_start:
        return None
    which = "Every point" if at_start == len(points) else f"{at_start} of {len(points)} points"
    return (
        f"{which} converged at epoch 0, which a log axis cannot show: the start is the "
        "optimum, and no step moves from it, whatever the rate."
    )


def closest(grades: pd.DataFrame) -> str:
    """Which suggestion lands nearest the fastest single rate, and which farthest, by ratio.

    Read as NumPy columns: through pandas (dropna, rows by position, a mask) this one
    sentence cost the LR finder 1.3 ms a visit."""
    of_best = grades["of_best"].to_numpy(dtype=float)
    rated = ~np.isnan(of_best)
    if not rated.any():
        # A higher lr_max would make the rates grow faster and stop the test sooner still.
        return (
            "No rule could read this curve: the loss blew up within a few steps, before the "
            "points the rules read (all but the first tenth and the last 5). Lower lr_min or "
            "lr_max, or take more steps, so that more of them come before the blow-up."
        )
    rules = grades["rule"].to_numpy(dtype=object)[rated]
    of_best, of_limit = of_best[rated], grades["of_limit"].to_numpy(dtype=float)[rated]
    distance = np.abs(np.log(of_best))
    near, far = int(np.argmin(distance)), int(np.argmax(distance))
    text = (
        f"On your data **{rules[near]}** lands nearest the fastest single rate "
        f"(×{of_best[near]:.3g} of it)"
    )
    if rules[far] != rules[near]:
        text += f", **{rules[far]}** farthest (×{of_best[far]:.3g})"
    unstable = rules[of_limit >= 1.0]
    if len(unstable):
        names = ", ".join(unstable)
        text += f"; {names} suggest{'s' if len(unstable) == 1 else ''} a rate at or past 2/λ_max, "
        text += "where plain gradient descent does not converge"
    return text + "."


def flat_curve(losses: np.ndarray) -> str | None:
    """Why the rules read nothing on a curve that never moved, or None if it moved (or
    overflowed: finder_lowest says so)."""
    if not np.all(np.isfinite(losses)) or np.ptp(losses) > 0:
        return None
    if not losses.size or losses[0] == 0.0:  # points on one line, and the start is that line
        return (
            "The loss never changed: your start (k0, b0) is the line through every point, where "
            "the loss is 0 and the gradient is zero, so no rate moves it; a log axis has no "
            "place for 0, so there is no curve and no rule can read one. Start elsewhere to "
            "read the curve."
        )
    return (
        "The loss never changed: your start (k0, b0) is the least-squares line itself, where "
        "the gradient is zero, so no rate moves it and the rules below pick points of a flat "
        "line. Start elsewhere to read the curve."
    )


def exact_rates(limit: float, best: float, kappa: float, standardized: bool = False) -> str:
    data = "your data"
    if standardized:
        data = (
            "your data with x standardised, z = (x − x̄)/std(x), as your sidebar trains and "
            "the test ran (the same lines and losses; both curvatures 2)"
        )
    text = (
        f"The exact answers for plain gradient descent on {data}: it converges for any single "
        f"rate below 2/λ_max = {rate(limit)}, and fastest at 2/(λ_min + λ_max) = {rate(best)}."
    )
    if best / limit > CLOSE:
        text += (
            f" The two nearly coincide on the chart: 2/(λ_min + λ_max) = 2/λ_max × κ/(κ + 1), "
            f"and κ = λ_max/λ_min = {kappa:,.4g} is large here, so the fastest rate is only "
            f"{_small_percent(1.0 / (kappa + 1.0))} below the largest stable one."
        )
    return text


def _small_percent(fraction: float) -> str:
    """A share as a percentage that never rounds to a misleading 0: "0.73 %", and past a
    thousandth of a percent "1.6 × 10⁻¹⁸ %" (κ of 10²⁰, from x near 10⁹ or y near 10¹²).
    The share of 2/λ_max that the fastest rate is below it is 1/(κ + 1) exactly; taken as
    1 − best/limit it was 1 − 1.0 in floats, which printed 0 %."""
    percent = 100.0 * fraction
    if percent >= 1e-3 or percent == 0.0:
        return f"{percent:.2g} %"
    mantissa, exponent = f"{percent:.1e}".split("e")
    return f"{mantissa} × 10{superscript(str(int(exponent)))} %"


def _range(values: np.ndarray) -> str:
    return f"from {value_text(np.nanmin(values))} to {value_text(np.nanmax(values))}"


def sweep_alt(points: pd.DataFrame, name: str, quantity: str, epochs: int, lines: str = "") -> str:
    """A sweep chart's text alternative: what is drawn and, per optimizer, where it is best;
    `lines` says which of the vertical lines this chart draws (`marked_lines`)."""
    title = (
        f"Chart of {quantity} against {name}, one line per optimizer, each with its own colour, "
        "shape and dash; a dotted line marks your setting where the sidebar has one."
    )
    if points.empty:
        return described(title, "No point to draw.")
    column = {"epochs to converge": "epochs", "final loss": "final_loss"}.get(quantity, "radius")
    drawn, values = points[column].to_numpy(float), points["value"].to_numpy(float)
    parts = []
    for optimizer, rows in per_optimizer(points):
        shown, best = lowest(drawn, rows)
        if best is None:
            parts.append(f"{optimizer}: no point to draw")
            continue
        parts.append(
            f"{optimizer}: {_points(len(shown))}, lowest {_quantity(drawn[best])} at "
            f"{name} = {value_text(values[best])}"
        )
    return described(
        title,
        _sentence(f"{name} {_range(values)}, runs of {epochs:,} epochs. ")
        + "; ".join(parts)
        + "."
        + lines,
    )


def _sentence(text: str) -> str:
    """`text` with a capital first letter ("The offset from…", "Batch size from…"); a symbol
    that starts it stays as it is (η, μ and β have capitals that are other letters)."""
    return text[:1].upper() + text[1:] if text[:1].isascii() else text


def marked_lines(name: str, mark: np.ndarray, optimum: np.ndarray) -> str:
    """The vertical lines drawn: your setting (if on the axis), theory's best (if any)."""
    text = f" Your setting, {name} = {value_text(mark[0])}, is marked." if len(mark) else ""
    if len(optimum):
        text += f" A solid line marks theory's best {name} for Momentum, {optimum[0]:.4g}."
    return text


def finder_lowest(view: FinderView) -> str:
    """Where seed 0's recorded loss is lowest, which steps the rules read, and so what
    `minimum` (a tenth of the lowest rate they read) suggests: the chart's ring and triangle."""
    step, lr, loss = view.lowest
    if not np.isfinite(loss):  # huge uploaded values: the first step already overflowed
        return (
            "Every recorded loss overflowed (too large for a float): a step is stable only "
            f"below η = 2/λ_max = {view.limit:.3g}, far under the finder's lowest rate, "
            f"{float(view.curve['lr'].min()):.3g}, so it has no curve to read. Rescale x and "
            "y (divide each column by a power of ten) and upload the file again."
        )
    whose = "seed 0's " if view.seeds > 1 else ""
    text = f"The recorded loss{' of seed 0' if whose else ''} is lowest, {loss:.4g}, at η = "
    text += f"{lr:.3g} (step {step + 1})."
    start, stop = view.read
    if view.read_low is None or stop <= start:
        return text + " The rules read none of its steps: the curve was too short."
    # In NumPy: this text is written twice a visit, and pandas' masked .loc cost 0.3 ms each.
    lrs = view.curve["lr"].to_numpy()[view.curve["seed"].to_numpy() == 0]
    text += (
        f" fastai's rules read steps {start + 1}–{stop} only (η from {lrs[start]:.3g} to "
        f"{lrs[stop - 1]:.3g}, drawn in full colour), skipping the first tenth and the last 5"
    )
    low_lr = view.read_low[0]
    rules = view.suggestions["rule"].to_numpy(dtype=object)
    minimum = view.suggestions["lr"].to_numpy()[rules == "minimum"][0]
    if step < start or step >= stop:
        text += (
            f", so the lowest point they see is at η = {low_lr:.3g} (the ring), and minimum "
            f"suggests a tenth of that rate: {minimum:.4g} (the triangle)."
        )
    else:
        text += (
            f"; the lowest point is among them (the ring), and minimum suggests a tenth of its "
            f"rate: {minimum:.4g} (the triangle)."
        )
    return text


def finder_alt(view: FinderView) -> str:
    """The range test's text alternative: the curve's ends and lowest point, the marks."""
    first = view.curve[view.curve["seed"] == 0]
    marks = "; ".join(
        f"{row['rule']} suggests η = {row['lr']:.4g}" for row in records(view.suggestions)
    )
    return described(
        "Line chart of the full-data loss after each step against the learning rate, both on "
        "log scales, with dashed lines at the exact largest stable rate and the fastest rate.",
        f"{len(first)} steps from η = {first['lr'].iloc[0]:.3g} to {first['lr'].iloc[-1]:.3g}. "
        f"{finder_lowest(view)} The largest stable rate is {view.limit:.5g} and the fastest "
        f"{view.best:.5g}. Marked at the rates they suggest: {marks or 'no suggestion'}.",
    )
