"""Log axes label evenly: the label expression run as the browser runs it (a JavaScript
subset), on the ticks Vega's log scale makes, at a laptop's and a phone's width."""

from __future__ import annotations

import itertools
import json
import math
import shutil
import subprocess

import pytest

from ui.charts import lab_charts, mode_charts, parameter_charts, run_charts, sweep_charts
from ui.charts.log_axis import label_expression, legend_labels

NODE = shutil.which("node")

# Vega's expression functions the label expression uses, written from their documentation;
# format(value, ',~r') is d3-format's grouped, 6-significant-digit decimal with zeros trimmed.
HARNESS = """
const [expression, cases] = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const {log, round, abs, ceil, floor, max, min, pow, LN10} = Math;
const peek = (array) => array[array.length - 1];
const regexp = (pattern, flags) => new RegExp(pattern, flags);
const replace = (text, pattern, replacement) => text.replace(pattern, replacement);
const format = (value, spec) => value.toLocaleString('en-US', {maximumSignificantDigits: 6});
const out = cases.map(([low, high, width, height, ticks]) => {
  const domain = () => [low, high];
  const label = new Function('datum', 'domain', 'width', 'height', 'log', 'round', 'abs',
    'ceil', 'floor', 'max', 'min', 'pow', 'LN10', 'peek', 'regexp', 'replace', 'format',
    'return ' + expression + ';');
  return ticks.map((value) => label({value, label: 'vega:' + value}, domain, width, height,
    log, round, abs, ceil, floor, max, min, pow, LN10, peek, regexp, replace, format));
});
process.stdout.write(JSON.stringify(out));
"""


def log_ticks(low: float, high: float) -> list[float]:
    """1, 2, … 9 × each power of ten inside [low, high]: the ticks Vega draws on a log axis
    that spans fewer decades than its tick count."""
    ticks = []
    for exponent in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1):
        for digit in range(1, 10):
            value = float(f"{digit}e{exponent}")
            if low <= value <= high:
                ticks.append(value)
    return ticks


def labels(
    channel: str, cases: list[tuple], ticks: list[float] | None = None, expression: str = ""
) -> list[dict]:
    """For each (low, high, length in px): the label of each tick that has one; `ticks` in
    place of the log ticks (Vega's plain ticks on a span too short for them); `expression` in
    place of the channel's axis labels."""
    if NODE is None:
        pytest.skip("Node.js is not installed (CI installs it with npm)")
    rows = [(low, high, size, size, ticks or log_ticks(low, high)) for low, high, size in cases]
    sent = json.dumps([expression or label_expression(channel), rows])
    done = subprocess.run([NODE, "-e", HARNESS], input=sent, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return [
        {tick: text for tick, text in zip(row[4], shown, strict=True) if text}
        for row, shown in zip(rows, json.loads(done.stdout), strict=True)
    ]


def evenly_spaced(ticks: list[float]) -> bool:
    steps = {round(math.log10(b / a), 6) for a, b in itertools.pairwise(ticks)}
    return len(steps) == 1


def test_the_stability_maps_rates_are_labelled_at_every_power_of_ten_and_only_there():
    # The map's η_b axis at 1,024 px (about 380 px tall) read 3, 2, 1, 0.3, 0.2, 0.1, 0.03 …
    (shown,) = labels("y", [(7e-4, 4.5, 380)])
    assert shown == {0.001: "0.001", 0.01: "0.01", 0.1: "0.1", 1.0: "1"}


def test_many_decades_on_a_phone_keep_every_other_power_written_as_a_power():
    # The LR finder's rates, 10⁻⁷ … 1, on a 390 px phone (about 280 px of axis).
    laptop, phone = labels("x", [(1e-7, 1.0, 480), (1e-7, 1.0, 280)])
    assert list(laptop.values()) == ["10⁻⁷", "10⁻⁶", "10⁻⁵", "10⁻⁴", "10⁻³", "10⁻²", "10⁻¹", "10⁰"]
    assert list(phone.values()) == ["10⁻⁶", "10⁻⁴", "10⁻²", "10⁰"]
    assert evenly_spaced(list(phone))


def test_large_counts_are_grouped_numbers_and_a_short_span_gets_one_two_five():
    (epochs, past) = labels("y", [(100.0, 1e6, 190), (100.0, 1e7, 190)])
    assert list(epochs.values()) == ["100", "1,000", "10,000", "100,000", "1,000,000"]
    assert list(past.values())[-2:] == ["10⁶", "10⁷"]  # one style for the whole axis
    (short,) = labels("y", [(90.0, 1100.0, 200)])
    assert list(short.values()) == ["100", "200", "500", "1,000"]


def test_within_a_fraction_of_a_decade_vega_keeps_its_own_labels():
    plain = [0.012, 0.014, 0.016, 0.018]
    (narrow,) = labels("x", [(0.011, 0.019, 480)], ticks=plain)
    assert narrow == {tick: f"vega:{tick}" for tick in plain}


def axes(spec: dict) -> dict[str, set[str]]:
    """Every labelExpr the chart's encodings give their x and y axes."""
    found: dict[str, set[str]] = {"x": set(), "y": set()}
    for layer in [spec, *spec.get("layer", [])]:
        for channel in ("x", "y"):
            axis = layer.get("encoding", {}).get(channel, {}).get("axis") or {}
            if "labelExpr" in axis:
                found[channel].add(axis["labelExpr"])
    return found


@pytest.mark.parametrize(
    ("chart", "channels"),
    [
        (lab_charts.stability_chart((("≤ 10", "#000"),), True), "xy"),
        (lab_charts.effective_rate_chart(), "xy"),
        (sweep_charts.finder_chart(), "xy"),
        (sweep_charts.sweep_epochs_chart(("rate", True), ("Adam",)), "xy"),
        (sweep_charts.sweep_loss_chart(("rate", True), ("Adam",)), "xy"),
        (sweep_charts.sweep_epochs_chart(("μ", False), ("Adam",)), "y"),
        # The Loss page's: its axes read 0.00001 beside 1e-10 (Vega's own labels).
        (run_charts.loss_chart(0, run_charts.LOSS_REFERENCES[:1]), "y"),
        (run_charts.loss_chart(2, ()), "y"),
        (run_charts.excess_chart(0), "y"),
        (run_charts.excess_chart(1), "y"),
        (run_charts.rate_chart(True), "y"),
        (mode_charts.mode_chart(), "y"),
        (parameter_charts.distance_chart(0), "y"),  # Parameters' and Compare's
        (parameter_charts.compare_loss_chart(("Adam",)), "y"),
    ],
)
def test_each_log_axis_of_the_sweeps_finder_map_and_rates_charts_labels_evenly(chart, channels):
    found = axes(chart.to_dict())
    for channel in "xy":
        expected = {label_expression(channel)} if channel in channels else set()
        assert found[channel] == expected, channel


def test_an_axis_over_many_decades_asks_vega_for_a_tick_at_every_decade():
    # Vega's log scale ticks only every 5th decade past its tick count (one per 40 px), and
    # labels kept every 3rd: Compare's 30-decade L − L* axis read just 10⁰ and 10⁻³⁰.
    spec = parameter_charts.compare_loss_chart(("Adam",)).to_dict()
    (count,) = {
        layer["encoding"]["y"]["axis"]["tickCount"]["expr"]
        for layer in [spec, *spec.get("layer", [])]
        if "axis" in layer.get("encoding", {}).get("y", {})
    }
    if NODE is None:
        pytest.skip("Node.js is not installed (CI installs it with npm)")
    script = (
        "const {abs, ceil, log, max, min, LN10} = Math;"
        "const isFinite = Number.isFinite;"
        " const peek = (a) => a[a.length - 1];"
        "const cases = [[1e-31, 10, 200], [0.1, 1000, 300], [1e-3, 1e3, 40], [1, Infinity, 80],"
        "[1e-150, 1e150, 80]];"
        "process.stdout.write(JSON.stringify(cases.map(([low, high, h]) => {"
        "const domain = () => [low, high]; return " + count.replace("height", "h") + "; })));"
    )
    done = subprocess.run([NODE, "-e", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [33, 8, 7, 2, 301]  # a decade each, past 40 px a tick


def test_a_loss_legend_writes_one_kind_of_number():
    """A diverged run's surface legend read "100,000,000,000" beside "1e+14" (E's walkthrough):
    past 10⁶ every label is a power of ten; within 10⁻⁵ … 10⁶, every one a plain number."""
    expression = legend_labels("color")
    diverged, default, mixed = labels(
        "y",
        [(178.0, 2.2e14, 100), (0.9, 260.0, 100), (1e3, 5e7, 100)],
        ticks=None,
        expression=expression,
    )
    assert {1e4: "10⁴", 1e14: "10¹⁴", 2e5: "2×10⁵"}.items() <= diverged.items()
    assert all("10" in text and "," not in text and "e" not in text for text in diverged.values())
    assert default[1.0] == "1" and default[200.0] == "200"
    assert mixed[2e7] == "2×10⁷" and mixed[1e4] == "10⁴"
