"""Sentences a walkthrough found untrue of the run on screen, each checked against the run's
own arrays (or the data's own Hessian) by loops written here, on the runs the walkthrough saw
and on other data of the same kind."""

import re

import numpy as np
import pytest

import gd_core as gd
from ui.compute.lesson_answers import lesson_config
from ui.compute.runs import load_dataset, points, reduced_run, train
from ui.plain import alt_text, captions
from ui.plain.verdicts import limit_advice

OTHER_DATA = [{}, {"x_min": -2.0, "x_max": 12.0, "seed": 3}, {"x_min": 20.0, "x_max": 25.0}]
PACES = {
    "adam": {"optimizer": "adam"},
    "rmsprop": {"optimizer": "rmsprop"},
    "adamax": {"optimizer": "adamax"},
    "adagrad": {"optimizer": "adagrad", "lr_k": 0.5},
    "adam fast": {"optimizer": "adam", "lr_k": 0.1},
    "plain": {},
    "standardised adam": {"standardize": True, "optimizer": "adam", "lr_k": 0.1},
}


def first_close(values, optimum, share=0.1):
    """The first epoch within share·|θ_0 − θ*| of θ*, by a loop."""
    start = abs(values[0] - optimum)
    for epoch, value in enumerate(values):
        if abs(value - optimum) <= share * start:
            return epoch
    return None


def past_optimum(values, optimum):
    """How far the values went past `optimum` on the side away from the start, by a loop."""
    side = 1.0 if values[0] <= optimum else -1.0
    return max(0.0, *(side * (value - optimum) for value in values))


def shown(settings):
    config = lesson_config(settings)
    data = load_dataset(config.data)
    return config, data, train(config, data), reduced_run(config, data)


@pytest.mark.parametrize("where", OTHER_DATA, ids=["default", "wide", "far"])
@pytest.mark.parametrize("settings", PACES.values(), ids=PACES.keys())
def test_the_fit_caption_tells_which_parameter_came_close_first(settings, where):
    _, data, run, view = shown(settings | where)
    caption = captions.fit(view, data)
    first = {
        "k": first_close(run.k, data.slope_ols),
        "b": first_close(run.b, data.intercept_ols),
    }
    overshoot = past_optimum(run.b, data.intercept_ols) / abs(run.b[0] - data.intercept_ols)
    if "turns to the right slope first" in caption:
        assert first["k"] is not None and (first["b"] is None or first["k"] < first["b"]), caption
    if "while b crawls" in caption:
        assert overshoot <= 0.1, caption
    told = re.search(
        r"b comes within 10 % of its starting gap first \(b at epoch ([\d,]+), k at", caption
    )
    if told:
        assert int(told.group(1).replace(",", "")) == first["b"] < (first["k"] or np.inf)
    if first["b"] is not None and first["k"] is not None and first["b"] < first["k"]:
        assert "turns to the right slope first" not in caption


def test_adams_fit_caption_says_b_gets_there_first_and_overshoots():
    _, data, run, view = shown({"optimizer": "adam"})
    caption = captions.fit(view, data)
    assert "while b crawls" not in caption
    b, k = first_close(run.b, data.intercept_ols), first_close(run.k, data.slope_ols)
    assert (
        f"b comes within 10 % of its starting gap first (b at epoch {b:,}, k at epoch {k:,})"
        in (caption)
    )
    assert "b keeps going past b*" in caption


def alone_grows(rate, curvature, epochs=200):
    """|δ| after `epochs` of plain GD on one parameter alone (the other held at its optimum),
    over its start: above 1 it grew, exactly 1 it swung at a constant size."""
    delta = 1.0
    for _ in range(epochs):
        delta -= rate * curvature * delta
    return abs(delta)


@pytest.mark.parametrize("where", OTHER_DATA, ids=["default", "wide", "far"])
@pytest.mark.parametrize("lr_b", [1.0, 0.99, 1.01, 1.5])
def test_the_divergence_advice_calls_a_rate_above_its_own_limit_only_when_it_is(lr_b, where):
    config = lesson_config({"same_rate": False, "lr_k": 0.001, "lr_b": lr_b} | where)
    data = load_dataset(config.data)
    h = gd.hessian(data)
    text = limit_advice(data, config.train)
    growth = alone_grows(lr_b, h[1, 1])
    assert bool(re.search(r"η_b = [\d.e+-]+ is above", text)) is bool(growth > 1), text
    assert ("exactly at b's own limit" in text) is bool(growth == 1), text
    if growth <= 1:
        assert "together they are too large" in text


def test_a_single_rate_at_ks_own_limit_is_not_called_above_it():
    config = lesson_config({"same_rate": False, "lr_b": 0.001})
    data = load_dataset(config.data)
    h = gd.hessian(data)
    lr_k = 2.0 / h[0, 0]
    for rate in (lr_k, np.nextafter(lr_k, 0), np.nextafter(lr_k, 1)):
        spec = lesson_config({"same_rate": False, "lr_k": float(rate), "lr_b": 0.001}).train
        text = limit_advice(data, spec)
        growth = alone_grows(rate, h[0, 0], epochs=50)
        assert bool(re.search(r"η_k = [\d.e+-]+ is above", text)) is bool(rate * h[0, 0] > 2), text
        if rate * h[0, 0] == 2:
            assert growth == 1 and "exactly at k's own limit" in text
        assert "nan" not in text


@pytest.mark.parametrize("n", [10, 2_000, 100_000])
def test_the_fit_charts_text_counts_the_data_and_what_is_drawn(n):
    _, data, _, view = shown({"n": n})
    drawn = len(points(data))
    text = alt_text.fit(view, [("least squares", data.slope_ols, data.intercept_ols)], drawn, n)
    assert data.n == n
    if drawn < n:
        assert f"{drawn:,} of the {n:,} data points drawn" in text
    else:
        assert f"{n:,} data points;" in text and "data points drawn" not in text
