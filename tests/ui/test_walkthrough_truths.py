"""Sentences a walkthrough found untrue of the run on screen, each checked against the run's
own arrays (or the data's own Hessian) by loops written here, on the runs the walkthrough saw
and on other data of the same kind."""

import re
from dataclasses import replace

import numpy as np
import pytest

import gd_core as gd
from ui.compute.lesson_answers import lesson_config
from ui.compute.runs import load_dataset, points, reduced_run, train
from ui.plain import alt_text, path_captions, run_captions, theory_captions
from ui.plain.limit_advice import limit_advice

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
    caption = run_captions.fit(view, data)
    first = {
        "k": first_close(run.k, data.slope_ols),
        "b": first_close(run.b, data.intercept_ols),
    }
    overshoot = past_optimum(run.b, data.intercept_ols) / abs(run.b[0] - data.intercept_ols)
    if "turns to the right slope first" in caption:
        assert first["k"] is not None and (first["b"] is None or first["k"] < first["b"]), caption
    if "while b crawls" in caption:  # closing in: no swing past b*, no trip far out first
        gap = abs(run.b[0] - data.intercept_ols)
        assert overshoot <= 0.1, caption
        assert max(abs(b - data.intercept_ols) for b in run.b) <= 1.1 * gap, caption
    told = re.search(
        r"b comes within 10 % of its starting gap first \(b at epoch ([\d,]+), k at", caption
    )
    if told:
        assert int(told.group(1).replace(",", "")) == first["b"] < (first["k"] or np.inf)
    if first["b"] is not None and first["k"] is not None and first["b"] < first["k"]:
        assert "turns to the right slope first" not in caption


def test_adams_fit_caption_says_b_gets_there_first_and_overshoots():
    _, data, run, view = shown({"optimizer": "adam"})
    caption = run_captions.fit(view, data)
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


STANDARDISE_LESSON = {"x_min": 100.0, "x_max": 110.0, "lr_k": 8e-05, "lr_b": 8e-05}


@pytest.mark.parametrize(
    "where",
    [STANDARDISE_LESSON, {"x_min": 50.0, "x_max": 60.0, "lr_k": 1e-4}, {"x_min": 5.0}],
    ids=["lesson", "far", "near"],
)
def test_compares_outcomes_give_where_each_run_ended_not_its_swing(where):
    from ui.compute import comparison
    from ui.plain.records import records
    from ui.plain.strategies import default_strategies

    config = lesson_config(where)
    data = load_dataset(config.data)
    strategies = default_strategies(config.train, data)
    _, table = comparison.results(config, strategies, data)
    swings = 0
    for strategy, row in zip(strategies, records(table), strict=True):
        run = train(replace(config, train=strategy.spec), data)
        for p, values, optimum in (("k", run.k, data.slope_ols), ("b", run.b, data.intercept_ols)):
            said = re.search(rf"\b{p} ([\d.,]+) (%|times as far)", row["outcome"])
            if not said:
                continue
            left = abs(values[-1] - optimum) / abs(values[0] - optimum)
            number = float(said.group(1).replace(",", ""))
            shown = number / 100 if said.group(2) == "%" else number
            assert shown == pytest.approx(left, rel=0.05, abs=5e-4), (p, row["outcome"], left)
            swing = re.search(rf"\b{p} [^,]*, swinging out to ([\d.,]+) times", row["outcome"])
            if swing:
                farthest = np.abs(values - optimum).max() / abs(values[0] - optimum)
                assert 2 * left < float(swing.group(1).replace(",", "")) <= farthest * 1.001
                swings += 1
    assert swings or where is not STANDARDISE_LESSON  # the walkthrough's row swings


def valley_components(data, run):
    """(along the valley floor, across it) per epoch, signed, the start's along ≥ 0: the
    deviation from the least-squares optimum (np.linalg.lstsq) projected on the eigenvectors
    of H = 2·[[mean(x²), mean(x)], [mean(x), 1]], each written out here."""
    x, y = np.asarray(data.x, dtype=float), np.asarray(data.y, dtype=float)
    (k_star, b_star), *_ = np.linalg.lstsq(np.column_stack([x, np.ones_like(x)]), y, rcond=None)
    h = 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    values, vectors = np.linalg.eig(h)
    flat, steep = vectors[:, np.argmin(values)], vectors[:, np.argmax(values)]
    along, across = [], []
    for k, b in zip(run.k, run.b, strict=True):
        along.append(flat[0] * (k - k_star) + flat[1] * (b - b_star))
        across.append(steep[0] * (k - k_star) + steep[1] * (b - b_star))
    along = np.array(along) * (1 if along[0] >= 0 else -1)
    start = np.hypot(run.k[0] - k_star, run.b[0] - b_star)
    return along, np.array(across), start


PATHS = PACES | {
    "per-parameter": {"same_rate": False, "lr_k": 0.0127, "lr_b": 0.48},
    "momentum": {"optimizer": "momentum", "lr_k": 0.005},
    "batch 8": {"batch": 8, "lr_k": 0.005},
}


@pytest.mark.parametrize("where", OTHER_DATA, ids=["default", "wide", "far"])
@pytest.mark.parametrize("settings", PATHS.values(), ids=PATHS.keys())
def test_the_paths_caption_follows_its_shape_in_the_valley(settings, where):
    _, data, run, view = shown(settings | where)
    caption = path_captions.contour(view, (data.slope_ols, data.intercept_ols))
    along, across, start = valley_components(data, run)
    told = re.search(r"(on the floor from|reaches the floor at) epoch ([\d,]+)", caption)
    if not told:
        assert "drops to the valley floor" not in caption and "far side" not in caption
        return
    floor = int(told.group(2).replace(",", ""))
    outside = np.flatnonzero(np.abs(across) > 0.1 * start)
    assert floor == (outside[-1] + 1 if outside.size else 0)  # on the floor from then on
    if "drops to the valley floor first" in caption:  # kept its distance along the valley
        assert abs(along[floor] - along[0]) <= 0.1 * start
    if "far side" in caption:
        assert along[floor] < -0.1 * start
    if "walks" in caption:
        assert abs(along[-1]) < abs(along[floor])
    if "drifts farther" in caption:
        assert abs(along[-1]) > abs(along[floor])


@pytest.mark.parametrize("optimizer", ["adam", "rmsprop", "adamax"])
def test_adaptive_paths_are_not_told_as_a_drop_then_a_walk(optimizer):
    _, data, run, view = shown({"optimizer": optimizer})
    caption = path_captions.contour(view, (data.slope_ols, data.intercept_ols))
    along, _, _ = valley_components(data, run)
    assert "drops to the valley floor first" not in caption
    assert along.min() < 0 and "past the cross" in caption


def adam_divisors(data, lr, epochs, init=(0.0, 0.0), betas=(0.9, 0.999), eps=1e-8):
    """√v̂ + eps for k and b after `epochs` of full-batch Adam, by torch.optim.Adam's
    documented update written out here (gradients from the data's own x and y)."""
    x, y = np.asarray(data.x, dtype=float), np.asarray(data.y, dtype=float)
    k, b = init
    m, v = np.zeros(2), np.zeros(2)
    for t in range(1, epochs + 1):
        r = k * x + b - y
        g = np.array([2 * np.mean(x * r), 2 * np.mean(r)])
        m = betas[0] * m + (1 - betas[0]) * g
        v = betas[1] * v + (1 - betas[1]) * g * g
        step = np.array(lr) * (m / (1 - betas[0] ** t)) / (np.sqrt(v / (1 - betas[1] ** t)) + eps)
        k, b = k - step[0], b - step[1]
    return np.sqrt(v / (1 - betas[1] ** epochs)) + eps


def number_before(text, words):
    return float(re.search(rf"([\d.e+-]+) times {words}", text).group(1))


@pytest.mark.parametrize("where", OTHER_DATA[:2], ids=["default", "wide"])
@pytest.mark.parametrize(
    "rates", [(0.000327, 0.252), (0.01, 0.01), (0.01, 0.1), (0.05, 0.001)], ids=str
)
def test_theorys_adaptive_rates_credit_the_student_with_their_own_ratio(rates, where):
    from ui.compute.lab import adaptive_rates

    config = lesson_config({"same_rate": False, "lr_k": rates[0], "lr_b": rates[1]} | where)
    data = load_dataset(config.data)
    text = theory_captions.effective_rates(data, config.train, adaptive_rates(config, data))
    divisor_k, divisor_b = adam_divisors(data, rates, config.train.epochs)
    own, added = rates[1] / rates[0], divisor_k / divisor_b
    said = float(re.search(r"b's is ([\d.e+-]+) times k's", text).group(1))
    assert said == pytest.approx(own * added, rel=5e-3)
    if own != 1:
        assert number_before(text, "from your own rates") == pytest.approx(own, rel=5e-3)
        assert number_before(text, "from Adam's division") == pytest.approx(added, rel=5e-3)
    # What the rule is credited with is its own part against mean(x²), not the whole ratio.
    needed = np.mean(np.asarray(data.x, dtype=float) ** 2)
    credit = "and more" if added >= needed else "part of" if added > 1 else "does not"
    assert credit in text.split("differ by mean(x²)")[1], text


def without_theory(axis, fastest):
    """The axis without theory's fastest rate (computed here from the Hessian), if it is one
    of the rates tried."""
    extra = [
        i for i, rate in enumerate(axis) if any(np.isclose(rate, f, rtol=1e-12) for f in fastest)
    ]
    return np.delete(axis, extra[:1])


@pytest.mark.parametrize("where", [{}, {"x_min": "-3", "x_max": "8", "epochs": "200"}], ids=str)
def test_tune_eachs_caption_counts_the_grids_the_table_lists(where):
    """The caption says each grid's size as the table lists it, and how many of its rates are
    evenly spaced in log: each axis of gd.tune's grid, less theory's fastest rate (computed
    here), is np.geomspace of that many rates."""
    from tests.ui.helpers import fresh_app
    from ui.config import batch_size, build_optimizer
    from ui.plain.strategies import default_strategies

    app = fresh_app(tune="true", **where).run()
    app.switch_page("pages/compare.py").run()
    assert not app.exception
    (caption,) = [c.value for c in app.caption if "on a log grid of its own" in c.value]
    config = lesson_config({k: int(v) if k == "epochs" else float(v) for k, v in where.items()})
    data = load_dataset(config.data)
    x = np.asarray(data.x, dtype=float)
    h = 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    fastest = (2 / np.linalg.eigvalsh(h).sum(), 1 / h[0, 0], 1 / h[1, 1], 0.5)  # 0.5: standardised
    groups = dict(
        part.split(": ", 1)
        for part in caption.split("ones): ")[1].split(". The best")[0].split("; ")
    )
    said = {
        label: words for labels, words in groups.items() for label in re.split(r", | and ", labels)
    }
    for strategy in default_strategies(config.train, data):
        spec = strategy.spec
        pair = spec.lr_k != spec.lr_b
        grid = gd.tune(
            data,
            build_optimizer(spec),
            config.train.epochs,
            pair=pair,
            init=(spec.k0, spec.b0),
            batch_size=batch_size(spec),
            standardize=spec.standardize,
        )
        axes = (grid.lr_k_values, grid.lr_b_values) if pair else (grid.lr_k_values,)
        words = said[strategy.label]
        assert words.startswith(" × ".join(f"{axis.size:,}" for axis in axes)), words
        spaced = int(
            re.search(r"\(?(\d+)(?: of each rate)? (?:rates )?evenly spaced", words).group(1)
        )
        for axis in axes:
            on_grid = without_theory(axis, fastest)
            assert on_grid.size == spaced
            assert np.allclose(on_grid, np.geomspace(on_grid[0], on_grid[-1], spaced), rtol=1e-12)
            assert (axis.size > spaced) is ("theory's fastest" in words)
