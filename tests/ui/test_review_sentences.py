"""Sentences a review of Theory's and Loss's new texts found false for some runs, on those runs."""

import re

import pytest

from tests.ui.helpers import fresh_app
from ui.compute.lesson_answers import lesson_config
from ui.compute.runs import load_dataset, reduced_run
from ui.plain import loss_captions


def page_text(page: str, **query: str) -> str:
    app = fresh_app(**query).run()
    if page != "fit":
        app.switch_page(f"pages/{page}.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return " ".join(e.value for e in [*app.markdown, *app.caption])


def test_centred_x_far_from_the_limit_is_not_called_near_it_nor_a_swap():
    # x in (−1, 1): the two curvatures are close, so the across mode can be the slower one at
    # η·λ_max = 1.5, where its factor is 0.5: neither "near the limit" nor a swap (k first).
    text = page_text("theory", x_min="-1", x_max="1", lr_k="0.7392")
    assert "is close to 2" not in text and "barely shrinks" not in text
    assert "roles swap: k settles first" not in text


def test_section_2_says_which_parameter_crawls_on_this_data():
    assert "k settles and b crawls" in page_text("theory")
    centred = page_text("theory", x_min="-1", x_max="1")
    assert "b settles and k crawls" in centred and "k settles and b crawls" not in centred


@pytest.mark.parametrize("rate", ["0.03", "0"])
def test_a_run_with_nothing_predicted_is_not_long_enough_to_reach_it(rate):
    assert "long enough to reach the prediction" not in page_text("theory", lr_k=rate)
    assert "long enough to reach the prediction" in page_text("theory")


def test_a_far_start_whose_parts_cancel_is_not_said_to_start_near():
    text = page_text("theory", same_rate="false", lr_k="0.001", lr_b="0.01", k0="-5", b0="-5")
    assert "starts near b*" not in text and "starts near k*" not in text


@pytest.mark.parametrize("epochs", [2, 3, 5])
def test_a_short_run_has_no_slide_over_no_epochs(epochs):
    # Below the sidebar's 10 epochs (a lesson's or a test's run): k reaches its band at the
    # last epoch or nearly, too short a stay to call "for good".
    config = lesson_config({"epochs": epochs})
    data = load_dataset(config.data)
    text = loss_captions.excess(config.train, reduced_run(config, data))
    assert "over the last 0 epochs" not in text
    held = re.search(r"for good \(by epoch (\d+)", text)
    assert held is None or epochs - int(held.group(1)) > 0.1 * epochs
