"""Theory's section 5 on a run whose gradients are exactly 0: no step, so no rate to quote."""

import numpy as np
import pandas as pd
import pytest

import gd_core as gd
from tests.ui.helpers import dataset, fresh_app
from ui.charts import lab_charts
from ui.config import TrainSpec
from ui.plain import alt_text, theory_captions
from ui.plain.views import AdaptiveRates


@pytest.mark.parametrize("optimizer", ["adam", "adamax"])
def test_a_start_on_a_noiseless_line_takes_no_step_and_quotes_no_rate(optimizer):
    # The line y = 2x + 1 without noise: (2, 1) is the exact optimum and both gradients are 0.
    app = fresh_app(noise="0", k0="2", b0="1", optimizer=optimizer).run()
    app.switch_page("pages/theory.py").run()
    assert not app.exception
    text = next(c.value for c in app.caption if "at your rates for" in c.value)
    assert "took no step" in text and "exact least-squares optimum" in text
    # lr/ε = 0.01/1e-8: the number the rule's formula gives with nothing in its state.
    assert "1e+06" not in text and "stayed at" not in text
    rates = [row["rate"] for row in dataset(app, lab_charts.RATES)]
    assert rates and all(rate is None or np.isnan(rate) for rate in rates)


def test_a_parameter_whose_gradient_stays_zero_is_named_and_the_other_is_measured():
    # x symmetric about 0: from k = k*, k's gradient 2·mean(x·r) is exactly 0 at every epoch.
    data = gd.Dataset(np.array([-2.0, -1.0, 1.0, 2.0]), np.array([-1.0, 0.0, 2.0, 3.0]))
    optimizer = gd.adam(0.1)
    run = gd.train(data, optimizer, 40, init=(data.slope_ols, data.intercept_ols + 3.0))
    rate_k, rate_b = gd.effective_rates(data, optimizer, run)
    frame = pd.concat(
        pd.DataFrame({"epoch": np.arange(1, 41), "parameter": name, "rate": rates})
        for name, rates in (("k", rate_k), ("b", rate_b))
    )
    adaptive = AdaptiveRates(frame, "adam", 40, (40, 0))
    text = theory_captions.effective_rates(data, TrainSpec(optimizer="adam"), adaptive)
    assert "k had no effective rate (its gradient was exactly 0 at every epoch)" in text
    assert f"b's effective rate rose from {rate_b[0]:.3g} to {rate_b[-1]:.3g}" in text
    assert "times k's" not in text  # no ratio to a rate that does not exist
    alt = alt_text.effective_rates(adaptive, (0.1, 1.0))
    assert "Over 40 epochs: no effective rate for k, whose gradient was exactly 0 at every" in alt
    assert "none for" not in alt  # "none" of what, a reader asked


def test_a_rate_of_zero_is_named_as_the_reason_there_is_no_effective_rate():
    app = fresh_app(optimizer="adam", lr_k="0", lr_b="0").run()
    app.switch_page("pages/theory.py").run()
    assert not app.exception
    text = next(c.value for c in app.caption if "at your rates for" in c.value)
    assert "k had no effective rate above 0 (η_k is 0)" in text
