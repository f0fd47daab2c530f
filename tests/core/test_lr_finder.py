"""The learning-rate range test against a plain loop, and fastai's four rules on made curves."""

import numpy as np
import pytest

import gd_core as gd
from tests.core.reference import direct_gradient, direct_loss

DATA = gd.make_dataset(100, slope=2.0, intercept=1.0, noise=1.0)


def plain_range_test(x, y, lr_min, lr_max, steps, batch=None, seed=0, init=(0.0, 0.0)):
    """The learner's loop: geometric rates, one step each, the full-data loss after it, stop
    once a loss passes 4 × the smallest so far (that step kept)."""
    k, b = init
    lrs, losses = [], []
    order = []
    rng = np.random.default_rng(seed)
    best = np.inf
    for i in range(steps):
        lr = lr_min * (lr_max / lr_min) ** (i / (steps - 1))
        if batch is None:
            gk, gb = direct_gradient(x, y, k, b)
        else:
            if not order:
                permutation = rng.permutation(len(x))
                order = [permutation[s : s + batch] for s in range(0, len(x), batch)]
            chosen = order.pop(0)
            gk, gb = direct_gradient(x[chosen], y[chosen], k, b)
        k, b = k - lr * gk, b - lr * gb
        loss = direct_loss(x, y, k, b)
        lrs.append(lr)
        losses.append(loss)
        best = min(best, loss)
        if not loss <= 4 * best:
            return np.array(lrs), np.array(losses), i
    return np.array(lrs), np.array(losses), None


@pytest.mark.parametrize(
    ("batch", "seed", "init"), [(None, 0, (0.0, 0.0)), (None, 0, (5.0, -3.0)), (10, 3, (0, 0))]
)
def test_losses_equal_a_plain_loop_with_the_same_rates(batch, seed, init):
    test = gd.lr_range_test(DATA, 1e-5, 1.0, 100, batch_size=batch, seed=seed, init=init)
    lrs, losses, stopped = plain_range_test(DATA.x, DATA.y, 1e-5, 1.0, 100, batch, seed, init)
    np.testing.assert_allclose(test.lrs, lrs, rtol=1e-13)
    assert test.stopped_at == stopped
    # Past 2/λ_max every step multiplies the distance, and the two loops' rounding with it.
    stable = test.lrs < gd.analyze(DATA).max_stable_lr
    np.testing.assert_allclose(test.losses[stable], losses[stable], rtol=1e-10)
    np.testing.assert_allclose(test.losses, losses, rtol=1e-5)


def test_the_rates_are_geometric_from_lr_min_and_reach_lr_max_when_nothing_stops_them():
    test = gd.lr_range_test(DATA, 1e-6, 1e-3, 50)  # all far below 2/λ_max: nothing stops
    assert test.stopped_at is None and len(test.lrs) == len(test.losses) == 50
    assert test.lrs[0] == 1e-6 and test.lrs[-1] == pytest.approx(1e-3, rel=1e-14)
    ratios = test.lrs[1:] / test.lrs[:-1]
    np.testing.assert_allclose(ratios, (1e-3 / 1e-6) ** (1 / 49), rtol=1e-12)


def test_a_stopped_test_keeps_the_step_that_stopped_it_and_nothing_after():
    test = gd.lr_range_test(DATA, 1e-5, 10.0, 200)
    assert test.stopped_at is not None
    assert len(test.lrs) == len(test.losses) == test.stopped_at + 1
    assert test.losses[-1] > 4 * test.losses.min()
    assert np.all(test.losses[:-1] <= 4 * np.minimum.accumulate(test.losses[:-1]))
    # It stops past the exact limit 2/λ_max: a rate below it cannot make the loss grow.
    assert test.lrs[-1] > gd.analyze(DATA).max_stable_lr


def test_an_overflowing_loss_stops_the_test_too():
    test = gd.lr_range_test(DATA, 1e3, 1e300, 20)
    assert test.stopped_at is not None and test.stopped_at < 19


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((0.0, 1.0, 10), "lr_min < lr_max"),
        ((1.0, 0.1, 10), "lr_min < lr_max"),
        ((1e-3, np.inf, 10), "lr_min < lr_max"),
        ((1e-3, 1.0, 1), "steps must be"),
    ],
)
def test_bad_arguments_are_refused_clearly(arguments, message):
    with pytest.raises(ValueError, match=message):
        gd.lr_range_test(DATA, *arguments)


# fastai/callback/schedule.py's rules, written out again as they are there (loops and all),
# to check gd_core's versions on curves made by hand.
def fastai_valley(lrs, losses):
    n = len(losses)
    max_start, max_end = 0, 0
    lds = [1] * n
    for i in range(1, n):
        for j in range(0, i):
            if (losses[i] < losses[j]) and (lds[i] < lds[j] + 1):
                lds[i] = lds[j] + 1
            if lds[max_end] < lds[i]:
                max_end = i
                max_start = max_end - lds[max_end]
    sections = (max_end - max_start) / 3
    idx = max_start + int(sections) + int(sections / 2)
    return float(lrs[idx])


def fastai_slide(lrs, losses, lr_diff=15, thresh=0.005, adjust_value=1.0):
    loss_grad = np.gradient(losses)
    r_idx = -1
    l_idx = r_idx - lr_diff
    local_min_lr = lrs[l_idx]
    while (l_idx >= -len(losses)) and (abs(loss_grad[r_idx] - loss_grad[l_idx]) > thresh):
        local_min_lr = lrs[l_idx]
        r_idx -= 1
        l_idx -= 1
    return float(local_min_lr) * adjust_value


def fastai_minimum(lrs, losses):
    return float(lrs[np.argmin(losses)]) / 10


def fastai_steep(lrs, losses):
    grads = (losses[1:] - losses[:-1]) / (np.log(lrs[1:]) - np.log(lrs[:-1]))
    return float(lrs[grads.argmin()])


LRS = np.geomspace(1e-5, 1.0, 60)
U = np.log10(LRS)
CURVES = {
    # a classic: flat, a long fall, a bottom, blow-up
    "bowl": 2.0 - 1.5 / (1 + np.exp(-3 * (U + 2.5))) + np.exp(4 * (U + 0.5)),
    # two valleys: the longer one must win
    "two valleys": np.concatenate(
        [np.linspace(5, 4, 10), np.linspace(6, 1, 40), np.linspace(2, 9, 10)]
    ),
    # noisy, as the mini-batch curves that fool the rules are
    "noisy": 3 - 0.4 * U + np.random.default_rng(1).normal(0, 0.2, 60),
    "monotone fall": np.linspace(10, 1, 60),
}


@pytest.mark.parametrize("curve", CURVES)
def test_each_rule_reads_made_curves_as_fastai_does(curve):
    losses = CURVES[curve]
    assert gd.lr_suggestions.valley(LRS, losses)[0] == fastai_valley(LRS, losses)
    assert gd.lr_suggestions.slide(LRS, losses)[0] == fastai_slide(LRS, losses)
    assert gd.lr_suggestions.minimum(LRS, losses)[0] == fastai_minimum(LRS, losses)
    assert gd.lr_suggestions.steep(LRS, losses)[0] == fastai_steep(LRS, losses)


def test_the_rules_on_curves_worked_by_hand():
    lrs = np.array([1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0])
    losses = np.array([5.0, 4.0, 3.0, 1.0, 0.5, 2.0, 9.0])
    # valley: the fall 5 > 4 > 3 > 1 > 0.5 ends at index 4 with length 5, so fastai's start
    # is 4 − 5 = −1 (one before the fall) and d = 5: index −1 + int(5/3) + int(5/6) = 0.
    assert gd.lr_suggestions.valley(lrs, losses)[0] == 1.0
    assert gd.lr_suggestions.minimum(lrs, losses) == (1.6, (16.0, 0.5))
    # steep: slopes per log-rate step are −1, −1, −2, −0.5, 1.5, 7 (÷ ln 2): the third.
    assert gd.lr_suggestions.steep(lrs, losses) == (4.0, (4.0, 3.0))


def test_suggest_drops_the_first_tenth_and_the_last_five_points_as_lr_find_does():
    test = gd.lr_range_test(DATA, 1e-5, 1.0, 100)
    lrs, losses = gd.lr_suggestions.suggestion_curve(test)
    np.testing.assert_array_equal(lrs, test.lrs[10:-5])
    found = gd.suggest(test)
    assert found["minimum"].lr == fastai_minimum(lrs, losses)
    assert found["valley"].lr == fastai_valley(lrs, losses)
    assert found["steep"].lr == fastai_steep(lrs, losses)
    assert found["slide"].lr == fastai_slide(lrs, losses)


def test_a_curve_too_short_for_a_rule_gets_no_suggestion_from_it():
    test = gd.lr_range_test(DATA, 0.1, 100.0, 100)  # stops after a few steps
    found = gd.suggest(test)
    assert found["slide"] is None and found["valley"] is None


def test_a_grade_compares_a_rate_with_the_exact_limit_and_best_rate():
    exact = gd.analyze(DATA)
    at_limit = gd.grade(DATA, exact.max_stable_lr * 0.5)
    assert at_limit.of_limit == pytest.approx(0.5)
    assert at_limit.of_best == pytest.approx(0.5 * exact.max_stable_lr / exact.best_lr)
    assert at_limit.converges and at_limit.radius < 1
    assert not gd.grade(DATA, exact.max_stable_lr * 1.01).converges
    h = gd.hessian(DATA)
    rate = 0.003
    radius = max(abs(np.linalg.eigvals(np.eye(2) - rate * h)))
    assert gd.grade(DATA, rate).radius == pytest.approx(radius, rel=1e-12)


def test_the_read_span_lowest_point_and_curve_loss_against_slices_written_here():
    data = gd.make_dataset(100, 2.0, 1.0, 1.0)
    test = gd.lr_range_test(data, 1e-7, 10.0, 100)
    start, stop = gd.lr_suggestions.read_span(test)
    assert (start, stop) == (10, len(test.losses) - 5)
    _, losses = gd.lr_suggestions.suggestion_curve(test)
    np.testing.assert_array_equal(losses, test.losses[10 : len(test.losses) - 5])
    _, lr, loss = gd.lr_suggestions.lowest(test)
    assert loss == min(test.losses) and lr == test.lrs[list(test.losses).index(loss)]
    middle = np.sqrt(test.lrs[40] * test.lrs[41])  # half-way in log-rate
    expected = (test.losses[40] + test.losses[41]) / 2
    assert gd.lr_suggestions.loss_at(test, middle) == pytest.approx(expected, rel=1e-9)
    short = gd.lr_range_test(data, 1e5, 1e6, 10)  # blows up at once: nothing read
    assert np.diff(gd.lr_suggestions.read_span(short)) == 0
