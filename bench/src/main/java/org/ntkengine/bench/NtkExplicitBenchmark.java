package org.ntkengine.bench;

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
 * The explicit empirical NTK Θ(X, X) = J·Jᵀ of the benchmark network ({@link BenchModels}), built
 * from Jacobian tiles and contracted tile by tile. Flops: {@link BenchModels#explicitFlops}, the
 * forward and backward passes plus the Jacobian and 2·n²·P for P trainable parameters; the same
 * kernel as {@link NtkStructuredBenchmark}, which does n²·(fan_in + fan_out) per layer instead.
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
public class NtkExplicitBenchmark {

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
    problem = new NtkProblem(backend, precision, width, samples, NtkMethod.EXPLICIT);
    hostTheta = new double[samples * samples];
    problem.check("explicit NTK");
  }

  /**
   * The measured kernel on resident inputs, synchronised so device backends finish inside the
   * measurement.
   *
   * @return an element of Θ
   */
  @Benchmark
  public double explicitNtk() {
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
