package org.ntkengine.cuda;

import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.backend.Shapes;
import org.ntkengine.backend.Transpose;
import org.ntkengine.backend.UnaryOp;

/**
 * The GPU backend: matrices live in device memory, products run through cuBLAS 12 where JCublas2
 * loads (it needs libcuda.so.1 and libcublas.so.12) and through the engine's own tiled kernels from
 * native/ otherwise; element-wise work, mirroring and reductions always run on the engine's kernels
 * (driver API only).
 *
 * <p>FP32 products stay true FP32; TF32 tensor-core maths is used only when an operand was
 * allocated as {@link Precision#TF32}. All work goes to the legacy default stream, so operations
 * from several threads are ordered on the device and every copy back to the host waits for the work
 * before it. Each call binds the backend's context to the calling thread first, so threads that
 * never touched CUDA work too.
 */
public final class CudaBackend implements Backend {
  private final AtomicLong live = new AtomicLong();

  /** The backend's name. */
  public static final String NAME = "cuda";

  private static final System.Logger LOG = System.getLogger(CudaBackend.class.getName());

  private static final int THREADS = 256;

  /** Enough blocks to fill the largest GPUs; grid-stride loops cover the rest. */
  private static final int MAX_BLOCKS = 4096;

  private static final int TILE = 64;

  private static final int MIRROR_TILE = 32;

  private static final int MIRROR_ROWS = 8;

  private static final int DOT_BLOCKS = 256;

  private final CUdevice device = new CUdevice();
  private final CUcontext context = new CUcontext();
  private final CUmodule module = new CUmodule();
  private final Map<String, CUfunction> functions;
  private final DevicePool pool;
  private final PinnedStaging staging = new PinnedStaging();
  private final CublasProducts cublas;
  private final String productPath;
  private final int multiprocessors;
  private volatile boolean closed;

  /**
   * Opens the backend on one device: retains its primary context, loads the kernels, and creates
   * the cuBLAS handles when cuBLAS is to be used. Use {@link CudaBackendProvider#open()}, which
   * probes first.
   *
   * @param ordinal the device
   * @param fatbin the kernel module image
   * @param useCublas whether JCublas2 loaded
   * @param productPath which library does the products and why, for the log
   */
  CudaBackend(int ordinal, byte[] fatbin, boolean useCublas, String productPath) {
    JCudaDriver.setExceptionsEnabled(true);
    JCudaDriver.cuInit(0);
    JCudaDriver.cuDeviceGet(device, ordinal);
    JCudaDriver.cuDevicePrimaryCtxRetain(context, device);
    CublasProducts products = null;
    try {
      JCudaDriver.cuCtxSetCurrent(context);
      JCudaDriver.cuModuleLoadData(module, fatbin);
      Map<String, CUfunction> found = new HashMap<>();
      for (String name : Kernels.allNames()) {
        CUfunction f = new CUfunction();
        JCudaDriver.cuModuleGetFunction(f, module, name);
        found.put(name, f);
      }
      functions = Collections.unmodifiableMap(found);
      int[] sms = new int[1];
      JCudaDriver.cuDeviceGetAttribute(sms, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, device);
      multiprocessors = sms[0];
      long[] free = new long[1];
      long[] total = new long[1];
      JCudaDriver.cuMemGetInfo(free, total);
      pool = new DevicePool(total[0] / 8);
    } catch (RuntimeException | Error e) {
      JCudaDriver.cuDevicePrimaryCtxRelease(device);
      throw e;
    }
    String path = productPath;
    if (useCublas) {
      try {
        products = new CublasProducts();
      } catch (RuntimeException | LinkageError e) {
        path = "engine kernels (cuBLAS loaded but its handle failed: " + e.getMessage() + ")";
        LOG.log(Level.WARNING, "cuda: " + path);
      }
    }
    this.cublas = products;
    this.productPath = path;
    LOG.log(Level.INFO, "cuda: device " + ordinal + ", products by " + path);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Precision> precisions() {
    return EnumSet.of(Precision.FP32, Precision.FP64, Precision.TF32);
  }

  /**
   * Says which library does the products and why.
   *
   * @return for example {@code cuBLAS 12 (libcublas.so.12)}
   */
  public String productPath() {
    return productPath;
  }

  /**
   * Returns the device memory the driver reports free now.
   *
   * @return free bytes on the device
   */
  public long freeDeviceMemory() {
    bind();
    long[] free = new long[1];
    long[] total = new long[1];
    JCudaDriver.cuMemGetInfo(free, total);
    return free[0];
  }

  /**
   * Returns the bytes a tiled computation may plan for: the free device memory plus what this
   * backend caches, less a tenth for the driver and cuBLAS workspaces.
   *
   * @return the byte budget
   */
  public long deviceBudgetBytes() {
    return (freeDeviceMemory() + pool.cachedBytes()) / 10 * 9;
  }

  /**
   * Θ = α·J·Jᵀ for a J and a Θ that need not fit in device memory: planned in tiles for the device
   * memory free now (the plan is logged) and delivered block by block.
   *
   * @param precision the precision of the device tiles
   * @param n rows of J
   * @param p columns of J
   * @param alpha scale of the product
   * @param source J, by blocks
   * @param sink receives each block of Θ on or below the diagonal
   * @return the plan that was followed
   * @throws org.ntkengine.NtkException (resources) when not even a 1×1 tile fits
   */
  public TilePlanner.Plan gramTiled(
      Precision precision,
      int n,
      int p,
      double alpha,
      TiledGram.RowSource source,
      TiledGram.TileSink sink) {
    return TiledGram.compute(this, precision, n, p, alpha, source, sink, deviceBudgetBytes());
  }

  // ---- context and operands

  /** Makes this backend's context current on the calling thread. */
  private void bind() {
    if (closed) {
      throw new IllegalStateException("the cuda backend was used after close()");
    }
    JCudaDriver.cuCtxSetCurrent(context);
  }

  private DeviceMatrix device(Matrix m) {
    if (!(m instanceof DeviceMatrix d) || d.owner() != this) {
      throw new IllegalArgumentException(
          "matrix " + m.shape() + " belongs to another backend: copy it through the host first");
    }
    d.checkOpen();
    return d;
  }

  void release(DeviceMatrix m) {
    live.decrementAndGet();
    if (closed || m.block() == null) {
      return;
    }
    bind();
    pool.release(m.block());
  }

  private static Object scalar(Precision p, double value) {
    return p.isSingle() ? (Object) (float) value : (Object) value;
  }

  private static int blocksFor(long n) {
    return (int) Math.max(1, Math.min(MAX_BLOCKS, (n + THREADS - 1) / THREADS));
  }

  private void launch1d(String kernel, long work, Object... args) {
    launch(kernel, blocksFor(work), 1, THREADS, 1, args);
  }

  private void launch(String kernel, int gridX, int gridY, int blockX, int blockY, Object... args) {
    CUfunction f = functions.get(kernel);
    Pointer[] params = new Pointer[args.length];
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a instanceof Integer v) {
        params[i] = Pointer.to(new int[] {v});
      } else if (a instanceof Long v) {
        params[i] = Pointer.to(new long[] {v});
      } else if (a instanceof Float v) {
        params[i] = Pointer.to(new float[] {v});
      } else if (a instanceof Double v) {
        params[i] = Pointer.to(new double[] {v});
      } else if (a instanceof CUdeviceptr v) {
        params[i] = Pointer.to(v);
      } else {
        throw new IllegalStateException("unsupported kernel argument " + a);
      }
    }
    JCudaDriver.cuLaunchKernel(
        f, gridX, gridY, 1, blockX, blockY, 1, 0, null, Pointer.to(params), null);
  }

  // ---- storage

  @Override
  public Matrix allocate(int rows, int cols, Precision precision) {
    if (!precisions().contains(precision)) {
      throw new IllegalArgumentException("backend cuda does not support " + precision);
    }
    Shapes.checkDimensions(rows, cols);
    bind();
    long bytes = (long) rows * cols * precision.bytes();
    if (bytes == 0) {
      live.incrementAndGet();
      return new DeviceMatrix(this, rows, cols, precision, null, 0, null);
    }
    CUdeviceptr block = pool.acquire(bytes);
    try {
      JCudaDriver.cuMemsetD32(block, 0, bytes / 4);
    } catch (RuntimeException e) {
      pool.release(block);
      throw e;
    }
    live.incrementAndGet();
    return new DeviceMatrix(this, rows, cols, precision, block, 0, null);
  }

  @Override
  public void upload(double[] source, Matrix target) {
    DeviceMatrix t = device(target);
    Shapes.checkHostLength(source.length, t);
    transferToDevice(t, source, null);
  }

  @Override
  public void upload(float[] source, Matrix target) {
    DeviceMatrix t = device(target);
    Shapes.checkHostLength(source.length, t);
    transferToDevice(t, null, source);
  }

  /** Copies from a double or a float array through pinned chunks, converting on the way. */
  private void transferToDevice(DeviceMatrix t, double[] doubles, float[] floats) {
    bind();
    int count = (int) t.size();
    if (count == 0) {
      return;
    }
    int eb = t.precision().bytes();
    int perChunk = PinnedStaging.CHUNK_BYTES / eb;
    CUdeviceptr base = t.pointer();
    PinnedStaging.Buffer buffer = staging.take();
    try {
      for (int done = 0; done < count; done += perChunk) {
        int len = Math.min(perChunk, count - done);
        ByteBuffer bytes = buffer.bytes;
        if (t.precision().isSingle()) {
          FloatBuffer fb = bytes.asFloatBuffer();
          if (floats != null) {
            fb.put(0, floats, done, len);
          } else {
            for (int i = 0; i < len; i++) {
              fb.put(i, (float) doubles[done + i]);
            }
          }
        } else {
          DoubleBuffer db = bytes.asDoubleBuffer();
          if (doubles != null) {
            db.put(0, doubles, done, len);
          } else {
            for (int i = 0; i < len; i++) {
              db.put(i, floats[done + i]);
            }
          }
        }
        // From pinned memory the copy is complete when the call returns, so the chunk is reusable.
        JCudaDriver.cuMemcpyHtoD(
            base.withByteOffset((long) done * eb), buffer.host, (long) len * eb);
      }
    } finally {
      staging.give(buffer);
    }
  }

  @Override
  public void download(Matrix source, double[] target) {
    DeviceMatrix s = device(source);
    Shapes.checkHostLength(target.length, s);
    transferToHost(s, target, null);
  }

  @Override
  public void download(Matrix source, float[] target) {
    DeviceMatrix s = device(source);
    Shapes.checkHostLength(target.length, s);
    transferToHost(s, null, target);
  }

  private void transferToHost(DeviceMatrix s, double[] doubles, float[] floats) {
    bind();
    int count = (int) s.size();
    if (count == 0) {
      return;
    }
    int eb = s.precision().bytes();
    int perChunk = PinnedStaging.CHUNK_BYTES / eb;
    CUdeviceptr base = s.pointer();
    PinnedStaging.Buffer buffer = staging.take();
    try {
      for (int done = 0; done < count; done += perChunk) {
        int len = Math.min(perChunk, count - done);
        // Synchronous on the default stream: it waits for every kernel queued before it.
        JCudaDriver.cuMemcpyDtoH(
            buffer.host, base.withByteOffset((long) done * eb), (long) len * eb);
        ByteBuffer bytes = buffer.bytes;
        if (s.precision().isSingle()) {
          FloatBuffer fb = bytes.asFloatBuffer();
          if (floats != null) {
            fb.get(0, floats, done, len);
          } else {
            for (int i = 0; i < len; i++) {
              doubles[done + i] = fb.get(i);
            }
          }
        } else {
          DoubleBuffer db = bytes.asDoubleBuffer();
          if (doubles != null) {
            db.get(0, doubles, done, len);
          } else {
            for (int i = 0; i < len; i++) {
              floats[done + i] = (float) db.get(i);
            }
          }
        }
      }
    } finally {
      staging.give(buffer);
    }
  }

  @Override
  public Matrix viewRows(Matrix m, int first, int count) {
    DeviceMatrix d = device(m);
    Shapes.checkRowRange(d, first, count);
    long offset = d.byteOffset() + (long) first * d.cols() * d.precision().bytes();
    return new DeviceMatrix(this, count, d.cols(), d.precision(), d.block(), offset, d.root());
  }

  @Override
  public void copy(Matrix source, Matrix target) {
    DeviceMatrix s = device(source);
    DeviceMatrix t = device(target);
    Shapes.checkSameSize(s, t);
    bind();
    if (s.size() > 0) {
      JCudaDriver.cuMemcpyDtoD(t.pointer(), s.pointer(), s.bytes());
    }
  }

  @Override
  public void fill(Matrix m, double value) {
    DeviceMatrix d = device(m);
    bind();
    if (d.size() > 0) {
      Precision p = d.precision();
      launch1d(Kernels.name(Kernels.FILL, p), d.size(), d.size(), scalar(p, value), d.pointer());
    }
  }

  /** x = β·x, zeros without reading x when β = 0. */
  private void scale(double beta, DeviceMatrix x) {
    if (x.size() > 0) {
      Precision p = x.precision();
      launch1d(Kernels.name(Kernels.SCALE, p), x.size(), x.size(), scalar(p, beta), x.pointer());
    }
  }

  // ---- products

  private static boolean tf32(DeviceMatrix... ms) {
    for (DeviceMatrix m : ms) {
      if (m.precision() == Precision.TF32) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void gemm(
      Transpose ta, Transpose tb, double alpha, Matrix a, Matrix b, double beta, Matrix c) {
    DeviceMatrix da = device(a);
    DeviceMatrix db = device(b);
    DeviceMatrix dc = device(c);
    int k = Shapes.checkGemm(ta, tb, da, db, dc);
    bind();
    int m = dc.rows();
    int n = dc.cols();
    if (m == 0 || n == 0) {
      return;
    }
    if (k == 0) {
      scale(beta, dc);
      return;
    }
    boolean transA = ta == Transpose.YES;
    boolean transB = tb == Transpose.YES;
    boolean tf32 = tf32(da, db, dc);
    if (cublas != null) {
      cublas.gemm(
          transA,
          transB,
          m,
          n,
          k,
          alpha,
          da.pointer(),
          da.cols(),
          db.pointer(),
          db.cols(),
          beta,
          dc.pointer(),
          dc.cols(),
          dc.precision().isSingle(),
          tf32);
    } else {
      kernelGemm(transA, transB, m, n, k, alpha, da, db, beta, dc, tf32, false);
    }
  }

  private void kernelGemm(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      double alpha,
      DeviceMatrix a,
      DeviceMatrix b,
      double beta,
      DeviceMatrix c,
      boolean tf32,
      boolean lowerOnly) {
    long gridY = (m + TILE - 1) / TILE;
    if (gridY > 65535) {
      throw new IllegalArgumentException(
          "the engine's GEMM kernel handles at most 65535·64 rows of C, got "
              + c.shape()
              + ": split the rows with viewRows");
    }
    Precision p = c.precision();
    String kernel = tf32 ? Kernels.GEMM_TF32 : Kernels.name(Kernels.GEMM, p);
    launch(
        kernel,
        (n + TILE - 1) / TILE,
        (int) gridY,
        THREADS,
        1,
        m,
        n,
        k,
        scalar(p, alpha),
        a.pointer(),
        (long) a.cols(),
        transA ? 1 : 0,
        b.pointer(),
        (long) b.cols(),
        transB ? 1 : 0,
        scalar(p, beta),
        c.pointer(),
        (long) c.cols(),
        lowerOnly ? 1 : 0);
  }

  @Override
  public void gramSymmetric(double alpha, Matrix a, double beta, Matrix c) {
    DeviceMatrix da = device(a);
    DeviceMatrix dc = device(c);
    int k = Shapes.checkGemm(Transpose.NO, Transpose.YES, da, da, dc);
    bind();
    int n = dc.rows();
    if (n == 0) {
      return;
    }
    if (k == 0) {
      scale(beta, dc);
      return;
    }
    boolean tf32 = tf32(da, dc);
    boolean single = dc.precision().isSingle();
    if (cublas != null && !tf32) {
      cublas.syrkLower(n, k, alpha, da.pointer(), da.cols(), beta, dc.pointer(), n, single);
    } else if (cublas != null) {
      // syrk has no tensor-core path; the full product does, and the mirror below makes it exact.
      cublas.gemm(
          false,
          true,
          n,
          n,
          k,
          alpha,
          da.pointer(),
          da.cols(),
          da.pointer(),
          da.cols(),
          beta,
          dc.pointer(),
          n,
          true,
          true);
    } else {
      kernelGemm(false, true, n, n, k, alpha, da, da, beta, dc, tf32, true);
    }
    mirror(dc);
  }

  private void mirror(DeviceMatrix c) {
    int n = c.rows();
    int tiles = (n + MIRROR_TILE - 1) / MIRROR_TILE;
    if (tiles > 65535) {
      throw new IllegalArgumentException("mirror handles at most 65535·32 rows, got " + c.shape());
    }
    launch(
        Kernels.name(Kernels.MIRROR_LOWER, c.precision()),
        tiles,
        tiles,
        MIRROR_TILE,
        MIRROR_ROWS,
        n,
        c.pointer(),
        (long) c.cols());
  }

  /**
   * Copies the lower triangle of a square matrix onto its upper triangle, making it exactly
   * symmetric.
   *
   * @param theta an n×n matrix of this backend
   * @throws IllegalArgumentException when it is not square
   */
  public void mirrorLower(Matrix theta) {
    DeviceMatrix t = device(theta);
    if (t.rows() != t.cols()) {
      throw new IllegalArgumentException("mirrorLower needs a square matrix, got " + t.shape());
    }
    bind();
    if (t.rows() > 0) {
      mirror(t);
    }
  }

  /**
   * One term of the structured NTK on the lower triangle: Θ = s²·(G_Δ ⊙ G_A) + β·Θ for j ≤ i, where
   * G_Δ = Δ·Δᵀ and G_A = A·Aᵀ are a layer's cotangent and activation Gram matrices. The upper
   * triangle is left alone; call {@link #mirrorLower} once after the last term.
   *
   * @param s2 the layer's squared scale s_W²
   * @param gramDelta G_Δ, n×n
   * @param gramActivation G_A, n×n
   * @param beta scale of the old Θ; 0 overwrites, 1 accumulates
   * @param theta Θ, n×n
   * @throws IllegalArgumentException when the shapes differ or are not square
   */
  public void structuredAccumulate(
      double s2, Matrix gramDelta, Matrix gramActivation, double beta, Matrix theta) {
    DeviceMatrix gd = device(gramDelta);
    DeviceMatrix ga = device(gramActivation);
    DeviceMatrix t = device(theta);
    Shapes.checkSameSize(gd, ga, t);
    if (t.rows() != t.cols() || gd.rows() != t.rows() || ga.rows() != t.rows()) {
      throw new IllegalArgumentException(
          "structured NTK terms need equal square matrices, got "
              + gd.shape()
              + ", "
              + ga.shape()
              + ", "
              + t.shape());
    }
    bind();
    if (t.size() > 0) {
      Precision p = t.precision();
      launch1d(
          Kernels.name(Kernels.STRUCTURED_ACCUMULATE, p),
          t.size(),
          t.rows(),
          scalar(p, s2),
          gd.pointer(),
          ga.pointer(),
          scalar(p, beta),
          t.pointer());
    }
  }

  // ---- element-wise

  @Override
  public void hadamard(double s, Matrix x, Matrix y, double beta, Matrix c) {
    DeviceMatrix dx = device(x);
    DeviceMatrix dy = device(y);
    DeviceMatrix dc = device(c);
    Shapes.checkSameSize(dx, dy, dc);
    bind();
    if (dc.size() > 0) {
      Precision p = dc.precision();
      launch1d(
          Kernels.name(Kernels.HADAMARD, p),
          dc.size(),
          dc.size(),
          scalar(p, s),
          dx.pointer(),
          dy.pointer(),
          scalar(p, beta),
          dc.pointer());
    }
  }

  @Override
  public void map(UnaryOp op, Matrix x, Matrix out) {
    DeviceMatrix dx = device(x);
    DeviceMatrix dout = device(out);
    Shapes.checkSameSize(dx, dout);
    bind();
    if (dout.size() > 0) {
      launch1d(
          Kernels.name(Kernels.MAP, dout.precision()),
          dout.size(),
          dout.size(),
          Kernels.mapCode(op),
          dx.pointer(),
          dout.pointer());
    }
  }

  @Override
  public void addRowVector(double s, Matrix v, Matrix c) {
    DeviceMatrix dv = device(v);
    DeviceMatrix dc = device(c);
    checkVectorLength(dv, dc.cols(), "row vector for " + dc.shape());
    Shapes.checkSamePrecision(dv, dc);
    bind();
    if (dc.size() > 0) {
      Precision p = dc.precision();
      launch1d(
          Kernels.name(Kernels.ADD_ROW_VECTOR, p),
          dc.size(),
          (long) dc.rows(),
          (long) dc.cols(),
          scalar(p, s),
          dv.pointer(),
          dc.pointer());
    }
  }

  @Override
  public void columnSums(double s, Matrix a, double beta, Matrix out) {
    DeviceMatrix da = device(a);
    DeviceMatrix dout = device(out);
    checkVectorLength(dout, da.cols(), "column sums of " + da.shape());
    Shapes.checkSamePrecision(da, dout);
    bind();
    if (dout.size() > 0) {
      launch1d(
          Kernels.name(Kernels.COLUMN_SUMS, dout.precision()),
          dout.size(),
          (long) da.rows(),
          (long) da.cols(),
          s,
          da.pointer(),
          beta,
          dout.pointer());
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
    DeviceMatrix dx = device(x);
    DeviceMatrix dy = device(y);
    Shapes.checkSameSize(dx, dy);
    bind();
    if (dy.size() > 0) {
      Precision p = dy.precision();
      launch1d(
          Kernels.name(Kernels.AXPBY, p),
          dy.size(),
          dy.size(),
          scalar(p, alpha),
          dx.pointer(),
          scalar(p, beta),
          dy.pointer());
    }
  }

  @Override
  public double dot(Matrix x, Matrix y) {
    DeviceMatrix dx = device(x);
    DeviceMatrix dy = device(y);
    Shapes.checkSameSize(dx, dy);
    bind();
    long n = dx.size();
    if (n == 0) {
      return 0.0;
    }
    int blocks = (int) Math.min(DOT_BLOCKS, (n + THREADS - 1) / THREADS);
    double[] partials = new double[blocks];
    CUdeviceptr sums = pool.acquire((long) blocks * Double.BYTES);
    try {
      launch(
          Kernels.name(Kernels.DOT_PARTIAL, dx.precision()),
          blocks,
          1,
          THREADS,
          1,
          n,
          dx.pointer(),
          dy.pointer(),
          sums);
      JCudaDriver.cuMemcpyDtoH(Pointer.to(partials), sums, (long) blocks * Double.BYTES);
    } finally {
      pool.release(sums);
    }
    // Block order, not completion order: the same bits on every run.
    double total = 0.0;
    for (double v : partials) {
      total += v;
    }
    return total;
  }

  // ---- measurement

  /**
   * Measures the device's fused multiply-add throughput with a register-only kernel, for benchmarks
   * that report a fraction of peak.
   *
   * @param precision FP32 (TF32 counts as FP32 here) or FP64
   * @return GFLOP/s, counting an FMA as two flops
   */
  public double measurePeakGflops(Precision precision) {
    bind();
    int blocks = multiprocessors * 8;
    int iterations = precision.isSingle() ? 16384 : 4096;
    CUdeviceptr sink = pool.acquire(Double.BYTES);
    try {
      String kernel = Kernels.name(Kernels.PEAK_FMA, precision);
      launch(kernel, blocks, 1, THREADS, 1, 16, sink);
      JCudaDriver.cuCtxSynchronize();
      long start = System.nanoTime();
      launch(kernel, blocks, 1, THREADS, 1, iterations, sink);
      JCudaDriver.cuCtxSynchronize();
      double seconds = (System.nanoTime() - start) * 1e-9;
      double flops = 2.0 * 8 * iterations * (double) blocks * THREADS;
      return flops / seconds * 1e-9;
    } finally {
      pool.release(sink);
    }
  }

  /** Waits until every queued operation on the device has finished. */
  public void synchronize() {
    bind();
    JCudaDriver.cuCtxSynchronize();
  }

  @Override
  public long liveAllocations() {
    return live.get();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    JCudaDriver.cuCtxSetCurrent(context);
    closed = true;
    try {
      JCudaDriver.cuCtxSynchronize();
      if (cublas != null) {
        cublas.close();
      }
      pool.close();
      staging.close();
      JCudaDriver.cuModuleUnload(module);
    } finally {
      JCudaDriver.cuDevicePrimaryCtxRelease(device);
    }
    LOG.log(Level.DEBUG, () -> String.format(Locale.ROOT, "cuda: closed (%s)", productPath));
  }
}
