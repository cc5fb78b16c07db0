package org.ntkengine.train;

import org.ntkengine.MemoryBudget;
import org.ntkengine.NtkException;

/**
 * Kernel (ridge) regression in float64 on the host: F_test = K_test,train·(K + λI)⁻¹·Y, the t → ∞
 * limit of gradient flow in the kernel regime started from zero outputs. Solved by a Cholesky
 * factorisation (O(n³/3), exact up to rounding, a second for n = 2000), the ridge raised tenfold
 * while the matrix is not numerically positive definite.
 */
public final class KernelRegression {
  private static final int MAX_RIDGE_RAISES = 12;

  private KernelRegression() {}

  /**
   * The fitted coefficients.
   *
   * @param coefficients A = (K + λI)⁻¹·Y, n×k row-major
   * @param ridge the λ actually used (absolute)
   * @param k columns of Y
   */
  public record Fit(double[] coefficients, double ridge, int k) {}

  /**
   * Fits A = (K + λI)⁻¹Y with λ = relativeRidge·mean(diag K), raising λ tenfold while the Cholesky
   * factorisation breaks down.
   *
   * @param kernel K, n×n symmetric row-major (not modified)
   * @param n rows
   * @param y Y, n×k row-major
   * @param k columns
   * @param relativeRidge λ relative to the mean diagonal, ≥ 0
   * @return the fit
   * @throws NtkException (bad input) when K is not positive definite even with a large ridge;
   *     (resources) when the factor does not fit in the heap
   */
  public static Fit fit(double[] kernel, int n, double[] y, int k, double relativeRidge) {
    if (kernel.length != (long) n * n || y.length != (long) n * k) {
      throw NtkException.badInput(
          "kernel regression: K must be "
              + n
              + "x"
              + n
              + " and Y "
              + n
              + "x"
              + k
              + ", got "
              + kernel.length
              + " and "
              + y.length
              + " values");
    }
    MemoryBudget.require(
        8L * n * n, "the Cholesky factor of a " + n + "x" + n + " kernel for kernel regression");
    double meanDiag = 0;
    for (int i = 0; i < n; i++) {
      meanDiag += kernel[i * n + i];
    }
    meanDiag = n == 0 ? 1 : meanDiag / n;
    double ridge = relativeRidge * meanDiag;
    double floor = 1e-12 * Math.abs(meanDiag);
    for (int attempt = 0; attempt <= MAX_RIDGE_RAISES; attempt++) {
      double[] l = cholesky(kernel, n, ridge);
      if (l != null) {
        return new Fit(solve(l, n, y, k), ridge, k);
      }
      ridge = Math.max(ridge * 10, floor);
    }
    throw NtkException.badInput(
        "kernel regression: K is not positive definite even with ridge "
            + ridge
            + " (it holds NaN or is far from symmetric); check the kernel");
  }

  /**
   * Predicts F = K_test,train·A.
   *
   * @param crossKernel K_test,train, m×n row-major
   * @param m test rows
   * @param fit the fit on n training points
   * @return F, m×k row-major
   */
  public static double[] predict(double[] crossKernel, int m, Fit fit) {
    int k = fit.k();
    int n = fit.coefficients().length / Math.max(k, 1);
    if (crossKernel.length != (long) m * n) {
      throw NtkException.badInput(
          "kernel regression: K_test,train must be " + m + "x" + n + ", got " + crossKernel.length);
    }
    double[] a = fit.coefficients();
    double[] f = new double[m * k];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double kij = crossKernel[i * n + j];
        for (int c = 0; c < k; c++) {
          f[i * k + c] += kij * a[j * k + c];
        }
      }
    }
    return f;
  }

  /** Lower Cholesky factor of K + λI (row-major, full storage), or null when a pivot is ≤ 0. */
  static double[] cholesky(double[] kernel, int n, double ridge) {
    double[] l = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        // Symmetrise on the fly: a float32-assembled kernel is symmetric only to rounding.
        double s = 0.5 * (kernel[i * n + j] + kernel[j * n + i]) + (i == j ? ridge : 0.0);
        int ri = i * n;
        int rj = j * n;
        for (int p = 0; p < j; p++) {
          s -= l[ri + p] * l[rj + p];
        }
        if (i == j) {
          if (!(s > 0) || !Double.isFinite(s)) {
            return null;
          }
          l[ri + i] = Math.sqrt(s);
        } else {
          l[ri + j] = s / l[rj + j];
        }
      }
    }
    return l;
  }

  private static double[] solve(double[] l, int n, double[] y, int k) {
    double[] z = y.clone();
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < i; p++) {
        double lip = l[i * n + p];
        for (int c = 0; c < k; c++) {
          z[i * k + c] -= lip * z[p * k + c];
        }
      }
      double d = l[i * n + i];
      for (int c = 0; c < k; c++) {
        z[i * k + c] /= d;
      }
    }
    for (int i = n - 1; i >= 0; i--) {
      for (int p = i + 1; p < n; p++) {
        double lpi = l[p * n + i];
        for (int c = 0; c < k; c++) {
          z[i * k + c] -= lpi * z[p * k + c];
        }
      }
      double d = l[i * n + i];
      for (int c = 0; c < k; c++) {
        z[i * k + c] /= d;
      }
    }
    return z;
  }
}
