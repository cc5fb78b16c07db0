package org.ntkengine.linalg;

import java.util.Arrays;

/**
 * The eigendecomposition A = Z·diag(values)·Zᵀ of a small dense symmetric matrix, in float64 on the
 * host: Householder reduction to tridiagonal form, then the implicit QL iteration with Wilkinson
 * shifts, accumulating the orthogonal factor. Cost O(m³); meant for the projected problems of the
 * Krylov solvers (m up to a few thousand), not for the operator itself.
 *
 * <p>Eigenvalues are returned in ascending order; {@code vectors} is m×m row-major with eigenvector
 * j in column j, i.e. component i of eigenvector j at {@code vectors[i * m + j]}.
 *
 * @param values the eigenvalues, ascending
 * @param vectors the orthonormal eigenvectors as columns, row-major m×m
 */
public record SymmetricEigen(double[] values, double[] vectors) {

  private static final int MAX_SWEEPS_PER_VALUE = 64;

  /**
   * Returns the order m.
   *
   * @return the number of eigenvalues
   */
  public int size() {
    return values.length;
  }

  /**
   * Returns component i of eigenvector j.
   *
   * @param i the component, in [0, m)
   * @param j the eigenvector (ascending eigenvalue order), in [0, m)
   * @return Z[i, j]
   */
  public double vector(int i, int j) {
    return vectors[i * values.length + j];
  }

  /**
   * Decomposes the leading m×m block of a symmetric matrix; only its lower triangle is read.
   *
   * @param a the matrix, row-major with row stride {@code stride}; not modified
   * @param m the order, at least 0
   * @param stride the row stride of {@code a}, at least m
   * @return the decomposition
   * @throws IllegalArgumentException when the sizes do not fit or an element is not finite
   * @throws ArithmeticException when the QL iteration does not converge (not seen for finite input)
   */
  public static SymmetricEigen decompose(double[] a, int m, int stride) {
    if (m < 0 || stride < m || (m > 0 && (long) (m - 1) * stride + m > a.length)) {
      throw new IllegalArgumentException(
          "a " + m + "x" + m + " block with row stride " + stride + " does not fit " + a.length);
    }
    double[] h = new double[m * m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j <= i; j++) {
        double x = a[i * stride + j];
        if (!Double.isFinite(x)) {
          throw new IllegalArgumentException(
              "element (" + i + ", " + j + ") of the projected matrix is " + x);
        }
        h[i * m + j] = x;
        h[j * m + i] = x;
      }
    }
    double[] z = new double[m * m];
    for (int i = 0; i < m; i++) {
      z[i * m + i] = 1.0;
    }
    double[] d = new double[m];
    double[] e = new double[m];
    tridiagonalize(h, z, m, d, e);
    implicitQl(d, e, z, m);
    return sorted(d, z, m);
  }

  /**
   * Decomposes a symmetric tridiagonal matrix.
   *
   * @param diagonal the m diagonal elements
   * @param offDiagonal the m − 1 elements T[i, i+1] (longer arrays are read up to m − 1)
   * @return the decomposition
   * @throws IllegalArgumentException when the off-diagonal is too short
   */
  public static SymmetricEigen tridiagonal(double[] diagonal, double[] offDiagonal) {
    int m = diagonal.length;
    if (m > 0 && offDiagonal.length < m - 1) {
      throw new IllegalArgumentException(
          "a tridiagonal matrix of order " + m + " needs " + (m - 1) + " off-diagonal elements");
    }
    double[] d = diagonal.clone();
    double[] e = new double[m];
    System.arraycopy(offDiagonal, 0, e, 0, Math.max(0, m - 1));
    double[] z = new double[m * m];
    for (int i = 0; i < m; i++) {
      z[i * m + i] = 1.0;
    }
    implicitQl(d, e, z, m);
    return sorted(d, z, m);
  }

  // H ← P·H·P with Householder reflections P = I − β·u·uᵀ that zero column k below the
  // subdiagonal; Z accumulates the product of the P's so that A = Z·T·Zᵀ.
  private static void tridiagonalize(double[] h, double[] z, int m, double[] d, double[] e) {
    double[] u = new double[m];
    double[] p = new double[m];
    for (int k = 0; k + 2 < m; k++) {
      double scale = 0.0;
      for (int i = k + 1; i < m; i++) {
        scale = Math.max(scale, Math.abs(h[i * m + k]));
      }
      if (scale == 0.0) {
        continue;
      }
      double sigma = 0.0;
      for (int i = k + 1; i < m; i++) {
        u[i] = h[i * m + k] / scale;
        sigma += u[i] * u[i];
      }
      double norm = Math.sqrt(sigma);
      // The sign choice avoids cancellation in u[k+1] − alpha.
      double alpha = u[k + 1] > 0 ? -norm : norm;
      u[k + 1] -= alpha;
      double uu = 0.0;
      for (int i = k + 1; i < m; i++) {
        uu += u[i] * u[i];
      }
      if (uu == 0.0) {
        continue;
      }
      double beta = 2.0 / uu;

      // Symmetric rank-2 update H ← H − u·qᵀ − q·uᵀ with p = β·H·u, q = p − (β/2)(uᵀp)·u.
      for (int i = 0; i < m; i++) {
        double s = 0.0;
        for (int j = k + 1; j < m; j++) {
          s += h[i * m + j] * u[j];
        }
        p[i] = beta * s;
      }
      double up = 0.0;
      for (int i = k + 1; i < m; i++) {
        up += u[i] * p[i];
      }
      double half = 0.5 * beta * up;
      for (int i = 0; i < m; i++) {
        double ui = i > k ? u[i] : 0.0;
        p[i] -= half * ui;
      }
      for (int i = 0; i < m; i++) {
        double ui = i > k ? u[i] : 0.0;
        for (int j = 0; j < m; j++) {
          double uj = j > k ? u[j] : 0.0;
          h[i * m + j] -= ui * p[j] + p[i] * uj;
        }
      }
      // The reflection makes column k exactly (…, alpha·scale, 0, …, 0): store it so.
      h[(k + 1) * m + k] = alpha * scale;
      h[k * m + k + 1] = alpha * scale;
      for (int i = k + 2; i < m; i++) {
        h[i * m + k] = 0.0;
        h[k * m + i] = 0.0;
      }

      // Z ← Z·P.
      for (int i = 0; i < m; i++) {
        double s = 0.0;
        for (int j = k + 1; j < m; j++) {
          s += z[i * m + j] * u[j];
        }
        s *= beta;
        for (int j = k + 1; j < m; j++) {
          z[i * m + j] -= s * u[j];
        }
      }
    }
    for (int i = 0; i < m; i++) {
      d[i] = h[i * m + i];
      e[i] = i + 1 < m ? h[(i + 1) * m + i] : 0.0;
    }
  }

  // Implicit QL with Wilkinson shifts on the tridiagonal (d, e), e[i] coupling i and i+1; the
  // plane rotations are applied to the columns of z. On return d holds the eigenvalues.
  private static void implicitQl(double[] d, double[] e, double[] z, int m) {
    final double eps = Math.ulp(1.0);
    if (m > 0) {
      e[m - 1] = 0.0;
    }
    for (int l = 0; l < m; l++) {
      int iterations = 0;
      while (true) {
        int end = l;
        while (end < m - 1) {
          double dd = Math.abs(d[end]) + Math.abs(d[end + 1]);
          if (Math.abs(e[end]) <= eps * dd) {
            break;
          }
          end++;
        }
        if (end == l) {
          break;
        }
        if (++iterations > MAX_SWEEPS_PER_VALUE) {
          throw new ArithmeticException(
              "the tridiagonal QL iteration did not converge for eigenvalue " + l + " of " + m);
        }
        double g = (d[l + 1] - d[l]) / (2.0 * e[l]);
        double r = Math.hypot(g, 1.0);
        g = d[end] - d[l] + e[l] / (g + Math.copySign(r, g));
        double s = 1.0;
        double c = 1.0;
        double p = 0.0;
        boolean deflated = false;
        for (int i = end - 1; i >= l; i--) {
          double f = s * e[i];
          double b = c * e[i];
          r = Math.hypot(f, g);
          e[i + 1] = r;
          if (r == 0.0) {
            // An exact zero split the matrix: finish the sweep early.
            d[i + 1] -= p;
            e[end] = 0.0;
            deflated = true;
            break;
          }
          s = f / r;
          c = g / r;
          g = d[i + 1] - p;
          r = (d[i] - g) * s + 2.0 * c * b;
          p = s * r;
          d[i + 1] = g + p;
          g = c * r - b;
          for (int row = 0; row < m; row++) {
            double zi1 = z[row * m + i + 1];
            double zi = z[row * m + i];
            z[row * m + i + 1] = s * zi + c * zi1;
            z[row * m + i] = c * zi - s * zi1;
          }
        }
        if (deflated) {
          continue;
        }
        d[l] -= p;
        e[l] = g;
        e[end] = 0.0;
      }
    }
  }

  private static SymmetricEigen sorted(double[] d, double[] z, int m) {
    Integer[] order = new Integer[m];
    for (int i = 0; i < m; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(d[x], d[y]));
    double[] values = new double[m];
    double[] vectors = new double[m * m];
    for (int j = 0; j < m; j++) {
      int src = order[j];
      values[j] = d[src];
      for (int i = 0; i < m; i++) {
        vectors[i * m + j] = z[i * m + src];
      }
    }
    return new SymmetricEigen(values, vectors);
  }
}
