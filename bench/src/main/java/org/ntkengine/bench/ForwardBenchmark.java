package org.ntkengine.bench;

import java.util.concurrent.TimeUnit;
import org.ntkengine.backend.Matrix;
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
 * The model's forward pass f(X) ({@link org.ntkengine.model.Network#forward}) on a batch, in
 * evaluation mode. Flops: {@link BenchModels#forwardFlops}, about 2·b·(2m·n + 2L·n²) for batch b,
 * width n, m Fourier frequencies and L blocks. Accuracy: f(X) against the float64 reference.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// One fork isolates the JIT profile of each configuration; the flags resolve the Vector API for
// the simd backend, leave room for the activations and keep the fork's log to warnings.
@Fork(
    value = 1,
    jvmArgsAppend = {
      "--add-modules=jdk.incubator.vector",
      "-Xmx8g",
      "-Djava.util.logging.config.class=org.ntkengine.bench.ForkLogging"
    })
public class ForwardBenchmark {

  /** Backend name. */
  @Param({"reference", "simd"})
  public String backend;

  /** fp32 or fp64. */
  @Param({"fp32", "fp64"})
  public String precision;

  /** The hidden width. */
  @Param({"512", "1024"})
  public int width;

  /** Samples in the batch. */
  @Param({"127", "1023"})
  public int batch;

  private PassWorkload work;
  private double[] hostOut;

  /** Builds the seeded network and batch and checks the result once against float64. */
  @Setup(Level.Trial)
  public void setUp() {
    work = new PassWorkload(backend, precision, width, batch);
    hostOut = new double[batch];
    work.check("forward pass", work.forwardError());
  }

  /**
   * The measured pass on resident inputs, synchronised so device backends finish inside the
   * measurement.
   *
   * @return an element of the result
   */
  @Benchmark
  public double forward() {
    try (Matrix f = work.network.forward(work.x)) {
      return BenchData.sync(work.backend, f);
    }
  }

  /**
   * The pass with its transfers: upload the batch, run, download the result.
   *
   * @return an element of the result
   */
  @Benchmark
  public double withTransfers() {
    work.backend.upload(work.hostX, work.x);
    try (Matrix f = work.network.forward(work.x)) {
      work.backend.download(f, hostOut);
    }
    return hostOut[hostOut.length - 1];
  }

  /** Releases the network, the batch and the backend. */
  @TearDown(Level.Trial)
  public void tearDown() {
    work.close();
  }
}
