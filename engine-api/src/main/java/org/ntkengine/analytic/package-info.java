/**
 * Infinite-width NNGP and NTK kernels in closed form, float64, built from composable layers.
 *
 * <p>A network is an {@link org.ntkengine.analytic.InputKernel} ({@link
 * org.ntkengine.analytic.FourierFeatures} exact for a sampled B or its Gaussian limit, or {@link
 * org.ntkengine.analytic.LinearInput} x·x′/d) followed by {@link
 * org.ntkengine.analytic.KernelLayer}s: {@link org.ntkengine.analytic.Dense} (σ_w, σ_b), the
 * activations {@link org.ntkengine.analytic.Relu} (arc-cosine) and {@link
 * org.ntkengine.analytic.Erf} (arcsine), {@link org.ntkengine.analytic.Scale}, {@link
 * org.ntkengine.analytic.ResidualBlock} (α_l, p_l) and {@link org.ntkengine.analytic.Serial}; the
 * last dense layer is the readout. {@link org.ntkengine.analytic.AnalyticNetwork#forSpec} composes
 * NTK-ECRN or the plain MLP from a {@link org.ntkengine.model.ModelSpec}.
 *
 * <p>Each layer maps the per-pair 2×2 NNGP covariance and NTK of its input to those of its output:
 * a dense layer gives K′ = σ_w²K + σ_b², Θ′ = K′ + σ_w²Θ; an activation gives K′ = F(K), Θ′ =
 * Ḟ(K)·Θ; a residual block adds α_l²p_l² times its branch's kernels to the skip's. Composed, these
 * are exactly the recursions of DESIGN §4.
 *
 * <p>{@link org.ntkengine.analytic.EigenvalueControl} chooses α so that the analytic NTK of a
 * training set has a requested λ_max or condition number; {@link
 * org.ntkengine.analytic.ConvergenceExperiment} measures how fast empirical kernels approach these.
 */
package org.ntkengine.analytic;
