package org.ntkengine.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;

/** The Gram assembly contract: C = α·A·Bᵀ + β·C and its symmetric form. */
public abstract class GramContract extends BackendContract {

  @ParameterizedTest
  @EnumSource(
      value = Precision.class,
      names = {"FP32", "FP64"})
  void generalGramMatchesOracleOverSizes(Precision p) {
    for (int m : SIZES) {
      for (int k : new int[] {0, 1, 3, 16, 17, 33, 64, 65}) {
        int n = (m * 7 + 3) % 41;
        long seed = 1000L * m + k;
        double[] a = roundedTo(p, random(seed, m * k));
        double[] b = roundedTo(p, random(seed + 7919, n * k));
        double[] c0 = roundedTo(p, random(seed + 104729, m * n));
        double alpha = 1.5;
        double beta = -0.5;
        double[] expected = Oracle.product(a, m, k, false, b, n, k, true);
        for (int i = 0; i < expected.length; i++) {
          expected[i] = alpha * expected[i] + beta * c0[i];
        }
        try (Matrix ma = upload(a, m, k, p);
            Matrix mb = upload(b, n, k, p);
            Matrix mc = upload(c0, m, n, p)) {
          backend.gram(alpha, ma, mb, beta, mc);
          assertArrayEquals(
              expected,
              download(mc),
              tolerance(p, k) * 2,
              () -> "gram " + m + "x" + n + " over " + k + ", " + p + ", seed " + seed);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Precision.class,
      names = {"FP32", "FP64"})
  void symmetricGramEqualsGeneralAndIsExactlySymmetric(Precision p) {
    for (int n : SIZES) {
      for (int k : new int[] {1, 5, 16, 17, 70}) {
        long seed = 31L * n + k;
        double[] a = roundedTo(p, random(seed, n * k));
        double[] expected = Oracle.product(a, n, k, false, a, n, k, true);
        try (Matrix ma = upload(a, n, k, p);
            Matrix mc = backend.allocate(n, n, p)) {
          backend.fill(mc, Double.NaN);
          backend.gramSymmetric(1.0, ma, 0.0, mc);
          double[] got = download(mc);
          assertArrayEquals(
              expected,
              got,
              tolerance(p, k),
              () -> "symmetric gram n=" + n + " k=" + k + " seed " + seed);
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
              assertEquals(
                  got[i * n + j], got[j * n + i], 0.0, "not exactly symmetric at " + i + "," + j);
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
  void knownGramOfTwoRows(Precision p) {
    // J = [[1,2,3],[4,5,6]]: J·Jᵀ = [[1+4+9, 4+10+18], [.., 16+25+36]] = [[14,32],[32,77]].
    try (Matrix j = upload(new double[] {1, 2, 3, 4, 5, 6}, 2, 3, p);
        Matrix c = backend.allocate(2, 2, p);
        Matrix c2 = backend.allocate(2, 2, p)) {
      backend.gramSymmetric(1.0, j, 0.0, c);
      assertArrayEquals(new double[] {14, 32, 32, 77}, download(c), 0.0);
      backend.gram(1.0, j, j, 0.0, c2);
      assertArrayEquals(new double[] {14, 32, 32, 77}, download(c2), 0.0);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Precision.class,
      names = {"FP32", "FP64"})
  void onesGramIsAllFours(Precision p) {
    try (Matrix a = upload(new double[] {1, 1, 1, 1, 1, 1, 1, 1}, 2, 4, p);
        Matrix c = backend.allocate(2, 2, p)) {
      backend.gram(1.0, a, a, 0.0, c);
      assertArrayEquals(new double[] {4, 4, 4, 4}, download(c), 0.0);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Precision.class,
      names = {"FP32", "FP64"})
  void innerDimensionZeroGivesExactZerosWhateverCHeld(Precision p) {
    try (Matrix j = backend.allocate(3, 0, p);
        Matrix c = backend.allocate(3, 3, p);
        Matrix c2 = backend.allocate(3, 3, p)) {
      backend.fill(c, Double.NaN);
      backend.fill(c2, 7.0);
      backend.gramSymmetric(1.0, j, 0.0, c);
      backend.gram(1.0, j, j, 0.0, c2);
      assertArrayEquals(new double[9], download(c), 0.0);
      assertArrayEquals(new double[9], download(c2), 0.0);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Precision.class,
      names = {"FP32", "FP64"})
  void betaZeroOverwritesNaN(Precision p) {
    // A·Iᵀ = A exactly, and the NaN in C must not leak through β = 0.
    try (Matrix a = upload(new double[] {1, 2, 3, 4}, 2, 2, p);
        Matrix id = upload(new double[] {1, 0, 0, 1}, 2, 2, p);
        Matrix c = backend.allocate(2, 2, p)) {
      backend.fill(c, Double.NaN);
      backend.gram(1.0, a, id, 0.0, c);
      assertArrayEquals(new double[] {1, 2, 3, 4}, download(c), 0.0);
    }
  }

  @Test
  void cancellationInFp32IsDeterministic() {
    // 1e8 + 1 − 1e8 + 1 = 2 exactly in float64. In float32 1e8 + 1 rounds to 1e8, so an order
    // that adds the large terms first gives 1 (left to right) or 0 (pairs (1e8 + 1) and
    // (−1e8 + 1)); any other value is a wrong product, and the value must not change between runs.
    double[] x = {1e4, 1, -1e4, 1};
    double[] y = {1e4, 1, 1e4, 1};
    double first;
    try (Matrix a = upload(x, 1, 4, Precision.FP32);
        Matrix b = upload(y, 1, 4, Precision.FP32);
        Matrix c = backend.allocate(1, 1, Precision.FP32)) {
      backend.gram(1.0, a, b, 0.0, c);
      first = download(c)[0];
      double value = first;
      assertTrue(value == 0.0 || value == 1.0 || value == 2.0, () -> "cancellation gave " + value);
      for (int run = 0; run < 5; run++) {
        backend.gram(1.0, a, b, 0.0, c);
        assertEquals(first, download(c)[0], 0.0, "result changed between runs");
      }
    }
    assertExactCancellation(first);
  }

  /**
   * Backends that accumulate in float64 give exactly 2; others assert their documented order.
   *
   * @param value the computed value
   */
  protected void assertExactCancellation(double value) {}

  @Test
  void mismatchedShapesNameBothShapes() {
    try (Matrix a = backend.allocate(2, 3, Precision.FP64);
        Matrix b = backend.allocate(2, 4, Precision.FP64);
        Matrix c = backend.allocate(2, 2, Precision.FP64)) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> backend.gram(1, a, b, 0, c));
      assertEquals(
          true, e.getMessage().contains("2x3") && e.getMessage().contains("2x4"), e.getMessage());
    }
  }
}
