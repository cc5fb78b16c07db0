package org.ntkengine.bench;

import java.util.concurrent.TimeUnit;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Backends;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.backend.ReferenceBackend;
import org.ntkengine.backend.Transpose;
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
 * General products C = op(A)·op(B), C m×n, inner dimension k, for every combination of transposes
 * ({@code NN}, {@code NT}, {@code TN}, {@code TT}: the first letter is A's). Flops: 2·m·n·k.
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
public class GemmBenchmark {

  /** Backend name. */
  @Param({"reference", "simd"})
  public String backend;

  /** fp32 or fp64. */
  @Param({"fp32", "fp64"})
  public String precision;

  /** Rows of C. */
  @Param({"511", "1023"})
  public int m;

  /** Columns of C. */
  @Param({"257", "1024"})
  public int n;

  /** The inner dimension. */
  @Param({"383", "1025"})
  public int k;

  /** Transposes of A and B: NN, NT, TN or TT. */
  @Param({"NN", "NT", "TN", "TT"})
  public String transpose;

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
   * @param m rows of C
   * @param n columns of C
   * @param k the inner dimension
   * @return 2·m·n·k
   */
  public static double flops(int m, int n, int k) {
    return 2.0 * m * n * k;
  }

  /** Builds seeded operands and checks the backend once against the float64 reference. */
  @Setup(Level.Trial)
  public void setUp() {
    Precision prec = Precision.parse(precision);
    be = Backends.open(backend);
    Problem pr = new Problem(transpose, m, n, k, prec);
    hostA = pr.a;
    hostB = pr.b;
    hostC = new double[m * n];
    a = BenchData.upload(be, hostA, pr.aRows, pr.aCols, prec);
    b = BenchData.upload(be, hostB, pr.bRows, pr.bCols, prec);
    c = be.allocate(m, n, prec);
    double error = relativeError(be, pr, a, b, c);
    BenchData.report(error, Double.NaN);
    if (error > (prec.isSingle() ? 1e-4 : 1e-12)) {
      throw new IllegalStateException(
          backend + " " + precision + " gemm " + transpose + " is wrong: relative error " + error);
    }
  }

  /** Seeded operands stored as the transposes ask: A is k×m for TN and TT, B n×k for NT, TT. */
  static final class Problem {
    final Transpose ta;
    final Transpose tb;
    final int aRows;
    final int aCols;
    final int bRows;
    final int bCols;
    final double[] a;
    final double[] b;

    Problem(String transpose, int m, int n, int k, Precision p) {
      if (!transpose.matches("[NT][NT]")) {
        throw new IllegalArgumentException("transpose must be NN, NT, TN or TT, got " + transpose);
      }
      ta = transpose.charAt(0) == 'T' ? Transpose.YES : Transpose.NO;
      tb = transpose.charAt(1) == 'T' ? Transpose.YES : Transpose.NO;
      aRows = ta == Transpose.YES ? k : m;
      aCols = ta == Transpose.YES ? m : k;
      bRows = tb == Transpose.YES ? n : k;
      bCols = tb == Transpose.YES ? k : n;
      a = BenchData.rounded(p, BenchData.uniform(31, m * k));
      b = BenchData.rounded(p, BenchData.uniform(32, k * n));
    }
  }

  /**
   * Runs the product once on the backend under test and returns its relative Frobenius error
   * against the float64 reference backend.
   */
  static double relativeError(Backend be, Problem pr, Matrix a, Matrix b, Matrix c) {
    be.gemm(pr.ta, pr.tb, 1.0, a, b, 0.0, c);
    try (ReferenceBackend ref = new ReferenceBackend();
        Matrix ra = BenchData.upload(ref, pr.a, pr.aRows, pr.aCols, Precision.FP64);
        Matrix rb = BenchData.upload(ref, pr.b, pr.bRows, pr.bCols, Precision.FP64);
        Matrix rc = ref.allocate(c.rows(), c.cols(), Precision.FP64)) {
      ref.gemm(pr.ta, pr.tb, 1.0, ra, rb, 0.0, rc);
      return BenchData.relativeError(BenchData.download(be, c), BenchData.download(ref, rc));
    }
  }

  /**
   * The measured product on resident operands, synchronised so device backends finish inside the
   * measurement.
   *
   * @return an element of the result
   */
  @Benchmark
  public double gemm() {
    be.gemm(
        transpose.charAt(0) == 'T' ? Transpose.YES : Transpose.NO,
        transpose.charAt(1) == 'T' ? Transpose.YES : Transpose.NO,
        1.0,
        a,
        b,
        0.0,
        c);
    return BenchData.sync(be, c);
  }

  /**
   * The product with its transfers: upload A and B from the host, multiply, download C. On host
   * backends the transfers are copies.
   *
   * @return an element of the result
   */
  @Benchmark
  public double withTransfers() {
    be.upload(hostA, a);
    be.upload(hostB, b);
    gemm();
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
