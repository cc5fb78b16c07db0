package org.ntkengine.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ntkengine.MemoryBudget;
import org.ntkengine.NtkException;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Backends;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.data.Dataset;
import org.ntkengine.io.Npy;
import org.ntkengine.model.ModelSpec;
import org.ntkengine.model.Network;
import org.ntkengine.ntk.EmpiricalNtk;
import org.ntkengine.ntk.MonteCarloNtk;
import org.ntkengine.ntk.NtkMethod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ntk kernel}: the empirical NTK of a freshly initialised NTK-ECRN on a data set. */
@Command(
    name = "kernel",
    mixinStandardHelpOptions = true,
    description = {
      "Empirical NTK Θ(X, X) (or Θ(X₁, X₂) with --data2) of an NTK-ECRN at initialisation,"
          + " written as .npy.",
      "The output-averaged kernel (1/k)·Σ_c Θ_cc by default; --per-output writes every block"
          + " as an array of shape (k, k, n₁, n₂)."
    })
final class KernelCommand implements Callable<Integer> {

  @Mixin DataOptions data;

  @Mixin ModelOptions model;

  @Option(
      names = "--method",
      defaultValue = "structured",
      description =
          "structured (per-weight factors) or explicit (Jacobian tiles)"
              + " (default: ${DEFAULT-VALUE}).")
  String method;

  @Option(
      names = "--precision",
      defaultValue = "fp32",
      description = "fp32 or fp64 (default: ${DEFAULT-VALUE}).")
  String precision;

  @Option(names = "--backend", defaultValue = "auto", description = "Backend name or auto.")
  String backend;

  @Option(
      names = "--mode",
      defaultValue = "empirical",
      description =
          "empirical (a sampled network) or analytic (the infinite-width kernel, fp64)"
              + " (default: ${DEFAULT-VALUE}).")
  String mode;

  @Option(
      names = "--kind",
      defaultValue = "ntk",
      description = "With --mode analytic: ntk or nngp (default: ${DEFAULT-VALUE}).")
  String kind;

  @Option(
      names = "--gaussian-limit",
      description =
          "With --mode analytic: the m → ∞ limit of the Fourier features instead of the"
              + " frequencies --seed draws.")
  boolean gaussianLimit;

  @Option(names = "--per-output", description = "Write every per-output block Θ_cc′.")
  boolean perOutput;

  @Option(
      names = "--monte-carlo",
      paramLabel = "S",
      defaultValue = "0",
      description =
          "Average over S sampled stochastic-depth masks instead of evaluation mode (ξ_l = p_l);"
              + " the standard error goes to --stderr-out.")
  int monteCarlo;

  @Option(names = "--mask-seed", defaultValue = "1", description = "Seed of the sampled masks.")
  long maskSeed;

  @Option(
      names = "--stderr-out",
      paramLabel = "SE.npy",
      description = "Monte Carlo standard error.")
  Path stderrOut;

  @Option(
      names = "--row-tile",
      defaultValue = "0",
      description = "Samples of the first set per tile (0: chosen from the free heap).")
  int rowTile;

  @Option(
      names = "--parameter-tile",
      defaultValue = "0",
      description = "Parameters per Jacobian tile for --method explicit (0: chosen from the heap).")
  int parameterTile;

  @Option(names = "--out", paramLabel = "K.npy", description = "Write Θ as .npy.")
  Path out;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description = "Write {shape, method, precision, backend, seconds} as JSON.")
  Path json;

  @Override
  public Integer call() {
    String md = mode.trim().toLowerCase(Locale.ROOT);
    if (!md.equals("empirical") && !md.equals("analytic")) {
      throw NtkException.usage("--mode must be empirical or analytic, got '" + mode + "'");
    }
    if (md.equals("analytic")) {
      Dataset a = data.load();
      Dataset b = data.load2();
      if (b != null && b.inputDim() != a.inputDim()) {
        throw NtkException.badInput(
            "--data has " + a.inputDim() + " input columns but --data2 has " + b.inputDim());
      }
      return AnalyticKernelMode.run(
          a, b, model.spec(a, 1), model.seed(), kind, gaussianLimit, out, json);
    }
    if (!kind.trim().equalsIgnoreCase("ntk") || gaussianLimit) {
      throw NtkException.usage("--kind nngp and --gaussian-limit need --mode analytic");
    }
    NtkMethod m = NtkMethod.parse(method);
    Precision prec = Precision.parse(precision);
    if (prec == Precision.TF32) {
      throw NtkException.usage("--precision must be fp32 or fp64 for the kernel, got tf32");
    }
    if (monteCarlo < 0) {
      throw NtkException.usage(
          "--monte-carlo must be 0 (off) or a number of masks, got " + monteCarlo);
    }
    if (monteCarlo > 0 && perOutput) {
      throw NtkException.usage("--monte-carlo and --per-output cannot be combined; choose one");
    }
    Dataset first = data.load();
    Dataset second = data.load2();
    if (second != null && second.inputDim() != first.inputDim()) {
      throw NtkException.badInput(
          "--data has "
              + first.inputDim()
              + " input columns but --data2 has "
              + second.inputDim()
              + ": both sets need the same features");
    }
    ModelSpec spec = model.spec(first, 1);
    int n1 = first.size();
    int n2 = second == null ? n1 : second.size();
    int k = spec.outputs();
    long cells = (long) n1 * n2 * (perOutput ? (long) k * k : 1);
    MemoryBudget.require(cells * 8, "the kernel's host copy for writing (" + cells + " values)");

    try (Backend be = Backends.open(backend, prec)) {
      double[] result = new double[Math.toIntExact(cells)];
      double[] stderr = null;
      long t0 = System.nanoTime();
      try (Network net = Network.initialize(be, prec, spec, model.seed());
          Matrix x1 = first.inputs(be, prec);
          Matrix x2 = second == null ? null : second.inputs(be, prec)) {
        EmpiricalNtk ntk =
            new EmpiricalNtk(net)
                .withMethod(m)
                .withRowTile(rowTile)
                .withParameterTile(parameterTile);
        if (perOutput) {
          Matrix[][] blocks = ntk.perOutput(x1, x2);
          double[] block = new double[n1 * n2];
          try {
            for (int c = 0; c < k; c++) {
              for (int d = 0; d < k; d++) {
                be.download(blocks[c][d], block);
                System.arraycopy(block, 0, result, (c * k + d) * n1 * n2, n1 * n2);
              }
            }
          } finally {
            for (Matrix[] row : blocks) {
              for (Matrix b : row) {
                b.close();
              }
            }
          }
        } else if (monteCarlo > 0) {
          try (MonteCarloNtk mc = ntk.monteCarlo(x1, x2, monteCarlo, maskSeed)) {
            be.download(mc.mean(), result);
            stderr = new double[result.length];
            be.download(mc.standardError(), stderr);
          }
        } else {
          try (Matrix theta = ntk.kernel(x1, x2)) {
            be.download(theta, result);
          }
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      int[] shape = perOutput ? new int[] {k, k, n1, n2} : new int[] {n1, n2};
      if (out != null) {
        Npy.write(out, result, shape, prec.isSingle());
      }
      if (stderrOut != null && stderr != null) {
        Npy.write(stderrOut, stderr, shape, prec.isSingle());
      }
      String p = prec.name().toLowerCase(Locale.ROOT);
      String methodName = m.name().toLowerCase(Locale.ROOT);
      double trace = 0;
      if (!perOutput && second == null) {
        for (int i = 0; i < n1; i++) {
          trace += result[i * n1 + i];
        }
      }
      System.out.printf(
          Locale.ROOT,
          "kernel %s %s on %s %s: Θ %s in %.3f s%s%s%n",
          first.name() + (second == null ? "" : " x " + second.name()),
          methodName,
          be.name(),
          p,
          shapeString(shape),
          seconds,
          second == null && !perOutput
              ? String.format(Locale.ROOT, ", mean diagonal %.6g", trace / Math.max(n1, 1))
              : "",
          out == null ? "" : " -> " + out);
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("shape", List.of(java.util.Arrays.stream(shape).boxed().toArray()));
      report.put("method", methodName);
      report.put("precision", p);
      report.put("backend", be.name());
      report.put("seconds", seconds);
      report.put("data", first.name());
      report.put("data2", second == null ? null : second.name());
      report.put("model", spec.toString());
      report.put("monte_carlo_samples", monteCarlo);
      Json.write(json, report);
    }
    return 0;
  }

  private static String shapeString(int[] shape) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < shape.length; i++) {
      sb.append(i == 0 ? "" : "x").append(shape[i]);
    }
    return sb.toString();
  }
}
