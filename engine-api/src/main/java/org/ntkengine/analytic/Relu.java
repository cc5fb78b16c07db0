package org.ntkengine.analytic;

/**
 * φ(u) = max(u, 0) in the infinite-width limit: the arc-cosine kernels of degree 1 and 0 (Cho and
 * Saul, NeurIPS 2009). For (u, u′) ~ N(0, [[q, c], [c, q′]]) with cos θ = c/(√q·√q′):
 *
 * <pre>
 *   F = E[φ(u)φ(u′)]   = √q·√q′·(sin θ + (π − θ)·cos θ)/(2π)
 *   Ḟ = E[φ′(u)φ′(u′)] = (π − θ)/(2π)
 * </pre>
 *
 * and K′ = F, Θ′ = Ḟ·Θ. The cosine is clamped to [−1, 1]; identical inputs use θ = 0 exactly (F =
 * c/2, Ḟ = 1/2); √q·√q′ rather than √(q·q′) so large variances do not overflow; a zero variance
 * means u ≡ 0, so F = 0 and Ḟ = 0 (φ′(0) = 0, as the network computes it), never NaN.
 */
public final class Relu implements KernelLayer {
  /** Creates the layer. */
  public Relu() {}

  @Override
  public KernelState apply(KernelState in) {
    return in.map(
        (k, theta, q1, q2, same, out) -> {
          out[0] = covariance(q1, q2, k, same);
          out[1] = derivativeCovariance(q1, q2, k, same) * theta;
        },
        q -> q / 2);
  }

  /**
   * F = E[φ(u)φ(u′)] for ReLU.
   *
   * @param q1 Var u ≥ 0
   * @param q2 Var u′ ≥ 0
   * @param c Cov(u, u′)
   * @param identical whether u ≡ u′ (identical inputs)
   * @return F
   */
  public static double covariance(double q1, double q2, double c, boolean identical) {
    if (identical) {
      return c > 0 ? c / 2 : 0.0;
    }
    if (!(q1 > 0) || !(q2 > 0)) {
      return 0.0;
    }
    double norm = Math.sqrt(q1) * Math.sqrt(q2);
    double cos = Math.max(-1.0, Math.min(1.0, c / norm));
    double theta = Math.acos(cos);
    double sin = Math.sqrt((1 - cos) * (1 + cos));
    return norm * (sin + (Math.PI - theta) * cos) / (2 * Math.PI);
  }

  /**
   * Ḟ = E[φ′(u)φ′(u′)] for ReLU.
   *
   * @param q1 Var u ≥ 0
   * @param q2 Var u′ ≥ 0
   * @param c Cov(u, u′)
   * @param identical whether u ≡ u′ (identical inputs)
   * @return Ḟ
   */
  public static double derivativeCovariance(double q1, double q2, double c, boolean identical) {
    if (identical) {
      return c > 0 ? 0.5 : 0.0;
    }
    if (!(q1 > 0) || !(q2 > 0)) {
      return 0.0;
    }
    double cos = Math.max(-1.0, Math.min(1.0, c / (Math.sqrt(q1) * Math.sqrt(q2))));
    return (Math.PI - Math.acos(cos)) / (2 * Math.PI);
  }

  @Override
  public String toString() {
    return "Relu";
  }
}
