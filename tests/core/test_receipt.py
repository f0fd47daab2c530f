"""step_receipt against the torch.optim formulas replayed from the run, and a step by hand."""

import numpy as np
import pytest

import gd_core as gd
from tests.core.reference import TorchRule, direct_gradient

DATA = gd.make_dataset(60, 2.0, 1.0, 1.5, x_range=(1.0, 9.0), seed=4)
# Hyperparameters away from the defaults, so a swapped or ignored one shows.
HYPER = {
    "sgd": {},
    "momentum": {"momentum": 0.7},
    "nesterov": {"momentum": 0.6},
    "adagrad": {"eps": 1e-10},
    "rmsprop": {"alpha": 0.9, "eps": 1e-8},
    "adam": {"betas": (0.8, 0.95), "eps": 1e-8},
    "adamax": {"betas": (0.85, 0.97), "eps": 1e-8},
}
RATES = {"sgd": (0.01, 0.2), "momentum": (0.004, 0.05), "nesterov": (0.004, 0.05)}
# torch.optim's state names, and where TorchRule (the documentation's pseudocode) keeps each.
TORCH_NAMES = {
    "sgd": {},
    "momentum": {"momentum_buffer": "buf"},
    "nesterov": {"momentum_buffer": "buf"},
    "adagrad": {"sum": "sum"},
    "rmsprop": {"square_avg": "square_avg"},
    "adam": {"exp_avg": "exp_avg", "exp_avg_sq": "exp_avg_sq"},
    "adamax": {"exp_avg": "exp_avg", "exp_inf": "exp_inf"},
}
EPOCHS = 40


def test_every_optimizer_in_the_registry_is_covered():
    assert set(HYPER) == set(gd.OPTIMIZERS)


@pytest.mark.parametrize("name", list(gd.OPTIMIZERS))
def test_the_receipt_matches_torch_formulas_replayed_from_the_run(name):
    lr = RATES.get(name, (0.05, 0.3))
    optimizer = gd.make_optimizer(name, lr, **HYPER[name])
    run = gd.train(DATA, optimizer, EPOCHS, init=(-1.0, 4.0))
    rules = [TorchRule(name, rate, **HYPER[name]) for rate in lr]
    wanted = [0, 1, 2, 17, EPOCHS - 1]
    receipts = dict(zip(wanted, gd.step_receipts(DATA, optimizer, run, wanted), strict=True))
    for epoch in range(EPOCHS):
        k, b = float(run.k[epoch]), float(run.b[epoch])
        g = direct_gradient(DATA.x, DATA.y, k, b)
        moved = (rules[0].step(k, g[0]) - k, rules[1].step(b, g[1]) - b)
        if epoch not in receipts:
            continue
        receipt = receipts[epoch]
        assert receipt == gd.step_receipt(DATA, optimizer, run, epoch)
        assert (receipt.epoch, receipt.k, receipt.b) == (epoch, k, b)
        np.testing.assert_allclose(receipt.gradient, g, rtol=1e-9, atol=1e-9)
        # The step is the run's own move, and the torch rule replayed makes the same move.
        assert receipt.step == (run.k[epoch + 1] - k, run.b[epoch + 1] - b)
        np.testing.assert_allclose(receipt.step, moved, rtol=1e-7, atol=1e-12)
        assert receipt.learning_rate == lr
        expected = {
            torch: tuple(float(getattr(rule, ours)) for rule in rules)
            for torch, ours in TORCH_NAMES[name].items()
        }
        assert set(receipt.state) == set(expected)
        for torch, pair in expected.items():
            np.testing.assert_allclose(getattr(receipt, torch), pair, rtol=1e-8, err_msg=torch)
        if name in ("adam", "adamax"):
            beta1 = HYPER[name]["betas"][0]
            assert receipt.bias_correction1 == pytest.approx(1 - beta1 ** (epoch + 1))
        if name == "adam":
            beta2 = HYPER[name]["betas"][1]
            assert receipt.bias_correction2 == pytest.approx(1 - beta2 ** (epoch + 1))
            m_hat = np.array(receipt.exp_avg) / receipt.bias_correction1
            v_hat = np.array(receipt.exp_avg_sq) / receipt.bias_correction2
            rate = np.array(lr) / (np.sqrt(v_hat) + HYPER[name]["eps"])
            np.testing.assert_allclose(receipt.effective_rate, rate, rtol=1e-9)
            np.testing.assert_allclose(-np.array(receipt.step), rate * m_hat, rtol=1e-7)


def test_a_momentum_step_worked_by_hand():
    # x = 0, 1, 2 and y = 1, 3, 5 from (k, b) = (0, 0): r = −y, so
    # g_k = 2·mean(x·r) = 2·(−13/3) and g_b = 2·mean(r) = 2·(−3).
    data = gd.Dataset([0.0, 1.0, 2.0], [1.0, 3.0, 5.0])
    optimizer = gd.momentum(0.1, momentum=0.5)
    run = gd.train(data, optimizer, 3)
    first = gd.step_receipt(data, optimizer, run, 0)
    assert first.gradient == pytest.approx((-26 / 3, -6.0))
    assert first.momentum_buffer == pytest.approx((-26 / 3, -6.0))  # b_1 = g_1
    assert first.step == pytest.approx((2.6 / 3, 0.6))  # −η·b_1
    # Epoch 1 from (k, b) = (26/30, 0.6): r = (26/30)·x + 0.6 − y.
    second = gd.step_receipt(data, optimizer, run, 1)
    r = np.array([26 / 30 * x + 0.6 - y for x, y in ((0, 1), (1, 3), (2, 5))])
    g = (2 * np.mean(np.array([0, 1, 2]) * r), 2 * np.mean(r))
    assert second.gradient == pytest.approx(g)
    buffer = (0.5 * -26 / 3 + g[0], 0.5 * -6.0 + g[1])
    assert second.momentum_buffer == pytest.approx(buffer)
    assert second.step == pytest.approx((-0.1 * buffer[0], -0.1 * buffer[1]))


def test_a_schedule_sets_each_epochs_rate():
    optimizer = gd.momentum((0.004, 0.05), momentum=0.5, schedule=gd.step_decay(3, 0.5))
    run = gd.train(DATA, optimizer, 10)
    for epoch, multiplier in ((0, 1.0), (2, 1.0), (3, 0.5), (7, 0.25)):
        receipt = gd.step_receipt(DATA, optimizer, run, epoch)
        assert receipt.learning_rate == (0.004 * multiplier, 0.05 * multiplier)
        np.testing.assert_allclose(
            receipt.step, -np.array(receipt.learning_rate) * receipt.momentum_buffer, rtol=1e-12
        )


def test_plain_gd_keeps_no_state_and_its_step_is_minus_rate_times_gradient():
    optimizer = gd.sgd((0.01, 0.2))
    run = gd.train(DATA, optimizer, 5, init=(3.0, -2.0))
    receipt = gd.step_receipt(DATA, optimizer, run, 4)
    assert receipt.state == {} and receipt.momentum_buffer is None
    assert receipt.effective_rate == (0.01, 0.2)
    np.testing.assert_allclose(receipt.step, -np.array([0.01, 0.2]) * receipt.gradient, rtol=1e-9)


@pytest.mark.parametrize("epoch", [-1, 5, 2.0, True])
def test_an_epoch_without_a_step_after_it_is_refused_clearly(epoch):
    run = gd.train(DATA, gd.sgd(0.01), 5)
    with pytest.raises(ValueError, match="epoch"):
        gd.step_receipt(DATA, gd.sgd(0.01), run, epoch)


@pytest.mark.parametrize("epochs", [[0, 5], [-1, 2], [True], [1.5]])
def test_an_array_of_epochs_is_checked_as_a_list_is(epochs):
    # Whole-number arrays are checked at once; the message still names the epoch.
    run = gd.train(DATA, gd.sgd(0.01), 5)
    for given in (epochs, np.array(epochs)):
        with pytest.raises(ValueError, match="epoch") as refused:
            gd.step_table(DATA, gd.sgd(0.01), run, given)
        assert "got" in str(refused.value)
    assert len(gd.step_table(DATA, gd.sgd(0.01), run, np.arange(5, dtype=np.int32))) == 5


def test_the_gradient_sums_rebuild_the_gradient():
    sums = gd.gradient_sums(DATA)
    k, b = 1.3, -0.4
    g_k = 2 / sums.n * (k * sums.sum_xx + b * sums.sum_x - sums.sum_xy)
    g_b = 2 / sums.n * (k * sums.sum_x + sums.n * b - sums.sum_y)
    assert (g_k, g_b) == pytest.approx(direct_gradient(DATA.x, DATA.y, k, b), rel=1e-10)


def test_reduce_on_plateau_rates_are_the_ones_each_step_was_taken_with():
    # Momentum at a rate that oscillates: the loss stalls, the rate is cut. Each receipt's rate
    # is then the one its own step used: step = −η_t·b_t, with b_t replayed independently.
    optimizer = gd.momentum(0.02, momentum=0.9, schedule=gd.reduce_on_plateau(0.5, patience=3))
    run = gd.train(DATA, optimizer, 60, init=(-1.0, 4.0))
    receipts = gd.step_receipts(DATA, optimizer, run, list(range(59)))
    rates = [receipt.learning_rate[0] for receipt in receipts]
    assert min(rates) < 0.02  # it was cut
    rule_k = TorchRule("momentum", 1.0, momentum=0.9)
    for receipt in receipts:
        g_k = direct_gradient(DATA.x, DATA.y, receipt.k, receipt.b)[0]
        moved = rule_k.step(receipt.k, g_k, receipt.learning_rate[0]) - receipt.k
        assert receipt.step[0] == pytest.approx(moved, rel=1e-7, abs=1e-12)


def replayed_by_hand(name: str, lr: tuple[float, float], epochs: int) -> list[dict]:
    """Each epoch's point, gradient, step and state by torch.optim's documented updates (SGD
    with and without momentum, Adam), written out here apart from gd_core and TorchRule."""
    point, rows = np.array([-1.0, 4.0]), []
    rates = np.array(lr)
    buf = m = v = np.zeros(2)
    for t in range(1, epochs + 1):
        g = np.array(direct_gradient(DATA.x, DATA.y, *point))
        state: dict[str, np.ndarray] = {}
        if name == "sgd":
            step = -rates * g
        elif name == "momentum":
            buf = g if t == 1 else HYPER[name]["momentum"] * buf + g  # torch: b_1 = g_1
            step, state = -rates * buf, {"momentum_buffer": buf}
        else:  # adam
            (beta1, beta2), eps = HYPER[name]["betas"], HYPER[name]["eps"]
            m = beta1 * m + (1 - beta1) * g
            v = beta2 * v + (1 - beta2) * g**2
            m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
            step = -rates * m_hat / (np.sqrt(v_hat) + eps)
            state = {"exp_avg": m, "exp_avg_sq": v}
        rows.append({"point": point, "gradient": g, "step": step, "state": state})
        point = point + step
    return rows


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_the_step_table_matches_updates_written_out_epoch_by_epoch(name):
    lr = RATES.get(name, (0.05, 0.3))
    optimizer = gd.make_optimizer(name, lr, **HYPER[name])
    run = gd.train(DATA, optimizer, EPOCHS, init=(-1.0, 4.0))
    wanted = [17, 0, 3, 17, EPOCHS - 1, 1]  # out of order, one twice
    table = gd.step_table(DATA, optimizer, run, wanted)
    by_hand = replayed_by_hand(name, lr, EPOCHS)
    assert len(table) == len(wanted) and table.epoch.tolist() == wanted
    assert set(table.state) == set(by_hand[0]["state"])
    for row, epoch in enumerate(wanted):
        hand = by_hand[epoch]
        close = {"rtol": 1e-7, "atol": 1e-12}
        np.testing.assert_allclose((table.k[row], table.b[row]), hand["point"], **close)
        np.testing.assert_allclose(table.gradient[row], hand["gradient"], **close)
        np.testing.assert_allclose(table.step[row], hand["step"], **close)
        np.testing.assert_array_equal(table.learning_rate[row], lr)
        for state, values in hand["state"].items():
            np.testing.assert_allclose(table.state[state][row], values, **close, err_msg=state)
        assert table.receipt(row).epoch == epoch
    for values in (table.k, table.gradient, table.effective_rate, *table.state.values()):
        assert not values.flags.writeable  # shared by every session that runs this config
    assert len(gd.step_table(DATA, optimizer, run, [])) == 0
