package org.ntkengine.bench;

import java.util.List;
import java.util.Map;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Backends;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;

/** {@link GemmBenchmark} as a {@link BenchOperation}. */
public final class GemmOperation implements BenchOperation {
  @Override
  public String name() {
    return "gemm";
  }

  @Override
  public Class<?> benchmarkClass() {
    return GemmBenchmark.class;
  }

  @Override
  public Map<String, List<String>> grid(boolean quick) {
    List<String> all = List.of("NN", "NT", "TN", "TT");
    return quick
        ? Map.of("m", List.of("511"), "n", List.of("257"), "k", List.of("383"), "transpose", all)
        : Map.of(
            "m", List.of("1023"), "n", List.of("1024"), "k", List.of("1025"), "transpose", all);
  }

  @Override
  public double flops(Map<String, String> params) {
    return GemmBenchmark.flops(
        BenchOperation.intParam(params, "m"),
        BenchOperation.intParam(params, "n"),
        BenchOperation.intParam(params, "k"));
  }

  @Override
  public double relativeError(Map<String, String> params) {
    int m = BenchOperation.intParam(params, "m");
    int n = BenchOperation.intParam(params, "n");
    int k = BenchOperation.intParam(params, "k");
    Precision prec = Precision.parse(params.get("precision"));
    GemmBenchmark.Problem pr = new GemmBenchmark.Problem(params.get("transpose"), m, n, k, prec);
    try (Backend be = Backends.open(params.get("backend"));
        Matrix a = BenchData.upload(be, pr.a, pr.aRows, pr.aCols, prec);
        Matrix b = BenchData.upload(be, pr.b, pr.bRows, pr.bCols, prec);
        Matrix c = be.allocate(m, n, prec)) {
      return GemmBenchmark.relativeError(be, pr, a, b, c);
    }
  }

  @Override
  public String sizeLabel(Map<String, String> params) {
    return params.get("transpose")
        + " m="
        + params.get("m")
        + " n="
        + params.get("n")
        + " k="
        + params.get("k");
  }
}
