package org.ntkengine.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ntkengine.backend.Availability;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.backend.ReferenceBackend;
import org.ntkengine.backend.Transpose;
import org.ntkengine.backend.UnaryOp;
import org.ntkengine.simd.SimdBackend;
import org.ntkengine.simd.SimdBackendProvider;

/**
 * The conformance suite run against the SIMD backend, plus what is particular to it: sizes around
 * lane multiples and register-block edges, agreement with the reference backend, and bitwise
 * reproducibility across runs and thread counts. Skipped with the reason when the Vector API is not
 * usable in this JVM, unless {@code -Dntk.require} names simd.
 */
class SimdConformanceTest {

  /** Opens the backend, or skips (fails when simd is required) when it cannot run here. */
  static Backend openSimd(int threads) {
    Availability a = new SimdBackendProvider().availability();
    if (!a.available()) {
      String require = System.getProperty("ntk.require", "");
      if (require.contains("simd")) {
        org.junit.jupiter.api.Assertions.fail("simd is required but unavailable: " + a.reason());
      }
      org.junit.jupiter.api.Assumptions.abort("simd backend unavailable here: " + a.reason());
    }
    return new SimdBackend(threads);
  }

  @Nested
  class Gram extends GramContract {
    @Override
    protected Backend openBackend() {
      return openSimd(2);
    }
  }

  @Nested
  class Gemm extends GemmContract {
    @Override
    protected Backend openBackend() {
      return openSimd(2);
    }
  }

  @Nested
  class Elementwise extends ElementwiseContract {
    @Override
    protected Backend openBackend() {
      return openSimd(2);
    }
  }

  @Nested
  class Ntk extends NtkContract {
    @Override
    protected Backend openBackend() {
      return openSimd(2);
    }
  }

  @Nested
  class Lanczos extends LanczosContract {
    @Override
    protected Backend openBackend() {
      return openSimd(2);
    }
  }

  @Nested
  class Robustness extends RobustnessContract {
    @Override
    protected Backend openBackend() {
      return openSimd(2);
    }
  }

  /** SIMD-specific checks against the reference backend and across thread counts. */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class Specific {
    /** Lane and register-block edges (16 floats, 8 doubles; blocks of 6 rows, 2 vectors). */
    private final int[] sizes = {
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 97
    };

    private final ReferenceBackend reference = new ReferenceBackend();

    @BeforeAll
    void probe() {
      openSimd(1).close();
    }

    private double[] run(
        Backend be,
        Precision p,
        int rows,
        int cols,
        double[][] inputs,
        int[][] shapes,
        BiConsumer<Backend, Matrix[]> op) {
      Matrix[] ms = new Matrix[inputs.length + 1];
      try {
        for (int i = 0; i < inputs.length; i++) {
          ms[i] = be.allocate(shapes[i][0], shapes[i][1], p);
          be.upload(inputs[i], ms[i]);
        }
        ms[inputs.length] = be.allocate(rows, cols, p);
        be.fill(ms[inputs.length], Double.NaN);
        op.accept(be, ms);
        double[] out = new double[rows * cols];
        be.download(ms[inputs.length], out);
        return out;
      } finally {
        for (Matrix m : ms) {
          if (m != null) {
            m.close();
          }
        }
      }
    }

    @ParameterizedTest
    @EnumSource(
        value = Precision.class,
        names = {"FP32", "FP64"})
    void productsMatchReferenceAtEveryEdgeAndAreBitwiseStable(Precision p) {
      try (Backend one = openSimd(1);
          Backend two = openSimd(2)) {
        for (int m : sizes) {
          for (int k : new int[] {1, 3, 17, 64, 65, 257}) {
            int n = (m * 5 + k) % 37 + 1;
            for (Transpose ta : Transpose.values()) {
              for (Transpose tb : Transpose.values()) {
                boolean transA = ta == Transpose.YES;
                boolean transB = tb == Transpose.YES;
                long seed = (m * 1009L + k) * 4 + ta.ordinal() * 2 + tb.ordinal();
                int[][] shapes = {
                  transA ? new int[] {k, m} : new int[] {m, k},
                  transB ? new int[] {n, k} : new int[] {k, n}
                };
                double[][] in = {
                  BackendContract.random(seed, m * k), BackendContract.random(seed + 1, k * n)
                };
                BiConsumer<Backend, Matrix[]> op =
                    (be, ms) -> be.gemm(ta, tb, 1.25, ms[0], ms[1], 0.0, ms[2]);
                double[] want = run(reference, p, m, n, in, shapes, op);
                double[] first = run(one, p, m, n, in, shapes, op);
                double[] again = run(one, p, m, n, in, shapes, op);
                double[] twoThreads = run(two, p, m, n, in, shapes, op);
                String what = "gemm " + ta + "," + tb + " " + m + "x" + n + " over " + k + " " + p;
                assertArrayEquals(
                    want, first, BackendContract.tolerance(p, k) * 2, what + " seed " + seed);
                assertArrayEquals(first, again, 0.0, what + ": second run differs");
                assertArrayEquals(first, twoThreads, 0.0, what + ": 1 vs 2 threads differ");
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
    void largeProductsSplitAcrossBlocksAndThreadsGiveTheSameBits(Precision p) {
      // Big enough for several row blocks, several depth blocks, more than one column sweep and
      // the parallel path.
      int m = 301;
      int n = 557;
      int k = 1111;
      double[][] in = {BackendContract.random(71, m * k), BackendContract.random(72, n * k)};
      int[][] shapes = {{m, k}, {n, k}};
      BiConsumer<Backend, Matrix[]> op = (be, ms) -> be.gram(1.0, ms[0], ms[1], 0.0, ms[2]);
      try (Backend one = openSimd(1);
          Backend two = openSimd(2);
          Backend three = openSimd(3)) {
        double[] want = run(reference, p, m, n, in, shapes, op);
        double[] first = run(one, p, m, n, in, shapes, op);
        assertArrayEquals(want, first, BackendContract.tolerance(p, k) * 2, "gram vs reference");
        assertArrayEquals(first, run(two, p, m, n, in, shapes, op), 0.0, "1 vs 2 threads");
        assertArrayEquals(first, run(three, p, m, n, in, shapes, op), 0.0, "1 vs 3 threads");
        assertArrayEquals(first, run(two, p, m, n, in, shapes, op), 0.0, "second run");
      }
    }

    @ParameterizedTest
    @EnumSource(
        value = Precision.class,
        names = {"FP32", "FP64"})
    void symmetricGramMatchesReferenceAndIsStableAcrossThreads(Precision p) {
      try (Backend one = openSimd(1);
          Backend two = openSimd(2)) {
        for (int n : new int[] {1, 5, 6, 7, 13, 31, 33, 63, 65, 150, 293}) {
          for (int k : new int[] {3, 64, 300}) {
            double[][] in = {BackendContract.random(n * 31L + k, n * k)};
            int[][] shapes = {{n, k}};
            BiConsumer<Backend, Matrix[]> op = (be, ms) -> be.gramSymmetric(0.5, ms[0], 0.0, ms[1]);
            double[] want = run(reference, p, n, n, in, shapes, op);
            double[] first = run(one, p, n, n, in, shapes, op);
            String what = "symmetric gram " + n + " over " + k + " " + p;
            assertArrayEquals(want, first, BackendContract.tolerance(p, k), what);
            assertArrayEquals(first, run(two, p, n, n, in, shapes, op), 0.0, what + " threads");
            for (int i = 0; i < n; i++) {
              for (int j = 0; j < i; j++) {
                assertEquals(first[i * n + j], first[j * n + i], 0.0, what + " symmetry");
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
    void symmetricGramOverSeveralBlocksInEveryDimension(Precision p) {
      // Rows over several row blocks and column sweeps, depth over several blocks, an odd size so
      // the diagonal crosses register blocks, sweeps and mirror tiles off their edges.
      int n = 601;
      int k = 1031;
      double[][] in = {BackendContract.random(77, n * k)};
      int[][] shapes = {{n, k}};
      BiConsumer<Backend, Matrix[]> op = (be, ms) -> be.gramSymmetric(1.0, ms[0], 0.0, ms[1]);
      try (Backend one = openSimd(1);
          Backend two = openSimd(2)) {
        double[] want = run(reference, p, n, n, in, shapes, op);
        double[] first = run(one, p, n, n, in, shapes, op);
        assertArrayEquals(want, first, BackendContract.tolerance(p, k), "symmetric gram");
        assertArrayEquals(first, run(two, p, n, n, in, shapes, op), 0.0, "1 vs 2 threads");
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < i; j++) {
            assertEquals(first[i * n + j], first[j * n + i], 0.0, "symmetry at " + i + "," + j);
          }
        }
      }
    }

    @ParameterizedTest
    @EnumSource(
        value = Precision.class,
        names = {"FP32", "FP64"})
    void productsWiderThanOneColumnPanel(Precision p) {
      // More than 4096 output columns: a second B panel, and in the symmetric Gram the lower
      // triangle's skips in that panel; the one-row product takes its own vector path.
      int wide = 4100;
      try (Backend two = openSimd(2)) {
        for (int m : new int[] {13, 1}) {
          int k = 5;
          double[][] in = {
            BackendContract.random(81 + m, m * k), BackendContract.random(82, wide * k)
          };
          int[][] shapes = {{m, k}, {wide, k}};
          BiConsumer<Backend, Matrix[]> op =
              (be, ms) -> be.gemm(Transpose.NO, Transpose.YES, 0.5, ms[0], ms[1], 0.0, ms[2]);
          assertArrayEquals(
              run(reference, p, m, wide, in, shapes, op),
              run(two, p, m, wide, in, shapes, op),
              BackendContract.tolerance(p, k),
              "gemm " + m + "x" + wide + " over " + k);
        }
        double[][] in = {BackendContract.random(83, wide * 3)};
        int[][] shapes = {{wide, 3}};
        BiConsumer<Backend, Matrix[]> op = (be, ms) -> be.gramSymmetric(1.0, ms[0], 0.0, ms[1]);
        assertArrayEquals(
            run(reference, p, wide, wide, in, shapes, op),
            run(two, p, wide, wide, in, shapes, op),
            BackendContract.tolerance(p, 3),
            "symmetric gram " + wide + " over 3");
      }
    }

    @ParameterizedTest
    @EnumSource(
        value = Precision.class,
        names = {"FP32", "FP64"})
    void matrixVectorProductsOverManyChunksGiveTheSameBitsOnOneAndTwoThreads(Precision p) {
      // The four ways a product can have one output row or column, each on its own vector path:
      // many row chunks ending in a partial group of four rows, and a depth split into the
      // largest number of partial sums, ending inside a group of four and inside a vector.
      int m = 1031;
      int k = 9001;
      double[] a = BackendContract.random(91, m * k);
      double[] at = new double[k * m];
      for (int i = 0; i < m; i++) {
        for (int q = 0; q < k; q++) {
          at[q * m + i] = a[i * k + q];
        }
      }
      double[] x = BackendContract.random(92, k);
      List<String> names = List.of("A·x", "Aᵀ·x, A stored transposed", "xᵀ·B", "xᵀ·Bᵀ");
      List<double[][]> inputs =
          List.of(
              new double[][] {a, x},
              new double[][] {at, x},
              new double[][] {x, at},
              new double[][] {x, a});
      List<int[][]> shapes =
          List.of(
              new int[][] {{m, k}, {k, 1}},
              new int[][] {{k, m}, {k, 1}},
              new int[][] {{1, k}, {k, m}},
              new int[][] {{1, k}, {m, k}});
      List<BiConsumer<Backend, Matrix[]>> ops =
          List.of(
              (be, ms) -> be.gemm(Transpose.NO, Transpose.NO, 0.5, ms[0], ms[1], 0.0, ms[2]),
              (be, ms) -> be.gemm(Transpose.YES, Transpose.NO, 0.5, ms[0], ms[1], 0.0, ms[2]),
              (be, ms) -> be.gemm(Transpose.NO, Transpose.NO, 0.5, ms[0], ms[1], 0.0, ms[2]),
              (be, ms) -> be.gemm(Transpose.NO, Transpose.YES, 0.5, ms[0], ms[1], 0.0, ms[2]));
      try (Backend one = openSimd(1);
          Backend two = openSimd(2)) {
        for (int c = 0; c < ops.size(); c++) {
          int rows = c < 2 ? m : 1;
          int cols = c < 2 ? 1 : m;
          double[][] in = inputs.get(c);
          double[] want = run(reference, p, rows, cols, in, shapes.get(c), ops.get(c));
          double[] first = run(one, p, rows, cols, in, shapes.get(c), ops.get(c));
          assertArrayEquals(want, first, BackendContract.tolerance(p, k), names.get(c));
          assertArrayEquals(
              first,
              run(two, p, rows, cols, in, shapes.get(c), ops.get(c)),
              0.0,
              names.get(c) + ": 1 vs 2 threads");
        }
      }
    }

    @ParameterizedTest
    @EnumSource(
        value = Precision.class,
        names = {"FP32", "FP64"})
    void threeColumnInputNarrowerThanOneVector(Precision p) {
      // 3 columns: every row is a tail, shorter than any vector.
      int n = 41;
      double[][] in = {BackendContract.random(5, n * 3)};
      int[][] shapes = {{n, 3}};
      try (Backend simd = openSimd(2)) {
        BiConsumer<Backend, Matrix[]> gram = (be, ms) -> be.gramSymmetric(1.0, ms[0], 0.0, ms[1]);
        assertArrayEquals(
            run(reference, p, n, n, in, shapes, gram),
            run(simd, p, n, n, in, shapes, gram),
            BackendContract.tolerance(p, 3),
            "3-column Gram");
        BiConsumer<Backend, Matrix[]> relu = (be, ms) -> be.map(UnaryOp.RELU, ms[0], ms[1]);
        assertArrayEquals(
            run(reference, p, n, 3, in, shapes, relu),
            run(simd, p, n, 3, in, shapes, relu),
            0.0,
            "3-column ReLU");
      }
    }

    @ParameterizedTest
    @EnumSource(
        value = Precision.class,
        names = {"FP32", "FP64"})
    void elementwiseOperationsMatchReferenceAroundLaneEdges(Precision p) {
      try (Backend simd = openSimd(2)) {
        for (int len : sizes) {
          double[] x = BackendContract.random(len + 1, len);
          double[] y = BackendContract.random(len + 2, len);
          double[] c = BackendContract.random(len + 3, len);
          double[][] in = {x, y, c};
          int[][] shapes = {{len, 1}, {len, 1}, {len, 1}};
          String what = " n=" + len + " " + p;
          BiConsumer<Backend, Matrix[]> had =
              (be, ms) -> {
                be.copy(ms[2], ms[3]);
                be.hadamard(0.75, ms[0], ms[1], -1.5, ms[3]);
              };
          assertArrayEquals(
              run(reference, p, len, 1, in, shapes, had),
              run(simd, p, len, 1, in, shapes, had),
              BackendContract.tolerance(p, 4),
              "hadamard" + what);
          BiConsumer<Backend, Matrix[]> axpby =
              (be, ms) -> {
                be.copy(ms[1], ms[3]);
                be.axpby(-2.0, ms[0], 0.25, ms[3]);
              };
          assertArrayEquals(
              run(reference, p, len, 1, in, shapes, axpby),
              run(simd, p, len, 1, in, shapes, axpby),
              BackendContract.tolerance(p, 4),
              "axpby" + what);
          for (UnaryOp op : new UnaryOp[] {UnaryOp.RELU, UnaryOp.RELU_DERIVATIVE}) {
            BiConsumer<Backend, Matrix[]> map = (be, ms) -> be.map(op, ms[0], ms[3]);
            assertArrayEquals(
                run(reference, p, len, 1, in, shapes, map),
                run(simd, p, len, 1, in, shapes, map),
                0.0,
                op + what);
          }
          double want = 0;
          for (int i = 0; i < len; i++) {
            want += BackendContract.roundedTo(p, x)[i] * BackendContract.roundedTo(p, y)[i];
          }
          try (Matrix mx = simd.allocate(len, 1, p);
              Matrix my = simd.allocate(1, len, p)) {
            simd.upload(x, mx);
            simd.upload(y, my);
            double got = simd.dot(mx, my);
            assertEquals(want, got, BackendContract.tolerance(Precision.FP64, len), "dot" + what);
            assertEquals(got, simd.dot(mx, my), 0.0, "dot second run" + what);
          }
        }
      }
    }

    @ParameterizedTest
    @EnumSource(
        value = Precision.class,
        names = {"FP32", "FP64"})
    void rowBroadcastAndColumnSumsOverLaneEdges(Precision p) {
      try (Backend simd = openSimd(2)) {
        for (int cols : new int[] {1, 3, 15, 16, 17, 33, 65}) {
          int rows = 9;
          double[][] in = {
            BackendContract.random(cols, rows * cols), BackendContract.random(cols + 1, cols)
          };
          int[][] shapes = {{rows, cols}, {1, cols}};
          BiConsumer<Backend, Matrix[]> add =
              (be, ms) -> {
                be.copy(ms[0], ms[2]);
                be.addRowVector(-0.5, ms[1], ms[2]);
              };
          assertArrayEquals(
              run(reference, p, rows, cols, in, shapes, add),
              run(simd, p, rows, cols, in, shapes, add),
              BackendContract.tolerance(p, 2),
              "addRowVector cols=" + cols);
          BiConsumer<Backend, Matrix[]> sums = (be, ms) -> be.columnSums(2.0, ms[0], 0.0, ms[2]);
          assertArrayEquals(
              run(reference, p, 1, cols, in, shapes, sums),
              run(simd, p, 1, cols, in, shapes, sums),
              BackendContract.tolerance(p, rows) * 2,
              "columnSums cols=" + cols);
        }
      }
    }

    @Test
    void reportsItsNameAndPrecisionsAndRejectsZeroThreads() {
      try (Backend simd = openSimd(1)) {
        assertEquals("simd", simd.name());
        assertTrue(simd.precisions().contains(Precision.FP32));
        assertTrue(simd.precisions().contains(Precision.FP64));
      }
      org.junit.jupiter.api.Assertions.assertThrows(
          IllegalArgumentException.class, () -> new SimdBackend(0));
    }
  }
}
