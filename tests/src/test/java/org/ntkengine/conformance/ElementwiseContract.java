package org.ntkengine.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.backend.UnaryOp;

/** Element-wise operations: Hadamard accumulate, maps, row broadcasts, column sums, axpby. */
public abstract class ElementwiseContract extends BackendContract {

  @ParameterizedTest
  @EnumSource(
      value = Precision.class,
      names = {"FP32", "FP64"})
  void hadamardAccumulateAndOverwrite(Precision p) {
    for (int n : SIZES) {
      int rows = n;
      int cols = n % 5 + 1;
      int len = rows * cols;
      double[] x = roundedTo(p, random(n, len));
      double[] y = roundedTo(p, random(n + 1000, len));
      double[] c0 = roundedTo(p, random(n + 2000, len));
      double[] acc = new double[len];
      double[] over = new double[len];
      for (int i = 0; i < len; i++) {
        acc[i] = c0[i] + 0.5 * x[i] * y[i];
        over[i] = 0.5 * x[i] * y[i];
      }
      try (Matrix mx = upload(x, rows, cols, p);
          Matrix my = upload(y, rows, cols, p);
          Matrix mc = upload(c0, rows, cols, p);
          Matrix mo = backend.allocate(rows, cols, p)) {
        backend.hadamard(0.5, mx, my, 1.0, mc);
        backend.fill(mo, Double.NaN);
        backend.hadamard(0.5, mx, my, 0.0, mo);
        assertArrayEquals(acc, download(mc), tolerance(p, 2), "hadamard accumulate n=" + n);
        assertArrayEquals(over, download(mo), tolerance(p, 2), "hadamard overwrite n=" + n);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Precision.class,
      names = {"FP32", "FP64"})
  void mapsMatchIndependentDefinitions(Precision p) {
    int len = 67;
    double[] x = roundedTo(p, random(5, len));
    for (int i = 0; i < len; i++) {
      x[i] *= 4;
    }
    x[0] = 0.0;
    for (UnaryOp op : UnaryOp.values()) {
      double[] expected = new double[len];
      for (int i = 0; i < len; i++) {
        double v = x[i];
        expected[i] =
            switch (op) {
              case IDENTITY -> v;
              case RELU -> Math.max(v, 0);
              case RELU_DERIVATIVE -> v > 0 ? 1 : 0;
              case ERF -> Erf.erf(v);
              case ERF_DERIVATIVE -> 2 / Math.sqrt(Math.PI) * Math.exp(-v * v);
              case COS -> Math.cos(v);
              case SIN -> Math.sin(v);
            };
      }
      try (Matrix mx = upload(x, len, 1, p);
          Matrix mo = backend.allocate(1, len, p)) {
        backend.map(op, mx, mo);
        assertArrayEquals(expected, download(mo), p.isSingle() ? 1e-6 : 1e-13, "map " + op);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Precision.class,
      names = {"FP32", "FP64"})
  void rowBroadcastAndColumnSums(Precision p) {
    int rows = 13;
    int cols = 17;
    double[] a = roundedTo(p, random(11, rows * cols));
    double[] v = roundedTo(p, random(12, cols));
    double[] sums0 = roundedTo(p, random(13, cols));
    double[] plus = a.clone();
    double[] sums = new double[cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        plus[i * cols + j] += 2.0 * v[j];
        sums[j] += a[i * cols + j];
      }
    }
    for (int j = 0; j < cols; j++) {
      sums[j] = 3.0 * sums[j] - sums0[j];
    }
    try (Matrix ma = upload(a, rows, cols, p);
        Matrix mv = upload(v, 1, cols, p);
        Matrix ms = upload(sums0, cols, 1, p)) {
      backend.columnSums(3.0, ma, -1.0, ms);
      backend.addRowVector(2.0, mv, ma);
      assertArrayEquals(sums, download(ms), tolerance(p, rows) * 4, "column sums");
      assertArrayEquals(plus, download(ma), tolerance(p, 2) * 2, "row broadcast");
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Precision.class,
      names = {"FP32", "FP64"})
  void vectorOperations(Precision p) {
    for (int n : SIZES) {
      double[] x = roundedTo(p, random(n + 50, n));
      double[] y = roundedTo(p, random(n + 60, n));
      double dot = 0;
      double[] axpby = new double[n];
      for (int i = 0; i < n; i++) {
        dot += x[i] * y[i];
        axpby[i] = 2 * x[i] - 0.5 * y[i];
      }
      try (Matrix mx = upload(x, n, 1, p);
          Matrix my = upload(y, n, 1, p)) {
        assertEquals(dot, backend.dot(mx, my), tolerance(p, n), "dot n=" + n);
        assertEquals(Math.sqrt(dot(x, x)), backend.norm(mx), tolerance(p, n), "norm n=" + n);
        backend.axpby(2.0, mx, -0.5, my);
        assertArrayEquals(axpby, download(my), tolerance(p, 2) * 4, "axpby n=" + n);
        backend.axpby(3.0, mx, 0.0, my);
        double[] scaled = new double[n];
        for (int i = 0; i < n; i++) {
          scaled[i] = 3 * x[i];
        }
        assertArrayEquals(scaled, download(my), tolerance(p, 1) * 4, "scale n=" + n);
      }
    }
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @ParameterizedTest
  @EnumSource(
      value = Precision.class,
      names = {"FP32", "FP64"})
  void orthogonalizeRemovesBasisComponents(Precision p) {
    int n = 29;
    // An orthonormal basis of three coordinate-mixing rows, built by hand with Gram-Schmidt.
    double[][] q = new double[3][n];
    for (int r = 0; r < 3; r++) {
      double[] v = random(900 + r, n);
      for (int s = 0; s < r; s++) {
        double c = dot(q[s], v);
        for (int i = 0; i < n; i++) {
          v[i] -= c * q[s][i];
        }
      }
      double norm = Math.sqrt(dot(v, v));
      for (int i = 0; i < n; i++) {
        q[r][i] = v[i] / norm;
      }
    }
    double[] flat = new double[3 * n];
    for (int r = 0; r < 3; r++) {
      System.arraycopy(q[r], 0, flat, r * n, n);
    }
    double[] v = random(950, n);
    try (Matrix basis = upload(flat, 3, n, p);
        Matrix mv = upload(v, n, 1, p);
        Matrix coef = backend.allocate(3, 1, p)) {
      backend.orthogonalize(basis, mv, coef);
      backend.orthogonalize(basis, mv, coef);
      double[] w = download(mv);
      for (int r = 0; r < 3; r++) {
        assertEquals(0.0, dot(q[r], w), p.isSingle() ? 1e-5 : 1e-13, "component along row " + r);
      }
    }
  }
}
