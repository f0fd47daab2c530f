"""Cached calls into gd_core, keyed on the frozen config (never on arrays).

A rerun with a config seen before costs a dictionary look-up; a new one trains once. Results
are reduced to a few thousand rows before they are cached, so each entry stays small.

A rerun loads its dataset once (ui/state/feedback.load_or_explain) and hands it on: the
functions below take it as `_data`, which st.cache_data leaves out of the key (the key is the
config, from which the data follows), so no call loads or hashes it again.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

import gd_core as gd
from ui import registry
from ui.charts import render
from ui.charts.surface_charts import arrow_kinds, clip_arrows
from ui.compute import sizes
from ui.compute.class_cache import class_cache, class_resource
from ui.config import Config, DataSpec, batch_size, build_optimizer, build_schedule
from ui.plain import data_text, upload
from ui.plain.panel_heads import HEAD_ROW, split_heads
from ui.plain.player_frames import frames_for
from ui.plain.receipts import (
    arrow_columns,
    arrow_rows,
    panel_applies,
    receipt_columns,
    shows_end,
)
from ui.plain.views import Trajectory

MAX_CHART_POINTS = 2_000


@st.cache_resource(max_entries=4, ttl=sizes.CLASS_SECONDS, show_spinner="Reading your file…")
def _read_upload(raw: bytes) -> upload.Table | str:
    # A resource, not data: st.cache_data would unpickle a fresh copy of the whole table on every
    # call. Tables are never changed after reading, and the key is the file's content, so
    # sessions share one only when they uploaded the same bytes. Refusals are cached as their
    # message, so a bad file is not parsed again on every rerun.
    try:
        return upload.read_table(raw)
    except gd.DataError as error:
        return str(error)


def uploaded_table(raw: bytes) -> upload.Table:
    """An uploaded file read as a table (once per file content); DataError if it is not one."""
    table = _read_upload(raw)
    if isinstance(table, str):
        raise gd.DataError(table)
    return table


def load_dataset(spec: DataSpec) -> gd.Dataset:
    """The points a config describes; a Dataset is read-only, so one copy serves every session.

    Datasets are resources (no copy per call), which Streamlit bounds in entries, not bytes: a
    class's own (generated, up to SMALL_DATASET_POINTS points) are kept apart from the large
    ones and uploads, so that holding every student's few settings cannot mean holding as many
    100,000-point datasets (ui/compute/sizes.py has the bounds)."""
    small = spec.csv is None and spec.n <= sizes.SMALL_DATASET_POINTS
    return (_small_dataset if small else _large_dataset)(spec=spec)  # keyword: charts/render.py


@class_resource(sizes.SMALL_DATASETS)
def _small_dataset(spec: DataSpec) -> gd.Dataset:
    return _dataset(spec)


@class_resource(sizes.LARGE_DATASETS)
def _large_dataset(spec: DataSpec) -> gd.Dataset:
    return _dataset(spec)


def _dataset(spec: DataSpec) -> gd.Dataset:
    if spec.csv is not None:
        table = uploaded_table(spec.csv)
        return upload.read_points(table, spec.x_column, spec.y_column, spec.drop_missing)
    if problem := data_text.x_range_problem(spec.x_min, spec.x_max):
        raise gd.DataError(problem)
    x_range = (spec.x_min, spec.x_max)
    return gd.make_dataset(spec.n, spec.slope, spec.intercept, spec.noise, x_range, spec.seed)


def train(config: Config, data: gd.Dataset, optimizer: gd.Optimizer | None = None) -> gd.Run:
    """The full run `config` describes on `data` (uncached: callers reduce it)."""
    spec = config.train
    return gd.train(
        data,
        optimizer or build_optimizer(spec),
        spec.epochs,
        (spec.k0, spec.b0),
        batch_size(spec),
        standardize=spec.standardize,
    )


# No spinner here: the pages show one with an estimate.
@class_cache(sizes.RUN_BYTES)
def trajectory(config: Config, _data: gd.Dataset, steps: bool = False) -> Trajectory:
    """The run `config` describes on its data, reduced for display; with `steps`, also the
    update panel's rows at the player's frames, where they can be read from the run.

    The caller has checked the work budget (ui/plain/budget.py) once for the rerun: the pages
    through load_or_explain, Compare for all its strategies at once.
    """
    return reduced_run(config, _data, steps)


def reduced_run(config: Config, data: gd.Dataset, steps: bool = False) -> Trajectory:
    """`trajectory`, uncached: for Compare, whose own cache holds its strategies' results (in
    the run cache, ten strategies per student would push out the students' own runs)."""
    return reduced_columns(config, data, steps)[0]


def reduced_columns(
    config: Config, data: gd.Dataset, steps: bool = False
) -> tuple[Trajectory, dict[str, np.ndarray]]:
    """`reduced_run`, and its frame's columns as the arrays the frame was made of: Compare
    reads five of them for each of its strategies, which from the frame cost pandas a Series
    each."""
    spec = config.train
    optimizer = build_optimizer(spec)
    run = train(config, data, optimizer)
    frames = frames_for(len(run.k) - 1)
    at_frames = frames.epochs()
    # Every epoch the player stops at has its row, beside the thinned envelope.
    shown = gd.unique_indices(
        np.concatenate([gd.plot_indices([run.k, run.b, run.loss], MAX_CHART_POINTS), at_frames])
    )
    # Derived columns for the shown epochs only: at a million epochs, each full-length array
    # would be another 8 MB held while the run is reduced.
    k, b = run.k[shown], run.b[shown]
    dist_k, dist_b = gd.distance_to_optimum(data, k, b)
    excess = gd.excess_loss(data, k - data.slope_ols, b - data.intercept_ols)
    columns = {
        "epoch": shown,
        "k": k,
        "b": b,
        "loss": run.loss[shown],
        "excess": excess,
        "dist_k": dist_k,
        "dist_b": dist_b,
    }
    # Replayed once (a plateau's rule over a million losses takes about half a second).
    rates = gd.scheduled_rates(optimizer, run.loss) if build_schedule(spec) else None
    reduced = Trajectory(
        frame=pd.DataFrame(columns),
        status=run.status,
        settled_at=run.settled_at,
        converged_at=run.converged_at,
        diverged_at=run.diverged_at,
        epochs=spec.epochs,
        spectral_radius=run.spectral_radius,
        growth=run.growth,
        start_gaps=(float(dist_k[0]), float(dist_b[0])),
        progress=gd.progress(data, run),
        frames=frames,
        rates=None if rates is None else rate_frame(*rates),
        frozen=None if rates is None else _frozen(data, run, rates),
        **(
            _steps_and_panel(
                *receipt_columns(
                    data, optimizer, run, registry.OPTIMIZERS[spec.optimizer], at_frames
                ),
                ended=shows_end(run, at_frames),
            )
            if steps and panel_applies(spec, data.n)
            else {}
        ),
    )
    return reduced, columns


def _steps_and_panel(
    numbers: dict[str, list], lines: dict[str, list[str]], ended: bool
) -> dict[str, pd.DataFrame | bytes | int]:
    """The Trajectory fields of the update panel's rows: the arrows' columns, and the lines
    as the Arrow bytes the chart is sent (see Trajectory.panel), without a frame of them: each
    line's text common to every frame once, and each frame's rest (ui/plain/panel_heads.py)."""
    frames = len(next(iter(lines.values()), []))
    # The run's end, when it is a frame, is the last row (ui/plain/receipts.py): a group apart.
    groups = [0] * (frames - 1) + [1] if ended and frames else [0] * frames
    heads, tails = split_heads(lines, groups)
    rows = {name: render.text(tail) for name, tail in tails.items()}
    return {
        "steps": pd.DataFrame(numbers),
        "panel": render.arrow_bytes(rows | {HEAD_ROW: np.array(groups, dtype=np.int8)}),
        "panel_heads": render.arrow_bytes({name: render.text(row) for name, row in heads.items()}),
        "panel_lines": len(lines),
    }


def _frozen(
    data: gd.Dataset, run: gd.Run, rates: tuple[np.ndarray, np.ndarray]
) -> gd.FrozenStretch | None:
    """The stretch the schedule froze (gd.frozen_stretch) for the parameters not settled, on
    the run's full rates and positions: a thinned chart would miss a swing or a rate."""
    lagging = "".join(p for p, epoch in zip("kb", run.settled_at, strict=True) if epoch is None)
    if run.status != "max_epochs" or not lagging:  # settled, or moving away: not frozen
        return None
    optimum = (data.slope_ols, data.intercept_ols)
    return gd.frozen_stretch(np.column_stack(rates), run.k, run.b, optimum, lagging)


def scheduled_rates(optimizer: gd.Optimizer, loss: np.ndarray) -> pd.DataFrame:
    """The rate each parameter was given in each epoch (gd.scheduled_rates), thinned for
    drawing as steps: each kept epoch's rate holds until the next, so a plateau's cuts and a
    step decay's drops stay exactly where they happened."""
    return rate_frame(*gd.scheduled_rates(optimizer, loss))


def rate_frame(rate_k: np.ndarray, rate_b: np.ndarray) -> pd.DataFrame:
    """scheduled_rates' frame from rates already replayed."""
    shown = gd.plot_indices([rate_k, rate_b], MAX_CHART_POINTS)
    same = np.array_equal(rate_k, rate_b)
    both = [("η", rate_k)] if same else [("η_k", rate_k), ("η_b", rate_b)]
    # One frame of the stacked columns, the names taken by index from a str array of them:
    # a frame per name, concatenated, made pandas' str column string by string.
    which = np.repeat(np.arange(len(both)), len(shown))
    return pd.DataFrame(
        {
            "epoch": np.tile(shown, len(both)),
            "rate of": pd.array([name for name, _ in both], dtype="str").take(which),
            "rate": np.concatenate([rates[shown] for _, rates in both]),
        }
    )


@class_cache(sizes.RUN_BYTES)
def surface(
    config: Config, _data: gd.Dataset, _run: Trajectory, resolution: int = 40
) -> pd.DataFrame:
    """The loss on a grid framing the path, the optimum and the arrows' steps, for the contour
    map. 40 × 40 cells: each is a mark the browser encodes again on every rerun (about 15 µs
    of Vega's expression interpreter each, measured in Chromium), and 60 × 60 cost the
    Parameters page 30 ms more a slider move for a map that is a smooth bowl."""
    data, path, steps = _data, _run.frame, _run.steps
    k, b = path["k"].to_numpy(), path["b"].to_numpy()
    if steps is not None:
        # Where the velocity reaches too, past the path at a turn; not −η·g, which for an
        # adaptive rule can be far longer than any step it takes (it is clipped instead).
        for kind in ("step", "velocity"):
            if f"{kind}_k" in steps:
                k = np.concatenate([k, steps[f"{kind}_k"].to_numpy()])
                b = np.concatenate([b, steps[f"{kind}_b"].to_numpy()])
    k_range, b_range = gd.view_window(data, k, b)
    return pd.DataFrame(gd.surface_cells(data, k_range, b_range, resolution))


@class_cache(sizes.RUN_BYTES)
def contour_arrows(
    config: Config, _data: gd.Dataset, _run: Trajectory
) -> tuple[bytes, tuple[str, ...]] | None:
    """The contour's arrows (ui/plain/receipts.arrow_rows, cut at the edges of `surface`'s
    map) as the Arrow bytes render_chart sends for them, and the kinds of arrow drawn; None
    for a run without steps. `_run` is `config`'s run with its steps, as the Parameters page
    has it.

    Cached as sent: rebuilding the 400–600 rows from the run's steps and cutting them at the
    map's edges in pandas, then fingerprinting the frame to find its bytes, took 2.5 ms of
    every visit of the Parameters page (median; pandas 3's copies and column assignments, 6 ms
    on average), where the bytes cost a look-up."""
    if _run.steps is None:
        return None
    arrows = arrow_columns(_run.steps)
    if arrows is None:  # no kind of arrow: the empty frame arrow_rows gives
        arrows = arrow_rows(_run.steps)
    cut = clip_arrows(arrows, surface(config=config, _data=_data, _run=_run))
    return render.arrow_bytes(cut), arrow_kinds(arrows)


# Not cached: making the frame (0.06 ms, whatever the data's size) costs less than a cache
# hit (0.10 ms: hashing the spec, unpickling the frame), let alone a miss (0.25 ms).
def points(data: gd.Dataset, limit: int = 2_000) -> pd.DataFrame:
    """Up to `limit` of the data points (an even spread), for the scatter plot."""
    shown = np.linspace(0, data.n - 1, min(limit, data.n)).astype(int)
    return pd.DataFrame({"x": data.x[shown], "y": data.y[shown]})


@class_cache(sizes.RUN_BYTES)
def trajectory_csv(config: Config, _run: Trajectory) -> bytes:
    """The shown trajectory as CSV, built once per config rather than on every rerun."""
    return _run.frame.to_csv(index=False).encode()
