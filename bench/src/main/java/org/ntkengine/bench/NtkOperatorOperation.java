package org.ntkengine.bench;

import java.util.List;
import java.util.Map;

/** {@link NtkOperatorBenchmark} as a {@link BenchOperation}: {@code ntk-matvec}. */
public final class NtkOperatorOperation implements BenchOperation {
  @Override
  public String name() {
    return "ntk-matvec";
  }

  @Override
  public Class<?> benchmarkClass() {
    return NtkOperatorBenchmark.class;
  }

  @Override
  public Map<String, List<String>> grid(boolean quick) {
    return quick
        ? Map.of("width", List.of("255"), "samples", List.of("255"), "vectors", List.of("1"))
        : Map.of("width", List.of("512"), "samples", List.of("1023"), "vectors", List.of("1"));
  }

  @Override
  public double flops(Map<String, String> params) {
    return BenchModels.operatorFlops(
        BenchModels.spec(BenchOperation.intParam(params, "width")),
        BenchOperation.intParam(params, "samples"),
        BenchOperation.intParam(params, "vectors"));
  }

  @Override
  public double relativeError(Map<String, String> params) {
    try (NtkOperatorBenchmark.Workload s =
        new NtkOperatorBenchmark.Workload(
            params.get("backend"),
            params.get("precision"),
            BenchOperation.intParam(params, "width"),
            BenchOperation.intParam(params, "samples"),
            BenchOperation.intParam(params, "vectors"))) {
      return s.relativeError();
    }
  }

  @Override
  public String sizeLabel(Map<String, String> params) {
    return "width="
        + params.get("width")
        + " n="
        + params.get("samples")
        + " vectors="
        + params.get("vectors");
  }
}
