"""The Sweeps page's sentences, on a hand-made sweep: groups in order, ties, nothing converged."""

import numpy as np
import pandas as pd
import pytest

import gd_core as gd
from ui.plain import sweep_ends, sweep_text
from ui.plain.alt_text import SEPARATOR
from ui.plain.sweep_text import sweep_alt, sweep_optima, zero_epochs

INF = np.inf
POINTS = pd.DataFrame(
    {
        "optimizer": ["Momentum", "Momentum", "Momentum", "Adam", "Adam", "Plain GD", "Plain GD"],
        "value": [0.5, 1.0, 2.0, 0.5, 1.0, 0.5, 1.0],
        "epochs": [40.0, 12.0, 12.0, 30.0, 25.0, INF, np.nan],
        "final_loss": [0.2, 0.1, 0.3, np.nan, 0.4, 9.0, INF],
        "radius": [0.9, 0.8, 1.2, np.nan, np.nan, 1.5, 1.5],
        "outcome": [*["converged"] * 5, "diverged", "not converged"],
    }
)


def test_the_fastest_point_per_optimizer_in_the_order_they_were_swept():
    assert sweep_optima(POINTS, "μ") == (
        "**Momentum** converges fastest at μ from 1 to 2 (12 epochs; 3 of 3 points converged); "
        "**Adam** converges fastest at μ = 1 (25 epochs; 2 of 2 points converged); "
        "**Plain GD** converged at no point (1 diverged, 1 not converged)."
    )


def test_the_alt_text_gives_each_optimizers_lowest_drawn_value():
    _, _, numbers = sweep_alt(POINTS, "μ", "final loss", 450).partition(SEPARATOR)
    assert numbers == (
        "μ from 0.5 to 2, runs of 450 epochs. Momentum: 3 points, lowest 0.1 at μ = 1; "
        "Adam: 1 point, lowest 0.4 at μ = 1; Plain GD: 1 point, lowest 9 at μ = 0.5."
    )
    slow = POINTS.assign(epochs=POINTS["epochs"] * 118.85)  # Momentum's lowest: 1426.2
    _, _, counted = sweep_alt(slow, "μ", "epochs to converge", 5000).partition(SEPARATOR)
    assert "Momentum: 3 points, lowest 1,426 at μ = 1;" in counted  # grouped, as elsewhere
    _, _, radius = sweep_alt(POINTS, "μ", "spectral radius ρ", 450).partition(SEPARATOR)
    assert "Adam: no point to draw" in radius


def test_points_at_epoch_zero_are_said_since_a_log_axis_cannot_draw_them():
    assert zero_epochs(POINTS) is None
    data = gd.make_dataset(100, 2.0, 1.0, 1.0)
    limit = gd.analyze(data).max_stable_lr
    rates = np.geomspace(0.01, 100.0, 6) * limit  # far past the limit too
    result = gd.sweep(data, "lr", rates, "sgd", 450, init=(data.slope_ols, data.intercept_ols))
    points = pd.DataFrame({"epochs": result.epochs_to_converge})
    assert zero_epochs(points).startswith("Every point converged at epoch 0")
    mixed = pd.DataFrame({"epochs": [0.0, 12.0, np.nan]})
    assert zero_epochs(mixed).startswith("1 of 3 points converged at epoch 0")


def test_the_fastest_rates_share_below_the_limit_never_rounds_to_zero():
    """x near 10⁹ makes κ about 6·10¹⁹: best/limit is 1.0 in floats, and "1 − best/limit"
    printed "only 0 % below". The share is 1/(κ + 1) exactly (2/(λ_min + λ_max) =
    2/λ_max × κ/(κ + 1)), in scientific notation where it is that small."""
    data = gd.Dataset(np.linspace(1e9, 2e9, 50), 3.0 * np.linspace(1e9, 2e9, 50) + 1e12)
    theory = gd.analyze(data)
    limit, kappa = theory.max_stable_lr, theory.condition_number
    best = 2.0 / (theory.eigenvalues[0] + theory.eigenvalues[1])
    assert 1.0 - best / limit == 0.0  # the old sum
    text = sweep_text.exact_rates(limit, best, kappa)
    assert " × 10⁻¹⁸ % below the largest stable one" in text, text
    assert "0 %" not in text


@pytest.mark.parametrize(
    ("kappa", "said"),
    [
        (6.25e19 - 1.0, "only 1.6 × 10⁻¹⁸ % below"),  # 100/6.25e19 = 1.6e-18
        (1e6 - 1.0, "only 1.0 × 10⁻⁴ % below"),  # past a thousandth of a percent
        (99_999.0, "only 0.001 % below"),  # a thousandth exactly: still plain
        (136.6, "only 0.73 % below"),  # an ordinary κ: 100/137.6
    ],
)
def test_the_share_below_the_limit_is_written_as_a_student_reads_it(kappa, said):
    assert said in sweep_text.exact_rates(1.0, 1.0, kappa)


FROM_TO = ("From", "To")  # the boxes holding the lowest and highest values


def test_a_fastest_point_at_an_end_that_could_be_widened_is_said_to_be_an_edge():
    # Momentum's lowest epochs tie at μ = 1 and 2, the range's top; Adam's sit inside it.
    assert sweep_ends.at_edges(POINTS, "μ", (False, False), FROM_TO) == ""
    assert "edge" not in sweep_optima(POINTS, "μ")
    top = sweep_ends.at_edges(POINTS, "μ", (True, True), FROM_TO)
    assert top == (
        " Momentum is fastest at the range's highest value, μ = 2: at the edge of the range, "
        "so the optimum may lie above it; raise To to see."
    )
    assert "lowest value" not in top
    low = POINTS.assign(epochs=[12.0, 40.0, 50.0, 25.0, 30.0, INF, np.nan])
    both = sweep_ends.at_edges(low, "the offset", (True, False), FROM_TO)
    assert both == (
        " Momentum and Adam are fastest at the range's lowest value, the offset = 0.5: at the "
        "edge of the range, so the optimum may lie below it; lower From to see."
    )


def test_batch_sizes_of_n_or_more_are_said_to_be_one_full_batch_run():
    sizes = [16.0, 64.0, 128.0, 256.0]
    points = pd.DataFrame(
        {
            "optimizer": ["Momentum"] * 4,
            "value": sizes,
            "epochs": [300.0, 200.0, 132.0, 132.0],
            "outcome": ["converged"] * 4,
        }
    )
    assert "fastest at batch size from 128 to 256 (132 epochs" in sweep_optima(points, "batch size")
    full = [size for size in sizes if gd.mini_batch_size(100, int(size)) is None]
    assert len(full) == 2
    assert sweep_ends.full_batches(np.array(sizes), 100) == (
        " With n = 100, every batch of 100 or more is the full batch: the sizes 128 to 256 are "
        "2 points of one run, so they tie."
    )
    assert sweep_ends.full_batches(np.array(sizes), 1_000) == ""
    one = sweep_ends.full_batches(np.array(sizes), 200)
    assert one == " With n = 200, a batch of 256 is the full batch."


def test_the_alt_text_starts_its_sentence_with_a_capital_but_keeps_a_symbol():
    _, _, offset = sweep_alt(POINTS, "the offset", "final loss", 450).partition(SEPARATOR)
    assert offset.startswith("The offset from 0.5 to 2, runs of 450 epochs.")
    _, _, batch = sweep_alt(POINTS, "batch size", "final loss", 450).partition(SEPARATOR)
    assert batch.startswith("Batch size from 0.5 to 2")
    _, _, mu = sweep_alt(POINTS, "μ", "final loss", 450).partition(SEPARATOR)
    assert mu.startswith("μ from 0.5 to 2")  # "Μ" would be a capital mu: another letter


def test_rho_above_the_charts_top_is_counted_and_its_largest_given():
    assert sweep_ends.off_scale(np.array([0.5, 0.99, 1.9]), 2.0) is None
    text = sweep_ends.off_scale(np.array([0.5, 0.99, 2.5, 60.77]), 2.0)
    assert text == (
        " The axis stops at ρ = 2 to show ρ around 1: 2 of 4 points lie above it, where the "
        "error grows (ρ up to 60.77)."
    )
