"""What the batch size means for the run in front of the student: a batch of every point is the
full batch, and the Stability map trains on the full batch whatever the sidebar's batch."""

from __future__ import annotations


def covering_batch_note(batch: int, n: int | None) -> str | None:
    """Under the batch control when the batch holds every point (n unknown: an unreadable file,
    which the page explains): the run is the full batch's, which the pages then show."""
    if not batch or n is None or batch < n:
        return None
    return (
        f"{batch:,} ≥ the data's {n:,} points: every epoch is one full-batch step, the same run "
        "as “full”."
    )


def stability_batch_note(batch: int) -> str | None:
    """Under the Stability map when the sidebar trains on real mini-batches (`batch` is the
    config's, 0 once a batch of every point has been made full batch)."""
    if not batch:
        return None
    return (
        f"The map trains on the full batch, one exact step an epoch. Your sidebar trains on "
        f"mini-batches of {batch:,}, so “Train with this cell” gives a different run: a noisy "
        "one, which may converge later than the cell says, or not at all."
    )


def finder_batch_note(batch: int, seeds: int, limit: str) -> str | None:
    """Over the LR finder's table when its range tests ran on mini-batches of `batch` (0: the
    full batch), one per seed: the grades are still full-batch plain gradient descent's, the
    only ones the exact theory gives, and a student asking about their mini-batches must be
    told so where they read the table, not only in a header's hover help. `limit`: 2/λ_max,
    written."""
    if not batch:
        return None
    text = (
        f"The range tests ran on mini-batches of {batch:,}, but the table grades each rate for "
        "full-batch plain gradient descent, the run the exact theory describes: “plain GD "
        "there”, ρ and the ratios are full-batch figures."
    )
    if seeds > 1:
        text += (
            " “seeds converging” counts the seeds, of those whose own test gave this rule a "
            f"rate, whose rate lies below 2/λ_max = {limit}, where full-batch plain gradient "
            "descent converges."
        )
    return text + (
        " On mini-batches a constant rate adds noise, so a run at these rates may converge "
        "later, or not at all: try the rate on Fit with your batch size."
    )
