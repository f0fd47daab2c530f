"""gd_core: gradient descent on 1-D linear regression, exact and fast, in pure NumPy.

    >>> import gd_core as gd
    >>> data = gd.make_dataset(n=100, slope=2.0, intercept=1.0, noise=1.0)
    >>> run = gd.train(data, gd.sgd((0.02, 0.2)), epochs=450)
    >>> run.status, run.converged_at
    ('converged', 62)

Loss is the plain MSE, mean((k·x + b − y)²); optimizers follow torch.optim.
"""

from gd_core.data import DataError, Dataset, make_dataset
from gd_core.model import excess_loss, gradient, hessian, mse, ols
from gd_core.optimizers import Optimizer, adagrad, adam, momentum, nesterov, rmsprop, sgd
from gd_core.run import DIVERGENCE_FACTOR, Run
from gd_core.schedules import (
    Schedule,
    constant,
    cosine_decay,
    exponential_decay,
    inverse_time_decay,
    step_decay,
)
from gd_core.training import train

__all__ = [
    "DIVERGENCE_FACTOR",
    "DataError",
    "Dataset",
    "Optimizer",
    "Run",
    "Schedule",
    "adagrad",
    "adam",
    "constant",
    "cosine_decay",
    "excess_loss",
    "exponential_decay",
    "gradient",
    "hessian",
    "inverse_time_decay",
    "make_dataset",
    "momentum",
    "mse",
    "nesterov",
    "ols",
    "rmsprop",
    "sgd",
    "step_decay",
    "train",
]
