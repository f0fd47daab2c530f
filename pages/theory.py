"""Theory: the gradient and the Hessian of this model, and what they predict for your data."""

import streamlit as st

from ui.compute import lab
from ui.plain import floor_text, mode_text
from ui.state import controls, feedback, theory

st.title("Why k usually converges faster than b")
config = controls.current()
data = feedback.load_data_or_explain(config)

st.header("1. The gradient, step by step")
st.markdown(
    "For each point, the residual is how far the line misses it; the loss is their mean square:"
)
st.latex(r"L(k, b) = \frac{1}{n}\sum_{i=1}^{n} r_i^2, \qquad r_i = k\,x_i + b - y_i")
st.markdown(
    "A residual changes with k at the rate x_i (k multiplies x_i) and with b at the rate 1. "
    "By the chain rule, ∂(r²)/∂θ = 2r·∂r/∂θ, so"
)
st.latex(
    r"\frac{\partial L}{\partial k} = \frac{2}{n}\sum_i x_i\, r_i, \qquad "
    r"\frac{\partial L}{\partial b} = \frac{2}{n}\sum_i r_i"
)
st.caption(
    "Many texts use ½·MSE, whose gradient has no factor 2: (1/n)·Σ xᵢrᵢ. The minimum is the "
    "same; a rate there is twice the rate that does the same step here. "
    + floor_text.mse_floor(
        data.loss_ols, None if config.data.csv is not None else config.data.noise
    )
)

st.header("2. Curvature: the same step means different things to k and b")
st.markdown("Differentiating once more gives the Hessian, the loss's curvature:")
# Two lines, not one: on a 390 px phone the whole equation ran past the screen's edge.
st.latex(
    r"\begin{aligned} H &= \begin{pmatrix} \partial^2 L/\partial k^2 & "
    r"\partial^2 L/\partial k\,\partial b \\"
    r"\partial^2 L/\partial b\,\partial k & \partial^2 L/\partial b^2 \end{pmatrix} \\"
    r"&= 2\begin{pmatrix} \overline{x^2} & \bar{x} \\ \bar{x} & 1 \end{pmatrix}"
    r"\end{aligned}"
)
st.markdown(
    "It contains no k and no b: the loss is an exact bowl, so the same few numbers decide "
    "every step. Along k the bowl curves by 2·mean(x²), along b by 2. A gradient step on a "
    "parabola of curvature h multiplies the distance to its bottom by (1 − η·h), which shrinks "
    "only while η < 2/h. Each parameter alone therefore needs"
)
st.latex(r"\eta_k < \frac{1}{\overline{x^2}}, \qquad \eta_b < 1")
st.markdown(
    mode_text.one_rate_story(data.x_sq_mean) + " "
    "Because mean(x) couples the two, the exact rule uses H's eigenvalues "
    "λ_min ≤ λ_max: plain gradient descent with rates D = diag(η_k, η_b) converges exactly when "
    "the spectral radius ρ of I − D·H is below 1, and its error shrinks by ρ each epoch. "
    "A single rate converges for η < 2/λ_max, and at best by (κ − 1)/(κ + 1) per epoch, "
    "κ = λ_max/λ_min being the condition number."
)

st.header("3. Your data")
st.dataframe(
    lab.data_facts(config, data),
    hide_index=True,
    width="stretch",
    height="content",
    # The quantity stays in view while a phone's narrow table scrolls to its meaning.
    column_config={"quantity": st.column_config.TextColumn("quantity", pinned=True)},
)
st.caption(
    "Standardising x makes mean(x) = 0 and mean(x²) = 1: H becomes 2·I, κ = 1, and one rate "
    "of ½ reaches the optimum in a single epoch. Per-parameter rates fix the scale but not the "
    "coupling, which is why x far from zero stays slow for them too."
)

st.header("4. Your rates: predicted before running, then observed")
theory.render_prediction(config, data)

st.header("5. Adam and RMSProp: per-parameter rates, found automatically")
theory.render_adaptive_rates(config, data)
