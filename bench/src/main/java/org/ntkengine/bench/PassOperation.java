package org.ntkengine.bench;

import java.util.List;
import java.util.Map;

/**
 * {@link ForwardBenchmark} or {@link BackwardBenchmark} as a {@link BenchOperation}: {@code
 * forward} and {@code backward}.
 */
public final class PassOperation implements BenchOperation {
  private final boolean backward;

  /**
   * Creates the operation for one pass.
   *
   * @param backward true for the loss gradient, false for the forward pass
   */
  public PassOperation(boolean backward) {
    this.backward = backward;
  }

  @Override
  public String name() {
    return backward ? "backward" : "forward";
  }

  @Override
  public Class<?> benchmarkClass() {
    return backward ? BackwardBenchmark.class : ForwardBenchmark.class;
  }

  @Override
  public Map<String, List<String>> grid(boolean quick) {
    return quick
        ? Map.of("width", List.of("512"), "batch", List.of("127"))
        : Map.of("width", List.of("512", "1024"), "batch", List.of("1023"));
  }

  @Override
  public double flops(Map<String, String> params) {
    int width = BenchOperation.intParam(params, "width");
    int batch = BenchOperation.intParam(params, "batch");
    return backward
        ? BenchModels.lossGradientFlops(BenchModels.spec(width), batch)
        : BenchModels.forwardFlops(BenchModels.spec(width), batch);
  }

  @Override
  public double relativeError(Map<String, String> params) {
    try (PassWorkload w =
        new PassWorkload(
            params.get("backend"),
            params.get("precision"),
            BenchOperation.intParam(params, "width"),
            BenchOperation.intParam(params, "batch"))) {
      return backward ? w.gradientError() : w.forwardError();
    }
  }

  @Override
  public String sizeLabel(Map<String, String> params) {
    return "width=" + params.get("width") + " batch=" + params.get("batch");
  }
}
