package org.ntkengine.analytic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The closed-form activation kernels against numerical Gaussian integration, written with u =
 * √q·z₁, u′ = √q′·(ρz₁ + √(1−ρ²)z₂) and z₁, z₂ independent standard normals.
 */
class ActivationKernelTest {
  private static final double[][] CASES = {
    // q, q', rho
    {1.0, 1.0, 0.3}, {0.5, 2.0, -0.7}, {3.0, 0.2, 0.95}, {1.5, 1.5, 0.0}, {0.1, 4.0, -0.99}
  };

  /** Commons Math's erf, independent of the engine's. */
  private static double erf(double x) {
    return org.apache.commons.math3.special.Erf.erf(x);
  }

  private static double phi(double z) {
    return Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
  }

  private static double cdf(double z) {
    return 0.5 * (1 + erf(z / Math.sqrt(2)));
  }

  /** Composite Simpson on [a, b] with an even number of intervals. */
  private static double simpson(DoubleUnaryOperator f, double a, double b) {
    int k = 4000;
    double h = (b - a) / k;
    double s = f.applyAsDouble(a) + f.applyAsDouble(b);
    for (int i = 1; i < k; i++) {
      s += (i % 2 == 1 ? 4 : 2) * f.applyAsDouble(a + i * h);
    }
    return s * h / 3;
  }

  @Test
  void reluMatchesOneDimensionalReduction() {
    // Inner expectation over z₂ in closed form, E[relu(a + bZ)] = a·Φ(a/b) + b·φ(a/b), and
    // P(a + bZ > 0) = Φ(a/b); the outer integral over z₁ > 0 (relu(u) = 0 below) is smooth.
    for (double[] cs : CASES) {
      double q1 = cs[0];
      double q2 = cs[1];
      double rho = cs[2];
      double bq = Math.sqrt(q2) * Math.sqrt(1 - rho * rho);
      double f =
          simpson(
              z -> {
                double a = Math.sqrt(q2) * rho * z;
                return phi(z) * Math.sqrt(q1) * z * (a * cdf(a / bq) + bq * phi(a / bq));
              },
              0,
              12);
      double fd = simpson(z -> phi(z) * cdf(Math.sqrt(q2) * rho * z / bq), 0, 12);
      double c = rho * Math.sqrt(q1 * q2);
      assertEquals(f, Relu.covariance(q1, q2, c, false), 1e-10, "F at " + Arrays.toString(cs));
      assertEquals(
          fd, Relu.derivativeCovariance(q1, q2, c, false), 1e-10, "F' at " + Arrays.toString(cs));
    }
  }

  @Test
  void erfMatchesTwoDimensionalIntegration() {
    int k = 500;
    double lim = 9;
    double h = 2 * lim / k;
    for (double[] cs : CASES) {
      double q1 = cs[0];
      double q2 = cs[1];
      double rho = cs[2];
      double sr = Math.sqrt(1 - rho * rho);
      double f = 0;
      double fd = 0;
      for (int i = 0; i <= k; i++) {
        double z1 = -lim + i * h;
        double wi = (i == 0 || i == k) ? 1 : (i % 2 == 1 ? 4 : 2);
        double u = Math.sqrt(q1) * z1;
        double eu = erf(u);
        double du = 2 / Math.sqrt(Math.PI) * Math.exp(-u * u);
        double rowF = 0;
        double rowD = 0;
        for (int j = 0; j <= k; j++) {
          double z2 = -lim + j * h;
          double wj = (j == 0 || j == k) ? 1 : (j % 2 == 1 ? 4 : 2);
          double up = Math.sqrt(q2) * (rho * z1 + sr * z2);
          double w = wj * phi(z2);
          rowF += w * erf(up);
          rowD += w * 2 / Math.sqrt(Math.PI) * Math.exp(-up * up);
        }
        f += wi * phi(z1) * eu * rowF;
        fd += wi * phi(z1) * du * rowD;
      }
      f *= h * h / 9;
      fd *= h * h / 9;
      double c = rho * Math.sqrt(q1 * q2);
      assertEquals(f, Erf.covariance(q1, q2, c, false), 1e-8, "F at " + Arrays.toString(cs));
      assertEquals(
          fd, Erf.derivativeCovariance(q1, q2, c, false), 1e-8, "F' at " + Arrays.toString(cs));
    }
  }

  @Test
  void identicalInputsMatchTheGeneralFormulaAtRhoOne() {
    for (double q : new double[] {0.01, 0.7, 5.0, 1e6}) {
      assertEquals(q / 2, Relu.covariance(q, q, q, true), 0);
      assertEquals(
          Erf.covariance(q, q, q * (1 - 1e-15), false), Erf.covariance(q, q, q, true), 1e-12);
      assertEquals(
          4 / Math.PI / Math.sqrt(1 + 4 * q), Erf.derivativeCovariance(q, q, q, true), 1e-15);
    }
  }

  @Test
  void hugeVariancesDoNotOverflow() {
    double q = 1e200;
    double c = 0.5e200;
    double f = Relu.covariance(q, q, c, false);
    // cos θ = 1/2, θ = π/3: F = q(√3/2 + (2π/3)/2)/(2π).
    assertEquals(q * (Math.sqrt(3) / 2 + Math.PI / 3) / (2 * Math.PI), f, 1e-12 * f);
    assertEquals(1.0 / 3, Relu.derivativeCovariance(q, q, c, false), 1e-15);
  }
}
