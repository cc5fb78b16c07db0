package org.ntkengine.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ntkengine.ntk.NtkMethod;

/**
 * {@link NtkBenchmark} with one method fixed, as a {@link BenchOperation}: {@code ntk-structured}
 * and {@code ntk-explicit}, on the same grid so that their rows pair up.
 */
public final class NtkOperation implements BenchOperation {
  private final NtkMethod method;

  /**
   * Creates the operation for one NTK method.
   *
   * @param method structured or explicit
   */
  public NtkOperation(NtkMethod method) {
    this.method = method;
  }

  @Override
  public String name() {
    return method == NtkMethod.STRUCTURED ? BenchSuite.STRUCTURED_NTK : BenchSuite.EXPLICIT_NTK;
  }

  @Override
  public Class<?> benchmarkClass() {
    return NtkBenchmark.class;
  }

  /**
   * {@inheritDoc}
   *
   * <p>The quick grid keeps 31 samples: the explicit method builds its Jacobian on the host and
   * takes seconds per kernel on the reference backend even there, and a quick run computes it five
   * times (the check, two warm-up and two measured iterations) per backend and precision.
   */
  @Override
  public Map<String, List<String>> grid(boolean quick) {
    List<String> m = List.of(method.name().toLowerCase(Locale.ROOT));
    return quick
        ? Map.of("method", m, "width", List.of("512"), "samples", List.of("31"))
        : Map.of("method", m, "width", List.of("512", "1024"), "samples", List.of("63"));
  }

  @Override
  public double flops(Map<String, String> params) {
    int width = BenchOperation.intParam(params, "width");
    int samples = BenchOperation.intParam(params, "samples");
    return method == NtkMethod.STRUCTURED
        ? BenchModels.structuredFlops(BenchModels.spec(width), samples)
        : BenchModels.explicitFlops(BenchModels.spec(width), samples);
  }

  @Override
  public double relativeError(Map<String, String> params) {
    try (NtkProblem p =
        new NtkProblem(
            params.get("backend"),
            params.get("precision"),
            BenchOperation.intParam(params, "width"),
            BenchOperation.intParam(params, "samples"),
            method)) {
      return p.relativeError();
    }
  }

  @Override
  public String sizeLabel(Map<String, String> params) {
    return "width=" + params.get("width") + " n=" + params.get("samples");
  }
}
