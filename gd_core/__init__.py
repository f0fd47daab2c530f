"""gd_core: gradient descent on 1-D linear regression, exact and fast, in pure NumPy.

    >>> import gd_core as gd
    >>> data = gd.make_dataset(n=100, slope=2.0, intercept=1.0, noise=1.0)
    >>> run = gd.train(data, gd.sgd((0.02, 0.2)), epochs=450)
    >>> run.status, run.converged_at
    ('converged', 92)

Loss is the plain MSE, mean((k·x + b − y)²); optimizers follow torch.optim.
"""

from gd_core.adaptive import effective_rates
from gd_core.analysis import Analysis, analyze
from gd_core.closed_form import dominant_eigenvalue
from gd_core.data import DataError, Dataset, make_dataset
from gd_core.decay_reach import plain_reach, rate_left, step_bound, travel_bound
from gd_core.descent import mini_batch_size, scheduled_rates, steps_per_epoch
from gd_core.loss_modes import LossMode, loss_modes, mode_losses
from gd_core.lr_finder import RangeTest, lr_range_test
from gd_core.lr_suggestions import Grade, Suggestion, grade, suggest
from gd_core.mode_pace import ModePace, mode_pace
from gd_core.model import distance_to_optimum, excess_loss, gradient, hessian, mse, ols
from gd_core.optimizers import (
    OPTIMIZERS,
    Optimizer,
    adagrad,
    adam,
    adamax,
    make_optimizer,
    momentum,
    nesterov,
    rmsprop,
    sgd,
)
from gd_core.path_shape import ValleyPath, overshoot, passes, valley_path
from gd_core.plateau import ReduceOnPlateau, reduce_on_plateau
from gd_core.progress import HOLD_SHARE, Progress, late_settlers, progress
from gd_core.rate_tail import (
    FROZEN_SHARE,
    FROZEN_STRETCH,
    FrozenStretch,
    frozen_from,
    frozen_stretch,
)
from gd_core.receipt import (
    GradientSums,
    StepReceipt,
    StepTable,
    gradient_sums,
    step_receipt,
    step_receipts,
    step_table,
)
from gd_core.run import DIVERGENCE_FACTOR, Run
from gd_core.schedules import (
    Schedule,
    constant,
    cosine_decay,
    exponential_decay,
    inverse_time_decay,
    linear_warmup,
    one_cycle,
    step_decay,
)
from gd_core.stability import (
    blown_up_parameter,
    parameter_limits,
    rate_sides,
    single_parameter_limits,
)
from gd_core.standardize import standardized
from gd_core.surface import cell_half_widths, loss_surface, surface_cells, view_window
from gd_core.sweep import StabilityMap, rate_grid, stability_map
from gd_core.sweeps import Sweep, sweep, sweep_datasets
from gd_core.theory import spectral_radius, stability_boundary, stability_edge
from gd_core.thinning import plot_indices, unique_indices
from gd_core.training import train
from gd_core.tuning import Tuning, tune
from gd_core.verdict import DEFAULT_TOL

__all__ = [
    "DEFAULT_TOL",
    "DIVERGENCE_FACTOR",
    "FROZEN_SHARE",
    "FROZEN_STRETCH",
    "HOLD_SHARE",
    "OPTIMIZERS",
    "Analysis",
    "DataError",
    "Dataset",
    "FrozenStretch",
    "Grade",
    "GradientSums",
    "LossMode",
    "ModePace",
    "Optimizer",
    "Progress",
    "RangeTest",
    "ReduceOnPlateau",
    "Run",
    "Schedule",
    "StabilityMap",
    "StepReceipt",
    "StepTable",
    "Suggestion",
    "Sweep",
    "Tuning",
    "ValleyPath",
    "adagrad",
    "adam",
    "adamax",
    "analyze",
    "blown_up_parameter",
    "cell_half_widths",
    "constant",
    "cosine_decay",
    "distance_to_optimum",
    "dominant_eigenvalue",
    "effective_rates",
    "excess_loss",
    "exponential_decay",
    "frozen_from",
    "frozen_stretch",
    "grade",
    "gradient",
    "gradient_sums",
    "hessian",
    "inverse_time_decay",
    "late_settlers",
    "linear_warmup",
    "loss_modes",
    "loss_surface",
    "lr_range_test",
    "make_dataset",
    "make_optimizer",
    "mini_batch_size",
    "mode_losses",
    "mode_pace",
    "momentum",
    "mse",
    "nesterov",
    "ols",
    "one_cycle",
    "overshoot",
    "parameter_limits",
    "passes",
    "plain_reach",
    "plot_indices",
    "progress",
    "rate_grid",
    "rate_left",
    "rate_sides",
    "reduce_on_plateau",
    "rmsprop",
    "scheduled_rates",
    "sgd",
    "single_parameter_limits",
    "spectral_radius",
    "stability_boundary",
    "stability_edge",
    "stability_map",
    "standardized",
    "step_bound",
    "step_decay",
    "step_receipt",
    "step_receipts",
    "step_table",
    "steps_per_epoch",
    "suggest",
    "surface_cells",
    "sweep",
    "sweep_datasets",
    "train",
    "travel_bound",
    "tune",
    "unique_indices",
    "valley_path",
    "view_window",
]
