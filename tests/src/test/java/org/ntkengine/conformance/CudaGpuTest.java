package org.ntkengine.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.backend.Transpose;
import org.ntkengine.cuda.CudaBackend;
import org.ntkengine.cuda.TilePlanner;
import org.ntkengine.cuda.TiledGram;

/**
 * What only a GPU can show: β = 0 overwriting NaN in every product, row-major layouts with
 * transposes on non-square shapes, TF32 only on request, the structured NTK kernel, tiling, and
 * many short-lived threads that never bound the context, with device memory back where it started.
 * Skipped with the probe's reason without a GPU, failed then under {@code -Dntk.require=cuda}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CudaGpuTest {
  private CudaBackend backend;

  @BeforeAll
  void open() {
    backend = CudaTestSupport.openOrNull();
  }

  @BeforeEach
  void gpuPresent() {
    CudaTestSupport.skipUnlessAvailable();
  }

  @AfterAll
  void close() {
    if (backend != null) {
      backend.close();
    }
  }

  private static double[] random(long seed, int count) {
    Random r = new Random(seed);
    double[] v = new double[count];
    for (int i = 0; i < count; i++) {
      v[i] = 2 * r.nextDouble() - 1;
    }
    return v;
  }

  private static double[] rounded(Precision p, double[] v) {
    double[] out = v.clone();
    if (p.isSingle()) {
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) out[i];
      }
    }
    return out;
  }

  private Matrix upload(double[] data, int rows, int cols, Precision p) {
    Matrix m = backend.allocate(rows, cols, p);
    backend.upload(data, m);
    return m;
  }

  private double[] download(Matrix m) {
    double[] out = new double[(int) m.size()];
    backend.download(m, out);
    return out;
  }

  @ParameterizedTest
  @EnumSource(
      value = Precision.class,
      names = {"FP32", "FP64"})
  void transposesOnNonSquareShapesAcrossTileEdges(Precision p) {
    // 67, 45 and 131 straddle the 64-wide tiles of the engine's GEMM kernel.
    int m = 67;
    int n = 45;
    int k = 131;
    for (Transpose ta : Transpose.values()) {
      for (Transpose tb : Transpose.values()) {
        boolean transA = ta == Transpose.YES;
        boolean transB = tb == Transpose.YES;
        int ar = transA ? k : m;
        int ac = transA ? m : k;
        int br = transB ? n : k;
        int bc = transB ? k : n;
        long seed = 700 + ta.ordinal() * 2 + tb.ordinal();
        double[] a = rounded(p, random(seed, ar * ac));
        double[] b = rounded(p, random(seed + 10, br * bc));
        double[] expected = Oracle.product(a, ar, ac, transA, b, br, bc, transB);
        for (int i = 0; i < expected.length; i++) {
          expected[i] *= -1.5;
        }
        try (Matrix ma = upload(a, ar, ac, p);
            Matrix mb = upload(b, br, bc, p);
            Matrix mc = backend.allocate(m, n, p)) {
          backend.fill(mc, Double.NaN);
          backend.gemm(ta, tb, -1.5, ma, mb, 0.0, mc);
          double tol = (p.isSingle() ? 0x1p-23 : 0x1p-52) * 16 * k;
          assertArrayEquals(
              expected, download(mc), tol, "gemm " + ta + "," + tb + " " + p + " seed " + seed);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Precision.class,
      names = {"FP32", "FP64"})
  void betaZeroOverwritesNaNEverywhere(Precision p) {
    double[] x = rounded(p, random(41, 12));
    double[] y = rounded(p, random(42, 12));
    try (Matrix mx = upload(x, 3, 4, p);
        Matrix my = upload(y, 3, 4, p);
        Matrix c = backend.allocate(3, 4, p);
        Matrix gram = backend.allocate(3, 3, p);
        Matrix sums = backend.allocate(4, 1, p);
        Matrix empty = backend.allocate(3, 0, p)) {
      double[] had = new double[12];
      double[] scaled = new double[12];
      double[] colSums = new double[4];
      double[] g = new double[9];
      for (int i = 0; i < 12; i++) {
        had[i] = 2 * x[i] * y[i];
        scaled[i] = 3 * x[i];
        colSums[i % 4] += x[i];
      }
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
          for (int q = 0; q < 4; q++) {
            g[i * 3 + j] += x[i * 4 + q] * x[j * 4 + q];
          }
        }
      }
      double tol = p.isSingle() ? 1e-6 : 1e-14;
      backend.fill(c, Double.NaN);
      backend.hadamard(2.0, mx, my, 0.0, c);
      assertArrayEquals(had, download(c), tol, "hadamard");
      backend.fill(c, Double.NaN);
      backend.axpby(3.0, mx, 0.0, c);
      assertArrayEquals(scaled, download(c), tol, "axpby");
      backend.fill(sums, Double.NaN);
      backend.columnSums(1.0, mx, 0.0, sums);
      assertArrayEquals(colSums, download(sums), tol, "column sums");
      backend.fill(gram, Double.NaN);
      backend.gramSymmetric(1.0, mx, 0.0, gram);
      assertArrayEquals(g, download(gram), tol, "gramSymmetric");
      backend.fill(gram, Double.NaN);
      backend.gemm(Transpose.NO, Transpose.YES, 1.0, empty, empty, 0.0, gram);
      assertArrayEquals(new double[9], download(gram), 0.0, "inner dimension 0");
    }
  }

  @Test
  void fp32IsTrueFp32AndTf32OnlyOnRequest() {
    // 1024.5 needs 11 significant bits; TF32 keeps 10 after the point, rounding it to 1025.
    try (Matrix a = upload(new double[] {1024.5}, 1, 1, Precision.FP32);
        Matrix b = upload(new double[] {1.0}, 1, 1, Precision.FP32);
        Matrix c = backend.allocate(1, 1, Precision.FP32);
        Matrix at = upload(new double[] {1024.5}, 1, 1, Precision.TF32);
        Matrix bt = upload(new double[] {1.0}, 1, 1, Precision.TF32);
        Matrix ct = backend.allocate(1, 1, Precision.TF32)) {
      backend.gemm(Transpose.NO, Transpose.NO, 1.0, a, b, 0.0, c);
      assertEquals(1024.5, download(c)[0], 0.0, "FP32 product");
      backend.gemm(Transpose.NO, Transpose.NO, 1.0, at, bt, 0.0, ct);
      double tf32 = download(ct)[0];
      if (backend.productPath().startsWith("engine")) {
        assertEquals(1025.0, tf32, 0.0, "TF32 product on the engine's kernels");
      } else {
        // cuBLAS may run a 1x1x1 product on a non-tensor-core kernel even in TF32 mode.
        assertTrue(tf32 == 1025.0 || tf32 == 1024.5, "TF32 product on cuBLAS: " + tf32);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Precision.class,
      names = {"FP32", "FP64", "TF32"})
  void gramSymmetricIsExactlySymmetricAndAccurate(Precision p) {
    int n = 150;
    int k = 97;
    double[] j = rounded(p, random(900 + p.ordinal(), n * k));
    double[] expected = Oracle.product(j, n, k, false, j, n, k, true);
    try (Matrix mj = upload(j, n, k, p);
        Matrix c = backend.allocate(n, n, p)) {
      backend.fill(c, Double.NaN);
      backend.gramSymmetric(1.0, mj, 0.0, c);
      double[] got = download(c);
      // TF32 keeps 11 significant bits per operand: relative error per product about 2^-10.
      double tol = (p == Precision.TF32 ? 0x1p-10 : p.isSingle() ? 0x1p-23 : 0x1p-52) * 16 * k;
      assertArrayEquals(expected, got, tol, "gram " + p);
      for (int a = 0; a < n; a++) {
        for (int b = 0; b < a; b++) {
          assertEquals(got[a * n + b], got[b * n + a], 0.0, "symmetry at " + a + "," + b);
        }
      }
    }
  }

  @Test
  void structuredTermsAccumulateOnTheLowerTriangleThenMirror() {
    int n = 70;
    Precision p = Precision.FP64;
    double[] delta = random(31, n * 5);
    double[] act = random(32, n * 9);
    double[] gd = Oracle.product(delta, n, 5, false, delta, n, 5, true);
    double[] ga = Oracle.product(act, n, 9, false, act, n, 9, true);
    double[] expected = new double[n * n];
    for (int i = 0; i < n * n; i++) {
      expected[i] = 0.25 * gd[i] * ga[i] + 0.25 * gd[i] * ga[i];
    }
    try (Matrix md = upload(delta, n, 5, p);
        Matrix ma = upload(act, n, 9, p);
        Matrix mgd = backend.allocate(n, n, p);
        Matrix mga = backend.allocate(n, n, p);
        Matrix theta = backend.allocate(n, n, p)) {
      backend.gramSymmetric(1.0, md, 0.0, mgd);
      backend.gramSymmetric(1.0, ma, 0.0, mga);
      backend.fill(theta, Double.NaN);
      backend.structuredAccumulate(0.25, mgd, mga, 0.0, theta);
      backend.structuredAccumulate(0.25, mgd, mga, 1.0, theta);
      backend.mirrorLower(theta);
      assertArrayEquals(expected, download(theta), 1e-12, "structured NTK");
    }
  }

  @Test
  void tiledGramOnTheDeviceMatchesTheOracle() {
    int n = 130;
    int p = 77;
    double[] j = random(55, n * p);
    double[] expected = Oracle.product(j, n, p, false, j, n, p, true);
    double[] theta = new double[n * n];
    // 64 KiB of FP64: blocks of both rows and columns.
    TilePlanner.Plan plan =
        TiledGram.compute(
            backend,
            Precision.FP64,
            n,
            p,
            1.0,
            (row, rows, col, cols, out) -> {
              for (int a = 0; a < rows; a++) {
                System.arraycopy(j, (row + a) * p + col, out, a * cols, cols);
              }
            },
            (tile, values) -> {
              for (int a = 0; a < tile.rows(); a++) {
                for (int c = 0; c < tile.cols(); c++) {
                  int i = tile.rowStart() + a;
                  int q = tile.colStart() + c;
                  if (q <= i) {
                    theta[i * n + q] = values[a * tile.cols() + c];
                    theta[q * n + i] = values[a * tile.cols() + c];
                  }
                }
              }
            },
            64 << 10);
    assertTrue(plan.tiles().size() > 1, plan.describe());
    assertArrayEquals(expected, theta, 1e-12, plan.describe());
  }

  @Test
  void thousandSmallProductsOnNewThreadsLeaveDeviceMemoryWhereItWas() throws Exception {
    // Warm the pool with more blocks than 8 threads hold at once, so that the baseline includes
    // the driver's sub-allocation pages and only reuse happens after it.
    List<Matrix> warm = new java.util.ArrayList<>();
    for (int i = 0; i < 64; i++) {
      warm.add(backend.allocate(5, 4, Precision.FP64));
    }
    warm.forEach(Matrix::close);
    runSmallProduct(-1);
    long before = backend.freeDeviceMemory();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    for (int batch = 0; batch < 125; batch++) {
      Thread[] threads = new Thread[8];
      for (int t = 0; t < threads.length; t++) {
        int id = batch * threads.length + t;
        threads[t] =
            new Thread(
                () -> {
                  try {
                    String problem = runSmallProduct(id);
                    if (problem != null) {
                      failures.add(problem);
                    }
                  } catch (Throwable e) {
                    failures.add("product " + id + ": " + e);
                  }
                });
        threads[t].start();
      }
      for (Thread t : threads) {
        t.join();
      }
    }
    assertEquals(List.of(), List.copyOf(failures), "failed products");
    long after = backend.freeDeviceMemory();
    assertTrue(
        Math.abs(before - after) <= 1 << 20,
        "free device memory moved by " + (before - after) + " bytes");
  }

  /** A 5x3 by 3x4 product on the calling thread; returns a description of any mismatch. */
  private String runSmallProduct(int id) {
    double[] a = random(10_000L + id, 15);
    double[] b = random(20_000L + id, 12);
    double[] expected = Oracle.product(a, 5, 3, false, b, 3, 4, false);
    try (Matrix ma = upload(a, 5, 3, Precision.FP64);
        Matrix mb = upload(b, 3, 4, Precision.FP64);
        Matrix mc = backend.allocate(5, 4, Precision.FP64)) {
      backend.gemm(Transpose.NO, Transpose.NO, 1.0, ma, mb, 0.0, mc);
      double[] got = download(mc);
      for (int i = 0; i < got.length; i++) {
        if (Math.abs(got[i] - expected[i]) > 1e-14) {
          return "product " + id + " element " + i + ": " + got[i] + " vs " + expected[i];
        }
      }
    }
    return null;
  }
}
