package org.ntkengine.bench;

import java.util.List;
import java.util.Map;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Backends;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;

/** {@link GramBenchmark} as a {@link BenchOperation}. */
public final class GramOperation implements BenchOperation {
  @Override
  public String name() {
    return "gram";
  }

  @Override
  public Class<?> benchmarkClass() {
    return GramBenchmark.class;
  }

  @Override
  public Map<String, List<String>> grid(boolean quick) {
    return quick
        ? Map.of("n", List.of("511"), "p", List.of("512"), "form", List.of("symmetric", "general"))
        : Map.of(
            "n",
            List.of("1023", "2048"),
            "p",
            List.of("2048"),
            "form",
            List.of("symmetric", "general"));
  }

  @Override
  public double flops(Map<String, String> params) {
    return GramBenchmark.flops(
        Integer.parseInt(params.get("n")), Integer.parseInt(params.get("p")));
  }

  @Override
  public double relativeError(Map<String, String> params) {
    int n = Integer.parseInt(params.get("n"));
    int p = Integer.parseInt(params.get("p"));
    Precision prec = Precision.parse(params.get("precision"));
    double[] ha = BenchData.rounded(prec, BenchData.uniform(11, n * p));
    double[] hb = BenchData.rounded(prec, BenchData.uniform(12, n * p));
    try (Backend be = Backends.open(params.get("backend"));
        Matrix a = BenchData.upload(be, ha, n, p, prec);
        Matrix b = BenchData.upload(be, hb, n, p, prec);
        Matrix c = be.allocate(n, n, prec)) {
      return GramBenchmark.relativeError(be, params.get("form"), a, b, c, ha, hb, n, p);
    }
  }

  @Override
  public String sizeLabel(Map<String, String> params) {
    return params.get("form") + " n=" + params.get("n") + " p=" + params.get("p");
  }
}
