"""A run that "settles" only because its last spike out of the band came late has not shown
that it stays (gd_core.progress.late_settlers): on hand-made trajectories, where the stays are
counted by a loop written here, and on the Adam run of a million epochs a student found."""

from __future__ import annotations

import numpy as np
import pytest

import gd_core as gd
from gd_core.run import judge

DATA = gd.make_dataset(100, slope=2.0, intercept=1.0, noise=1.0)


def stays(inside: list[bool]) -> list[int]:
    """The lengths of the stretches of True, by a loop."""
    found, current = [], 0
    for flag in inside:
        if flag:
            current += 1
        elif current:
            found.append(current)
            current = 0
    return [*found, current] if current else found


def made(k_share: list[float], b_share: list[float]) -> gd.Run:
    """A run whose k and b are these fractions of their starting gaps from the optimum."""
    k = DATA.slope_ols - DATA.slope_ols * np.asarray(k_share)
    b = DATA.intercept_ols - DATA.intercept_ols * np.asarray(b_share)
    loss = np.array([gd.mse(DATA, ki, bi) for ki, bi in zip(k, b, strict=True)])
    return judge(DATA, k, b, loss, len(k) - 1, gd.DEFAULT_TOL, None)


IN, OUT = 1e-5, 1e-2  # a distance inside the band (tol = 1e-3 of the start), one outside
STEADY = [1.0, 0.1, *[IN] * 98]  # in at epoch 2, never out again


@pytest.mark.parametrize(
    ("b_share", "late"),
    [
        (STEADY, False),
        ([1.0, *[IN] * 10, OUT, *[IN] * 88], False),  # an early spike, a long last stay
        ([1.0, *[IN] * 40, OUT, *[IN] * 40, OUT, *[IN] * 17], True),  # last stay shorter
        ([1.0, *[IN] * 5, OUT, *[IN] * 5, *[OUT] * 80, *[IN] * 9], True),  # a sliver of the run
        ([1.0, *[0.5] * 90, *[IN] * 9], False),  # came in once, late, never left: no doubt
        ([1.0, *[IN] * 98, OUT], False),  # not settled at all
    ],
    ids=["steady", "early spike", "spikes to the end", "sliver", "late but steady", "unsettled"],
)
def test_a_last_stay_that_does_not_outlast_earlier_ones_has_not_shown_it_stays(b_share, late):
    run = made([1.0, 0.1, *[IN] * (len(b_share) - 2)], b_share)
    found = gd.progress(DATA, run)
    inside = [share <= gd.DEFAULT_TOL for share in b_share]
    settled = run.settled_at[1]
    earlier = stays(inside[:settled]) if settled is not None else []
    assert found.entered[1] == (inside.index(True) if True in inside else None)
    assert found.stayed[1] == (max(earlier) if earlier else None)
    if settled is not None and earlier:
        final = run.epochs - settled + 1
        expected = final <= max(earlier) or final <= gd.HOLD_SHARE * run.epochs
    else:
        expected = False
    assert expected is late
    assert found.late == (("b",) if late else ())
    assert run.status == ("converged" if settled is not None else "max_epochs")  # unchanged


@pytest.mark.parametrize(("epochs", "late"), [(5_000, False), (20_000, True), (1_000_000, True)])
def test_adam_near_its_optimum_spikes_out_again_so_a_late_settling_is_not_shown_to_stay(
    epochs, late
):
    run = gd.train(DATA, gd.adam(0.1), epochs)
    found = gd.progress(DATA, run)
    assert run.status == "converged"  # by DESIGN's rule: both settled; converged_at unchanged
    bands = gd.verdict.settle_thresholds(DATA, (0.0, 0.0), gd.DEFAULT_TOL)
    for i, (values, optimum) in enumerate(((run.k, DATA.slope_ols), (run.b, DATA.intercept_ols))):
        inside = np.abs(values - optimum) <= bands[i]
        outside = np.flatnonzero(~inside)
        assert run.settled_at[i] == outside[-1] + 1
        # Stays before settling, from where the band was left and entered again.
        edges = np.flatnonzero(np.diff(np.r_[0, inside[: run.settled_at[i]].astype(int), 0]))
        longest = int((edges[1::2] - edges[::2]).max()) if edges.size else None
        assert found.stayed[i] == longest
    assert bool(found.late) is late
