package org.ntkengine.bench;

import java.util.concurrent.TimeUnit;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Backends;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.linalg.LanczosResult;
import org.ntkengine.linalg.LanczosSolver;
import org.ntkengine.linalg.SymmetricEigen;
import org.ntkengine.linalg.SymmetricOperator;
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
 * Top-k eigenvalues of a dense PSD kernel by thick-restart Lanczos ({@link LanczosSolver}, default
 * options, tolerance {@value #TOL}): Θ = J·Jᵀ with J n×n seeded uniform and column j scaled by
 * exp(−j/{@value #DECAY}), a decaying spectrum like an NTK's. Flops: the operator applications,
 * 2·n² per matrix-vector product, times the solver's count (deterministic for a given backend and
 * precision); the reorthogonalisation is not counted. Accuracy: the largest relative eigenvalue
 * error against a dense float64 eigendecomposition of the same Θ.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// One fork isolates the JIT profile of each configuration; the flags resolve the Vector API for
// the simd backend, leave room for Θ and keep the fork's log to warnings.
@Fork(
    value = 1,
    jvmArgsAppend = {
      "--add-modules=jdk.incubator.vector",
      "-Xmx8g",
      "-Djava.util.logging.config.class=org.ntkengine.bench.ForkLogging"
    })
public class LanczosBenchmark {
  /** The relative residual tolerance (raised to the precision's floor in FP32). */
  public static final double TOL = 1e-10;

  /** The column decay length of J. */
  public static final double DECAY = 50;

  /** Backend name. */
  @Param({"reference", "simd"})
  public String backend;

  /** fp32 or fp64. */
  @Param({"fp32", "fp64"})
  public String precision;

  /** The order of Θ. */
  @Param({"511", "1023"})
  public int n;

  /** Eigenvalues wanted. */
  @Param({"10"})
  public int k;

  private Workload work;

  /** Θ on one backend, and its host copy. */
  static final class Workload implements AutoCloseable {
    final Backend backend;
    final double[] hostTheta;
    final Matrix theta;
    final SymmetricOperator operator;
    final int n;
    final int k;
    long matvecs;

    Workload(String backendName, String precisionName, int n, int k) {
      Precision p = Precision.parse(precisionName);
      this.n = n;
      this.k = k;
      hostTheta = BenchData.rounded(p, kernel(n));
      backend = Backends.open(backendName);
      try {
        theta = BenchData.upload(backend, hostTheta, n, n, p);
      } catch (RuntimeException e) {
        backend.close();
        throw e;
      }
      operator = SymmetricOperator.dense(backend, theta);
    }

    LanczosResult solve() {
      return new LanczosSolver(LanczosSolver.Options.defaults().withTol(TOL))
          .solve(operator, k, LanczosSolver.Which.LARGEST);
    }

    /**
     * Solves once (recording its operator applications); returns max_i |λ_i − λ_i^ref| / |λ_i^ref|
     * against the dense float64 Θ.
     */
    double relativeError() {
      LanczosResult r = solve();
      matvecs = r.matvecs();
      double[] got = r.eigenvalues();
      double[] all = SymmetricEigen.decompose(hostTheta, n, n).values();
      double worst = 0;
      for (int i = 0; i < k; i++) {
        double want = all[n - 1 - i];
        worst = Math.max(worst, Math.abs(got[i] - want) / Math.abs(want));
      }
      return worst;
    }

    @Override
    public void close() {
      theta.close();
      backend.close();
    }
  }

  /**
   * The float64 kernel Θ = J·Jᵀ.
   *
   * @param n the order
   * @return Θ, n×n row-major
   */
  static double[] kernel(int n) {
    double[] j = BenchData.uniform(51, n * n);
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < n; c++) {
        j[r * n + c] *= Math.exp(-c / DECAY);
      }
    }
    double[] theta = new double[n * n];
    for (int r = 0; r < n; r++) {
      for (int s = 0; s <= r; s++) {
        double acc = 0;
        for (int c = 0; c < n; c++) {
          acc += j[r * n + c] * j[s * n + c];
        }
        theta[r * n + s] = acc;
        theta[s * n + r] = acc;
      }
    }
    return theta;
  }

  /** Builds Θ and checks the eigenvalues once against the dense float64 decomposition. */
  @Setup(Level.Trial)
  public void setUp() {
    work = new Workload(backend, precision, n, k);
    double error = work.relativeError();
    BenchData.report(error, 2.0 * n * n * work.matvecs);
    if (!(error <= (Precision.parse(precision).isSingle() ? 1e-3 : 1e-8))) {
      throw new IllegalStateException(
          backend + " " + precision + " Lanczos is wrong: eigenvalue error " + error);
    }
  }

  /**
   * The measured solve on the resident Θ (the eigenvalues come back to the host, which synchronises
   * device backends).
   *
   * @return the largest eigenvalue
   */
  @Benchmark
  public double topK() {
    return work.solve().eigenvalues()[0];
  }

  /**
   * The solve with its transfer: upload Θ, then solve.
   *
   * @return the largest eigenvalue
   */
  @Benchmark
  public double withTransfers() {
    work.backend.upload(work.hostTheta, work.theta);
    return topK();
  }

  /** Releases Θ and the backend. */
  @TearDown(Level.Trial)
  public void tearDown() {
    work.close();
  }
}
