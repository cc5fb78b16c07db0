package org.ntkengine.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ntkengine.MemoryBudget;
import org.ntkengine.NtkException;
import org.ntkengine.analytic.AnalyticKernel;
import org.ntkengine.analytic.AnalyticNetwork;
import org.ntkengine.data.Dataset;
import org.ntkengine.io.Npy;
import org.ntkengine.model.ModelSpec;
import org.ntkengine.model.Parameters;

/**
 * {@code ntk kernel --mode analytic}: the infinite-width NTK or NNGP of the same architecture, in
 * float64. With Fourier features the kernel is exact for the frequencies B that {@code --seed}
 * draws (the ones the empirical network of that seed has), or their Gaussian limit.
 */
final class AnalyticKernelMode {
  private AnalyticKernelMode() {}

  /**
   * Computes, writes and reports the analytic kernel.
   *
   * @param first the first set
   * @param second the second set, or null for the first with itself
   * @param spec the architecture (its width does not matter)
   * @param seed the parameter seed that fixes B
   * @param kind {@code ntk} or {@code nngp}
   * @param gaussianLimit use exp(−2π²σ_f²‖x − x′‖²) instead of the sampled B
   * @param out the .npy file, or null
   * @param json the JSON report, or null
   * @return the exit status
   */
  static int run(
      Dataset first,
      Dataset second,
      ModelSpec spec,
      long seed,
      String kind,
      boolean gaussianLimit,
      Path out,
      Path json) {
    String k = kind.trim().toLowerCase(Locale.ROOT);
    if (!k.equals("ntk") && !k.equals("nngp")) {
      throw NtkException.usage("--kind must be ntk or nngp, got '" + kind + "'");
    }
    int n1 = first.size();
    int n2 = second == null ? n1 : second.size();
    // K, Θ and the identity mask of each layer, two generations alive at once.
    MemoryBudget.require(
        (long) n1 * n2 * (2 * 8 * 2 + 1) + (long) n1 * n2 * 8,
        "the analytic " + n1 + "x" + n2 + " kernel");
    long t0 = System.nanoTime();
    AnalyticNetwork net =
        gaussianLimit || !spec.hasFourierFeatures()
            ? AnalyticNetwork.gaussianLimit(spec)
            : AnalyticNetwork.forSpec(spec, Parameters.initialize(spec, seed).fourierFrequencies());
    int d = first.inputDim();
    AnalyticKernel kernel =
        second == null
            ? net.kernel(first.inputs(), n1, d)
            : net.kernel(first.inputs(), n1, second.inputs(), n2, d);
    double[] result = k.equals("ntk") ? kernel.ntk() : kernel.nngp();
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (out != null) {
      Npy.write(out, result, new int[] {n1, n2}, false);
    }
    double trace = 0;
    if (second == null) {
      for (int i = 0; i < n1; i++) {
        trace += result[i * n1 + i];
      }
    }
    String fourier =
        !spec.hasFourierFeatures() ? "" : gaussianLimit ? ", Gaussian-limit Fourier features" : "";
    System.out.printf(
        Locale.ROOT,
        "kernel %s analytic %s fp64%s: %s %dx%d in %.3f s%s%s%n",
        first.name() + (second == null ? "" : " x " + second.name()),
        k,
        fourier,
        k.equals("ntk") ? "Θ" : "K",
        n1,
        n2,
        seconds,
        second == null
            ? String.format(Locale.ROOT, ", mean diagonal %.6g", trace / Math.max(n1, 1))
            : "",
        out == null ? "" : " -> " + out);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("shape", List.of(n1, n2));
    report.put("method", "analytic");
    report.put("kind", k);
    report.put("precision", "fp64");
    report.put("backend", null);
    report.put("seconds", seconds);
    report.put("data", first.name());
    report.put("data2", second == null ? null : second.name());
    report.put("model", spec.toString());
    report.put(
        "fourier",
        spec.hasFourierFeatures() ? (gaussianLimit ? "gaussian-limit" : "exact") : "none");
    Json.write(json, report);
    return 0;
  }
}
