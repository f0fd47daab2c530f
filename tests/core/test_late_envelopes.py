"""Plain GD's late settles decided from five epochs of each parameter's envelopes
(late_modes._from_envelopes in NumPy, _one_envelope in Python floats) against every epoch read
one by one and judged by progress.late_settlers itself: whatever they decide is that answer,
at band edges too (a band equal to an epoch's size), for terms of 0, equal ratios, ratios of
either sign, parameters never outside or outside only at the start. And whole sweeps (one
rate, a ratio of rates, noise σ over datasets) against train() and progress() point by point,
with epoch counts that put settles in the last tenth of the run."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import gd_core as gd
from gd_core import late_modes
from gd_core.progress import HOLD_SHARE, late_settlers, longest_stay


def _case(seed: int):
    """Random modes, a run length, a band among the sizes (at times one of them exactly)."""
    rng = np.random.default_rng(seed)
    epochs = int(rng.integers(1, 400))
    a = rng.normal(size=(2, 1)) * 10 ** rng.uniform(-2, 2, size=(2, 1))
    if rng.random() < 0.1:
        a[rng.integers(2), 0] = 0.0
    u = rng.uniform(-1, 1, size=2)
    ratios = np.sign(u) * np.abs(u) ** rng.choice([1.0, 0.2, 0.05, 0.01], size=2)
    if rng.random() < 0.3:
        ratios = np.abs(ratios)
    if rng.random() < 0.05:
        ratios[1] = ratios[0]
    ell, sign = np.log(np.abs(ratios))[:, None], np.sign(ratios)[:, None]
    sizes = late_modes._sizes(a, ell, sign, np.arange(epochs + 1.0)[None, :])[0]
    band = float(np.quantile(sizes, rng.uniform(0.02, 0.95)))
    if rng.random() < 0.7:
        band *= 1.0 + 1e-6 * rng.uniform(-1, 1)  # else a band equal to an epoch's size
    return a, ell, sign, band, sizes, epochs


def _by_every_epoch(sizes: np.ndarray, band: float, epochs: int) -> tuple[float, bool]:
    """(L, late) as progress() reads a run with these sizes: L its last epoch outside."""
    outside = sizes > band
    last = int(np.flatnonzero(outside)[-1]) if outside.any() else -1
    stayed = longest_stay(~outside, last + 1)
    return float(last), bool(late_settlers((last + 1, None), (stayed, None), epochs))


@settings(max_examples=3000, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_what_the_envelopes_decide_is_what_every_epoch_says(seed):
    a, ell, sign, band, sizes, epochs = _case(seed)
    last, want = _by_every_epoch(sizes, band, epochs)
    if last >= epochs:  # not settled: never asked
        return
    with np.errstate(all="ignore"):
        late, decided = late_modes._from_envelopes(
            a, ell, sign, np.array([band]), np.array([last]), epochs
        )
    one = late_modes._one_envelope(
        *(float(v) for v in (a[0, 0], a[1, 0], ell[0, 0], ell[1, 0])),
        float(sign[0, 0] * sign[1, 0]),
        band,
        last,
        float(epochs),
        HOLD_SHARE * epochs,
    )
    # The two forms decide the same parameters the same way.
    assert (one != late_modes._UNDECIDED) == bool(decided[0])
    if decided[0]:
        assert bool(late[0]) == want == (one == late_modes._LATE), (seed, last, epochs)


def test_the_envelopes_decide_nearly_everything_and_find_late_ones():
    """Not a test that cannot fail by deciding nothing: most cases, late ones among them."""
    decided = late = 0
    for seed in range(3000):
        a, ell, sign, band, sizes, epochs = _case(seed)
        last, _ = _by_every_epoch(sizes, band, epochs)
        if last >= epochs:
            continue
        with np.errstate(all="ignore"):
            is_late, sure = late_modes._from_envelopes(
                a, ell, sign, np.array([band]), np.array([last]), epochs
            )
        decided += int(sure[0])
        late += int(sure[0] and is_late[0])
    assert decided > 2500 and late > 30


def test_never_outside_or_only_at_the_start_is_not_late():
    a, ell, sign = np.array([[1.0], [-0.5]]), np.log([[0.5], [0.9]]), np.ones((2, 1))
    for last in (-1.0, 0.0):
        late, decided = late_modes._from_envelopes(
            a, ell, sign, np.array([0.1]), np.array([last]), 50
        )
        assert decided[0] and not late[0]
        one = late_modes._one_envelope(1.0, -0.5, *np.log([0.5, 0.9]), 1.0, 0.1, last, 50.0, 5.0)
        assert one == late_modes._NOT_LATE


def _late_by_train(data, optimizer, epochs, init):
    run = gd.train(data, optimizer, epochs, init)
    return run.converged_at is not None and bool(gd.progress(data, run).late)


def _settling_epochs(swept_epochs: np.ndarray, rng) -> list[int]:
    """Epoch counts that end some runs a little after they settle (the last tenth)."""
    found = swept_epochs[np.isfinite(swept_epochs)]
    if not found.size:
        return []
    picks = np.percentile(found, [10, 50, 90]) / rng.uniform(0.6, 0.99, 3)
    return sorted({max(2, math.ceil(p)) for p in picks})


@settings(max_examples=12, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_a_plain_gd_rate_sweep_is_late_where_train_is(seed):
    rng = np.random.default_rng(seed)
    low, high = float(rng.uniform(-5, 2)), float(rng.uniform(2.5, 9))
    data = gd.make_dataset(
        int(rng.integers(5, 40)), 2.0, 1.0, float(rng.uniform(0, 2)), x_range=(low, high), seed=seed
    )
    init = (float(rng.uniform(-3, 3)), float(rng.uniform(-3, 3)))
    if seed % 3 == 0:  # k at (or a hair from) its optimum, pulled off by b and back
        init = (data.slope_ols + float(rng.uniform(-1e-4, 1e-4)) * (seed % 2), init[1])
    top = gd.analyze(data).max_stable_lr
    # Near the limit (oscillating modes), small rates and a few past it (diverging).
    rates = np.sort(np.concatenate([rng.uniform(0.4, 1.0, 12), rng.uniform(1e-3, 1.05, 8)])) * top
    settled = gd.sweep(data, "lr", rates, "sgd", 20_000, init=init).epochs_to_converge
    for epochs in _settling_epochs(settled, rng):
        swept = gd.sweep(data, "lr", rates, "sgd", epochs, init=init)
        for rate, late in zip(rates, swept.late, strict=True):
            want = _late_by_train(data, gd.sgd(float(rate)), epochs, init)
            assert late == want, (seed, rate / top, epochs, init)


def test_late_settles_of_rate_sweeps_are_found_not_only_denied():
    seen = 0
    for seed in range(40):
        rng = np.random.default_rng(seed)
        data = gd.make_dataset(30, 2.0, 1.0, 1.0, x_range=(1.0, 6.0), seed=seed)
        init = (data.slope_ols + 1e-5 * (seed % 2), float(rng.uniform(-3, 3)))
        rates = np.geomspace(0.01, 0.99, 30) * gd.analyze(data).max_stable_lr
        settled = gd.sweep(data, "lr", rates, "sgd", 5000, init=init).epochs_to_converge
        for epochs in _settling_epochs(settled, rng):
            swept = gd.sweep(data, "lr", rates, "sgd", epochs, init=init)
            for rate, late in zip(rates, swept.late, strict=True):
                assert late == _late_by_train(data, gd.sgd(float(rate)), epochs, init)
            seen += int(swept.late.sum())
        if seen >= 5:
            break
    assert seen >= 5


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_pairs_of_rates_and_noise_sweeps_are_late_where_train_is(seed):
    rng = np.random.default_rng(seed)
    data = gd.make_dataset(20, 2.0, 1.0, 1.0, x_range=(float(rng.uniform(-3, 2)), 6.0), seed=seed)
    init = (data.slope_ols + 1e-5 * (seed % 2), float(rng.uniform(-3, 3)))
    top = gd.analyze(data).max_stable_lr
    ratios = np.geomspace(0.05, 20.0, 15)
    lr = 0.5 * top
    settled = gd.sweep(data, "lr_ratio", ratios, "sgd", 20_000, lr=lr, init=init)
    for epochs in _settling_epochs(settled.epochs_to_converge, rng):
        swept = gd.sweep(data, "lr_ratio", ratios, "sgd", epochs, lr=lr, init=init)
        for ratio, late in zip(ratios, swept.late, strict=True):
            want = _late_by_train(data, gd.sgd((lr, lr * float(ratio))), epochs, init)
            assert late == want, (seed, ratio, epochs)
    sigmas = np.linspace(0.0, 3.0, 12)
    datasets = [gd.make_dataset(20, 2.0, 1.0, s, x_range=(1.0, 6.0), seed=seed) for s in sigmas]
    rule = gd.sgd(0.9 * gd.analyze(datasets[0]).max_stable_lr)
    settled = gd.sweep_datasets(datasets, rule, 20_000, init=init).epochs_to_converge
    for epochs in _settling_epochs(settled, rng):
        swept = gd.sweep_datasets(datasets, rule, epochs, init=init)
        for one, late in zip(datasets, swept.late, strict=True):
            assert late == _late_by_train(one, rule, epochs, init), (seed, epochs)


def test_a_start_at_the_optimum_and_diverging_rates_are_never_late():
    data = gd.make_dataset(30, 2.0, 1.0, 1.0, seed=4)
    top = gd.analyze(data).max_stable_lr
    rates = np.geomspace(0.01, 1.5, 25) * top
    at_optimum = gd.sweep(data, "lr", rates, "sgd", 300, init=(data.slope_ols, data.intercept_ols))
    assert not at_optimum.late.any() and (at_optimum.epochs_to_converge == 0).all()
    swept = gd.sweep(data, "lr", rates, "sgd", 300)
    assert not swept.late[rates > top].any()
    for rate, late in zip(rates, swept.late, strict=True):
        assert late == _late_by_train(data, gd.sgd(float(rate)), 300, (0.0, 0.0))
