"""Theory's sentence on which parameter settles first at the sidebar's rates, from the modes.

"k settles and b crawls" holds well below the stability limit, not everywhere: it is the mode
across the valley (most of k's error) shrinking faster than the one along it (most of b's).
Near the limit |1 − η·λ_max| nears 1, that mode is the slower one and the roles swap. So the
sentence is computed from gd_core.mode_pace and the prediction, never assumed.
"""

from __future__ import annotations

import gd_core as gd
from ui.plain.figures import percent, radius_text
from ui.plain.parameter_progress import band_after_pull

# The across mode "barely shrinks" only with a factor this close to 1.
BARELY = 0.9


def which_first(
    analysis: gd.Analysis,
    pace: gd.ModePace | None,
    lr: tuple[float, float],
    observed: gd.Progress | None = None,
) -> str:
    """Which parameter theory predicts to settle first at these rates, and why, from the two
    modes' factors and each parameter's share in them ("" where there is no such order).
    `observed`: the observed run's progress, which says whether a parameter whose parts
    cancel at the start was really pulled off its optimum."""
    settled = analysis.predicted_settled_at
    if pace is None or settled is None or None in settled or settled[0] == settled[1]:
        return ""
    shares = pace.across
    if not all(0.0 <= share <= 1.0 for share in shares):  # NaN: a parameter with no error
        return ""
    along, across = (radius_text(factor) for factor in pace.factors)
    first, second = ("k", "b") if settled[0] < settled[1] else ("b", "k")
    where = [
        f"{percent(share)} across the valley" if share >= 0.5 else f"{percent(1 - share)} along it"
        for share in shares
    ]
    homes = f"k's starting error lies {where[0]}, b's {where[1]}".replace(
        "lies " + where[0], "lies " + where[0].replace("along it", "along the valley")
    )
    paces = (
        f"At your rates the error across the valley shrinks ×{across} per epoch and the error "
        f"along it ×{along}"
    )
    order = f"theory predicts k settles at epoch {settled[0]:,}, b at {settled[1]:,}"
    if pace.swapped:
        paces += ": the mode across the valley is the slower one here"
        near_limit = pace.factors[1] >= BARELY and (
            lr[0] != lr[1] or lr[0] * analysis.eigenvalues[1] > 1.0
        )
        if near_limit:
            edge = (
                f"η·λ_max = {lr[0] * analysis.eigenvalues[1]:.4g} is close to 2, so "
                "|1 − η·λ_max| is close to 1 (each epoch it flips sign and barely shrinks)"
                if lr[0] == lr[1]
                else "|1 − s| for D·H's larger eigenvalue s is close to 1: it barely shrinks"
            )
            paces += f", since near the stability limit {edge}"
    pulled = observed.pulled if observed is not None else (False, False)
    cancelled = [p for p, c, away in zip("kb", pace.cancel, pulled, strict=True) if c and away]
    if cancelled:  # a start near the optimum, pulled off: its parts cancel, no home mode
        p = cancelled[0]
        return (
            f"{paces}. {p} starts near {p}*, where its two parts nearly cancel: the faster "
            f"one fades first and leaves it pulled off {p}* before the slower brings it back; "
            f"{order}."
        )
    # The first to settle has most of its error in the faster mode: the modes explain the order.
    home_faster = (shares["kb".index(first)] >= 0.5) != pace.swapped
    apart = (shares[0] >= 0.5) != (shares[1] >= 0.5)
    # "The roles swap" only where they do: b, the usual laggard, settles first.
    if apart and home_faster and not (pace.swapped and first == "b"):
        return f"{paces}. {homes}, so {first} settles first and {second} later: {order}."
    if apart and home_faster:
        return (
            f"{paces}. {homes}, so the roles swap: {first} settles first, {second} later ({order})."
        )
    return f"{paces}. {homes}; {order}."


def near_starts(analysis: gd.Analysis, observed: gd.Progress) -> str:
    """For Theory: why a parameter that started near its optimum is predicted to settle when it
    is, from the observed run's own numbers ("" if none did)."""
    settled = analysis.predicted_settled_at or (None, None)
    parts = []
    for p, pulled, epoch in zip("kb", observed.pulled, settled, strict=True):
        if pulled and epoch is not None:
            gap = f"{'b' if p == 'k' else 'k'}'s gap"
            parts.append(
                f"{p} settles only at epoch {epoch:,} because "
                f"{band_after_pull(observed, p, gap)} (in the "
                "observed run)."
            )
    return " ".join(parts)


def one_rate_story(x_sq_mean: float) -> str:
    """Theory section 2's one-rate story for this data: which parameter's limit binds, so
    which one crawls. Curvatures 2·mean(x²) along k and 2 along b: the larger one sets the
    limit, and the other parameter's factor then sits nearer 1 (mean(x)'s coupling aside,
    which section 4's modes take in)."""
    if x_sq_mean > 1.0:
        return (
            "With **one** rate for both, η must respect k's smaller limit, 1/mean(x²) = "
            f"{1.0 / x_sq_mean:.3g} here, and then b's factor (1 − 2η) sits nearer 1 than k's: "
            "each epoch removes only a sliver of b's error. That is why, at rates well below "
            "k's limit, k settles and b crawls; right at the limit k's own factor nears −1 "
            "and the roles can swap (section 4 works out which settles first at your rates)."
        )
    return (
        f"Here mean(x²) = {x_sq_mean:.3g} is not above 1, so with **one** rate for both it is "
        "b's limit, 1, that binds, and k's factor (1 − 2η·mean(x²)) sits nearer 1 than b's: "
        "at rates well below that limit b settles and k crawls, the usual story turned round "
        "(section 4 works out which settles first at your rates)."
    )
