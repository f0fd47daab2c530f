"""Charts for the Sweeps and LR-finder pages: outcomes against a swept setting, and the range
test's loss against its rate with fastai's suggestions and the exact answers.

Templates over named datasets, like run_charts.py: the structure depends on a few scalars (the
axis title, log or linear), the rows arrive with each rerun. Each optimizer has a colour and a
shape, so the curves read without colour too.
"""

from __future__ import annotations

import altair as alt

from ui.charts import palette
from ui.charts.log_axis import log_axis, log_y
from ui.charts.run_charts import EXACT
from ui.config import OPTIMIZER_LABELS

POINTS, THEORY, MARK, FLOOR, BUDGET = "points", "theory", "mark", "floor", "budget"
OPTIMUM = "optimum"  # theory's best value of the setting (momentum's μ*), where it is exact
# The swept range's two ends (x): every chart's x axis spans them, whatever was drawn. Without
# them the epochs chart's axis followed its converged points only, and with one point it ran
# over 0.0070–0.0100 of a sweep over 2.5e-05–0.03, the point half cut at its edge.
EXTENT = "extent"
CURVE, SUGGESTIONS, EXACT_RATES, LOWEST = "curve", "suggestions", "exact_rates", "lowest"
# The exact rates' names (ui/compute/lr_finder.py's EXACT_NAMES), each with its own dash: at a
# large κ the two nearly coincide, and the dots of one show between the dashes of the other.
LARGEST, FASTEST = "largest stable 2/λ_max", "fastest 2/(λ_min + λ_max)"
# One shape per optimizer in the registry's order; its hue and dash follow the same order.
OPTIMIZER_SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "wedge"]
RULE = palette.color("neutral")  # the marks that are not data: your setting, your epochs, ρ = 1


def _optimizer_channels(shown: tuple[str, ...]) -> tuple[alt.Color, alt.Shape, alt.StrokeDash]:
    """Colour, shape and dash of each shown optimizer (labels), fixed by its place in the
    registry so that it is the same on every chart and every page."""
    order = list(OPTIMIZER_LABELS.values())
    places = [order.index(label) for label in shown]
    hues = [hue for hue in palette.HUES if hue != "neutral"]  # neutral draws the rules
    # Whole names in two columns on a phone: four columns there cut the last name off.
    legend = alt.Legend(orient="bottom", columns={"expr": "width < 480 ? 2 : 4"}, labelLimit=0)
    domain = list(shown)
    color = alt.Color(
        "optimizer:N",
        title=None,
        scale=alt.Scale(domain=domain, range=[palette.color(hues[i % len(hues)]) for i in places]),
        legend=legend,
    )
    shape = alt.Shape(
        "optimizer:N",
        title=None,
        scale=alt.Scale(domain=domain, range=[OPTIMIZER_SHAPES[i] for i in places]),
        legend=legend,
    )
    dashes = [palette.DASHES[(i // len(hues)) % len(palette.DASHES)] for i in places]
    dash = alt.StrokeDash(
        "optimizer:N", title=None, scale=alt.Scale(domain=domain, range=dashes), legend=legend
    )
    return color, shape, dash


# Title and log scale, the same on each chart. The extent is the swept values' own: it follows
# the data (rates span their limits), so it arrives as rows (EXTENT) rather than baked in (a
# template that carried it would be rebuilt for every data set); the sidebar's mark arrives cut
# to it.
Axis = tuple[str, bool]


def _x(axis: Axis) -> alt.X:
    title, log = axis
    scale = alt.Scale(type="log" if log else "linear", nice=False, zero=False)
    if not log:
        return alt.X("x:Q", title=title, scale=scale)
    return alt.X("x:Q", title=f"{title} (log scale)", scale=scale, axis=log_axis("x"))


def _extent(axis: Axis) -> alt.Chart:
    """Nothing drawn at the swept range's ends (EXTENT): a layer that sets the x domain."""
    return alt.Chart(alt.NamedData(EXTENT)).mark_point(opacity=0, size=0).encode(x=_x(axis))


def _mark_rule(axis: Axis) -> alt.Chart:
    """A dotted vertical line at the sidebar's value of the setting, with a label."""
    base = alt.Chart(alt.NamedData(MARK)).encode(x=_x(axis))
    rule = base.mark_rule(color=RULE, strokeDash=[2, 3], strokeWidth=2, clip=True)
    label = _rule_label(base, alt.value("your setting"), dy=4)
    return alt.layer(
        rule.encode(tooltip=[alt.Tooltip("x:Q", title="your setting", format=".4g")]), *label
    )


def _rule_label(base: alt.Chart, text: alt.Text | dict, dy: int) -> list[alt.Chart]:
    """A vertical rule's label at the top of the plot, `dy` px down, on the side of the rule
    with more room, where it reads away from the plot's nearer edge; cut with "…" to that room
    (a label clipped at the edge read "theory's best μ for Mom"). Over a halo of the chart's
    background, so that it stays legible where it crosses the points on a phone."""
    at = "scale('x', datum.x)"
    leftward = f"{at} > width / 2"
    style = {
        "align": {"expr": f"{leftward} ? 'right' : 'left'"},
        "dx": {"expr": f"{leftward} ? -4 : 4"},
        "dy": dy,
        "baseline": "top",
        "limit": {"expr": f"({leftward} ? {at} : width - {at}) - 8"},
        "clip": True,
    }
    halo = base.mark_text(
        **style, stroke={"expr": "background"}, strokeWidth=4, strokeJoin="round"
    ).encode(y=alt.value(0), text=text)
    return [halo, base.mark_text(**style, color=RULE).encode(y=alt.value(0), text=text)]


def _optimum_rule(axis: Axis) -> alt.LayerChart:
    """A solid vertical line at theory's best value of the setting (OPTIMUM: x, label), its
    label one row below "your setting" so the two can stand close without overlapping."""
    base = alt.Chart(alt.NamedData(OPTIMUM)).encode(x=_x(axis))
    rule = base.mark_rule(color=palette.color(palette.OPTIMUM), strokeWidth=2, clip=True)
    label = _rule_label(base, alt.Text("label:N"), dy=20)
    return alt.layer(
        rule.encode(tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("x:Q", format=".4g")]),
        *label,
    )


def _described(chart: alt.LayerChart, height: int) -> alt.LayerChart:
    """The chart at `height`, its marks left out of the accessibility tree: its text
    alternative (render_chart's alt) describes it, and a layer with no rows (no exact curve
    for μ) would otherwise be an unnamed graphic to a screen reader (axe: svg-img-alt)."""
    return chart.properties(height=height).configure_mark(aria=False)


def _tooltip(axis: Axis) -> list[alt.Tooltip]:
    return [
        alt.Tooltip("optimizer:N"),
        alt.Tooltip("value:Q", title=axis[0], format=".4g"),
        alt.Tooltip("outcome:N"),
        alt.Tooltip("settles:N", title="epochs to converge"),
        alt.Tooltip("final_loss:Q", title="final loss", format=EXACT),
    ]


def sweep_epochs_chart(axis: Axis, shown: tuple[str, ...]) -> alt.LayerChart:
    """Epochs to converge (log scale) against the swept setting, per optimizer, with plain
    GD's exact curve (THEORY), the sidebar's value (MARK) and its epochs (BUDGET)."""
    color, shape, dash = _optimizer_channels(shown)
    y = log_y("epochs:Q", "epochs to converge (log scale)")
    theory = (
        alt.Chart(alt.NamedData(THEORY))
        .mark_line(color=RULE, strokeDash=[6, 3], strokeWidth=1.5)
        .encode(
            x=_x(axis),
            y=y,
            tooltip=[
                alt.Tooltip("value:Q", title=axis[0], format=".4g"),
                alt.Tooltip("epochs:Q", title="plain GD, exact", format=",.0f"),
            ],
        )
    )
    base = alt.Chart(alt.NamedData(POINTS)).encode(x=_x(axis), y=y, color=color)
    lines = base.mark_line(strokeWidth=1.5, opacity=0.7).encode(strokeDash=dash)
    points = base.mark_point(filled=True, size=45).encode(shape=shape, tooltip=_tooltip(axis))
    budget = alt.Chart(alt.NamedData(BUDGET)).encode(y=alt.Y("epochs:Q"))
    budget_rule = budget.mark_rule(color=RULE, strokeDash=[2, 3]).encode(
        tooltip=[alt.Tooltip("epochs:Q", title="your epochs", format=",")]
    )
    budget_label = budget.mark_text(align="left", dx=4, dy=-6, color=RULE).encode(
        x=alt.value(0), text=alt.value("your epochs")
    )
    return _described(
        alt.layer(
            theory,
            lines,
            points,
            _mark_rule(axis),
            _optimum_rule(axis),
            budget_rule,
            budget_label,
            _extent(axis),
        ),
        340,
    )


def sweep_loss_chart(axis: Axis, shown: tuple[str, ...]) -> alt.LayerChart:
    """The loss after the last epoch (log scale) per optimizer, over the floor L* (FLOOR)."""
    color, shape, dash = _optimizer_channels(shown)
    y = log_y("final_loss:Q", "final loss (log scale)")
    base = alt.Chart(alt.NamedData(POINTS)).encode(x=_x(axis), y=y, color=color)
    floor = (
        alt.Chart(alt.NamedData(FLOOR))
        # A floor of 0 (points on one line) has no place on the log axis: a rule at 0 there
        # left the whole chart blank.
        .transform_filter("isFinite(datum.floor) && datum.floor > 0")
        .mark_rule(color=palette.color(palette.OPTIMUM), strokeDash=[6, 4])
        .encode(y="floor:Q", tooltip=[alt.Tooltip("floor:Q", title="floor L*", format=EXACT)])
    )
    chart = alt.layer(
        floor,
        base.mark_line(strokeWidth=1.5, opacity=0.7).encode(strokeDash=dash),
        base.mark_point(filled=True, size=45).encode(shape=shape, tooltip=_tooltip(axis)),
        _mark_rule(axis),
        _extent(axis),
    )
    return _described(chart, 300)


# The ρ axis stops here when a point goes past it: what a student reads on this chart is
# where ρ crosses 1, and a linear axis up to ρ = 60 (x far from 0) drew every ρ between 0 and
# 6 on its floor. Twice 1 leaves ρ = 1 in the middle of the band from 0; the page says how
# many points lie above it (sweep_ends.off_scale).
RADIUS_TOP = 2.0


def sweep_radius_chart(axis: Axis, shown: tuple[str, ...], capped: bool = False) -> alt.LayerChart:
    """The spectral radius ρ of each linear optimizer's step against the setting: below 1 it
    converges, by ρ per epoch. Exact theory, no training. When `capped`, the axis stops at
    RADIUS_TOP and the lines run off its top (clipped)."""
    color, shape, dash = _optimizer_channels(shown)
    scale = alt.Scale(zero=False, domainMax=RADIUS_TOP) if capped else alt.Scale(zero=False)
    y = alt.Y("radius:Q", title="spectral radius ρ", scale=scale)
    base = alt.Chart(alt.NamedData(POINTS)).encode(x=_x(axis), y=y, color=color)
    one = (
        alt.Chart(alt.Data(values=[{"one": 1.0}]))
        .mark_rule(strokeDash=[6, 4], color=RULE)
        .encode(y="one:Q")
    )
    chart = alt.layer(
        one,
        base.mark_line(strokeWidth=1.5, clip=True).encode(strokeDash=dash),
        base.mark_point(filled=True, size=35, clip=True).encode(
            shape=shape,
            tooltip=[
                alt.Tooltip("optimizer:N"),
                alt.Tooltip("value:Q", title=axis[0], format=".4g"),
                alt.Tooltip("radius:Q", title="ρ", format=".6g"),
            ],
        ),
        _mark_rule(axis),
        _optimum_rule(axis),
        _extent(axis),
    )
    return _described(chart, 260)


def finder_chart() -> alt.LayerChart:
    """The range test's full-data loss against its rate (both log), one line per seed, fastai's
    suggestions as labelled points at the rates they suggest, the lowest point the rules read
    (LOWEST: `minimum` suggests a tenth of its rate), and the exact 2/λ_max and
    2/(λ_min + λ_max) as labelled rules. The steps the rules skip are drawn faded."""
    x = alt.X(
        "lr:Q", title="learning rate η (log scale)", scale=alt.Scale(type="log"), axis=log_axis("x")
    )
    y = log_y("loss:Q", "full-data loss after the step (log scale)")
    tooltip = [
        alt.Tooltip("seed:N"),
        alt.Tooltip("step:Q"),
        alt.Tooltip("lr:Q", title="η", format=".4g"),
        alt.Tooltip("loss:Q", format=EXACT),
        alt.Tooltip("read:N", title="read by the rules"),
    ]
    line = alt.Chart(alt.NamedData(CURVE)).mark_line(
        strokeWidth=1.5, color=palette.color(palette.K)
    )
    skipped = line.encode(x=x, y=y, detail="seed:N", opacity=alt.value(0.3), tooltip=tooltip)
    read = line.transform_filter("datum.read").encode(
        x=x,
        y=y,
        detail="seed:N",
        opacity=alt.condition("datum.seed == 0", alt.value(1.0), alt.value(0.35)),
        tooltip=tooltip,
    )
    return alt.layer(
        skipped, read, *_exact_rules(), *_suggestion_marks(), *_lowest_read()
    ).properties(height=420)


def _exact_rules() -> list[alt.Chart]:
    """The two exact rates as dashed rules, each in its own colour and dash, labelled at the
    top on its own side: the fastest rate is never above 2/λ_max, so its label goes left."""
    names = [FASTEST, LARGEST]
    rules = alt.Chart(alt.NamedData(EXACT_RATES))
    legend = alt.Legend(orient="top", columns={"expr": "width < 480 ? 1 : 2"}, labelLimit=0)
    drawn = rules.mark_rule(strokeWidth=2).encode(
        x="lr:Q",
        color=alt.Color(
            "name:N",
            title=None,
            scale=alt.Scale(
                domain=names,
                range=[palette.color(palette.OPTIMUM), palette.color(palette.NOISE)],
            ),
            # Above the plot, the suggestions' legend below it: side by side in one row they
            # were cut off at 390 px; each wraps to fewer columns on a narrow chart.
            legend=legend,
        ),
        strokeDash=alt.StrokeDash(
            "name:N",
            title=None,
            scale=alt.Scale(domain=names, range=[[8, 4], [2, 2]]),
            legend=legend,
        ),
        tooltip=[alt.Tooltip("name:N", title=" "), alt.Tooltip("lr:Q", title="η", format=".4g")],
    )
    labels = []
    for name, align, dx, dy, text in (
        (FASTEST, "right", -4, 4, "fastest"),
        (LARGEST, "left", 4, 18, "2/λ_max"),
    ):
        labels.append(
            rules.transform_filter(alt.datum.name == name)
            .mark_text(align=align, dx=dx, dy=dy, baseline="top", fontSize=11, color=RULE)
            .encode(x="lr:Q", y=alt.value(0), text=alt.value(text))
        )
    return [drawn, *labels]


def _suggestion_marks() -> list[alt.Chart]:
    shapes = ["circle", "square", "triangle-up", "diamond"]
    marks = alt.Chart(alt.NamedData(SUGGESTIONS)).encode(
        x=alt.X("point_lr:Q", scale=alt.Scale(type="log")),
        y=alt.Y("point_loss:Q", scale=alt.Scale(type="log")),
    )
    points = marks.mark_point(
        filled=True, size=120, color=palette.color("vermillion"), stroke=RULE
    ).encode(
        shape=alt.Shape(
            "rule:N",
            title="fastai's suggested rate (seed 0)",
            scale=alt.Scale(domain=["valley", "slide", "minimum", "steep"], range=shapes),
            legend=alt.Legend(
                orient="bottom", columns={"expr": "width < 480 ? 2 : 4"}, labelLimit=0
            ),
        ),
        tooltip=[
            alt.Tooltip("rule:N"),
            alt.Tooltip("lr:Q", title="suggests η", format=".4g"),
            alt.Tooltip("point_loss:Q", title="loss there", format=EXACT),
        ],
    )
    # On the mark's left when it stands near the right edge, where the words would be cut,
    # and minimum's always: the ring of the lowest point read stands a decade to its right.
    left = "scale('x', datum.point_lr) > width - 90 || datum.rule == 'minimum'"
    labels = marks.mark_text(
        align={"expr": f"{left} ? 'right' : 'left'"},
        dx={"expr": f"{left} ? -8 : 8"},
        dy=SUGGESTION_LABEL_DY,
        fontSize=12,
        color=RULE,
    ).encode(text="label:N")  # rules at one point share a label (ui/compute/lr_finder.py)
    return [points, labels]


SUGGESTION_LABEL_DY, LOWEST_LABEL_DY = -8, -26  # px above their points, 12 and 11 px text


def _lowest_read() -> list[alt.Chart]:
    """A ring at the lowest point the rules read: `minimum` suggests a tenth of its rate."""
    low = alt.Chart(alt.NamedData(LOWEST)).encode(
        x=alt.X("lr:Q", scale=alt.Scale(type="log")),
        y=alt.Y("loss:Q", scale=alt.Scale(type="log")),
    )
    ring = low.mark_point(shape="circle", filled=False, size=200, strokeWidth=2, color=RULE)
    ring = ring.encode(
        tooltip=[
            alt.Tooltip("label:N", title=" "),
            alt.Tooltip("lr:Q", title="η", format=".4g"),
            alt.Tooltip("loss:Q", format=EXACT),
        ]
    )
    # One row above the suggestions' labels (dy=-8): the lowest point and the suggestions stand
    # close on a flat curve, and with x at 1000–1010 "lowest read" sat on "valley, steep".
    text = low.mark_text(align="center", dy=LOWEST_LABEL_DY, fontSize=11, color=RULE).encode(
        text=alt.value("lowest read")
    )
    return [ring, text]
