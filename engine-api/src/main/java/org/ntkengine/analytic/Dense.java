package org.ntkengine.analytic;

import org.ntkengine.NtkException;

/**
 * A dense layer in NTK parameterisation, y = (σ_w/√fan_in)·W·a + σ_b·b with W, b entries N(0, 1):
 * NNGP K′ = σ_w²·K + σ_b², NTK Θ′ = σ_w²·K + σ_b² + σ_w²·Θ (the first two terms are the gradients
 * for W and b, the last carries the earlier layers' gradients through W).
 */
public final class Dense implements KernelLayer {
  private final double sigmaW;
  private final double sigmaB;

  /**
   * Creates the layer.
   *
   * @param sigmaW σ_w ≥ 0, finite
   * @param sigmaB σ_b ≥ 0, finite
   * @throws NtkException (usage) for a negative or non-finite σ
   */
  public Dense(double sigmaW, double sigmaB) {
    if (!(sigmaW >= 0) || !Double.isFinite(sigmaW) || !(sigmaB >= 0) || !Double.isFinite(sigmaB)) {
      throw NtkException.usage(
          "dense layer: σ_w and σ_b must be finite and non-negative, got σ_w="
              + sigmaW
              + ", σ_b="
              + sigmaB);
    }
    this.sigmaW = sigmaW;
    this.sigmaB = sigmaB;
  }

  @Override
  public KernelState apply(KernelState in) {
    double w2 = sigmaW * sigmaW;
    double b2 = sigmaB * sigmaB;
    return in.map(
        (k, theta, q1, q2, same, out) -> {
          double nngp = w2 * k + b2;
          out[0] = nngp;
          out[1] = nngp + w2 * theta;
        },
        q -> w2 * q + b2);
  }

  @Override
  public String toString() {
    return "Dense[sigma_w=" + sigmaW + ", sigma_b=" + sigmaB + "]";
  }
}
