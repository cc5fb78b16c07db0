package org.ntkengine.bench;

import java.util.List;
import java.util.Map;

/** {@link LanczosBenchmark} as a {@link BenchOperation}: {@code lanczos}. */
public final class LanczosOperation implements BenchOperation {
  @Override
  public String name() {
    return "lanczos";
  }

  @Override
  public Class<?> benchmarkClass() {
    return LanczosBenchmark.class;
  }

  @Override
  public Map<String, List<String>> grid(boolean quick) {
    return quick
        ? Map.of("n", List.of("511"), "k", List.of("10"))
        : Map.of("n", List.of("1023"), "k", List.of("10"));
  }

  /** Runs the solve once to count its operator applications: 2·n² flops each. */
  @Override
  public double flops(Map<String, String> params) {
    int n = BenchOperation.intParam(params, "n");
    try (LanczosBenchmark.Workload w = workload(params)) {
      return 2.0 * n * n * w.solve().matvecs();
    }
  }

  @Override
  public double relativeError(Map<String, String> params) {
    try (LanczosBenchmark.Workload w = workload(params)) {
      return w.relativeError();
    }
  }

  private static LanczosBenchmark.Workload workload(Map<String, String> params) {
    return new LanczosBenchmark.Workload(
        params.get("backend"),
        params.get("precision"),
        BenchOperation.intParam(params, "n"),
        BenchOperation.intParam(params, "k"));
  }

  @Override
  public String sizeLabel(Map<String, String> params) {
    return "top-" + params.get("k") + " n=" + params.get("n");
  }
}
