package org.ntkengine.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.backend.Transpose;

/** The general product contract C = α·op(A)·op(B) + β·C, all four transpose cases. */
public abstract class GemmContract extends BackendContract {

  @ParameterizedTest
  @EnumSource(
      value = Precision.class,
      names = {"FP32", "FP64"})
  void allTransposesMatchOracle(Precision p) {
    int[] dims = {0, 1, 3, 16, 17, 33};
    for (Transpose ta : Transpose.values()) {
      for (Transpose tb : Transpose.values()) {
        for (int m : dims) {
          for (int n : new int[] {1, 5, 17, 32}) {
            for (int k : new int[] {0, 2, 15, 65}) {
              boolean transA = ta == Transpose.YES;
              boolean transB = tb == Transpose.YES;
              int ar = transA ? k : m;
              int ac = transA ? m : k;
              int br = transB ? n : k;
              int bc = transB ? k : n;
              long seed = ((m * 131L + n) * 137 + k) * 4 + ta.ordinal() * 2 + tb.ordinal();
              double[] a = roundedTo(p, random(seed, ar * ac));
              double[] b = roundedTo(p, random(seed + 1, br * bc));
              double[] c0 = roundedTo(p, random(seed + 2, m * n));
              double[] expected = Oracle.product(a, ar, ac, transA, b, br, bc, transB);
              for (int i = 0; i < expected.length; i++) {
                expected[i] = 0.75 * expected[i] + 2.0 * c0[i];
              }
              try (Matrix ma = upload(a, ar, ac, p);
                  Matrix mb = upload(b, br, bc, p);
                  Matrix mc = upload(c0, m, n, p)) {
                backend.gemm(ta, tb, 0.75, ma, mb, 2.0, mc);
                assertArrayEquals(
                    expected,
                    download(mc),
                    tolerance(p, k) * 4,
                    () ->
                        "gemm " + ta + "," + tb + " m=" + m + " n=" + n + " k=" + k + " " + p
                            + " seed " + seed);
              }
            }
          }
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Precision.class,
      names = {"FP32", "FP64"})
  void productOverSeveralDepthBlocksMatchesOracle(Precision p) {
    // Large enough to cross the blocking boundaries of a packed kernel: more rows than one row
    // block, more columns than one sweep of a column panel (512 floats, 256 doubles), both ending
    // inside a register tile, and a depth of several blocks ending in an odd remainder; both
    // packing paths (untransposed and transposed operands), β = 0 over a NaN-filled C and β ≠ 0.
    int m = 203;
    int n = 601;
    int k = 1037;
    for (Transpose t : Transpose.values()) {
      boolean tr = t == Transpose.YES;
      double[] a = roundedTo(p, random(71, m * k));
      double[] b = roundedTo(p, random(72, k * n));
      double[] c0 = roundedTo(p, random(73, m * n));
      double[] ab = Oracle.product(a, tr ? k : m, tr ? m : k, tr, b, tr ? n : k, tr ? k : n, tr);
      for (double beta : new double[] {0.0, -1.5}) {
        double[] expected = new double[ab.length];
        for (int i = 0; i < ab.length; i++) {
          expected[i] = 0.75 * ab[i] + beta * c0[i];
        }
        try (Matrix ma = upload(a, tr ? k : m, tr ? m : k, p);
            Matrix mb = upload(b, tr ? n : k, tr ? k : n, p);
            Matrix mc = upload(c0, m, n, p)) {
          if (beta == 0.0) {
            backend.fill(mc, Double.NaN);
          }
          backend.gemm(t, t, 0.75, ma, mb, beta, mc);
          assertArrayEquals(
              expected,
              download(mc),
              tolerance(p, k) * 4,
              () -> "gemm " + t + "," + t + " 203x601x1037 β=" + beta);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Precision.class,
      names = {"FP32", "FP64"})
  void knownProducts(Precision p) {
    // [[1,2,3],[4,5,6]]·[[7,8],[9,10],[11,12]] = [[7+18+33, 8+20+36], [28+45+66, 32+50+72]].
    try (Matrix a = upload(new double[] {1, 2, 3, 4, 5, 6}, 2, 3, p);
        Matrix b = upload(new double[] {7, 8, 9, 10, 11, 12}, 3, 2, p);
        Matrix c = backend.allocate(2, 2, p)) {
      backend.gemm(Transpose.NO, Transpose.NO, 1.0, a, b, 0.0, c);
      assertArrayEquals(new double[] {58, 64, 139, 154}, download(c), 0.0);
    }
    // [[1,2],[3,4],[5,6]]·[1,2] = [1+4, 3+8, 5+12].
    try (Matrix a = upload(new double[] {1, 2, 3, 4, 5, 6}, 3, 2, p);
        Matrix x = upload(new double[] {1, 2}, 2, 1, p);
        Matrix y = backend.allocate(3, 1, p)) {
      backend.fill(y, Double.NaN);
      backend.gemv(Transpose.NO, 1.0, a, x, 0.0, y);
      assertArrayEquals(new double[] {5, 11, 17}, download(y), 0.0);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Precision.class,
      names = {"FP32", "FP64"})
  void rowViewsComputeOnTheirRowsOnly(Precision p) {
    int rows = 37;
    int k = 19;
    double[] a = roundedTo(p, random(77, rows * k));
    double[] b = roundedTo(p, random(78, 9 * k));
    try (Matrix ma = upload(a, rows, k, p);
        Matrix mb = upload(b, 9, k, p);
        Matrix mc = backend.allocate(rows, 9, p)) {
      backend.fill(mc, -3.0);
      try (Matrix va = backend.viewRows(ma, 10, 13);
          Matrix vc = backend.viewRows(mc, 10, 13)) {
        backend.gram(1.0, va, mb, 0.0, vc);
      }
      double[] got = download(mc);
      double[] full = Oracle.product(a, rows, k, false, b, 9, k, true);
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < 9; j++) {
          double want = i >= 10 && i < 23 ? full[i * 9 + j] : -3.0;
          int row = i;
          int col = j;
          org.junit.jupiter.api.Assertions.assertEquals(
              want, got[i * 9 + j], tolerance(p, k), () -> "view row " + row + " col " + col);
        }
      }
    }
  }
}
