package org.ntkengine.simd;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packed, register-blocked FP64 product C = α·op(A)·op(B) + β·C on row-major arrays, after Goto and
 * van de Geijn ("Anatomy of high-performance matrix multiplication", ACM TOMS 34(3), 2008) and
 * BLIS. A KC×NC panel of op(B) is packed into NR-wide strips and an MC×KC block of op(A) into
 * MR-high strips, both zero-padded, so the micro-kernel reads whole vectors only and never leaves
 * its buffers; edge tiles go through a scratch tile. Accumulation is in FP64 with FMA.
 *
 * <p>Every C element is summed over p in the same order (KC blocks in sequence, p ascending within
 * a block) whichever thread computes its MC×NC tile, so the bits do not depend on the thread count.
 */
final class GemmF64 {
  private static final VectorSpecies<Double> S = VectorShapes.DOUBLES;
  private static final int L = S.length();

  /** Rows of the register block: six broadcasts of A against two vectors of B. */
  static final int MR = 6;

  /** Columns of the register block: two vectors (12 accumulators in all, 15 registers live). */
  static final int NR = 2 * L;

  /** Depth of a packed block: a KC×NR strip of B (32 KiB at 512 bits) stays in the L1 cache. */
  static final int KC = 256;

  /** Rows of a packed block of A: MC×KC doubles (384 KiB) stay in the L2 cache. */
  static final int MC = 192;

  /** Columns of a packed panel of B (8 MiB at most), shared by all threads through L2/L3. */
  static final int NC = 4096;

  private static final ThreadLocal<double[]> A_PACK =
      ThreadLocal.withInitial(() -> new double[MC * KC]);
  private static final ThreadLocal<double[]> EDGE =
      ThreadLocal.withInitial(() -> new double[MR * NR]);

  private GemmF64() {}

  /**
   * C = α·op(A)·op(B) + β·C for m, n, k &gt; 0. With {@code lowerOnly} (C = A·Aᵀ) only the tiles
   * that touch the lower triangle are computed; the caller mirrors them.
   *
   * @param workers the thread pool
   * @param transA whether op(A) = Aᵀ
   * @param transB whether op(B) = Bᵀ
   * @param alpha scale of the product
   * @param a A's array; op(A)[i][p] is a[aOff + i·lda + p], or a[aOff + p·lda + i] transposed
   * @param aOff index of A's element (0, 0)
   * @param lda A's row length
   * @param b B's array, laid out like A
   * @param bOff index of B's element (0, 0)
   * @param ldb B's row length
   * @param beta scale of the old C; 0 overwrites without reading it
   * @param c C's array
   * @param cOff index of C's element (0, 0)
   * @param ldc C's row length
   * @param m rows of C
   * @param n columns of C
   * @param k the inner dimension
   * @param lowerOnly compute only the tiles on or below the diagonal
   */
  static void multiply(
      Workers workers,
      boolean transA,
      boolean transB,
      double alpha,
      double[] a,
      int aOff,
      int lda,
      double[] b,
      int bOff,
      int ldb,
      double beta,
      double[] c,
      int cOff,
      int ldc,
      int m,
      int n,
      int k,
      boolean lowerOnly) {
    double[] bPack = new double[Math.min(KC, k) * roundUp(Math.min(NC, n), NR)];
    int blocks = (m + MC - 1) / MC;
    for (int jc = 0; jc < n; jc += NC) {
      final int jcf = jc;
      final int nc = Math.min(NC, n - jc);
      final int strips = (nc + NR - 1) / NR;
      for (int pc = 0; pc < k; pc += KC) {
        final int pcf = pc;
        final int kc = Math.min(KC, k - pc);
        final double betaStep = pc == 0 ? beta : 1.0;

        // ---- pack the KC×NC panel of op(B), 16 strips per task
        workers.run(
            (strips + 15) / 16,
            t -> {
              for (int s = t * 16; s < Math.min(strips, t * 16 + 16); s++) {
                packB(transB, b, bOff, ldb, pcf, kc, jcf, nc, s, bPack);
              }
            });

        // ---- one task per MC-row block of C, heaviest (lowest) blocks first for the triangle
        workers.run(
            blocks,
            t -> {
              int ic = (blocks - 1 - t) * MC;
              int mc = Math.min(MC, m - ic);
              if (lowerOnly && ic + mc - 1 < jcf) {
                return;
              }
              double[] aPack = A_PACK.get();
              packA(transA, a, aOff, lda, ic, mc, pcf, kc, aPack);
              macroKernel(
                  aPack, bPack, kc, c, cOff, ldc, ic, mc, jcf, nc, alpha, betaStep, lowerOnly);
            });
      }
    }
  }

  private static int roundUp(int x, int unit) {
    return (x + unit - 1) / unit * unit;
  }

  private static void packB(
      boolean transB,
      double[] b,
      int bOff,
      int ldb,
      int pc,
      int kc,
      int jc,
      int nc,
      int s,
      double[] bp) {
    int j0 = jc + s * NR;
    int w = Math.min(NR, nc - s * NR);
    int base = s * kc * NR;
    if (!transB) {
      for (int p = 0; p < kc; p++) {
        System.arraycopy(b, bOff + (pc + p) * ldb + j0, bp, base + p * NR, w);
      }
    } else {
      for (int j = 0; j < w; j++) {
        int src = bOff + (j0 + j) * ldb + pc;
        for (int p = 0; p < kc; p++) {
          bp[base + p * NR + j] = b[src + p];
        }
      }
    }
    if (w < NR) {
      for (int p = 0; p < kc; p++) {
        Arrays.fill(bp, base + p * NR + w, base + (p + 1) * NR, 0.0);
      }
    }
  }

  private static void packA(
      boolean transA, double[] a, int aOff, int lda, int ic, int mc, int pc, int kc, double[] ap) {
    for (int i0 = 0; i0 < mc; i0 += MR) {
      int h = Math.min(MR, mc - i0);
      int base = i0 * kc;
      if (!transA) {
        for (int r = 0; r < h; r++) {
          int src = aOff + (ic + i0 + r) * lda + pc;
          for (int p = 0; p < kc; p++) {
            ap[base + p * MR + r] = a[src + p];
          }
        }
      } else {
        for (int p = 0; p < kc; p++) {
          System.arraycopy(a, aOff + (pc + p) * lda + ic + i0, ap, base + p * MR, h);
        }
      }
      if (h < MR) {
        for (int p = 0; p < kc; p++) {
          Arrays.fill(ap, base + p * MR + h, base + (p + 1) * MR, 0.0);
        }
      }
    }
  }

  private static void macroKernel(
      double[] ap,
      double[] bp,
      int kc,
      double[] c,
      int cOff,
      int ldc,
      int ic,
      int mc,
      int jc,
      int nc,
      double alpha,
      double beta,
      boolean lowerOnly) {
    // B's strip is the outer loop so its KC×NR values stay in L1 while A's block streams from L2.
    for (int j0 = 0; j0 < nc; j0 += NR) {
      int w = Math.min(NR, nc - j0);
      if (lowerOnly && jc + j0 > ic + mc - 1) {
        return;
      }
      for (int i0 = 0; i0 < mc; i0 += MR) {
        int h = Math.min(MR, mc - i0);
        if (lowerOnly && jc + j0 > ic + i0 + h - 1) {
          continue;
        }
        kernel(
            kc,
            ap,
            i0 * kc,
            bp,
            j0 * kc,
            c,
            cOff + (ic + i0) * ldc + jc + j0,
            ldc,
            h,
            w,
            alpha,
            beta);
      }
    }
  }

  private static void kernel(
      int kc,
      double[] ap,
      int ai,
      double[] bp,
      int bi,
      double[] c,
      int ci,
      int ldc,
      int h,
      int w,
      double alpha,
      double beta) {
    DoubleVector c00 = DoubleVector.zero(S);
    DoubleVector c01 = DoubleVector.zero(S);
    DoubleVector c10 = DoubleVector.zero(S);
    DoubleVector c11 = DoubleVector.zero(S);
    DoubleVector c20 = DoubleVector.zero(S);
    DoubleVector c21 = DoubleVector.zero(S);
    DoubleVector c30 = DoubleVector.zero(S);
    DoubleVector c31 = DoubleVector.zero(S);
    DoubleVector c40 = DoubleVector.zero(S);
    DoubleVector c41 = DoubleVector.zero(S);
    DoubleVector c50 = DoubleVector.zero(S);
    DoubleVector c51 = DoubleVector.zero(S);
    for (int p = 0; p < kc; p++) {
      DoubleVector b0 = DoubleVector.fromArray(S, bp, bi);
      DoubleVector b1 = DoubleVector.fromArray(S, bp, bi + L);
      DoubleVector x = DoubleVector.broadcast(S, ap[ai]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = DoubleVector.broadcast(S, ap[ai + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = DoubleVector.broadcast(S, ap[ai + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = DoubleVector.broadcast(S, ap[ai + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = DoubleVector.broadcast(S, ap[ai + 4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = DoubleVector.broadcast(S, ap[ai + 5]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
      ai += MR;
      bi += NR;
    }

    if (h == MR && w == NR) {
      store(c00, c, ci, alpha, beta);
      store(c01, c, ci + L, alpha, beta);
      store(c10, c, ci + ldc, alpha, beta);
      store(c11, c, ci + ldc + L, alpha, beta);
      store(c20, c, ci + 2 * ldc, alpha, beta);
      store(c21, c, ci + 2 * ldc + L, alpha, beta);
      store(c30, c, ci + 3 * ldc, alpha, beta);
      store(c31, c, ci + 3 * ldc + L, alpha, beta);
      store(c40, c, ci + 4 * ldc, alpha, beta);
      store(c41, c, ci + 4 * ldc + L, alpha, beta);
      store(c50, c, ci + 5 * ldc, alpha, beta);
      store(c51, c, ci + 5 * ldc + L, alpha, beta);
      return;
    }

    // Edge tile: spill the block, then merge the part inside C with the same roundings as store.
    double[] t = EDGE.get();
    c00.intoArray(t, 0);
    c01.intoArray(t, L);
    c10.intoArray(t, NR);
    c11.intoArray(t, NR + L);
    c20.intoArray(t, 2 * NR);
    c21.intoArray(t, 2 * NR + L);
    c30.intoArray(t, 3 * NR);
    c31.intoArray(t, 3 * NR + L);
    c40.intoArray(t, 4 * NR);
    c41.intoArray(t, 4 * NR + L);
    c50.intoArray(t, 5 * NR);
    c51.intoArray(t, 5 * NR + L);
    for (int r = 0; r < h; r++) {
      for (int j = 0; j < w; j++) {
        int idx = ci + r * ldc + j;
        double v = alpha * t[r * NR + j];
        c[idx] = beta == 0.0 ? v : v + beta * c[idx];
      }
    }
  }

  private static void store(DoubleVector acc, double[] c, int ci, double alpha, double beta) {
    DoubleVector v = acc.mul(alpha);
    if (beta != 0.0) {
      v = v.add(DoubleVector.fromArray(S, c, ci).mul(beta));
    }
    v.intoArray(c, ci);
  }
}
