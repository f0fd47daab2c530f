"""Full-batch epochs of the adaptive rules with the update written into the loop.

The generic loop (descent.full_batch) calls `optimizer.update` twice an epoch, once per
parameter, packing and unpacking a state tuple each time: for Adam that was 2.1× the least a
pure-Python loop of the same rule costs (benchmarks/bench_core.py measures both side by side).
A class of students each training 1e5-epoch Adam runs pays for that, so for AdaGrad, RMSProp and
Adam the factory also attaches the loop below, with the rule's arithmetic inlined.

The rule then appears twice, in `update` (one coordinate, floats or arrays: mini-batches, the
stability map, effective rates) and here. Every expression below is written in exactly the
order `update` evaluates it, so the two give bit-for-bit the same trajectory:
tests/core/test_fused.py checks that for every rule, schedule and rate pair it draws. Square
roots are `math.sqrt`, correctly rounded as NumPy's `sqrt` is, so a stepped sweep on arrays
(gd_core/packed.py) rounds every root as train() does; a float's `** 0.5` is libm's `pow`,
which rounds about one root in 1,200 differently.

A stepper takes the Hessian's three entries, the deviations (δk, δb), both states and the
per-epoch rates of one block, and returns the δk and δb after each epoch, the last deviations
and both states, as descent.full_batch keeps them between blocks.
"""

from __future__ import annotations

from collections.abc import Callable
from math import sqrt
from typing import Any

State = tuple[Any, ...]
Block = tuple[list[float], list[float], float, float, State, State]
Stepper = Callable[
    [tuple[float, float, float], float, float, State, State, list[float], list[float]], Block
]


def adagrad_steps(eps: float) -> Stepper:
    """AdaGrad's epochs: s ← s + g²; θ ← θ − lr/(√s + eps)·g (optimizers.adagrad)."""

    def steps(hessian, dk, db, state_k, state_b, rates_k, rates_b) -> Block:
        h_kk, h_kb, h_bb = hessian
        (s_k,), (s_b,) = state_k, state_b
        ks: list[float] = []
        bs: list[float] = []
        keep_k, keep_b = ks.append, bs.append
        for rate_k, rate_b in zip(rates_k, rates_b, strict=True):
            grad_k = h_kk * dk + h_kb * db
            grad_b = h_kb * dk + h_bb * db
            s_k = s_k + grad_k * grad_k
            s_b = s_b + grad_b * grad_b
            dk -= rate_k / (sqrt(s_k) + eps) * grad_k
            db -= rate_b / (sqrt(s_b) + eps) * grad_b
            keep_k(dk)
            keep_b(db)
        return ks, bs, dk, db, (s_k,), (s_b,)

    return steps


def rmsprop_steps(alpha: float, eps: float) -> Stepper:
    """RMSProp's epochs: v ← α·v + (1 − α)·g²; θ ← θ − lr/(√v + eps)·g (optimizers.rmsprop)."""
    rest = 1.0 - alpha

    def steps(hessian, dk, db, state_k, state_b, rates_k, rates_b) -> Block:
        h_kk, h_kb, h_bb = hessian
        (v_k,), (v_b,) = state_k, state_b
        ks: list[float] = []
        bs: list[float] = []
        keep_k, keep_b = ks.append, bs.append
        for rate_k, rate_b in zip(rates_k, rates_b, strict=True):
            grad_k = h_kk * dk + h_kb * db
            grad_b = h_kb * dk + h_bb * db
            v_k = alpha * v_k + rest * grad_k * grad_k
            v_b = alpha * v_b + rest * grad_b * grad_b
            dk -= rate_k / (sqrt(v_k) + eps) * grad_k
            db -= rate_b / (sqrt(v_b) + eps) * grad_b
            keep_k(dk)
            keep_b(db)
        return ks, bs, dk, db, (v_k,), (v_b,)

    return steps


def adam_steps(beta1: float, beta2: float, eps: float) -> Stepper:
    """Adam's epochs: m, v the running moments, θ ← θ − lr·m̂/(√v̂ + eps) (optimizers.adam).

    β1^t and β2^t are one running product each, shared by k and b: both coordinates take the
    same number of steps, so their products are the same floats.
    """
    rest1, rest2 = 1.0 - beta1, 1.0 - beta2

    def steps(hessian, dk, db, state_k, state_b, rates_k, rates_b) -> Block:
        h_kk, h_kb, h_bb = hessian
        m_k, v_k, beta1_t, beta2_t = state_k
        m_b, v_b, _, _ = state_b
        ks: list[float] = []
        bs: list[float] = []
        keep_k, keep_b = ks.append, bs.append
        for rate_k, rate_b in zip(rates_k, rates_b, strict=True):
            grad_k = h_kk * dk + h_kb * db
            grad_b = h_kb * dk + h_bb * db
            m_k = beta1 * m_k + rest1 * grad_k
            v_k = beta2 * v_k + rest2 * grad_k * grad_k
            m_b = beta1 * m_b + rest1 * grad_b
            v_b = beta2 * v_b + rest2 * grad_b * grad_b
            beta1_t *= beta1
            beta2_t *= beta2
            dk -= rate_k * m_k / (1.0 - beta1_t) / (sqrt(v_k / (1.0 - beta2_t)) + eps)
            db -= rate_b * m_b / (1.0 - beta1_t) / (sqrt(v_b / (1.0 - beta2_t)) + eps)
            keep_k(dk)
            keep_b(db)
        return ks, bs, dk, db, (m_k, v_k, beta1_t, beta2_t), (m_b, v_b, beta1_t, beta2_t)

    return steps
