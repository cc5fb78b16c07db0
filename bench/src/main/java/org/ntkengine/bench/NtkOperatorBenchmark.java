package org.ntkengine.bench;

import java.util.concurrent.TimeUnit;
import org.ntkengine.backend.Matrix;
import org.ntkengine.ntk.MatrixFreeNtk;
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
 * The matrix-free Θ·v of the benchmark network ({@link BenchModels}): one application of {@link
 * MatrixFreeNtk} to a block of seeded vectors, the Jacobian factors built once in the set-up.
 * Flops: {@link BenchModels#operatorFlops}, about 4·n·Σ_W fan_in·fan_out per vector.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// One fork isolates the JIT profile of each configuration; the flags resolve the Vector API for
// the simd backend, leave room for the factors and keep the fork's log to warnings.
@Fork(
    value = 1,
    jvmArgsAppend = {
      "--add-modules=jdk.incubator.vector",
      "-Xmx8g",
      "-Djava.util.logging.config.class=org.ntkengine.bench.ForkLogging"
    })
public class NtkOperatorBenchmark {

  /** Backend name. */
  @Param({"reference", "simd"})
  public String backend;

  /** fp32 or fp64. */
  @Param({"fp32", "fp64"})
  public String precision;

  /** The hidden width. */
  @Param({"255", "512"})
  public int width;

  /** Samples in X: the operator's size. */
  @Param({"255", "1023"})
  public int samples;

  /** Vectors in the block. */
  @Param({"1"})
  public int vectors;

  private Workload work;

  /** The operator and its vectors on one backend. */
  static final class Workload implements AutoCloseable {
    final NtkProblem problem;
    final MatrixFreeNtk operator;
    final double[] hostV;
    final double[] hostOut;
    final Matrix v;
    final Matrix out;

    Workload(String backend, String precision, int width, int samples, int vectors) {
      problem = new NtkProblem(backend, precision, width, samples, NtkMethod.STRUCTURED);
      try {
        operator = problem.ntk.operator(problem.x);
        hostV = BenchData.rounded(problem.precision, BenchData.uniform(41, vectors * samples));
        hostOut = new double[vectors * samples];
        v = BenchData.upload(problem.backend, hostV, vectors, samples, problem.precision);
        out = problem.backend.allocate(vectors, samples, problem.precision);
      } catch (RuntimeException e) {
        problem.close();
        throw e;
      }
    }

    /** Applies Θ once; returns the relative error of V·Θ against the float64 dense Θ. */
    double relativeError() {
      operator.apply(v, out);
      double[] got = BenchData.download(problem.backend, out);
      int n = problem.samples;
      double[] theta =
          BenchModels.referenceKernel(
              problem.spec,
              BenchModels.parameters(problem.spec, problem.precision),
              problem.hostX,
              n);
      double[] want = new double[got.length];
      for (int r = 0; r < got.length / n; r++) {
        for (int i = 0; i < n; i++) {
          double s = 0;
          for (int j = 0; j < n; j++) {
            s += hostV[r * n + j] * theta[j * n + i];
          }
          want[r * n + i] = s;
        }
      }
      return BenchData.relativeError(got, want);
    }

    @Override
    public void close() {
      out.close();
      v.close();
      operator.close();
      problem.close();
    }
  }

  /** Builds the operator and the vectors and checks one product against the float64 dense Θ. */
  @Setup(Level.Trial)
  public void setUp() {
    work = new Workload(backend, precision, width, samples, vectors);
    double error = work.relativeError();
    BenchData.report(error, Double.NaN);
    if (!(error <= (work.problem.precision.isSingle() ? 1e-3 : 1e-10))) {
      throw new IllegalStateException(
          backend + " " + precision + " matrix-free NTK is wrong: relative error " + error);
    }
  }

  /**
   * The measured product on resident vectors, synchronised so device backends finish inside the
   * measurement.
   *
   * @return an element of the result
   */
  @Benchmark
  public double apply() {
    work.operator.apply(work.v, work.out);
    return BenchData.sync(work.problem.backend, work.out);
  }

  /**
   * The product with its transfers: upload the vectors, apply Θ, download the result.
   *
   * @return an element of the result
   */
  @Benchmark
  public double withTransfers() {
    work.problem.backend.upload(work.hostV, work.v);
    work.operator.apply(work.v, work.out);
    work.problem.backend.download(work.out, work.hostOut);
    return work.hostOut[work.hostOut.length - 1];
  }

  /** Releases the operator, the vectors and the backend. */
  @TearDown(Level.Trial)
  public void tearDown() {
    work.close();
  }
}
