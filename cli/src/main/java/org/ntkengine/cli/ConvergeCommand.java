package org.ntkengine.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ntkengine.NtkException;
import org.ntkengine.analytic.ConvergenceExperiment;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Backends;
import org.ntkengine.backend.Precision;
import org.ntkengine.data.Dataset;
import org.ntkengine.model.ModelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ntk converge}: the empirical NTK and NNGP of NTK-ECRN against the infinite-width kernels
 * as the width grows, with the fitted log-log slope and a PNG plot.
 */
@Command(
    name = "converge",
    mixinStandardHelpOptions = true,
    description = {
      "Relative Frobenius error ‖K_n − K_∞‖_F/‖K_∞‖_F of the empirical NTK and NNGP of NTK-ECRN"
          + " (evaluation mode) against the infinite-width kernels, per width (mean ± sd over"
          + " seeds), the fitted log-log slope (theory: −1/2) and a plot.",
      "The empirical NNGP of one network is σ_w²⟨h_L(x), h_L(x′)⟩/n + σ_b² (the readout weights"
          + " integrated out); the reference uses each network's own Fourier frequencies B."
    })
final class ConvergeCommand implements Callable<Integer> {

  @Spec CommandSpec command;

  @Mixin DataOptions data;

  @Mixin ModelOptions model;

  @Option(
      names = "--widths",
      split = ",",
      defaultValue = "64,128,256,512,1024,2048,4096",
      description = "Widths to measure; --width is ignored (default: ${DEFAULT-VALUE}).")
  int[] widths;

  @Option(
      names = "--seeds",
      defaultValue = "3",
      description =
          "Networks per width, parameter seeds --seed … --seed+S−1 (default: ${DEFAULT-VALUE}).")
  int seeds;

  @Option(
      names = "--points",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Use only the first N inputs of the data set (0: all; default: ${DEFAULT-VALUE}).")
  int points;

  @Option(
      names = "--precision",
      defaultValue = "fp64",
      description = "fp32 or fp64 for the empirical kernels (default: ${DEFAULT-VALUE}).")
  String precision;

  @Option(names = "--backend", defaultValue = "auto", description = "Backend name or auto.")
  String backend;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = ".",
      description = "Directory for the plot converge.png (default: the current directory).")
  Path out;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description = "Write {widths, ntk_rel_error, nngp_rel_error, slope_ntk, slope_nngp} as JSON.")
  Path json;

  @Override
  public Integer call() {
    Precision prec = Precision.parse(precision);
    if (prec == Precision.TF32) {
      throw NtkException.usage("--precision must be fp32 or fp64, got tf32");
    }
    if (points < 0) {
      throw NtkException.usage("--points must be 0 (all) or more, got " + points);
    }
    Dataset ds = data.load();
    int n = points == 0 ? ds.size() : Math.min(points, ds.size());
    int d = ds.inputDim();
    double[] x = Arrays.copyOf(ds.inputs(), n * d);
    ModelSpec spec = model.spec(ds, 1);
    PrintWriter err = command.commandLine().getErr();
    PrintWriter outw = command.commandLine().getOut();
    ConvergenceExperiment.Result r;
    try (Backend be = Backends.open(backend, prec)) {
      int total = widths.length * seeds;
      ConvergenceExperiment experiment = new ConvergenceExperiment(spec, x, n, d);
      r =
          experiment.run(
              widths,
              seeds,
              (width, s) ->
                  EmpiricalKernels.measure(
                      be, prec, spec.toBuilder().width(width).build(), x, n, model.seed() + s),
              done -> {
                err.printf(Locale.ROOT, "\rconverge: %d/%d networks", done, total);
                err.flush();
              });
      err.println();
      outw.printf(
          Locale.ROOT,
          "converge %s (%d points) on %s %s, %d seeds per width, %s%n",
          ds.name(),
          n,
          be.name(),
          prec.name().toLowerCase(Locale.ROOT),
          seeds,
          spec.toString().replace(", n=" + spec.width(), ""));
    }
    outw.printf(Locale.ROOT, "%8s  %-22s  %-22s%n", "width", "NTK rel. error", "NNGP rel. error");
    for (int i = 0; i < r.widths().length; i++) {
      outw.printf(
          Locale.ROOT,
          "%8d  %.4e ± %.1e      %.4e ± %.1e%n",
          r.widths()[i],
          r.ntkRelError()[i],
          r.ntkSpread()[i],
          r.nngpRelError()[i],
          r.nngpSpread()[i]);
    }
    Path png = out.resolve("converge.png");
    Plots.convergence(r, png);
    outw.printf(
        Locale.ROOT,
        "log-log slope: NTK %.3f, NNGP %.3f (theory −0.5); plot %s%n",
        r.slopeNtk(),
        r.slopeNngp(),
        png);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("widths", r.widths());
    report.put("seeds", r.seeds());
    report.put("points", n);
    report.put("data", ds.name());
    report.put("model", spec.toString().replace(", n=" + spec.width(), ""));
    report.put("ntk_rel_error", r.ntkRelError());
    report.put("ntk_rel_error_sd", r.ntkSpread());
    report.put("nngp_rel_error", r.nngpRelError());
    report.put("nngp_rel_error_sd", r.nngpSpread());
    report.put("slope_ntk", r.slopeNtk());
    report.put("slope_nngp", r.slopeNngp());
    Json.write(json, report);
    return 0;
  }
}
