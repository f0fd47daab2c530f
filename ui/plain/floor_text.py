"""What the Loss page says under its chart about the least-squares floor L*."""

# Said for mouse and touch alike: a tap does not open a chart's tooltip (Chromium with touch,
# checked here), but it shows the chart's toolbar, whose table button lists every row.
EXACT_VALUES = (
    "Exact values: hover over a line; on a touch screen, tap the chart, then the table "
    "button at its top right."
)


def floor_caption(floor: float, generated: bool) -> str:
    """The floor's caption: a general fact, and for a floor of 0 (points on one line, read as 0
    up to rounding by gd_core.data) why no floor line is drawn."""
    text = "No optimizer can go below the least-squares floor L*" + (
        "; with generated data it sits near σ², the part of the loss that noise alone costs. "
        if generated
        else ". "
    )
    if floor == 0.0:
        text += (
            "Here L* = 0: one line passes through every point, so the loss can keep falling "
            "toward 0, which a log axis never reaches; no floor line is drawn. "
        )
    return text + EXACT_VALUES
