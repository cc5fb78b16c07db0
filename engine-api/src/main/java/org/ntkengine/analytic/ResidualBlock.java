package org.ntkengine.analytic;

import org.ntkengine.NtkException;

/**
 * A residual block h_l = h_{l−1} + α_l·ξ_l·branch(h_{l−1}) at evaluation, where stochastic depth
 * uses ξ_l = p_l. In the infinite-width limit the skip and the branch are uncorrelated (the
 * branch's last weight matrix is independent of everything before it, and the cross terms of the
 * NTK average out as O(n^{−1/2})), so with ε_l = p_l²
 *
 * <pre>
 *   K_l = K_{l−1} + α_l²·ε_l·K_branch,   Θ_l = Θ_{l−1} + α_l²·ε_l·Θ_branch.
 * </pre>
 *
 * p_l² rather than p_l: at evaluation the branch output is multiplied by the constant p_l, so both
 * its covariance and the gradients of its own weights U_l, V_l, c_l (each scaled by p_l) pick up
 * p_l², which is what the empirical NTK of the network in evaluation mode measures. For NTK-ECRN
 * the branch is Dense(σ_w, σ_b) → φ → Dense(σ_w, 0), giving DESIGN §4's S_l = σ_w²K_{l−1} + σ_b²,
 * K_branch = σ_w²F(S_l), Θ_branch = σ_w²[F(S_l) + Ḟ(S_l)·(S_l + σ_w²Θ_{l−1})].
 */
public final class ResidualBlock implements KernelLayer {
  private final double alpha;
  private final double survival;
  private final KernelLayer branch;

  /**
   * Creates the block.
   *
   * @param alpha α_l ≥ 0, finite
   * @param survival p_l ∈ (0, 1]
   * @param branch the residual branch
   * @throws NtkException (usage) for α or p out of range
   */
  public ResidualBlock(double alpha, double survival, KernelLayer branch) {
    if (!(alpha >= 0) || !Double.isFinite(alpha)) {
      throw NtkException.usage("residual block: α must be finite and non-negative, got " + alpha);
    }
    if (!(survival > 0 && survival <= 1)) {
      throw NtkException.usage("residual block: survival p must lie in (0, 1], got " + survival);
    }
    this.alpha = alpha;
    this.survival = survival;
    this.branch = branch;
  }

  /**
   * The NTK-ECRN block: branch Dense(σ_w, σ_b) → φ → Dense(σ_w, 0).
   *
   * @param sigmaW σ_w
   * @param sigmaB σ_b (the branch's inner bias; its output layer has none)
   * @param activation φ's kernel layer
   * @param alpha α_l
   * @param survival p_l
   * @return the block
   */
  public static ResidualBlock ecrn(
      double sigmaW, double sigmaB, KernelLayer activation, double alpha, double survival) {
    return new ResidualBlock(
        alpha, survival, Serial.of(new Dense(sigmaW, sigmaB), activation, new Dense(sigmaW, 0)));
  }

  @Override
  public KernelState apply(KernelState in) {
    KernelState b = branch.apply(in);
    double scale = alpha * alpha * survival * survival;
    double[] k = add(in.nngpArray(), b.nngpArray(), scale);
    double[] t = add(in.ntkArray(), b.ntkArray(), scale);
    double[] rv = add(in.rowVarianceArray(), b.rowVarianceArray(), scale);
    double[] cv = in.symmetric() ? rv : add(in.colVarianceArray(), b.colVarianceArray(), scale);
    return in.with(k, t, rv, cv);
  }

  private static double[] add(double[] skip, double[] branch, double scale) {
    double[] out = new double[skip.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = skip[i] + scale * branch[i];
    }
    return out;
  }

  @Override
  public String toString() {
    return "ResidualBlock[alpha=" + alpha + ", p=" + survival + ", " + branch + "]";
  }
}
