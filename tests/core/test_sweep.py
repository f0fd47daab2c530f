"""stability_map: every cell is what train() reports for that pair of rates."""

import numpy as np
import pytest

import gd_core as gd

DATA = gd.make_dataset(100, slope=2.0, intercept=1.0, noise=1.0)
FAR = gd.make_dataset(50, slope=-1.0, intercept=3.0, noise=0.5, x_range=(100.0, 110.0))
LR_K = np.geomspace(1e-4, 0.05, 9)
LR_B = np.geomspace(1e-3, 3.0, 8)

CASES = {
    "sgd (exact modes)": ("sgd", {}),
    "sgd with a schedule (stepped)": ("sgd", {"schedule": gd.exponential_decay(0.995)}),
    "adam with reduce-on-plateau (each cell its own rates)": (
        "adam",
        {"schedule": gd.linear_warmup(20, 0.1, gd.reduce_on_plateau(0.5, patience=3))},
    ),
    "momentum with one-cycle": ("momentum", {"schedule": gd.one_cycle(400)}),
    "momentum": ("momentum", {"momentum": 0.9}),
    "nesterov": ("nesterov", {"momentum": 0.5}),
    "adagrad": ("adagrad", {}),
    "rmsprop": ("rmsprop", {"alpha": 0.9}),
    "adam": ("adam", {"betas": (0.8, 0.99)}),
    "adamax": ("adamax", {"betas": (0.8, 0.99)}),
}


def assert_cells_match_train(data, lr_k, lr_b, epochs, name, hyper, init=(0.0, 0.0)):
    result = gd.stability_map(data, lr_k, lr_b, epochs, name, init=init, **hyper)
    assert result.final_loss.shape == (len(lr_b), len(lr_k))
    for row, rate_b in enumerate(lr_b):
        for column, rate_k in enumerate(lr_k):
            optimizer = gd.make_optimizer(name, (rate_k, rate_b), **hyper)
            run = gd.train(data, optimizer, epochs, init=init)
            where = f"cell η_k={rate_k:.3g}, η_b={rate_b:.3g}"
            assert result.diverged[row, column] == (run.status == "diverged"), where
            if run.spectral_radius is not None:  # exact for linear updates, as train() says
                assert result.diverging[row, column] == (run.status == "diverging"), where
            converged = result.epochs_to_converge[row, column]
            if run.converged_at is None:
                assert np.isnan(converged), where
            else:
                assert converged == run.converged_at, where
            if run.status == "diverged":
                assert np.isnan(result.final_loss[row, column]), where
            else:
                assert result.final_loss[row, column] == pytest.approx(run.loss[-1], rel=1e-9)
    return result


@pytest.mark.parametrize("case", CASES)
def test_every_cell_matches_train(case):
    name, hyper = CASES[case]
    result = assert_cells_match_train(DATA, LR_K, LR_B, 400, name, hyper)
    assert result.optimizer == name and result.epochs == 400
    assert result.exact == (case == "sgd (exact modes)")


@pytest.mark.parametrize(
    "case", ["adam with reduce-on-plateau (each cell its own rates)", "rmsprop"]
)
def test_a_map_past_the_large_layout_threshold_still_matches_train(case, monkeypatch):
    # From packed.LARGE runs on, steps take shared hyperparameters as floats and the gradient
    # as columns: moved down to this 72-cell grid, that layout is checked cell by cell too.
    from gd_core import packed

    monkeypatch.setattr(packed, "LARGE", 10)
    name, hyper = CASES[case]
    assert_cells_match_train(DATA, LR_K, LR_B, 400, name, hyper)


@pytest.mark.parametrize("case", ["sgd (exact modes)", "nesterov", "adamax"])
def test_the_optimizer_itself_maps_like_its_name(case):
    name, hyper = CASES[case]
    by_name = gd.stability_map(DATA, LR_K, LR_B, 300, name, **hyper)
    by_object = gd.stability_map(DATA, LR_K, LR_B, 300, gd.make_optimizer(name, 1.0, **hyper))
    np.testing.assert_array_equal(by_name.epochs_to_converge, by_object.epochs_to_converge)
    np.testing.assert_array_equal(by_name.final_loss, by_object.final_loss)
    assert by_object.exact == by_name.exact


def test_map_cells_tile_the_log_axes():
    cells = gd.stability_map(DATA, LR_K, LR_B, 10).cells()
    assert cells["lr_k"].size == LR_K.size * LR_B.size
    first_row = slice(0, LR_K.size)
    np.testing.assert_allclose(cells["k_high"][first_row][:-1], cells["k_low"][first_row][1:])
    assert np.all(cells["k_low"] < cells["lr_k"]) and np.all(cells["lr_k"] < cells["k_high"])


def test_cells_match_train_for_x_far_from_zero_and_another_start():
    lr_k = np.geomspace(1e-7, 2e-4, 7)
    assert_cells_match_train(FAR, lr_k, LR_B, 3000, "sgd", {}, init=(5.0, -5.0))


def test_the_grid_shows_converged_diverged_and_unfinished_cells():
    # Otherwise the comparisons above could pass on a grid where nothing happens.
    result = gd.stability_map(DATA, LR_K, LR_B, 400)
    assert result.diverged.any() and (~result.diverged).any()
    assert np.isfinite(result.epochs_to_converge).any()
    assert (np.isnan(result.epochs_to_converge) & ~result.diverged).any()


def test_diverged_cells_are_exactly_those_beyond_the_analytic_boundary():
    lr_k = np.geomspace(1e-5, 0.04, 60)
    lr_b = np.geomspace(1e-4, 4.0, 50)
    result = gd.stability_map(DATA, lr_k, lr_b, 5_000)
    radius = gd.spectral_radius(DATA, lr_k[np.newaxis, :], lr_b[:, np.newaxis])
    clear = (radius < 1.0) | (radius > 1.01)  # at 5000 epochs, 1.01**10000 is past 1e12
    assert clear.mean() > 0.9
    np.testing.assert_array_equal(result.diverged[clear], radius[clear] > 1.0)
    # The boundary curve: at each η_k, cells above it diverge and cells below do not.
    edge = gd.stability_boundary(DATA, lr_k)
    beyond = (lr_b[:, np.newaxis] > edge[np.newaxis, :]) | np.isnan(edge)[np.newaxis, :]
    np.testing.assert_array_equal(result.diverged[clear], beyond[clear])


def test_starting_at_the_optimum_converges_everywhere_at_epoch_zero():
    start = (DATA.slope_ols, DATA.intercept_ols)
    result = gd.stability_map(DATA, LR_K, LR_B, 50, init=start)
    assert (result.epochs_to_converge == 0).all()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lr_k_values": [0.0, 0.1]}, "lr_k_values must be"),
        ({"lr_b_values": []}, "lr_b_values must be"),
        ({"lr_b_values": [np.inf]}, "lr_b_values must be"),
        ({"epochs": -1}, "epochs must be"),
        ({"optimizer": "lbfgs"}, "Unknown optimizer"),
    ],
)
def test_bad_arguments_are_refused_clearly(kwargs, message):
    arguments = {"lr_k_values": LR_K, "lr_b_values": LR_B, "epochs": 10} | kwargs
    with pytest.raises(ValueError, match=message):
        gd.stability_map(DATA, **arguments)


def test_a_map_with_more_settling_cells_than_many_matches_train():
    # Past settling.MANY runs to settle, a map takes one flat pass instead of the quick one.
    from gd_core.settling import MANY

    lr_k, lr_b = np.geomspace(2e-3, 0.05, 24), np.geomspace(0.02, 1.0, 24)
    result = assert_cells_match_train(DATA, lr_k, lr_b, 600, "sgd", {})
    assert np.count_nonzero(np.isfinite(result.epochs_to_converge)) > MANY
