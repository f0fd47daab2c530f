"""Altair charts built from tidy DataFrames: pure functions, testable without a server.

Interaction that needs no new numbers (scrubbing epochs, hovering) is an Altair parameter, so
it happens in the browser without a Python rerun.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

K_COLOR, B_COLOR, MODEL_COLOR = "#1f77b4", "#e4572e", "#e4572e"
EXACT = ".6g"  # tooltips show exact values


def finite(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Rows whose `columns` are finite and, for log scales, positive (a diverged run's end)."""
    values = frame[columns]
    keep = values.apply(lambda column: column.between(0, float("inf"), inclusive="neither"))
    return frame[keep.all(axis=1)]


def _segment(k: str, b: str, x_low: float, x_high: float) -> dict[str, str]:
    """Vega expressions for the line y = k·x + b drawn across the x range."""
    return {
        "x1": f"{x_low!r}",
        "x2": f"{x_high!r}",
        "y1": f"datum.{k} * {x_low!r} + datum.{b}",
        "y2": f"datum.{k} * {x_high!r} + datum.{b}",
    }


def _rule(data: pd.DataFrame, x_low: float, x_high: float) -> alt.Chart:
    return (
        alt.Chart(data)
        .transform_calculate(**_segment("k", "b", x_low, x_high))
        .mark_rule(strokeWidth=2, clip=True)
        .encode(x="x1:Q", x2="x2:Q", y="y1:Q", y2="y2:Q")
    )


def fit_chart(
    points: pd.DataFrame, path: pd.DataFrame, lines: pd.DataFrame, epochs: int
) -> alt.LayerChart:
    """Data, reference lines (columns line, k, b) and the model at a scrubbed epoch."""
    x_low, x_high = float(points["x"].min()), float(points["x"].max())
    # The axes follow the data, so a runaway model line is clipped instead of flattening it.
    y_low, y_high = float(points["y"].min()), float(points["y"].max())
    pad = 0.1 * (y_high - y_low) or 1.0
    y_scale = alt.Scale(domain=[y_low - pad, y_high + pad], nice=False)
    epoch = alt.param(
        name="epoch",
        value=epochs,
        bind=alt.binding_range(min=0, max=epochs, step=1, name="Model at epoch "),
    )
    scatter = (
        alt.Chart(points)
        .mark_circle(size=28, opacity=0.55, color="#7f7f7f")
        .encode(
            x=alt.X("x:Q", title="x"),
            y=alt.Y("y:Q", title="y", scale=y_scale),
            tooltip=[alt.Tooltip("x:Q", format=EXACT), alt.Tooltip("y:Q", format=EXACT)],
        )
    )
    references = _rule(lines, x_low, x_high).encode(
        strokeDash=alt.StrokeDash("line:N", title="Line", legend=alt.Legend(orient="bottom")),
        color=alt.value("#444444"),
    )
    at_epoch = (
        alt.Chart(finite(path, ["loss"]))
        .transform_filter(alt.datum.epoch <= epoch)
        .transform_window(rank="rank()", sort=[alt.SortField("epoch", order="descending")])
        .transform_filter(alt.datum.rank == 1)
    )
    model = (
        at_epoch.transform_calculate(**_segment("k", "b", x_low, x_high))
        .mark_rule(strokeWidth=3, color=MODEL_COLOR, clip=True)
        .encode(x="x1:Q", x2="x2:Q", y="y1:Q", y2="y2:Q")
    )
    readout = (
        at_epoch.transform_calculate(
            text="'epoch ' + datum.epoch + ':  k = ' + format(datum.k, '.5~g') + ',  b = '"
            " + format(datum.b, '.5~g') + ',  loss = ' + format(datum.loss, '.5~g')"
        )
        .mark_text(align="left", baseline="top", dx=6, dy=6, fontSize=13, color=MODEL_COLOR)
        .encode(text="text:N", x=alt.value(0), y=alt.value(0))
    )
    return alt.layer(scatter, references, model, readout).add_params(epoch).properties(height=420)


def loss_chart(path: pd.DataFrame, floor: float, noise_variance: float | None) -> alt.LayerChart:
    """Loss per epoch on a log scale, with the least-squares floor and the noise variance."""
    shown = finite(path, ["loss"])
    hover = alt.selection_point(on="pointerover", nearest=True, fields=["epoch"], empty=False)
    base = alt.Chart(shown).encode(x=alt.X("epoch:Q", title="epoch"))
    line = base.mark_line(color=K_COLOR).encode(
        y=alt.Y("loss:Q", title="loss (MSE, log scale)", scale=alt.Scale(type="log"))
    )
    dots = (
        base.mark_circle(size=60, color=K_COLOR)
        .encode(
            y="loss:Q",
            opacity=alt.condition(hover, alt.value(1.0), alt.value(0.0)),
            tooltip=[alt.Tooltip("epoch:Q"), alt.Tooltip("loss:Q", format=EXACT)],
        )
        .add_params(hover)
    )
    references = [{"reference": "least-squares floor L*", "value": floor}]
    if noise_variance is not None and noise_variance > 0:
        references.append({"reference": "noise variance σ²", "value": noise_variance})
    rules = (
        alt.Chart(pd.DataFrame(references))
        .mark_rule(strokeDash=[6, 4])
        .encode(
            y="value:Q",
            color=alt.Color(
                "reference:N",
                title=None,
                legend=alt.Legend(orient="bottom"),
                scale=alt.Scale(range=["#2ca02c", "#9467bd"]),
            ),
            tooltip=[alt.Tooltip("reference:N"), alt.Tooltip("value:Q", format=EXACT)],
        )
    )
    return alt.layer(line, rules, dots).properties(height=380)


def excess_chart(path: pd.DataFrame) -> alt.Chart:
    """L − L* on a log scale: how far above the floor, where the slow phase is plain to see."""
    return (
        alt.Chart(finite(path, ["excess"]))
        .mark_line(color=B_COLOR)
        .encode(
            x=alt.X("epoch:Q"),
            y=alt.Y(
                "excess:Q",
                title="loss above the floor, L − L* (log scale)",
                scale=alt.Scale(type="log"),
            ),
            tooltip=[alt.Tooltip("epoch:Q"), alt.Tooltip("excess:Q", format=EXACT)],
        )
        .properties(height=300)
    )


def _long(path: pd.DataFrame, columns: dict[str, str], name: str) -> pd.DataFrame:
    melted = path.melt(id_vars="epoch", value_vars=list(columns), var_name=name)
    melted[name] = melted[name].map(columns)
    return melted


def parameters_chart(path: pd.DataFrame, k_star: float, b_star: float) -> alt.HConcatChart:
    """k(t) and b(t), each against its least-squares value."""
    panels = []
    for column, optimum, color in (("k", k_star, K_COLOR), ("b", b_star, B_COLOR)):
        shown = path[path[column].abs() < float("inf")]
        line = (
            alt.Chart(shown)
            .mark_line(color=color)
            .encode(
                x=alt.X("epoch:Q"),
                y=alt.Y(f"{column}:Q", title=column, scale=alt.Scale(zero=False)),
                tooltip=[alt.Tooltip("epoch:Q"), alt.Tooltip(f"{column}:Q", format=EXACT)],
            )
        )
        target = (
            alt.Chart(pd.DataFrame({"value": [optimum]}))
            .mark_rule(strokeDash=[6, 4], color="#2ca02c")
            .encode(y="value:Q", tooltip=[alt.Tooltip("value:Q", title=f"{column}*", format=EXACT)])
        )
        panels.append(
            alt.layer(line, target).properties(title=f"{column} and {column}*", height=260)
        )
    return alt.hconcat(*panels)


def distance_chart(path: pd.DataFrame) -> alt.Chart:
    """|k − k*| and |b − b*| on a log scale: the two speeds side by side."""
    labels = {"dist_k": "|k − k*|", "dist_b": "|b − b*|"}
    tidy = _long(path, labels, "parameter")
    tidy = tidy[(tidy["value"] > 0) & (tidy["value"] < float("inf"))]
    return (
        alt.Chart(tidy)
        .mark_line()
        .encode(
            x=alt.X("epoch:Q"),
            y=alt.Y(
                "value:Q", title="distance to optimum (log scale)", scale=alt.Scale(type="log")
            ),
            color=alt.Color(
                "parameter:N",
                title=None,
                legend=alt.Legend(orient="bottom"),
                scale=alt.Scale(domain=list(labels.values()), range=[K_COLOR, B_COLOR]),
            ),
            tooltip=["parameter:N", "epoch:Q", alt.Tooltip("value:Q", format=EXACT)],
        )
        .properties(height=320)
    )


def contour_chart(
    surface: pd.DataFrame, path: pd.DataFrame, k_star: float, b_star: float
) -> alt.LayerChart:
    """The loss over (k, b) as a shaded map, with the path of (k, b) and the optimum."""
    cells = round(len(surface) ** 0.5)
    # Plain floats: a NumPy scalar's repr, np.float64(…), is not a Vega expression.
    k_step = float(surface["k"].max() - surface["k"].min()) / max(cells - 1, 1)
    b_step = float(surface["b"].max() - surface["b"].min()) / max(cells - 1, 1)
    heat = (
        alt.Chart(surface)
        .transform_calculate(
            k_low=f"datum.k - {k_step / 2!r}",
            k_high=f"datum.k + {k_step / 2!r}",
            b_low=f"datum.b - {b_step / 2!r}",
            b_high=f"datum.b + {b_step / 2!r}",
        )
        .mark_rect()
        .encode(
            x=alt.X("k_low:Q", title="k", scale=alt.Scale(zero=False, nice=False)),
            x2="k_high:Q",
            y=alt.Y("b_low:Q", title="b", scale=alt.Scale(zero=False, nice=False)),
            y2="b_high:Q",
            color=alt.Color(
                "loss:Q",
                scale=alt.Scale(type="log", scheme="viridis"),
                title="loss",
            ),
            tooltip=[
                alt.Tooltip("k:Q", format=".4g"),
                alt.Tooltip("b:Q", format=".4g"),
                alt.Tooltip("loss:Q", format=EXACT),
            ],
        )
    )
    shown = path[(path["k"].abs() < float("inf")) & (path["b"].abs() < float("inf"))]
    trail = (
        alt.Chart(shown)
        .mark_line(color="white", strokeWidth=2, point=True)
        .encode(
            x="k:Q",
            y="b:Q",
            order="epoch:Q",
            tooltip=["epoch:Q", alt.Tooltip("k:Q", format=EXACT), alt.Tooltip("b:Q", format=EXACT)],
        )
    )
    optimum = (
        alt.Chart(pd.DataFrame({"k": [k_star], "b": [b_star]}))
        .mark_point(shape="cross", size=250, color="#e4572e", strokeWidth=3)
        .encode(x="k:Q", y="b:Q")
    )
    return alt.layer(heat, trail, optimum).properties(height=440)


def compare_loss_chart(curves: pd.DataFrame) -> alt.Chart:
    """L − L* per epoch for each strategy (columns strategy, epoch, excess), log scale."""
    highlight = alt.selection_point(fields=["strategy"], bind="legend")
    return (
        alt.Chart(finite(curves, ["excess"]))
        .mark_line()
        .encode(
            x="epoch:Q",
            y=alt.Y(
                "excess:Q",
                title="loss above the floor, L − L* (log scale)",
                scale=alt.Scale(type="log"),
            ),
            color=alt.Color("strategy:N", legend=alt.Legend(orient="bottom", columns=3)),
            opacity=alt.condition(highlight, alt.value(1.0), alt.value(0.15)),
            tooltip=["strategy:N", "epoch:Q", alt.Tooltip("excess:Q", format=EXACT)],
        )
        .add_params(highlight)
        .properties(height=380)
    )


def compare_parameter_chart(curves: pd.DataFrame, column: str, optimum: float) -> alt.LayerChart:
    """One parameter per epoch for each strategy, with its least-squares value."""
    shown = curves[curves[column].abs() < float("inf")]
    lines = (
        alt.Chart(shown)
        .mark_line()
        .encode(
            x="epoch:Q",
            y=alt.Y(f"{column}:Q", title=column, scale=alt.Scale(zero=False)),
            color=alt.Color("strategy:N", legend=None),
            tooltip=["strategy:N", "epoch:Q", alt.Tooltip(f"{column}:Q", format=EXACT)],
        )
    )
    target = (
        alt.Chart(pd.DataFrame({"value": [optimum]}))
        .mark_rule(strokeDash=[6, 4], color="#2ca02c")
        .encode(y="value:Q")
    )
    return alt.layer(lines, target).properties(title=f"{column} per strategy", height=260)
