package org.ntkengine.simd;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.HostMatrix;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.backend.Shapes;
import org.ntkengine.backend.Transpose;
import org.ntkengine.backend.UnaryOp;

/**
 * The Panama Vector API backend: {@link HostMatrix} storage (row-major Java arrays, the layout the
 * reference backend uses), packed register-blocked FMA micro-kernels for the products, vectorised
 * element-wise operations, and a fixed pool of daemon threads.
 *
 * <p>FP32 data is accumulated in FP32 inside the products (within the size-scaled tolerance of the
 * float64 reference) and in float64 in {@link #dot}. Results are bitwise reproducible: the same
 * inputs give the same bits on every run and for every thread count, because work is split into
 * blocks that each own their output and sum in a fixed order.
 */
public final class SimdBackend implements Backend {
  private final AtomicLong live = new AtomicLong();

  /** The backend's name. */
  public static final String NAME = "simd";

  /** The system property that sets the thread count (default: available processors). */
  public static final String THREADS_PROPERTY = "ntk.simd.threads";

  private static final VectorSpecies<Float> FS = VectorShapes.FLOATS;
  private static final VectorSpecies<Double> DS = VectorShapes.DOUBLES;
  private static final int FL = FS.length();
  private static final int DL = DS.length();

  /** Below this many multiply-adds a product runs on the calling thread alone. */
  private static final long PARALLEL_WORK = 1L << 18;

  private final Workers workers;
  private final Workers single = new Workers(1);

  /** Opens the backend with {@link #defaultThreads()} threads. */
  public SimdBackend() {
    this(defaultThreads());
  }

  /**
   * Opens the backend with a given number of threads; results do not depend on it.
   *
   * @param threads threads per operation, at least 1
   * @throws IllegalArgumentException when threads is below 1
   */
  public SimdBackend(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("thread count must be at least 1, got " + threads);
    }
    this.workers = new Workers(threads);
  }

  /**
   * The default thread count: {@code -Dntk.simd.threads} when set, else the available processors.
   *
   * @return threads per operation
   */
  public static int defaultThreads() {
    String s = System.getProperty(THREADS_PROPERTY);
    if (s != null && !s.isBlank()) {
      try {
        return Math.max(1, Integer.parseInt(s.trim()));
      } catch (NumberFormatException e) {
        // Fall through to the processor count; the property is a tuning knob, not an input.
      }
    }
    return Runtime.getRuntime().availableProcessors();
  }

  /**
   * Returns the number of threads each operation uses.
   *
   * @return threads
   */
  public int threads() {
    return workers.threads();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Precision> precisions() {
    return EnumSet.of(Precision.FP32, Precision.FP64);
  }

  private HostMatrix host(Matrix m) {
    return HostMatrix.of(m, this);
  }

  // ---- storage

  @Override
  public long liveAllocations() {
    return live.get();
  }

  @Override
  public Matrix allocate(int rows, int cols, Precision precision) {
    if (!precisions().contains(precision)) {
      throw new IllegalArgumentException(
          "backend " + NAME + " does not support " + precision + ": use FP32 or FP64");
    }
    return HostMatrix.allocate(this, rows, cols, precision, live);
  }

  @Override
  public void upload(double[] source, Matrix target) {
    host(target).copyFrom(source);
  }

  @Override
  public void upload(float[] source, Matrix target) {
    host(target).copyFrom(source);
  }

  @Override
  public void download(Matrix source, double[] target) {
    host(source).copyTo(target);
  }

  @Override
  public void download(Matrix source, float[] target) {
    host(source).copyTo(target);
  }

  @Override
  public Matrix viewRows(Matrix m, int first, int count) {
    return host(m).viewRows(first, count);
  }

  @Override
  public void copy(Matrix source, Matrix target) {
    host(target).copyFrom(host(source));
  }

  @Override
  public void fill(Matrix m, double value) {
    host(m).fill(value);
  }

  // ---- products

  @Override
  public void gemm(
      Transpose ta, Transpose tb, double alpha, Matrix a, Matrix b, double beta, Matrix c) {
    HostMatrix ha = host(a);
    HostMatrix hb = host(b);
    HostMatrix hc = host(c);
    int k = Shapes.checkGemm(ta, tb, ha, hb, hc);
    product(ta == Transpose.YES, tb == Transpose.YES, alpha, ha, hb, beta, hc, k, false);
  }

  @Override
  public void gramSymmetric(double alpha, Matrix a, double beta, Matrix c) {
    HostMatrix ha = host(a);
    HostMatrix hc = host(c);
    int k = Shapes.checkGemm(Transpose.NO, Transpose.YES, ha, ha, hc);
    product(false, true, alpha, ha, ha, beta, hc, k, true);
    mirrorLower(hc);
  }

  private void product(
      boolean transA,
      boolean transB,
      double alpha,
      HostMatrix a,
      HostMatrix b,
      double beta,
      HostMatrix c,
      int k,
      boolean lowerOnly) {
    int m = c.rows();
    int n = c.cols();
    if (m == 0 || n == 0) {
      return;
    }
    if (k == 0 || alpha == 0.0) {
      scale(beta, c);
      return;
    }
    if (n == 1 && !lowerOnly) {
      gemv(transA, alpha, a, b, beta, c, m, k);
      return;
    }
    if (m == 1 && !lowerOnly) {
      // A single row: Cᵀ = op(B)ᵀ·op(A)ᵀ, where op(A) (one row or one column) is contiguous
      // either way; this is the block-of-one product Lanczos applies to a dense Θ every step.
      gemv(!transB, alpha, b, a, beta, c, n, k);
      return;
    }
    Workers w = (long) m * n * k < PARALLEL_WORK ? single : workers;
    if (c.floats() != null) {
      GemmF32.multiply(
          w,
          transA,
          transB,
          (float) alpha,
          a.floats(),
          a.offset(),
          a.cols(),
          b.floats(),
          b.offset(),
          b.cols(),
          (float) beta,
          c.floats(),
          c.offset(),
          n,
          m,
          n,
          k,
          lowerOnly);
    } else {
      GemmF64.multiply(
          w,
          transA,
          transB,
          alpha,
          a.doubles(),
          a.offset(),
          a.cols(),
          b.doubles(),
          b.offset(),
          b.cols(),
          beta,
          c.doubles(),
          c.offset(),
          n,
          m,
          n,
          k,
          lowerOnly);
    }
  }

  /** C = β·C, with β = 0 giving exact zeros whatever C held. */
  private static void scale(double beta, HostMatrix c) {
    if (beta == 0.0) {
      c.fill(0.0);
      return;
    }
    int n = (int) c.size();
    for (int k = 0; k < n; k++) {
      c.setFlat(k, beta * c.getFlat(k));
    }
  }

  /**
   * y = α·op(A)·x + β·y for a contiguous vector x of k elements and y of m elements (each stored as
   * a row or a column): packing would cost as much as the product itself.
   */
  private void gemv(
      boolean transA,
      double alpha,
      HostMatrix a,
      HostMatrix x,
      double beta,
      HostMatrix y,
      int m,
      int k) {
    Workers w = (long) m * k < PARALLEL_WORK ? single : workers;
    int lda = a.cols();
    if (y.floats() != null) {
      GemvF32.multiply(
          w,
          transA,
          (float) alpha,
          a.floats(),
          a.offset(),
          lda,
          x.floats(),
          x.offset(),
          (float) beta,
          y.floats(),
          y.offset(),
          m,
          k);
    } else {
      GemvF64.multiply(
          w,
          transA,
          alpha,
          a.doubles(),
          a.offset(),
          lda,
          x.doubles(),
          x.offset(),
          beta,
          y.doubles(),
          y.offset(),
          m,
          k);
    }
  }

  /** Σ x·y in FP64 with FMA, lanes summed in index order. */
  private static double dotD(double[] x, int xo, double[] y, int yo, int n) {
    // Four independent accumulators: one FMA chain would wait on its own latency every step.
    DoubleVector acc0 = DoubleVector.zero(DS);
    DoubleVector acc1 = DoubleVector.zero(DS);
    DoubleVector acc2 = DoubleVector.zero(DS);
    DoubleVector acc3 = DoubleVector.zero(DS);
    int bound4 = n - n % (4 * DL);
    int k = 0;
    for (; k < bound4; k += 4 * DL) {
      acc0 = DoubleVector.fromArray(DS, x, xo + k).fma(DoubleVector.fromArray(DS, y, yo + k), acc0);
      acc1 =
          DoubleVector.fromArray(DS, x, xo + k + DL)
              .fma(DoubleVector.fromArray(DS, y, yo + k + DL), acc1);
      acc2 =
          DoubleVector.fromArray(DS, x, xo + k + 2 * DL)
              .fma(DoubleVector.fromArray(DS, y, yo + k + 2 * DL), acc2);
      acc3 =
          DoubleVector.fromArray(DS, x, xo + k + 3 * DL)
              .fma(DoubleVector.fromArray(DS, y, yo + k + 3 * DL), acc3);
    }
    int bound = DS.loopBound(n);
    for (; k < bound; k += DL) {
      acc0 = DoubleVector.fromArray(DS, x, xo + k).fma(DoubleVector.fromArray(DS, y, yo + k), acc0);
    }
    double[] lanes = new double[DL];
    acc0.add(acc1).add(acc2.add(acc3)).intoArray(lanes, 0);
    double sum = 0.0;
    for (double v : lanes) {
      sum += v;
    }

    // scalar tail
    for (; k < n; k++) {
      sum = Math.fma(x[xo + k], y[yo + k], sum);
    }
    return sum;
  }

  /** y += s·x over n elements. */
  private static void axpyF(float s, float[] x, int xo, float[] y, int yo, int n) {
    FloatVector sv = FloatVector.broadcast(FS, s);
    int bound = FS.loopBound(n);
    int k = 0;
    for (; k < bound; k += FL) {
      sv.fma(FloatVector.fromArray(FS, x, xo + k), FloatVector.fromArray(FS, y, yo + k))
          .intoArray(y, yo + k);
    }

    // scalar tail
    for (; k < n; k++) {
      y[yo + k] = Math.fma(s, x[xo + k], y[yo + k]);
    }
  }

  private static void axpyD(double s, double[] x, int xo, double[] y, int yo, int n) {
    DoubleVector sv = DoubleVector.broadcast(DS, s);
    int bound = DS.loopBound(n);
    int k = 0;
    for (; k < bound; k += DL) {
      sv.fma(DoubleVector.fromArray(DS, x, xo + k), DoubleVector.fromArray(DS, y, yo + k))
          .intoArray(y, yo + k);
    }

    // scalar tail
    for (; k < n; k++) {
      y[yo + k] = Math.fma(s, x[xo + k], y[yo + k]);
    }
  }

  /** Copies the strict lower triangle of a square matrix onto the upper, in cache-sized tiles. */
  private void mirrorLower(HostMatrix c) {
    int n = c.rows();
    int tile = 64;
    int tiles = (n + tile - 1) / tile;
    Workers w = (long) n * n < PARALLEL_WORK ? single : workers;
    w.run(
        tiles,
        t -> {
          // Tile row t of the upper triangle reads tile column t of the lower one.
          int i0 = t * tile;
          int i1 = Math.min(n, i0 + tile);
          for (int j0 = i0; j0 < n; j0 += tile) {
            int j1 = Math.min(n, j0 + tile);
            for (int i = i0; i < i1; i++) {
              for (int j = Math.max(j0, i + 1); j < j1; j++) {
                c.set(i, j, c.get(j, i));
              }
            }
          }
        });
  }

  // ---- element-wise

  @Override
  public void hadamard(double s, Matrix x, Matrix y, double beta, Matrix c) {
    HostMatrix hx = host(x);
    HostMatrix hy = host(y);
    HostMatrix hc = host(c);
    Shapes.checkSameSize(hx, hy, hc);
    int n = (int) hc.size();
    int xo = hx.offset();
    int yo = hy.offset();
    int co = hc.offset();
    if (hc.floats() != null) {
      float[] xv = hx.floats();
      float[] yv = hy.floats();
      float[] cv = hc.floats();
      float sf = (float) s;
      float bf = (float) beta;
      int bound = FS.loopBound(n);
      int k = 0;
      for (; k < bound; k += FL) {
        FloatVector p =
            FloatVector.fromArray(FS, xv, xo + k)
                .mul(sf)
                .mul(FloatVector.fromArray(FS, yv, yo + k));
        if (bf != 0f) {
          p = p.add(FloatVector.fromArray(FS, cv, co + k).mul(bf));
        }
        p.intoArray(cv, co + k);
      }

      // scalar tail, with the vector body's roundings
      for (; k < n; k++) {
        float p = sf * xv[xo + k] * yv[yo + k];
        cv[co + k] = bf == 0f ? p : p + bf * cv[co + k];
      }
    } else {
      double[] xv = hx.doubles();
      double[] yv = hy.doubles();
      double[] cv = hc.doubles();
      int bound = DS.loopBound(n);
      int k = 0;
      for (; k < bound; k += DL) {
        DoubleVector p =
            DoubleVector.fromArray(DS, xv, xo + k)
                .mul(s)
                .mul(DoubleVector.fromArray(DS, yv, yo + k));
        if (beta != 0.0) {
          p = p.add(DoubleVector.fromArray(DS, cv, co + k).mul(beta));
        }
        p.intoArray(cv, co + k);
      }

      // scalar tail
      for (; k < n; k++) {
        double p = s * xv[xo + k] * yv[yo + k];
        cv[co + k] = beta == 0.0 ? p : p + beta * cv[co + k];
      }
    }
  }

  @Override
  public void map(UnaryOp op, Matrix x, Matrix out) {
    HostMatrix hx = host(x);
    HostMatrix ho = host(out);
    Shapes.checkSameSize(hx, ho);
    int n = (int) ho.size();
    switch (op) {
      case IDENTITY -> copy(hx, ho);
      case RELU, RELU_DERIVATIVE -> mapRelu(op == UnaryOp.RELU, hx, ho, n);
      default -> {
        // Transcendental functions use the scalar definition so every backend and every JIT tier
        // gives the same bits.
        for (int k = 0; k < n; k++) {
          ho.setFlat(k, op.apply(hx.getFlat(k)));
        }
      }
    }
  }

  /** max(x, 0) or its derivative; NaN compares false with 0 and so gives 0, as the scalar form. */
  private static void mapRelu(boolean value, HostMatrix hx, HostMatrix ho, int n) {
    int xo = hx.offset();
    int oo = ho.offset();
    if (ho.floats() != null) {
      float[] xv = hx.floats();
      float[] ov = ho.floats();
      FloatVector zero = FloatVector.zero(FS);
      FloatVector one = FloatVector.broadcast(FS, 1f);
      int bound = FS.loopBound(n);
      int k = 0;
      for (; k < bound; k += FL) {
        FloatVector v = FloatVector.fromArray(FS, xv, xo + k);
        VectorMask<Float> positive = v.compare(VectorOperators.GT, 0f);
        zero.blend(value ? v : one, positive).intoArray(ov, oo + k);
      }

      // scalar tail
      for (; k < n; k++) {
        float v = xv[xo + k];
        ov[oo + k] = v > 0 ? (value ? v : 1f) : 0f;
      }
    } else {
      double[] xv = hx.doubles();
      double[] ov = ho.doubles();
      DoubleVector zero = DoubleVector.zero(DS);
      DoubleVector one = DoubleVector.broadcast(DS, 1.0);
      int bound = DS.loopBound(n);
      int k = 0;
      for (; k < bound; k += DL) {
        DoubleVector v = DoubleVector.fromArray(DS, xv, xo + k);
        VectorMask<Double> positive = v.compare(VectorOperators.GT, 0.0);
        zero.blend(value ? v : one, positive).intoArray(ov, oo + k);
      }

      // scalar tail
      for (; k < n; k++) {
        double v = xv[xo + k];
        ov[oo + k] = v > 0 ? (value ? v : 1.0) : 0.0;
      }
    }
  }

  private void copy(HostMatrix s, HostMatrix t) {
    if (s != t) {
      copy((Matrix) s, t);
    }
  }

  @Override
  public void addRowVector(double s, Matrix v, Matrix c) {
    HostMatrix hv = host(v);
    HostMatrix hc = host(c);
    checkVectorLength(hv, hc.cols(), "row vector for " + hc.shape());
    Shapes.checkSamePrecision(hv, hc);
    int cols = hc.cols();
    for (int i = 0; i < hc.rows(); i++) {
      if (hc.floats() != null) {
        axpyF((float) s, hv.floats(), hv.offset(), hc.floats(), hc.offset() + i * cols, cols);
      } else {
        axpyD(s, hv.doubles(), hv.offset(), hc.doubles(), hc.offset() + i * cols, cols);
      }
    }
  }

  @Override
  public void columnSums(double s, Matrix a, double beta, Matrix out) {
    HostMatrix ha = host(a);
    HostMatrix ho = host(out);
    checkVectorLength(ho, ha.cols(), "column sums of " + ha.shape());
    Shapes.checkSamePrecision(ha, ho);
    int cols = ha.cols();
    // Rows are added in order into one accumulator per column: a fixed order, so fixed bits.
    if (ha.floats() != null) {
      float[] sums = new float[cols];
      for (int i = 0; i < ha.rows(); i++) {
        axpyF(1f, ha.floats(), ha.offset() + i * cols, sums, 0, cols);
      }
      float sf = (float) s;
      float bf = (float) beta;
      float[] ov = ho.floats();
      for (int j = 0; j < cols; j++) {
        int idx = ho.offset() + j;
        float v = sf * sums[j];
        ov[idx] = bf == 0f ? v : v + bf * ov[idx];
      }
    } else {
      double[] sums = new double[cols];
      for (int i = 0; i < ha.rows(); i++) {
        axpyD(1.0, ha.doubles(), ha.offset() + i * cols, sums, 0, cols);
      }
      double[] ov = ho.doubles();
      for (int j = 0; j < cols; j++) {
        int idx = ho.offset() + j;
        double v = s * sums[j];
        ov[idx] = beta == 0.0 ? v : v + beta * ov[idx];
      }
    }
  }

  private static void checkVectorLength(Matrix v, int length, String role) {
    if (v.size() != length) {
      throw new IllegalArgumentException(
          "expected a vector of " + length + " elements as " + role + ", got " + v.shape());
    }
  }

  @Override
  public void axpby(double alpha, Matrix x, double beta, Matrix y) {
    HostMatrix hx = host(x);
    HostMatrix hy = host(y);
    Shapes.checkSameSize(hx, hy);
    int n = (int) hy.size();
    int xo = hx.offset();
    int yo = hy.offset();
    if (hy.floats() != null) {
      float[] xv = hx.floats();
      float[] yv = hy.floats();
      float af = (float) alpha;
      float bf = (float) beta;
      int bound = FS.loopBound(n);
      int k = 0;
      for (; k < bound; k += FL) {
        FloatVector v = FloatVector.fromArray(FS, xv, xo + k).mul(af);
        if (bf != 0f) {
          v = v.add(FloatVector.fromArray(FS, yv, yo + k).mul(bf));
        }
        v.intoArray(yv, yo + k);
      }

      // scalar tail
      for (; k < n; k++) {
        float v = af * xv[xo + k];
        yv[yo + k] = bf == 0f ? v : v + bf * yv[yo + k];
      }
    } else {
      double[] xv = hx.doubles();
      double[] yv = hy.doubles();
      int bound = DS.loopBound(n);
      int k = 0;
      for (; k < bound; k += DL) {
        DoubleVector v = DoubleVector.fromArray(DS, xv, xo + k).mul(alpha);
        if (beta != 0.0) {
          v = v.add(DoubleVector.fromArray(DS, yv, yo + k).mul(beta));
        }
        v.intoArray(yv, yo + k);
      }

      // scalar tail
      for (; k < n; k++) {
        double v = alpha * xv[xo + k];
        yv[yo + k] = beta == 0.0 ? v : v + beta * yv[yo + k];
      }
    }
  }

  @Override
  public double dot(Matrix x, Matrix y) {
    HostMatrix hx = host(x);
    HostMatrix hy = host(y);
    Shapes.checkSameSize(hx, hy);
    int n = (int) hx.size();
    if (hx.doubles() != null) {
      return dotD(hx.doubles(), hx.offset(), hy.doubles(), hy.offset(), n);
    }
    return dotWidened(hx.floats(), hx.offset(), hy.floats(), hy.offset(), n);
  }

  /** Σ x·y of float data accumulated in float64: each float vector is widened in two halves. */
  private static double dotWidened(float[] x, int xo, float[] y, int yo, int n) {
    DoubleVector lo = DoubleVector.zero(DS);
    DoubleVector hi = DoubleVector.zero(DS);
    int bound = FS.loopBound(n);
    int k = 0;
    for (; k < bound; k += FL) {
      FloatVector xv = FloatVector.fromArray(FS, x, xo + k);
      FloatVector yv = FloatVector.fromArray(FS, y, yo + k);
      DoubleVector x0 = (DoubleVector) xv.convertShape(VectorOperators.F2D, DS, 0);
      DoubleVector x1 = (DoubleVector) xv.convertShape(VectorOperators.F2D, DS, 1);
      DoubleVector y0 = (DoubleVector) yv.convertShape(VectorOperators.F2D, DS, 0);
      DoubleVector y1 = (DoubleVector) yv.convertShape(VectorOperators.F2D, DS, 1);
      lo = x0.fma(y0, lo);
      hi = x1.fma(y1, hi);
    }
    double[] lanes = new double[2 * DL];
    lo.intoArray(lanes, 0);
    hi.intoArray(lanes, DL);
    double sum = 0.0;
    for (double v : lanes) {
      sum += v;
    }

    // scalar tail
    for (; k < n; k++) {
      sum = Math.fma((double) x[xo + k], y[yo + k], sum);
    }
    return sum;
  }

  /** Stops the pool threads; matrices stay readable as plain arrays but must not be used. */
  @Override
  public void close() {
    workers.close();
    single.close();
  }
}
