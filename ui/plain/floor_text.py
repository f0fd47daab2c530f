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


def mse_floor(floor: float, noise: float | None) -> str:
    """Theory §1's word on where plain MSE settles, with this data's own L*: near σ², not at
    it, since the fitted line also absorbs some noise (on average L* = σ²·(n − 2)/n, two
    parameters fitted to n points). `noise` is σ for generated data, None for an upload."""
    text = (
        "This app uses plain MSE, so the lowest loss is the least-squares floor L*, the mean "
        "squared residual of the best line. "
    )
    if noise is None:
        return text + f"For your data L* = {floor:.4g}."
    return text + (
        "With generated data it sits near the noise variance σ², a little below on average "
        f"(σ²·(n − 2)/n, since the line also fits some of the noise): here L* = {floor:.4g} "
        f"and σ² = {noise**2:.4g}."
    )
