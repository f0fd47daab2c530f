"""The palette and the theme: contrast against each theme's background, colours a colour-blind
student can still tell apart, dark mode left on, and every chart colour taken from the palette.

Contrast is WCAG 2.x's formula and colour-vision deficiency Machado, Oliveira and Fernandes'
2009 simulation (severity 1), both written out here rather than taken from the app.
"""

from __future__ import annotations

import itertools
import json
import re
import tomllib
from pathlib import Path

import numpy as np
import pytest

from tests.ui.test_charts import templates
from ui.charts import lab_charts, palette

CONFIG = tomllib.loads((Path(__file__).parents[2] / ".streamlit" / "config.toml").read_text())
# Streamlit 1.67's backgrounds (`streamlit config show`): page, sidebar, and the widgets on it.
BACKGROUNDS = {
    "light": ("#ffffff", "#f8f8f7", "#f1f0ee"),
    "dark": ("#171614", "#21201d", "#2d2b27"),
}
MACHADO = {
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}  # fmt: skip
# CIE76 ΔE between two hues that still read as different colours at a glance on a thin line.
MIN_DELTA_E = 12


def linear_rgb(color: str) -> np.ndarray:
    channels = np.array([int(color.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)])
    return np.where(channels <= 0.04045, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)


def contrast(a: str, b: str) -> float:
    light, dark = sorted(
        (float(linear_rgb(c) @ [0.2126, 0.7152, 0.0722]) for c in (a, b)), reverse=True
    )
    return (light + 0.05) / (dark + 0.05)


def lab(rgb: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    scaled = xyz @ np.clip(rgb, 0, 1) / [0.95047, 1.0, 1.08883]
    f = np.where(scaled > 0.008856, np.cbrt(scaled), 7.787 * scaled + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_the_formulas_here_match_published_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#e4572e", "#f8f8f7") == pytest.approx(3.46, abs=0.01)  # the figure
    assert np.linalg.norm(lab(linear_rgb("#ffffff")) - [100, 0, 0]) < 0.1


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_shade_stands_out_from_its_background(theme):
    background = palette.LIGHT_BACKGROUND if theme == "light" else palette.DARK_BACKGROUND
    assert background == BACKGROUNDS[theme][0]
    for name, hue in palette.HUES.items():
        ratio = contrast(getattr(hue, theme), background)
        assert ratio >= 3.0, f"{name} on {theme}: {ratio:.2f}:1"  # WCAG 1.4.11, graphics
        if name in palette.TEXT_HUES:
            assert ratio >= 4.5, f"{name} text on {theme}: {ratio:.2f}:1"  # WCAG 1.4.3


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("deficiency", [None, *MACHADO])
def test_every_two_hues_stay_apart_under_colour_vision_deficiency(theme, deficiency):
    matrix = np.eye(3) if deficiency is None else np.array(MACHADO[deficiency])
    seen = {
        name: lab(matrix @ linear_rgb(getattr(hue, theme))) for name, hue in palette.HUES.items()
    }
    for a, b in itertools.combinations(seen, 2):
        distance = float(np.linalg.norm(seen[a] - seen[b]))
        assert distance >= MIN_DELTA_E, f"{a} and {b}, {theme}, {deficiency}: ΔE {distance:.1f}"


def test_the_maps_outcomes_stay_apart_from_the_speed_bands_and_each_other():
    outcomes = [palette.NOT_CONVERGED, palette.MOVING_AWAY, palette.DIVERGED]
    for matrix in [np.eye(3), *map(np.array, MACHADO.values())]:
        colours = [lab(matrix @ linear_rgb(c)) for c in outcomes + palette.SPEED[::3]]
        for i, j in itertools.combinations(range(len(colours)), 2):
            if i < len(outcomes):
                assert np.linalg.norm(colours[i] - colours[j]) >= MIN_DELTA_E


def test_diverged_cells_differ_from_moving_away_in_more_than_colour():
    """Dark brown and orange differ mostly in lightness to a red-green deficient eye: each
    diverged cell is struck through corner to corner, and the legend says so."""
    spec = lab_charts.stability_chart((("≤ 10", palette.SPEED[-1]),), True).to_dict()
    struck = [
        layer
        for layer in spec["layer"]
        if layer["mark"]["type"] == "rule"
        and {"filter": "datum.outcome == 'diverged'"} in layer.get("transform", [])
    ]
    (layer,) = struck
    sides = {channel: layer["encoding"][channel]["field"] for channel in ("x", "x2", "y", "y2")}
    assert sides == {"x": "k_low", "x2": "k_high", "y": "b_low", "y2": "b_high"}
    (cells,) = [layer for layer in spec["layer"] if layer["mark"]["type"] == "rect"]
    assert "struck through" in cells["encoding"]["color"]["legend"]["labelExpr"]


def test_dark_mode_and_the_theme_switcher_stay_on():
    # A colour under a bare [theme] turns both off for every user (DESIGN.md, Streamlit facts).
    theme = CONFIG.get("theme", {})
    assert set(theme) <= {"light", "dark"}, f"[theme] sets {set(theme) - {'light', 'dark'}}"
    assert {"light", "dark"} <= set(theme)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_accent_is_readable_as_text_on_every_background_it_sits_on(theme):
    accent = CONFIG["theme"][theme]["primaryColor"]
    for background in BACKGROUNDS[theme]:
        assert contrast(accent, background) >= 4.5, (theme, accent, background)


def _colours(spec) -> set[str]:
    return {c.lower() for c in re.findall(r"#[0-9a-fA-F]{6}\b", json.dumps(spec))}


def test_every_chart_draws_only_palette_colours():
    allowed = {h.lower() for hue in palette.HUES.values() for h in (hue.light, hue.dark)}
    allowed |= {c.lower() for c in palette.SPEED}
    allowed |= {c.lower() for c in (palette.NOT_CONVERGED, palette.MOVING_AWAY, palette.DIVERGED)}
    allowed |= {palette.MARK_FILL, palette.MARK_STROKE}
    specs = dict(templates())
    bands = (("≤ 10", palette.SPEED[-1]), ("diverged", palette.DIVERGED))
    specs["stability"] = lab_charts.stability_chart(bands, True)
    specs["rates"] = lab_charts.effective_rate_chart()
    for name, chart in specs.items():
        spec = chart.to_dict()
        assert _colours(spec) <= allowed, f"{name}: {_colours(spec) - allowed}"
        # Named colours ("white", "steelblue") would slip past the hex check above.
        named = re.findall(r'"(?:color|fill|stroke)": "([a-z]+)"', json.dumps(spec))
        named = [n for n in named if n not in ("independent", "shared")]  # resolve_scale's
        assert not named, f"{name} uses named colours {named}"


def test_a_shade_is_chosen_by_the_charts_own_background():
    expression = palette.shade_expression(palette.K)
    assert "background" in expression
    assert (
        palette.HUES[palette.K].dark in expression and palette.HUES[palette.K].light in expression
    )


def test_many_series_never_share_both_hue_and_dash():
    names = [f"strategy {i}" for i in range(14)]
    colors, dashes = palette.series_scales(names)
    pairs = [
        (json.dumps(c.to_dict()), json.dumps(d))
        for c, d in zip(colors.range, dashes.range, strict=True)
    ]
    assert len(set(pairs)) == len(names)


def test_hues_alike_to_some_eye_differ_in_dash_and_a_shared_dash_means_hues_far_apart():
    """E's walkthrough, Compare under a deuteranopia simulation: RMSProp (violet) and Adam +
    cosine decay (indigo) were both mid-blue and dashed, Plain GD (blue) and Adamax (plum) both
    solid; in the dark theme four purples and pinks were hard to tell apart at 390 px."""
    visions = [np.eye(3), *map(np.array, MACHADO.values())]
    _, dashes = palette.series_scales([f"strategy {i}" for i in range(len(palette.SERIES))])
    dash = dict(zip(palette.SERIES, map(json.dumps, dashes.range), strict=True))
    blues = ("blue", "purple", "violet", "indigo", "plum")  # one blue under deuteranopia
    assert len({dash[hue] for hue in blues}) == len(blues)
    for a, b in itertools.combinations(palette.SERIES, 2):
        if dash[a] != dash[b]:
            continue
        nearest = min(
            float(np.linalg.norm(lab(m @ linear_rgb(getattr(palette.HUES[a], theme)))
                                 - lab(m @ linear_rgb(getattr(palette.HUES[b], theme)))))
            for m in visions
            for theme in ("light", "dark")
        )  # fmt: skip
        assert nearest >= 25, f"{a} and {b} share a dash at ΔE {nearest:.1f}"


def test_a_legend_swatch_holds_a_whole_period_of_every_line_style():
    for style in palette.SERIES_STYLES:
        assert sum(style) + style[0] <= palette.DASH_SWATCH**0.5
        assert sum(style) <= palette.DASH_SWATCH_NARROW**0.5  # a phone's: one whole period


def test_each_of_compares_strategies_has_its_own_hue_and_keeps_it():
    """Ten strategies shared five hues (Plain GD and Adam both blue), told apart by dashes too
    short to see in a legend: now each has its own hue (all apart under every deficiency, by
    the test above), whichever others are shown."""
    from ui import registry
    from ui.charts import parameter_charts

    every = tuple(strategy.label for strategy in registry.STRATEGIES)
    colors, _ = palette.series_scales(every)
    hues = [json.dumps(c.to_dict()) for c in colors.range]
    assert len(set(hues)) == len(every) <= len(palette.SERIES)
    assert set(palette.SERIES) <= set(palette.HUES)

    def colour_of(shown):
        spec = parameter_charts.compare_loss_chart(shown, every).to_dict()
        scale = next(
            layer["encoding"]["color"]["scale"]
            for layer in spec.get("layer", [spec])
            if "color" in layer.get("encoding", {}) and "scale" in layer["encoding"]["color"]
        )
        return dict(zip(scale["domain"], map(json.dumps, scale["range"]), strict=True))

    everything = colour_of(every)
    assert colour_of(every[5:7]) == everything  # the same hue, with four others hidden


def test_compares_dotted_lines_read_on_the_dark_plot():
    """E's walkthrough: Compare's Adam, olive and dotted, was the hardest trace to see on the
    dark plot (3.3:1; RMSProp's violet dots, 3.2:1). A dotted line shows a third of its
    length, so every dotted series gets text's 4.5:1."""
    from ui import registry

    labels = [strategy.label for strategy in registry.STRATEGIES]
    dotted = [
        (label, palette.SERIES[i % len(palette.SERIES)])
        for i, label in enumerate(labels)
        if palette.SERIES_STYLES[palette.SERIES_DASHES[i % len(palette.SERIES)]] == [2, 3]
    ]
    assert {"Adam", "RMSProp"} <= {label for label, _ in dotted}
    for label, hue in dotted:
        ratio = contrast(palette.HUES[hue].dark, palette.DARK_BACKGROUND)
        assert ratio >= 4.5, f"{label} ({hue}) on dark: {ratio:.2f}:1"
