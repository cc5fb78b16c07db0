package org.ntkengine.analytic;

/**
 * φ(u) = erf(u) in the infinite-width limit: the arcsine kernel (Williams, NeurIPS 1996). For (u,
 * u′) ~ N(0, [[q, c], [c, q′]]):
 *
 * <pre>
 *   F = E[φ(u)φ(u′)]   = (2/π)·arcsin(2c/(√(1+2q)·√(1+2q′)))
 *   Ḟ = E[φ′(u)φ′(u′)] = (4/π)/√((1+2q)(1+2q′) − 4c²)
 * </pre>
 *
 * and K′ = F, Θ′ = Ḟ·Θ. The arcsine argument is clamped to [−1, 1]; the determinant is computed as
 * 1 + 2q + 2q′ + 4(qq′ − c²) with qq′ − c² = (√q·√q′)²·(1 − ρ)(1 + ρ) for the clamped correlation
 * ρ, so it stays ≥ 1 + 2q + 2q′ instead of cancelling; identical inputs use ρ = 1 exactly.
 */
public final class Erf implements KernelLayer {
  /** Creates the layer. */
  public Erf() {}

  @Override
  public KernelState apply(KernelState in) {
    return in.map(
        (k, theta, q1, q2, same, out) -> {
          out[0] = covariance(q1, q2, k, same);
          out[1] = derivativeCovariance(q1, q2, k, same) * theta;
        },
        q -> covariance(q, q, q, true));
  }

  /**
   * F = E[erf(u)·erf(u′)].
   *
   * @param q1 Var u ≥ 0
   * @param q2 Var u′ ≥ 0
   * @param c Cov(u, u′)
   * @param identical whether u ≡ u′ (identical inputs)
   * @return F
   */
  public static double covariance(double q1, double q2, double c, boolean identical) {
    double arg =
        identical ? 2 * c / (1 + 2 * c) : 2 * c / (Math.sqrt(1 + 2 * q1) * Math.sqrt(1 + 2 * q2));
    return 2 / Math.PI * Math.asin(Math.max(-1.0, Math.min(1.0, arg)));
  }

  /**
   * Ḟ = E[erf′(u)·erf′(u′)].
   *
   * @param q1 Var u ≥ 0
   * @param q2 Var u′ ≥ 0
   * @param c Cov(u, u′)
   * @param identical whether u ≡ u′ (identical inputs)
   * @return Ḟ
   */
  public static double derivativeCovariance(double q1, double q2, double c, boolean identical) {
    double det;
    if (identical) {
      det = 1 + 4 * c;
    } else {
      double gram = 0;
      if (q1 > 0 && q2 > 0) {
        double norm = Math.sqrt(q1) * Math.sqrt(q2);
        double rho = Math.max(-1.0, Math.min(1.0, c / norm));
        gram = norm * norm * ((1 - rho) * (1 + rho));
      }
      det = 1 + 2 * q1 + 2 * q2 + 4 * gram;
    }
    return 4 / Math.PI / Math.sqrt(det);
  }

  @Override
  public String toString() {
    return "Erf";
  }
}
