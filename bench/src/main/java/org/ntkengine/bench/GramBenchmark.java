package org.ntkengine.bench;

import java.util.concurrent.TimeUnit;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Backends;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.backend.ReferenceBackend;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Gram assembly C = A·Aᵀ (symmetric) and C = A·Bᵀ (general), A and B n×p. Flops: 2·n²·p for both
 * forms (the symmetric one does about half the work; counting it the same way makes its GFLOP/s
 * comparable with numpy's syrk-backed J·Jᵀ).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// One fork isolates the JIT profile of each configuration; the flags resolve the Vector API for
// the simd backend, leave room for the largest operands and keep the fork's log to warnings.
@Fork(
    value = 1,
    jvmArgsAppend = {
      "--add-modules=jdk.incubator.vector",
      "-Xmx8g",
      "-Djava.util.logging.config.class=org.ntkengine.bench.ForkLogging"
    })
public class GramBenchmark {

  /** Backend name. */
  @Param({"reference", "simd"})
  public String backend;

  /** fp32 or fp64. */
  @Param({"fp32", "fp64"})
  public String precision;

  /** Rows of A and B: samples. */
  @Param({"255", "1024"})
  public int n;

  /** Columns: parameters. */
  @Param({"512"})
  public int p;

  /** symmetric (A·Aᵀ) or general (A·Bᵀ). */
  @Param({"symmetric", "general"})
  public String form;

  private Backend be;
  private Matrix a;
  private Matrix b;
  private Matrix c;
  private double[] hostA;
  private double[] hostB;
  private double[] hostC;

  /**
   * Floating-point operations of one invocation.
   *
   * @param n rows
   * @param p columns
   * @return 2·n²·p
   */
  public static double flops(int n, int p) {
    return 2.0 * n * n * p;
  }

  /** Builds seeded operands and checks the backend once against the float64 reference. */
  @Setup(Level.Trial)
  public void setUp() {
    Precision prec = Precision.parse(precision);
    be = Backends.open(backend);
    hostA = BenchData.rounded(prec, BenchData.uniform(11, n * p));
    hostB = BenchData.rounded(prec, BenchData.uniform(12, n * p));
    hostC = new double[n * n];
    a = BenchData.upload(be, hostA, n, p, prec);
    b = BenchData.upload(be, hostB, n, p, prec);
    c = be.allocate(n, n, prec);
    double error = relativeError(be, form, a, b, c, hostA, hostB, n, p);
    BenchData.report(error, Double.NaN);
    if (error > (prec.isSingle() ? 1e-4 : 1e-12)) {
      throw new IllegalStateException(
          backend + " " + precision + " gram is wrong: relative error " + error);
    }
  }

  /**
   * Runs the product once on the backend under test and returns its relative Frobenius error
   * against the float64 reference backend.
   */
  static double relativeError(
      Backend be,
      String form,
      Matrix a,
      Matrix b,
      Matrix c,
      double[] ha,
      double[] hb,
      int n,
      int p) {
    boolean symmetric = form.equals("symmetric");
    run(be, symmetric, a, b, c);
    try (ReferenceBackend ref = new ReferenceBackend();
        Matrix ra = BenchData.upload(ref, ha, n, p, Precision.FP64);
        Matrix rb = BenchData.upload(ref, hb, n, p, Precision.FP64);
        Matrix rc = ref.allocate(n, n, Precision.FP64)) {
      run(ref, symmetric, ra, rb, rc);
      return BenchData.relativeError(BenchData.download(be, c), BenchData.download(ref, rc));
    }
  }

  private static void run(Backend be, boolean symmetric, Matrix a, Matrix b, Matrix c) {
    if (symmetric) {
      be.gramSymmetric(1.0, a, 0.0, c);
    } else {
      be.gram(1.0, a, b, 0.0, c);
    }
  }

  /**
   * The measured product, synchronised so device backends finish inside the measurement.
   *
   * @return an element of the result
   */
  @Benchmark
  public double gram() {
    run(be, form.equals("symmetric"), a, b, c);
    return BenchData.sync(be, c);
  }

  /**
   * The product with its transfers: upload the operands (B only for the general form), multiply,
   * download C. On host backends the transfers are copies.
   *
   * @return an element of the result
   */
  @Benchmark
  public double withTransfers() {
    be.upload(hostA, a);
    if (!form.equals("symmetric")) {
      be.upload(hostB, b);
    }
    run(be, form.equals("symmetric"), a, b, c);
    be.download(c, hostC);
    return hostC[hostC.length - 1];
  }

  /** Releases the operands and the backend. */
  @TearDown(Level.Trial)
  public void tearDown() {
    c.close();
    b.close();
    a.close();
    be.close();
  }
}
