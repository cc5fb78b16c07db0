package org.ntkengine.simd;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packed, register-blocked FP32 product C = α·op(A)·op(B) + β·C on row-major arrays, after Goto and
 * van de Geijn ("Anatomy of high-performance matrix multiplication", ACM TOMS 34(3), 2008) and
 * BLIS. A KC×NC panel of op(B) is packed into NR-wide strips and an MC×KC block of op(A) into
 * MR-high strips, both zero-padded, so the micro-kernel reads whole vectors only and never leaves
 * its buffers; tiles go through a per-thread sweep buffer, so edges need no special kernel.
 * Accumulation is in FP32 with FMA.
 *
 * <p>Every C element is summed over p in the same order (KC blocks in sequence, p ascending within
 * a block) whichever task computes it and however the rows are split into tasks, so the bits do not
 * depend on the thread count.
 */
final class GemmF32 {
  private static final VectorSpecies<Float> S = VectorShapes.FLOATS;
  private static final int L = S.length();

  /** Rows of the register block: twelve broadcasts of A against two vectors of B. */
  static final int MR = 12;

  /**
   * Columns of the register block: two vectors (24 accumulators, 27 of the 32 registers live). Two
   * FMAs per broadcast; 12 rows rather than 6 halve the B loads per FMA.
   */
  static final int NR = 2 * L;

  /**
   * Depth of a packed block: a 12×KC strip of A (24 KiB) stays in the L1 cache while it runs along
   * the B panel; fewer KC blocks also mean fewer passes over C.
   */
  static final int KC = 512;

  /** Rows of a packed block of A (MC×KC floats, 384 KiB), the unit of work of one task. */
  static final int MC = 192;

  /** Columns of a packed panel of B (8 MiB at most), shared by all threads through L3. */
  static final int NC = 4096;

  /**
   * Columns of C per sweep, a multiple of NR: the KC×NS floats (1 MiB) of B they read stays in the
   * L2 cache.
   */
  static final int NS = 512;

  private static final ThreadLocal<float[]> A_PACK =
      ThreadLocal.withInitial(() -> new float[MC * KC]);
  private static final ThreadLocal<float[]> TILE =
      ThreadLocal.withInitial(() -> new float[MR * NS]);

  static {
    // The buffer sizes rely on these: a sweep holds whole tiles, a row block whole strips, and a
    // depth block padded to even still fits the A buffer.
    if (NS % NR != 0 || MC % MR != 0 || KC % 2 != 0) {
      throw new IllegalStateException(
          "GemmF32 blocking: NS=" + NS + " NR=" + NR + " MC=" + MC + " MR=" + MR + " KC=" + KC);
    }
  }

  private GemmF32() {}

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
      float alpha,
      float[] a,
      int aOff,
      int lda,
      float[] b,
      int bOff,
      int ldb,
      float beta,
      float[] c,
      int cOff,
      int ldc,
      int m,
      int n,
      int k,
      boolean lowerOnly) {
    float[] bPack = new float[roundUp(Math.min(KC, k), 2) * roundUp(Math.min(NC, n), NR)];
    // Row blocks of whole MR strips, at most MC rows each, as many as a multiple of the thread
    // count and as equal as the strips allow, so that no thread waits long at the end of a depth
    // block. Which task computes a row does not change its bits (see the class comment).
    int rowStrips = (m + MR - 1) / MR;
    int fewest = (rowStrips + MC / MR - 1) / (MC / MR);
    int blocks = Math.min(rowStrips, roundUp(fewest, workers.threads()));
    for (int jc = 0; jc < n; jc += NC) {
      final int jcf = jc;
      final int nc = Math.min(NC, n - jc);
      final int strips = (nc + NR - 1) / NR;
      for (int pc = 0; pc < k; pc += KC) {
        final int pcf = pc;
        final int kc = Math.min(KC, k - pc);
        // The kernel takes two depth steps at a time: an odd block gets one zero step (which
        // turns an accumulated -0.0 into +0.0, nothing else).
        final int kp = roundUp(kc, 2);
        final float betaStep = pc == 0 ? beta : 1f;

        // ---- pack the KC×NC panel of op(B), 16 strips per task
        workers.run(
            (strips + 15) / 16,
            t -> {
              for (int s = t * 16; s < Math.min(strips, t * 16 + 16); s++) {
                packB(transB, b, bOff, ldb, pcf, kc, kp, jcf, nc, s, bPack);
              }
            });

        // ---- one task per row block of C, heaviest (lowest) blocks first for the triangle
        workers.run(
            blocks,
            t -> {
              int block = blocks - 1 - t;
              int ic = (int) ((long) block * rowStrips / blocks) * MR;
              int mc = Math.min(m, (int) ((long) (block + 1) * rowStrips / blocks) * MR) - ic;
              if (lowerOnly && ic + mc - 1 < jcf) {
                return;
              }
              float[] aPack = A_PACK.get();
              packA(transA, a, aOff, lda, ic, mc, pcf, kc, kp, aPack);
              macroKernel(
                  aPack, bPack, kp, c, cOff, ldc, ic, mc, jcf, nc, alpha, betaStep, lowerOnly);
            });
      }
    }
  }

  private static int roundUp(int x, int unit) {
    return (x + unit - 1) / unit * unit;
  }

  private static void packB(
      boolean transB,
      float[] b,
      int bOff,
      int ldb,
      int pc,
      int kc,
      int kp,
      int jc,
      int nc,
      int s,
      float[] bp) {
    int j0 = jc + s * NR;
    int w = Math.min(NR, nc - s * NR);
    int base = s * kp * NR;
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
        Arrays.fill(bp, base + p * NR + w, base + (p + 1) * NR, 0f);
      }
    }
    Arrays.fill(bp, base + kc * NR, base + kp * NR, 0f);
  }

  private static void packA(
      boolean transA,
      float[] a,
      int aOff,
      int lda,
      int ic,
      int mc,
      int pc,
      int kc,
      int kp,
      float[] ap) {
    for (int i0 = 0; i0 < mc; i0 += MR) {
      int h = Math.min(MR, mc - i0);
      int base = i0 * kp;
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
          Arrays.fill(ap, base + p * MR + h, base + (p + 1) * MR, 0f);
        }
      }
      Arrays.fill(ap, base + kc * MR, base + kp * MR, 0f);
    }
  }

  private static void macroKernel(
      float[] ap,
      float[] bp,
      int kp,
      float[] c,
      int cOff,
      int ldc,
      int ic,
      int mc,
      int jc,
      int nc,
      float alpha,
      float beta,
      boolean lowerOnly) {
    // Sweeps of NS columns: the KC×NS part of the B panel stays in L2 while each MR×KC strip
    // of A (in L1) runs along it, the tiles collecting in the sweep buffer; C is then merged a
    // sweep at a time, in runs along its rows that the hardware prefetcher follows.
    // B-strip-outer order (B in L1, A from L2) spent a third of its time on C misses.
    float[] t = TILE.get();
    for (int js = 0; js < nc; js += NS) {
      int jsEnd = Math.min(nc, js + NS);
      if (lowerOnly && jc + js > ic + mc - 1) {
        return;
      }
      for (int i0 = 0; i0 < mc; i0 += MR) {
        int h = Math.min(MR, mc - i0);
        int j0 = js;
        for (; j0 < jsEnd; j0 += NR) {
          if (lowerOnly && jc + j0 > ic + i0 + h - 1) {
            break;
          }
          kernel(kp, ap, i0 * kp, bp, j0 * kp, t, j0 - js);
        }
        int w = Math.min(j0, jsEnd) - js;
        merge(t, c, cOff + (ic + i0) * ldc + jc + js, ldc, h, w, alpha, beta);
      }
    }
  }

  /**
   * The micro-kernel: the MR×NR tile (MR×kp strip of A)·(kp×NR strip of B), written into the sweep
   * buffer t at ti with row length NS. It does nothing else, so that C2 compiles it the same way
   * every time: with C's scaling, stride and edges in here as well, some compilations boxed an
   * accumulator on every depth step and ran at half speed. The depth loop takes two steps per
   * iteration with constant offsets from one base index; with one step per iteration the integer
   * instructions for indices and bounds checks took FMA port slots (measured in isolation in FP32:
   * 140–160 GFLOP/s on one core of an AVX-512 host against 163–179 for two steps).
   */
  private static void kernel(int kp, float[] ap, int ai, float[] bp, int bi, float[] t, int ti) {
    FloatVector c000 = FloatVector.zero(S);
    FloatVector c001 = FloatVector.zero(S);
    FloatVector c010 = FloatVector.zero(S);
    FloatVector c011 = FloatVector.zero(S);
    FloatVector c020 = FloatVector.zero(S);
    FloatVector c021 = FloatVector.zero(S);
    FloatVector c030 = FloatVector.zero(S);
    FloatVector c031 = FloatVector.zero(S);
    FloatVector c040 = FloatVector.zero(S);
    FloatVector c041 = FloatVector.zero(S);
    FloatVector c050 = FloatVector.zero(S);
    FloatVector c051 = FloatVector.zero(S);
    FloatVector c060 = FloatVector.zero(S);
    FloatVector c061 = FloatVector.zero(S);
    FloatVector c070 = FloatVector.zero(S);
    FloatVector c071 = FloatVector.zero(S);
    FloatVector c080 = FloatVector.zero(S);
    FloatVector c081 = FloatVector.zero(S);
    FloatVector c090 = FloatVector.zero(S);
    FloatVector c091 = FloatVector.zero(S);
    FloatVector c100 = FloatVector.zero(S);
    FloatVector c101 = FloatVector.zero(S);
    FloatVector c110 = FloatVector.zero(S);
    FloatVector c111 = FloatVector.zero(S);
    for (int p = 0; p < kp; p += 2) {
      int a = ai + p * MR;
      int b = bi + p * NR;
      FloatVector b0 = FloatVector.fromArray(S, bp, b);
      FloatVector b1 = FloatVector.fromArray(S, bp, b + L);
      FloatVector x = FloatVector.broadcast(S, ap[a]);
      c000 = x.fma(b0, c000);
      c001 = x.fma(b1, c001);
      x = FloatVector.broadcast(S, ap[a + 1]);
      c010 = x.fma(b0, c010);
      c011 = x.fma(b1, c011);
      x = FloatVector.broadcast(S, ap[a + 2]);
      c020 = x.fma(b0, c020);
      c021 = x.fma(b1, c021);
      x = FloatVector.broadcast(S, ap[a + 3]);
      c030 = x.fma(b0, c030);
      c031 = x.fma(b1, c031);
      x = FloatVector.broadcast(S, ap[a + 4]);
      c040 = x.fma(b0, c040);
      c041 = x.fma(b1, c041);
      x = FloatVector.broadcast(S, ap[a + 5]);
      c050 = x.fma(b0, c050);
      c051 = x.fma(b1, c051);
      x = FloatVector.broadcast(S, ap[a + 6]);
      c060 = x.fma(b0, c060);
      c061 = x.fma(b1, c061);
      x = FloatVector.broadcast(S, ap[a + 7]);
      c070 = x.fma(b0, c070);
      c071 = x.fma(b1, c071);
      x = FloatVector.broadcast(S, ap[a + 8]);
      c080 = x.fma(b0, c080);
      c081 = x.fma(b1, c081);
      x = FloatVector.broadcast(S, ap[a + 9]);
      c090 = x.fma(b0, c090);
      c091 = x.fma(b1, c091);
      x = FloatVector.broadcast(S, ap[a + 10]);
      c100 = x.fma(b0, c100);
      c101 = x.fma(b1, c101);
      x = FloatVector.broadcast(S, ap[a + 11]);
      c110 = x.fma(b0, c110);
      c111 = x.fma(b1, c111);
      b0 = FloatVector.fromArray(S, bp, b + NR);
      b1 = FloatVector.fromArray(S, bp, b + NR + L);
      x = FloatVector.broadcast(S, ap[a + MR]);
      c000 = x.fma(b0, c000);
      c001 = x.fma(b1, c001);
      x = FloatVector.broadcast(S, ap[a + MR + 1]);
      c010 = x.fma(b0, c010);
      c011 = x.fma(b1, c011);
      x = FloatVector.broadcast(S, ap[a + MR + 2]);
      c020 = x.fma(b0, c020);
      c021 = x.fma(b1, c021);
      x = FloatVector.broadcast(S, ap[a + MR + 3]);
      c030 = x.fma(b0, c030);
      c031 = x.fma(b1, c031);
      x = FloatVector.broadcast(S, ap[a + MR + 4]);
      c040 = x.fma(b0, c040);
      c041 = x.fma(b1, c041);
      x = FloatVector.broadcast(S, ap[a + MR + 5]);
      c050 = x.fma(b0, c050);
      c051 = x.fma(b1, c051);
      x = FloatVector.broadcast(S, ap[a + MR + 6]);
      c060 = x.fma(b0, c060);
      c061 = x.fma(b1, c061);
      x = FloatVector.broadcast(S, ap[a + MR + 7]);
      c070 = x.fma(b0, c070);
      c071 = x.fma(b1, c071);
      x = FloatVector.broadcast(S, ap[a + MR + 8]);
      c080 = x.fma(b0, c080);
      c081 = x.fma(b1, c081);
      x = FloatVector.broadcast(S, ap[a + MR + 9]);
      c090 = x.fma(b0, c090);
      c091 = x.fma(b1, c091);
      x = FloatVector.broadcast(S, ap[a + MR + 10]);
      c100 = x.fma(b0, c100);
      c101 = x.fma(b1, c101);
      x = FloatVector.broadcast(S, ap[a + MR + 11]);
      c110 = x.fma(b0, c110);
      c111 = x.fma(b1, c111);
    }
    c000.intoArray(t, ti + 0 * NS);
    c001.intoArray(t, ti + 0 * NS + L);
    c010.intoArray(t, ti + 1 * NS);
    c011.intoArray(t, ti + 1 * NS + L);
    c020.intoArray(t, ti + 2 * NS);
    c021.intoArray(t, ti + 2 * NS + L);
    c030.intoArray(t, ti + 3 * NS);
    c031.intoArray(t, ti + 3 * NS + L);
    c040.intoArray(t, ti + 4 * NS);
    c041.intoArray(t, ti + 4 * NS + L);
    c050.intoArray(t, ti + 5 * NS);
    c051.intoArray(t, ti + 5 * NS + L);
    c060.intoArray(t, ti + 6 * NS);
    c061.intoArray(t, ti + 6 * NS + L);
    c070.intoArray(t, ti + 7 * NS);
    c071.intoArray(t, ti + 7 * NS + L);
    c080.intoArray(t, ti + 8 * NS);
    c081.intoArray(t, ti + 8 * NS + L);
    c090.intoArray(t, ti + 9 * NS);
    c091.intoArray(t, ti + 9 * NS + L);
    c100.intoArray(t, ti + 10 * NS);
    c101.intoArray(t, ti + 10 * NS + L);
    c110.intoArray(t, ti + 11 * NS);
    c111.intoArray(t, ti + 11 * NS + L);
  }

  /**
   * C[ci..] = α·t + β·C[ci..] for the first h rows and w columns of the sweep buffer t (row length
   * NS), β = 0 leaving C unread. The kernel leaves a whole sweep of tiles in t and this merges it,
   * so C is read and written in runs of up to NS elements per row rather than two vectors in each
   * of MR rows. It is the only access to C, and C's cache misses make it the largest cost outside
   * the kernel: 7 to 10% of the samples in profiles of a 4096³ product on two threads.
   */
  private static void merge(
      float[] t, float[] c, int ci, int ldc, int h, int w, float alpha, float beta) {
    int wv = w - w % L;
    // Columns outer, rows inner: the first access to each of the h rows of C comes in the first h
    // steps, so their cache misses overlap instead of each row waiting for its own.
    for (int j = 0; j < wv; j += L) {
      for (int r = 0; r < h; r++) {
        int cr = ci + r * ldc + j;
        FloatVector x = FloatVector.fromArray(S, t, r * NS + j).mul(alpha);
        if (beta != 0f) {
          x = x.add(FloatVector.fromArray(S, c, cr).mul(beta));
        }
        x.intoArray(c, cr);
      }
    }
    for (int r = 0; r < h; r++) {
      for (int j = wv; j < w; j++) {
        int cr = ci + r * ldc + j;
        float v = alpha * t[r * NS + j];
        c[cr] = beta == 0f ? v : v + beta * c[cr];
      }
    }
  }
}
