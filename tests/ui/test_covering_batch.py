"""A batch of at least n points is the full batch on every page (ui.config.on_points): the same
banner, theory and modes as "full", one note under the batch control, and the address keeps
what the student chose. The Stability map says it is full batch only under a real mini-batch."""

import pytest

from tests.ui.helpers import fresh_app

PAGES = [
    "pages/fit.py",
    "pages/loss.py",
    "pages/parameters.py",
    "pages/theory.py",
    "pages/compare.py",
    "pages/sweep.py",
    "pages/lr-finder.py",
    "pages/stability.py",
]
NOTE = "every epoch is one full-batch step"
STABILITY_NOTE = "The map trains on the full batch"


def main_text(app) -> list[str]:
    """Everything the page says in its main area, in order (the sidebar left out)."""
    kinds = ("markdown", "caption", "info", "success", "warning", "error")
    return [f"{kind}: {e.value}" for kind in kinds for e in getattr(app.main, kind)]


def sidebar_notes(app) -> list[str]:
    return [c.value for c in app.sidebar.caption if NOTE in c.value]


def opened(page: str, **query: str):
    app = fresh_app(**query).run()
    app.switch_page(page).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    ("full", "covering"),
    [
        ({}, {"batch": "128"}),
        ({"n": "20"}, {"n": "20", "batch": "1024"}),
        ({"n": "10"}, {"n": "10", "batch": "16"}),
    ],
    ids=["128-of-100", "1024-of-20", "16-of-10"],
)
def test_a_covering_batch_reads_exactly_like_the_full_batch(page, full, covering):
    expected = main_text(opened(page, **full))
    assert main_text(opened(page, **covering)) == expected


def test_the_full_batch_pages_say_what_a_covering_batch_used_to_hide():
    """The comparison above can fail: the full-batch Loss page shows the two modes and theory's
    prediction, which a mini-batch page drops (so a covering batch taken as one would differ)."""
    full = " ".join(main_text(opened("pages/loss.py", batch="128")))
    assert "Mini-batch gradients are noisy" not in full
    assert "Theory predicts" in full and "The split into two modes is exact" not in full
    mini = " ".join(main_text(opened("pages/loss.py", batch="64")))
    assert "Mini-batch gradients are noisy" in mini
    assert "The split into two modes is exact" in mini


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ({"batch": "128"}, "128 ≥ the data's 100 points: every epoch is one full-batch step"),
        ({"n": "50", "batch": "64"}, "64 ≥ the data's 50 points"),
        ({"n": "10", "batch": "16"}, "16 ≥ the data's 10 points"),
        ({"n": "10", "batch": "1024"}, "1,024 ≥ the data's 10 points"),
    ],
)
def test_the_sidebar_says_once_that_a_covering_batch_is_the_full_batch(query, note):
    app = opened("pages/fit.py", **query)
    notes = sidebar_notes(app)
    assert len(notes) == 1 and notes[0].startswith(note), notes
    # The student's choice stays, on the control and in the address.
    assert app.sidebar.select_slider(key="batch").value == int(query["batch"])
    assert app.query_params["batch"] == query["batch"]


@pytest.mark.parametrize("query", [{}, {"batch": "64"}, {"n": "10", "batch": "8"}])
def test_no_note_when_the_batch_is_full_or_a_real_mini_batch(query):
    assert sidebar_notes(opened("pages/fit.py", **query)) == []


@pytest.mark.parametrize(
    ("query", "noted"),
    [
        ({"batch": "16"}, True),
        ({"n": "10", "batch": "8"}, True),
        ({}, False),
        ({"batch": "128"}, False),
        ({"n": "10", "batch": "16"}, False),
    ],
)
def test_the_stability_map_says_it_is_full_batch_only_under_a_real_mini_batch(query, noted):
    app = opened("pages/stability.py", **query)
    said = [c.value for c in app.main.caption if STABILITY_NOTE in c.value]
    assert len(said) == int(noted), said
    if noted:
        assert f"mini-batches of {query['batch']}" in said[0]
        assert "“Train with this cell” gives a different run" in said[0]


@pytest.mark.parametrize(("batch", "one_by_one"), [("128", True), ("0", False)])
def test_a_sweep_of_n_keeps_the_chosen_batch_for_the_larger_datasets(batch, one_by_one):
    """128 covers the sidebar's 100 points but not the swept 10,000: those train on
    mini-batches of 128, as the student chose, so the sweep trains point by point."""
    app = opened("pages/sweep.py", sweep="n", batch=batch)
    said = " ".join(c.value for c in app.main.caption)
    assert ("Mini-batch runs cannot share steps" in said) == one_by_one, said
