package org.ntkengine.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * FP64 matrix-vector products y = α·A·x + β·y and y = α·Aᵀ·x + β·y on row-major arrays, where
 * packing would cost as much as the product itself. Both are memory-bound: A is read once, in
 * order, four rows at a time, so that each core keeps four streams of A in flight and x (or the
 * partial y) is read once per four rows. Lanczos on a dense Θ spends most of its time here.
 *
 * <p>The work is cut by the shape alone (row chunks of y, depth chunks of A with their partial sums
 * added in chunk order), never by the thread count, so the bits do not depend on it. Lanes are
 * summed in index order through an array: a lane reduction may be ordered differently by the
 * interpreter and by compiled code. GemvF32 is the same code in the other precision: the Vector API
 * has no precision-generic form that C2 compiles as tightly.
 */
final class GemvF64 {
  private static final VectorSpecies<Double> S = VectorShapes.DOUBLES;
  private static final int L = S.length();

  /** Outputs of A·x per task. */
  static final int ROWS = 256;

  /** Rows of A per task of Aᵀ·x at least; each task adds into its own partial y. */
  static final int DEPTH = 256;

  /** Partial y vectors of Aᵀ·x at most, which bounds its scratch at 32·m values. */
  static final int MAX_PARTIALS = 32;

  /**
   * Columns of Aᵀ·x per task: with few rows of A (a handful of basis vectors against a long one)
   * the depth chunks alone would leave one task.
   */
  static final int COLS = 2048;

  private GemvF64() {}

  /**
   * y = α·op(A)·x + β·y for x of k and y of m contiguous values, β = 0 leaving y unread; A is m×k,
   * or k×m when transposed, with row length lda.
   */
  static void multiply(
      Workers workers,
      boolean transA,
      double alpha,
      double[] a,
      int aOff,
      int lda,
      double[] x,
      int xOff,
      double beta,
      double[] y,
      int yOff,
      int m,
      int k) {
    double[] sums =
        transA
            ? transposedSums(workers, a, aOff, lda, x, xOff, m, k)
            : rowSums(workers, a, aOff, lda, x, xOff, m, k);
    for (int i = 0; i < m; i++) {
      double v = alpha * sums[i];
      y[yOff + i] = beta == 0.0 ? v : v + beta * y[yOff + i];
    }
  }

  /** A·x for A m×k: one task per ROWS outputs. */
  private static double[] rowSums(
      Workers workers, double[] a, int aOff, int lda, double[] x, int xOff, int m, int k) {
    double[] sums = new double[m];
    workers.run(
        (m + ROWS - 1) / ROWS,
        t -> {
          int hi = Math.min(m, t * ROWS + ROWS);
          int i = t * ROWS;
          double[] lanes = new double[4 * L];
          for (; i + 4 <= hi; i += 4) {
            dot4(a, aOff + i * lda, lda, x, xOff, k, lanes, sums, i);
          }
          for (; i < hi; i++) {
            sums[i] = dot1(a, aOff + i * lda, x, xOff, k, lanes);
          }
        });
    return sums;
  }

  /**
   * Aᵀ·x for A k×m: depth chunks of A (a multiple of four rows), each adding into its own partial
   * sums, added in order; each chunk is cut into stripes of COLS columns, one task each.
   */
  private static double[] transposedSums(
      Workers workers, double[] a, int aOff, int lda, double[] x, int xOff, int m, int k) {
    int parts = Math.min(MAX_PARTIALS, (k + DEPTH - 1) / DEPTH);
    int depth = ((k + parts - 1) / parts + 3) / 4 * 4;
    int count = (k + depth - 1) / depth;
    int stripes = (m + COLS - 1) / COLS;
    double[] partial = new double[count * m];
    workers.run(
        count * stripes,
        t -> {
          int chunk = t / stripes;
          int j0 = t % stripes * COLS;
          int w = Math.min(COLS, m - j0);
          int p = chunk * depth;
          int end = Math.min(k, p + depth);
          int base = chunk * m + j0;
          for (; p + 4 <= end; p += 4) {
            axpy4(a, aOff + p * lda + j0, lda, x, xOff + p, partial, base, w);
          }
          for (; p < end; p++) {
            axpy1(a, aOff + p * lda + j0, x[xOff + p], partial, base, w);
          }
        });
    double[] sums = new double[m];
    for (int j = 0; j < m; j++) {
      double s = partial[j];
      for (int t = 1; t < count; t++) {
        s += partial[t * m + j];
      }
      sums[j] = s;
    }
    return sums;
  }

  /** sums[i..i+3] = rows i..i+3 of A (from a[r0], row length lda) times x, lanes in order. */
  private static void dot4(
      double[] a,
      int r0,
      int lda,
      double[] x,
      int xo,
      int k,
      double[] lanes,
      double[] sums,
      int i) {
    DoubleVector s0 = DoubleVector.zero(S);
    DoubleVector s1 = DoubleVector.zero(S);
    DoubleVector s2 = DoubleVector.zero(S);
    DoubleVector s3 = DoubleVector.zero(S);
    int r1 = r0 + lda;
    int r2 = r1 + lda;
    int r3 = r2 + lda;
    int bound = S.loopBound(k);
    int p = 0;
    for (; p < bound; p += L) {
      DoubleVector xv = DoubleVector.fromArray(S, x, xo + p);
      s0 = DoubleVector.fromArray(S, a, r0 + p).fma(xv, s0);
      s1 = DoubleVector.fromArray(S, a, r1 + p).fma(xv, s1);
      s2 = DoubleVector.fromArray(S, a, r2 + p).fma(xv, s2);
      s3 = DoubleVector.fromArray(S, a, r3 + p).fma(xv, s3);
    }
    s0.intoArray(lanes, 0);
    s1.intoArray(lanes, L);
    s2.intoArray(lanes, 2 * L);
    s3.intoArray(lanes, 3 * L);
    for (int r = 0; r < 4; r++) {
      double s = 0.0;
      for (int l = 0; l < L; l++) {
        s += lanes[r * L + l];
      }
      for (int q = bound; q < k; q++) {
        s = Math.fma(a[r0 + r * lda + q], x[xo + q], s);
      }
      sums[i + r] = s;
    }
  }

  /** One row of A (from a[r0]) times x, summed like one row of {@link #dot4}. */
  private static double dot1(double[] a, int r0, double[] x, int xo, int k, double[] lanes) {
    DoubleVector s0 = DoubleVector.zero(S);
    int bound = S.loopBound(k);
    int p = 0;
    for (; p < bound; p += L) {
      s0 = DoubleVector.fromArray(S, a, r0 + p).fma(DoubleVector.fromArray(S, x, xo + p), s0);
    }
    s0.intoArray(lanes, 0);
    double s = 0.0;
    for (int l = 0; l < L; l++) {
      s += lanes[l];
    }
    for (; p < k; p++) {
      s = Math.fma(a[r0 + p], x[xo + p], s);
    }
    return s;
  }

  /**
   * y[yo..yo+m) += x0·A[r0] + x1·A[r0+lda] + x2·… + x3·…, added in that order, A rows of m values.
   */
  private static void axpy4(
      double[] a, int r0, int lda, double[] x, int xo, double[] y, int yo, int m) {
    double x0 = x[xo];
    double x1 = x[xo + 1];
    double x2 = x[xo + 2];
    double x3 = x[xo + 3];
    DoubleVector v0 = DoubleVector.broadcast(S, x0);
    DoubleVector v1 = DoubleVector.broadcast(S, x1);
    DoubleVector v2 = DoubleVector.broadcast(S, x2);
    DoubleVector v3 = DoubleVector.broadcast(S, x3);
    int r1 = r0 + lda;
    int r2 = r1 + lda;
    int r3 = r2 + lda;
    int bound = S.loopBound(m);
    int j = 0;
    for (; j < bound; j += L) {
      DoubleVector acc = DoubleVector.fromArray(S, y, yo + j);
      acc = DoubleVector.fromArray(S, a, r0 + j).fma(v0, acc);
      acc = DoubleVector.fromArray(S, a, r1 + j).fma(v1, acc);
      acc = DoubleVector.fromArray(S, a, r2 + j).fma(v2, acc);
      acc = DoubleVector.fromArray(S, a, r3 + j).fma(v3, acc);
      acc.intoArray(y, yo + j);
    }
    for (; j < m; j++) {
      double acc = y[yo + j];
      acc = Math.fma(a[r0 + j], x0, acc);
      acc = Math.fma(a[r1 + j], x1, acc);
      acc = Math.fma(a[r2 + j], x2, acc);
      acc = Math.fma(a[r3 + j], x3, acc);
      y[yo + j] = acc;
    }
  }

  /** y[yo..yo+m) += s·A[r0], A's row of m values. */
  private static void axpy1(double[] a, int r0, double s, double[] y, int yo, int m) {
    DoubleVector sv = DoubleVector.broadcast(S, s);
    int bound = S.loopBound(m);
    int j = 0;
    for (; j < bound; j += L) {
      DoubleVector.fromArray(S, a, r0 + j)
          .fma(sv, DoubleVector.fromArray(S, y, yo + j))
          .intoArray(y, yo + j);
    }
    for (; j < m; j++) {
      y[yo + j] = Math.fma(a[r0 + j], s, y[yo + j]);
    }
  }
}
