package org.ntkengine.bench;

import java.util.concurrent.TimeUnit;
import org.ntkengine.model.Gradient;
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
 * The model's backward pass: the loss gradient ({@link org.ntkengine.model.Network#lossGradient}),
 * forward pass included, on a batch in evaluation mode. Flops: {@link
 * BenchModels#lossGradientFlops}, about three forward passes. Accuracy: every gradient tensor
 * against the float64 reference.
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
public class BackwardBenchmark {

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

  /** Builds the seeded network and batch and checks the result once against float64. */
  @Setup(Level.Trial)
  public void setUp() {
    work = new PassWorkload(backend, precision, width, batch);
    work.check("loss gradient", work.gradientError());
  }

  /**
   * The measured pass on resident inputs, synchronised so device backends finish inside the
   * measurement.
   *
   * @return an element of the result
   */
  @Benchmark
  public double backward() {
    try (Gradient g = work.network.lossGradient(work.x, work.y)) {
      return BenchData.sync(work.backend, g.matrix(g.names().get(0)));
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
    work.backend.upload(work.hostY, work.y);
    try (Gradient g = work.network.lossGradient(work.x, work.y)) {
      String last = g.names().get(g.names().size() - 1);
      return g.download(last)[0];
    }
  }

  /** Releases the network, the batch and the backend. */
  @TearDown(Level.Trial)
  public void tearDown() {
    work.close();
  }
}
