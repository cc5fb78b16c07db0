package org.ntkengine.bench;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.ntkengine.ntk.NtkMethod;
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
 * The empirical NTK Θ(X, X) of the benchmark network ({@link BenchModels}) by either method:
 * structured, Σ_W s_W²·(Δ_WΔ_Wᵀ) ⊙ (A_WA_Wᵀ) + Σ_b σ_b²·Δ_bΔ_bᵀ with the factors included (flops:
 * {@link BenchModels#structuredFlops}, the passes plus n²·(fan_in + fan_out) per layer), or
 * explicit, Jacobian tiles contracted tile by tile (flops: {@link BenchModels#explicitFlops}, the
 * passes plus the Jacobian and 2·n²·P for P trainable parameters). Both compute the same kernel.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// One fork isolates the JIT profile of each configuration; the flags resolve the Vector API for
// the simd backend, leave room for the factors and Θ and keep the fork's log to warnings.
@Fork(
    value = 1,
    jvmArgsAppend = {
      "--add-modules=jdk.incubator.vector",
      "-Xmx8g",
      "-Djava.util.logging.config.class=org.ntkengine.bench.ForkLogging"
    })
public class NtkBenchmark {

  /** structured or explicit. */
  @Param({"structured", "explicit"})
  public String method;

  /** Backend name. */
  @Param({"reference", "simd"})
  public String backend;

  /** fp32 or fp64. */
  @Param({"fp32", "fp64"})
  public String precision;

  /** The hidden width. */
  @Param({"512", "1024"})
  public int width;

  /** Samples in X (Θ is samples×samples). */
  @Param({"63"})
  public int samples;

  private NtkProblem problem;
  private double[] hostTheta;

  /** Builds the seeded network and inputs and checks Θ once against the float64 reference. */
  @Setup(Level.Trial)
  public void setUp() {
    NtkMethod m = NtkMethod.valueOf(method.toUpperCase(Locale.ROOT));
    problem = new NtkProblem(backend, precision, width, samples, m);
    hostTheta = new double[samples * samples];
    problem.check(method + " NTK");
  }

  /**
   * The measured kernel on resident inputs, synchronised so device backends finish inside the
   * measurement.
   *
   * @return an element of Θ
   */
  @Benchmark
  public double kernel() {
    return problem.kernel();
  }

  /**
   * The kernel with its transfers: upload X, compute Θ, download Θ.
   *
   * @return an element of Θ
   */
  @Benchmark
  public double withTransfers() {
    return problem.kernelWithTransfers(hostTheta);
  }

  /** Releases the network, the inputs and the backend. */
  @TearDown(Level.Trial)
  public void tearDown() {
    problem.close();
  }
}
