package org.ntkengine.analytic;

import org.ntkengine.NtkException;

/**
 * Multiplication by a fixed constant c (no parameters): K′ = c²·K, Θ′ = c²·Θ. Used for a residual
 * branch's α_l·p_l in a plain network.
 */
public final class Scale implements KernelLayer {
  private final double c;

  /**
   * Creates the layer.
   *
   * @param c the factor, finite
   * @throws NtkException (usage) when c is not finite
   */
  public Scale(double c) {
    if (!Double.isFinite(c)) {
      throw NtkException.usage("scale factor must be finite, got " + c);
    }
    this.c = c;
  }

  @Override
  public KernelState apply(KernelState in) {
    double c2 = c * c;
    return in.map(
        (k, theta, q1, q2, same, out) -> {
          out[0] = c2 * k;
          out[1] = c2 * theta;
        },
        q -> c2 * q);
  }

  @Override
  public String toString() {
    return "Scale[" + c + "]";
  }
}
