"""A rate so large that η·H overflows is a diverged run, not a LinAlgError from LAPACK."""

import warnings

import numpy as np

import gd_core as g
from gd_core import closed_form
from gd_core import optimizers as o
from gd_core.data import make_dataset

FAR_X = make_dataset(20, 2, 1, 1, x_range=(1e4, 1e4 + 10))


def test_an_overflowing_rate_diverges_at_once():
    for optimizer in (o.sgd(1e300), o.momentum(1e300, 0.9), o.nesterov(1e300, 0.9)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # η·g overflows, as it should
            run = g.train(FAR_X, optimizer, 50)
        assert run.status == "diverged" and run.diverged_at == 1
        assert run.spectral_radius == np.inf


def test_radius_is_inf_only_where_the_matrix_overflowed():
    rates = (np.array([0.0, 1e-9, 1e300]), np.array([0.0, 1e-9, 1e300]))
    with np.errstate(all="ignore"):
        radius = closed_form.spectral_radius(FAR_X, o.sgd(0.01), rates)
        matrices = closed_form.transition_matrix(FAR_X, o.sgd(0.01), rates)
    assert radius[2] == np.inf
    # The finite ones are LAPACK's, as before: the identity at η = 0, and the 2×2 matrix's own.
    for i in (0, 1):
        assert radius[i] == np.max(np.abs(np.linalg.eigvals(matrices[i])))
    assert radius[0] == 1.0
