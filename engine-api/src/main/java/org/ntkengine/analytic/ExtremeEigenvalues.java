package org.ntkengine.analytic;

/**
 * Extreme eigenvalues of a small dense symmetric matrix, float64: Householder reduction to
 * tridiagonal form (about (4/3)n³ flops), then Sturm-sequence bisection for the smallest and the
 * largest eigenvalue (O(n) per step), accurate to a few ulp of the matrix norm.
 */
final class ExtremeEigenvalues {
  private ExtremeEigenvalues() {}

  /**
   * Returns {λ_min, λ_max}.
   *
   * @param a n×n row-major, symmetric (not modified)
   * @param n the order, at least 1
   */
  static double[] extremes(double[] a, int n) {
    double[] d = new double[n];
    double[] e = new double[Math.max(n - 1, 0)];
    tridiagonalize(a.clone(), n, d, e);
    return new double[] {kth(d, e, 0), kth(d, e, n - 1)};
  }

  /** Householder: A ← H_k A H_k for each column k, keeping the diagonal d and sub-diagonal e. */
  static void tridiagonalize(double[] a, int n, double[] d, double[] e) {
    double[] v = new double[n];
    double[] p = new double[n];
    for (int k = 0; k < n - 2; k++) {
      double scale = 0;
      for (int i = k + 1; i < n; i++) {
        scale = Math.max(scale, Math.abs(a[i * n + k]));
      }
      d[k] = a[k * n + k];
      if (scale == 0) {
        e[k] = 0;
        continue;
      }
      double norm2 = 0;
      for (int i = k + 1; i < n; i++) {
        v[i] = a[i * n + k] / scale;
        norm2 += v[i] * v[i];
      }
      double norm = Math.sqrt(norm2);
      double alpha = v[k + 1] > 0 ? -norm : norm;
      e[k] = alpha * scale;
      v[k + 1] -= alpha;
      double vv = 0;
      for (int i = k + 1; i < n; i++) {
        vv += v[i] * v[i];
      }
      if (vv == 0) {
        continue;
      }
      double beta = 2 / vv;
      double vp = 0;
      for (int i = k + 1; i < n; i++) {
        double s = 0;
        for (int j = k + 1; j < n; j++) {
          s += a[i * n + j] * v[j];
        }
        p[i] = beta * s;
        vp += v[i] * p[i];
      }
      double half = beta * vp / 2;
      for (int i = k + 1; i < n; i++) {
        p[i] -= half * v[i];
      }
      for (int i = k + 1; i < n; i++) {
        double vi = v[i];
        double pi = p[i];
        for (int j = k + 1; j < n; j++) {
          a[i * n + j] -= vi * p[j] + pi * v[j];
        }
      }
    }
    if (n >= 2) {
      d[n - 2] = a[(n - 2) * n + n - 2];
      e[n - 2] = a[(n - 1) * n + n - 2];
    }
    d[n - 1] = a[(n - 1) * n + n - 1];
  }

  /** The k-th smallest eigenvalue (0-based) of the tridiagonal (d, e) by Sturm bisection. */
  static double kth(double[] d, double[] e, int k) {
    int n = d.length;
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      double r = (i > 0 ? Math.abs(e[i - 1]) : 0) + (i < n - 1 ? Math.abs(e[i]) : 0);
      lo = Math.min(lo, d[i] - r);
      hi = Math.max(hi, d[i] + r);
    }
    if (lo == hi) {
      return lo;
    }
    double pad = 4 * Math.ulp(Math.max(Math.abs(lo), Math.abs(hi))) + Double.MIN_NORMAL;
    lo -= pad;
    hi += pad;
    for (int it = 0; it < 2100; it++) {
      double mid = lo + (hi - lo) / 2;
      if (mid <= lo || mid >= hi) {
        break;
      }
      if (countBelow(d, e, mid) <= k) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return lo + (hi - lo) / 2;
  }

  /** Number of eigenvalues below x: negative pivots of the LDLᵀ factorisation of T − xI. */
  private static int countBelow(double[] d, double[] e, double x) {
    int count = 0;
    double q = 1;
    for (int i = 0; i < d.length; i++) {
      double off = i > 0 ? e[i - 1] * e[i - 1] / q : 0;
      q = d[i] - x - off;
      if (q == 0) {
        // A zero pivot would divide by zero next step; a tiny negative shift of x is equivalent.
        q = -Double.MIN_NORMAL * 1e10;
      }
      if (q < 0) {
        count++;
      }
    }
    return count;
  }
}
