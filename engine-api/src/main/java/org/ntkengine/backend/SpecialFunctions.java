package org.ntkengine.backend;

/** Special functions the JDK lacks, accurate to a few units in the last place of a double. */
public final class SpecialFunctions {
  /** 2/√π, the derivative of erf at 0. */
  public static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

  private SpecialFunctions() {}

  /**
   * The error function, erf(x) = (2/√π)∫₀ˣ exp(−t²) dt.
   *
   * <p>For |x| &lt; 2.5 the Maclaurin series (its largest term is below exp(x²) ≈ 520, so at most
   * three digits are lost to cancellation); beyond, 1 − erfc(x) with erfc from its continued
   * fraction (Abramowitz and Stegun 7.1.14), which converges fast there.
   *
   * @param x the argument
   * @return erf(x), within about 1e-13 absolute
   */
  public static double erf(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    double ax = Math.abs(x);
    if (ax >= 6.0) {
      return Math.copySign(1.0, x);
    }
    if (ax < 2.5) {
      double x2 = x * x;
      double term = x;
      double sum = x;
      for (int n = 1; n < 200; n++) {
        term *= -x2 / n;
        double add = term / (2 * n + 1);
        sum += add;
        if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
          break;
        }
      }
      return TWO_OVER_SQRT_PI * sum;
    }
    return Math.copySign(1.0 - erfcContinuedFraction(ax), x);
  }

  /** erfc(x) for x ≥ 2.5 by the modified Lentz evaluation of the Laplace continued fraction. */
  private static double erfcContinuedFraction(double x) {
    // erfc(x) = exp(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
    double tiny = 1e-300;
    double f = x;
    double c = x;
    double d = 0.0;
    for (int k = 1; k < 500; k++) {
      double a = k / 2.0;
      d = x + a * d;
      d = d == 0 ? tiny : d;
      c = x + a / c;
      c = c == 0 ? tiny : c;
      d = 1.0 / d;
      double delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1.0) < 1e-16) {
        break;
      }
    }
    return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
  }
}
