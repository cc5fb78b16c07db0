package org.ntkengine.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.ntkengine.NtkException;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Backends;
import org.ntkengine.backend.Precision;
import org.ntkengine.data.DataSpec;
import org.ntkengine.data.Dataset;
import org.ntkengine.data.FashionMnist;
import org.ntkengine.io.AtomicFiles;
import org.ntkengine.model.ModelSpec;
import org.ntkengine.train.Bandwidth;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ntk analyze}: trains NTK-ECRN and puts the NTK theory beside what happens (kernels at
 * initialisation, spectrum, kernel regression, the stable step, training against the linearised
 * model, kernel drift), writing report.json, CSV series and PNG plots.
 */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = {
      "Train NTK-ECRN and compare it with its neural tangent kernel: the empirical and analytic"
          + " NTK at initialisation, the spectrum and the largest stable step, kernel regression,"
          + " training against the linearised model, kernel drift. Writes report.json, CSV"
          + " series and PNG plots to --out.",
      "Without --fourier-sigma, σ_f = 1/(2π·median distance between training inputs), so the"
          + " Fourier features suit the data's scale; the report says which value was used."
    })
final class AnalyzeCommand implements Callable<Integer> {
  static final String DEFAULT_DATA = "synthetic:spirals:384";

  @Spec CommandSpec commandSpec;

  @Mixin ModelOptions model;

  @Option(
      names = "--data",
      paramLabel = "SPEC",
      defaultValue = DEFAULT_DATA,
      description =
          "Training set: fashion-mnist:train:N, synthetic:hf1d|hf2d|spirals|teacher:N, csv:…,"
              + " npy:… (default: ${DEFAULT-VALUE}).")
  String data;

  @Option(
      names = "--test",
      paramLabel = "SPEC",
      description =
          "Test set (default: a fresh draw of the same synthetic set, fashion-mnist:test:N/2"
              + " for Fashion-MNIST; required for csv and npy).")
  String testData;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Fashion-MNIST directory (default: /usr/share/datasets/fashion-mnist).")
  Path dataDir;

  @Option(
      names = "--data-seed",
      defaultValue = "0",
      description = "Seed of subsets and synthetic sets (default: ${DEFAULT-VALUE}).")
  long dataSeed;

  @Option(
      names = "--steps",
      defaultValue = "200",
      description = "Training steps (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--every",
      defaultValue = "10",
      description = "Steps between checkpoints (default: ${DEFAULT-VALUE}).")
  int every;

  @Option(
      names = "--lr-fraction",
      defaultValue = "0.5",
      description =
          "Step η as a fraction of the stable limit 2n/λ_max (default: ${DEFAULT-VALUE}).")
  double lrFraction;

  @Option(
      names = "--batch-size",
      defaultValue = "0",
      description = "0: full-batch gradient descent; else mini-batch SGD (default: 0).")
  int batchSize;

  @Option(
      names = "--top",
      defaultValue = "10",
      description = "Eigenvalues recorded at each end (default: ${DEFAULT-VALUE}).")
  int top;

  @Option(
      names = "--probe",
      defaultValue = "512",
      description =
          "Training points whose kernel is recomputed at each checkpoint for the drift and the"
              + " eigenvalues (default: ${DEFAULT-VALUE}, all when fewer).")
  int probe;

  @Option(
      names = "--ridge",
      defaultValue = "1e-6",
      description =
          "Kernel regression ridge relative to the kernel's mean diagonal"
              + " (default: ${DEFAULT-VALUE}).")
  double ridge;

  @Option(
      names = "--stability-steps",
      defaultValue = "40",
      description =
          "Steps of each stability run at 0.9, 1.1 and 2.5 × 2n/λ_max; 0 skips them"
              + " (default: ${DEFAULT-VALUE}).")
  int stabilitySteps;

  @Option(
      names = "--stability-subset",
      defaultValue = "256",
      description = "Training points of the stability runs (default: ${DEFAULT-VALUE}).")
  int stabilitySubset;

  @Option(
      names = "--compare",
      description =
          "Also train a plain MLP without Fourier features and a residual net with α_l = 1 and no"
              + " stochastic depth on the same budget, and compare them with NTK-ECRN.")
  boolean compare;

  @Option(
      names = "--precision",
      defaultValue = "fp32",
      description = "fp32 or fp64 for the network and kernels (default: ${DEFAULT-VALUE}).")
  String precision;

  @Option(names = "--backend", defaultValue = "auto", description = "Backend name or auto.")
  String backend;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Output directory (default: ntk-out/<timestamp>).")
  Path out;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the report here.")
  Path json;

  @Option(
      names = "--no-center",
      description =
          "Train f itself rather than f − f_0 (by default the output at initialisation is"
              + " subtracted, so training starts from zero and its t → ∞ limit is kernel"
              + " regression).")
  boolean noCenter;

  @Option(names = "--quiet", description = "No progress bar, no summary table.")
  boolean quiet;

  private final Map<String, Object> report = new LinkedHashMap<>();
  private final Object lock = new Object();
  private volatile boolean finished;

  @Override
  public Integer call() {
    Precision prec = Precision.parse(precision);
    if (prec == Precision.TF32) {
      throw NtkException.usage("--precision must be fp32 or fp64 for analyze, got tf32");
    }
    if (steps < 0 || every < 1 || top < 1 || probe < 0 || stabilitySteps < 0) {
      throw NtkException.usage(
          "--steps and --stability-steps must be ≥ 0, --every and --top ≥ 1, --probe ≥ 0");
    }
    if (!(lrFraction > 0) || !(ridge >= 0)) {
      throw NtkException.usage("--lr-fraction must be > 0 and --ridge ≥ 0");
    }
    long started = System.nanoTime();
    Dataset train = load(data, dataSeed);
    Dataset test = testSet(train);
    if (top < 1 || top > train.size()) {
      throw NtkException.usage(
          "--top "
              + top
              + " asks for more eigenvalues than the "
              + train.size()
              + " training points have: choose between 1 and "
              + train.size());
    }
    if (train.outputs() < 1) {
      throw NtkException.badInput(
          "--data " + data + " has no targets: analyze trains on labels or regression targets");
    }
    if (test.inputDim() != train.inputDim() || test.outputs() != train.outputs()) {
      throw NtkException.badInput(
          "--test has "
              + test.inputDim()
              + " inputs and "
              + test.outputs()
              + " targets per row but --data has "
              + train.inputDim()
              + " and "
              + train.outputs()
              + ": both sets need the same columns");
    }

    // ---- the Fourier bandwidth, scaled to the data unless given
    Map<String, Object> sigma = new LinkedHashMap<>();
    if (model.isAutoSigma() && model.fourierFeatures > 0) {
      Bandwidth.Choice c =
          Bandwidth.medianHeuristic(train.inputs(), train.size(), train.inputDim());
      model.fourierSigma = Double.toString(c.sigma());
      sigma.put("value", c.sigma());
      sigma.put("source", "median heuristic");
      sigma.put("median_distance", c.medianDistance());
      sigma.put("pairs", c.pairs());
      sigma.put("why", c.rule());
    } else {
      sigma.put("value", model.isAutoSigma() ? null : Double.parseDouble(model.fourierSigma));
      sigma.put("source", model.fourierFeatures > 0 ? "--fourier-sigma" : "no Fourier features");
    }
    ModelSpec spec = model.spec(train, train.outputs());
    Path dir = out != null ? out : defaultOut();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw NtkException.badInput("cannot create the output directory " + dir + ": " + e);
    }

    report.put("command", "ntk analyze");
    Map<String, Object> dataInfo = new LinkedHashMap<>();
    dataInfo.put("train", train.name());
    dataInfo.put("test", test.name());
    dataInfo.put(
        "test_source",
        testData != null
            ? "--test"
            : "a fresh draw of the same source (data seed + 1), disjoint from the training set"
                + " for synthetic data and the separate test split for Fashion-MNIST");
    dataInfo.put("n_train", train.size());
    dataInfo.put("n_test", test.size());
    dataInfo.put("input_dim", train.inputDim());
    dataInfo.put("outputs", train.outputs());
    dataInfo.put("classification", train.isClassification());
    report.put("data", dataInfo);
    Map<String, Object> modelInfo = new LinkedHashMap<>();
    modelInfo.put("spec", spec.toString());
    modelInfo.put("width", spec.width());
    modelInfo.put("depth", spec.depth());
    modelInfo.put("residual", spec.residual());
    modelInfo.put("fourier_features", spec.fourierFeatures());
    modelInfo.put("fourier_sigma", sigma);
    modelInfo.put("alphas", spec.alphas());
    modelInfo.put("survival", spec.survival());
    modelInfo.put("seed", model.seed());
    report.put("model", modelInfo);

    AnalyzePlots.warmUp();
    Thread hook =
        new Thread(
            () -> {
              try {
                finish(dir, false);
              } catch (RuntimeException e) {
                // The analysis thread may be mid-update; the last atomic write stays in place.
                System.err.println(
                    "ntk: interrupted; the report holds the last checkpoint (" + e + ")");
              }
            },
            "ntk-analyze-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    ProgressBar bar = null;
    try (Backend be = Backends.open(backend, prec)) {
      modelInfo.put("backend", be.name());
      modelInfo.put("precision", prec.name().toLowerCase(Locale.ROOT));
      PrintStream err = System.err;
      if (!quiet) {
        err.printf(
            Locale.ROOT,
            "ntk analyze: %s (%d) against %s (%d%s), %s on %s, σ_f = %.4g (%s)%n",
            train.name(),
            train.size(),
            test.name(),
            test.size(),
            test.name().equals(train.name()) ? ", a fresh draw" : "",
            shortSpec(spec),
            be.name(),
            spec.fourierSigma(),
            sigma.get("source"));
      }
      bar = quiet ? null : progressBar(err);
      ProgressBar pb = bar;
      Analysis main = new Analysis(be, prec, train, test, config(spec, true), report);
      main.run(
          new Analysis.Listener() {
            @Override
            public void stage(String stage) {
              if (pb != null) {
                pb.setExtraMessage(stage + " done");
              }
              writeReport(dir);
            }

            @Override
            public void checkpoint(int step, Map<String, Object> entry) {
              if (pb != null) {
                if (step == 0) {
                  // Training starts now: the time estimate must not count the kernel stages.
                  pb.reset();
                }
                pb.stepTo(step);
                pb.setExtraMessage(
                    entry.get("train_loss") == null
                        ? "diverged: the loss is not finite"
                        : String.format(
                            Locale.ROOT,
                            "loss %.4g, test %s",
                            (Double) entry.get("train_loss"),
                            entry.get("test_accuracy") == null
                                ? String.format(
                                    Locale.ROOT, "%.4g", (Double) entry.get("test_loss"))
                                : String.format(
                                    Locale.ROOT, "acc %.3f", (Double) entry.get("test_accuracy"))));
              }
              writeReport(dir);
            }
          });
      if (compare) {
        if (pb != null) {
          pb.setExtraMessage("comparing architectures");
        }
        report.put("compare", compareRuns(be, prec, train, test, spec, dir));
      }
      if (bar != null) {
        bar.close();
        bar = null;
      }
      report.put("seconds", (System.nanoTime() - started) / 1e9);
      finish(dir, true);
      if (!quiet) {
        System.out.print(summary(dir));
        System.out.flush();
      }
    } finally {
      if (bar != null) {
        bar.close();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or has run: it writes what there is.
      }
    }
    return 0;
  }

  private Analysis.Config config(ModelSpec spec, boolean full) {
    return new Analysis.Config(
        spec,
        model.seed(),
        steps,
        every,
        lrFraction,
        batchSize,
        top,
        probe,
        ridge,
        stabilitySubset,
        stabilitySteps,
        full,
        !noCenter);
  }

  private ProgressBar progressBar(PrintStream err) {
    ProgressBarBuilder builder =
        new ProgressBarBuilder()
            .setTaskName("training")
            .setInitialMax(steps)
            .setStyle(ProgressBarStyle.ASCII);
    if (interactive()) {
      builder.setConsumer(new ConsoleProgressBarConsumer(err)).setUpdateIntervalMillis(500);
    } else {
      // A log file or a pipe gets a whole line every 15 s instead of a bar redrawn with carriage
      // returns twice a second.
      builder
          .setConsumer(new DelegatingProgressBarConsumer(err::println, 100))
          .setUpdateIntervalMillis(15_000);
    }
    return builder.build();
  }

  /**
   * Whether the process talks to a terminal. Before JDK 22 a console exists only then; from JDK 22
   * on one may exist regardless, and {@code Console.isTerminal()} says which.
   */
  private static boolean interactive() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  // ---- data

  private Dataset load(String text, long seed) {
    FashionMnist.Preprocessing prep = new FashionMnist.Preprocessing(true, false);
    return DataSpec.parse(text).load(dataDir, seed, prep);
  }

  private Dataset testSet(Dataset train) {
    if (testData != null) {
      return load(testData, dataSeed + 1);
    }
    DataSpec ds = DataSpec.parse(data);
    if (ds.kind() == DataSpec.Kind.SYNTHETIC) {
      return load(data, dataSeed + 1);
    }
    if (ds.kind() == DataSpec.Kind.FASHION_MNIST) {
      return load("fashion-mnist:test:" + Math.max(1, train.size() / 2), dataSeed + 1);
    }
    throw NtkException.usage("--data " + data + " is a file: give its test set with --test SPEC");
  }

  // ---- compare

  private List<Map<String, Object>> compareRuns(
      Backend be, Precision prec, Dataset train, Dataset test, ModelSpec ecrn, Path dir) {
    double[] ones = new double[ecrn.depth()];
    java.util.Arrays.fill(ones, 1.0);
    ModelSpec plain =
        ModelSpec.builder(ecrn.inputDim())
            .width(ecrn.width())
            .depth(ecrn.depth())
            .activation(ecrn.activation())
            .outputs(ecrn.outputs())
            .sigmaW(ecrn.sigmaW())
            .sigmaB(ecrn.sigmaB())
            .residual(false)
            .fourierFeatures(0)
            .alphas(ones)
            .survival(1.0)
            .build();
    ModelSpec residual = ecrn.toBuilder().alphas(ones).survival(1.0).build();
    List<Map<String, Object>> rows = new ArrayList<>();
    String[] names = {"plain MLP", "residual α_l=1", "NTK-ECRN"};
    ModelSpec[] specs = {plain, residual, ecrn};
    for (int i = 0; i < specs.length; i++) {
      Map<String, Object> r = new LinkedHashMap<>();
      if (i == specs.length - 1) {
        r.putAll(compareRow(names[i], specs[i], report));
      } else {
        Map<String, Object> sub = new LinkedHashMap<>();
        new Analysis(be, prec, train, test, config(specs[i], false), sub)
            .run(
                new Analysis.Listener() {
                  @Override
                  public void stage(String stage) {}

                  @Override
                  public void checkpoint(int step, Map<String, Object> entry) {}
                });
        r.putAll(compareRow(names[i], specs[i], sub));
      }
      rows.add(r);
      synchronized (lock) {
        report.put("compare", rows);
      }
      writeReport(dir);
    }
    return rows;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> compareRow(
      String name, ModelSpec spec, Map<String, Object> r) {
    Map<String, Object> row = new LinkedHashMap<>();
    Map<String, Object> s = (Map<String, Object>) r.get("spectrum");
    Map<String, Object> kr = (Map<String, Object>) r.get("kernel_regression");
    List<Map<String, Object>> t = (List<Map<String, Object>>) r.get("training");
    Map<String, Object> last = t.get(t.size() - 1);
    row.put("name", name);
    row.put("spec", spec.toString());
    row.put("condition_number", s.get("condition_number"));
    row.put("lambda_max", ((double[]) s.get("top"))[0]);
    row.put(
        "max_stable_step", ((Map<String, Object>) r.get("training_setup")).get("max_stable_step"));
    row.put("final_train_loss", last.get("train_loss"));
    row.put("final_test_loss", last.get("test_loss"));
    row.put("test_accuracy", last.get("test_accuracy"));
    row.put("kernel_regression_test_accuracy", kr.get("test_accuracy_empirical"));
    return row;
  }

  // ---- output

  private Path defaultOut() {
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    return Path.of("ntk-out", stamp);
  }

  private void writeReport(Path dir) {
    synchronized (lock) {
      Json.write(dir.resolve("report.json"), report);
      if (json != null) {
        Json.write(json, report);
      }
      writeCsv(dir);
    }
  }

  private void finish(Path dir, boolean complete) {
    synchronized (lock) {
      if (finished) {
        return;
      }
      finished = true;
      report.put("complete", complete);
      writeReport(dir);
      ReportPlots.write(report, dir);
    }
  }

  @SuppressWarnings("unchecked")
  private void writeCsv(Path dir) {
    List<Map<String, Object>> series = (List<Map<String, Object>>) report.get("training");
    if (series == null) {
      return;
    }
    List<String> header =
        new ArrayList<>(
            List.of(
                "step",
                "train_loss",
                "test_loss",
                "train_accuracy",
                "test_accuracy",
                "drift",
                "linearized_gap",
                "linearized_gap_train",
                "linearized_train_loss",
                "linearized_test_loss",
                "linearized_test_accuracy"));
    int k = 0;
    for (Map<String, Object> e : series) {
      Object ev = e.get("top_eigenvalues");
      if (ev instanceof double[] a) {
        k = Math.max(k, a.length);
      }
    }
    for (int i = 1; i <= k; i++) {
      header.add("lambda_" + i);
    }
    StringWriter sw = new StringWriter();
    try (CSVPrinter p =
        new CSVPrinter(
            sw, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).build())) {
      for (Map<String, Object> e : series) {
        List<Object> row = new ArrayList<>();
        for (String h : header.subList(0, header.size() - k)) {
          row.add(e.get(h) == null ? "" : e.get(h));
        }
        Object ev = e.get("top_eigenvalues");
        for (int i = 0; i < k; i++) {
          row.add(ev instanceof double[] a && i < a.length ? a[i] : "");
        }
        p.printRecord(row);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot format the CSV series: " + e, e);
    }
    AtomicFiles.writeString(dir.resolve("training.csv"), sw.toString());
  }

  private static String shortSpec(ModelSpec spec) {
    return String.format(
        Locale.ROOT,
        "%s width %d depth %d%s",
        spec.residual() ? "NTK-ECRN" : "plain MLP",
        spec.width(),
        spec.depth(),
        spec.hasFourierFeatures() ? ", m = " + spec.fourierFeatures() : "");
  }

  @SuppressWarnings("unchecked")
  private String summary(Path dir) {
    StringBuilder sb = new StringBuilder();
    Map<String, Object> init = (Map<String, Object>) report.get("init");
    Map<String, Object> s = (Map<String, Object>) report.get("spectrum");
    Map<String, Object> kr = (Map<String, Object>) report.get("kernel_regression");
    Map<String, Object> st = (Map<String, Object>) report.get("stability");
    List<Map<String, Object>> t = (List<Map<String, Object>>) report.get("training");
    Map<String, Object> first = t.get(0);
    Map<String, Object> last = t.get(t.size() - 1);
    sb.append('\n');
    row(sb, "what", "theory / reference", "measured");
    sb.append("  ").append("-".repeat(86)).append('\n');
    row(
        sb,
        "Θ₀ empirical vs analytic",
        "O(width^-1/2)",
        fmt(init.get("empirical_vs_analytic_rel_error")) + " rel. Frobenius");
    double[] topEv = (double[]) s.get("top");
    double[] bottomEv = (double[]) s.get("bottom");
    row(sb, "λ_max, λ_min of Θ₀", "", fmt(topEv[0]) + ", " + fmt(bottomEv[0]));
    row(sb, "condition number", "", fmt(s.get("condition_number")));
    Map<String, Object> b = (Map<String, Object>) s.get("lambda_max_bounds");
    row(
        sb,
        "λ_max bounds",
        "[" + fmt(b.get("lower_max_diagonal")) + ", " + fmt(b.get("upper_gershgorin")) + "]",
        Boolean.TRUE.equals(b.get("within")) ? "within" : "OUTSIDE");
    Map<String, Object> setup = (Map<String, Object>) report.get("training_setup");
    row(
        sb,
        "largest stable step",
        "2n/λ_max (per-output Θ)",
        fmt(setup == null ? null : setup.get("max_stable_step")));
    if (st != null) {
      for (Map<String, Object> r : (List<Map<String, Object>>) st.get("runs")) {
        row(
            sb,
            "  η = " + r.get("factor") + "×2n/λ_max (" + st.get("subset") + " pts)",
            String.valueOf(r.get("predicted")),
            r.get("observed")
                + ", loss "
                + fmt(r.get("initial_loss"))
                + " → peak "
                + fmt(r.get("max_loss"))
                + " → "
                + fmt(r.get("final_loss")));
      }
      row(
          sb,
          "  theory and runs agree",
          "(diverges = the loss grows)",
          String.valueOf(st.get("theory_agrees")));
    }
    if (kr.get("test_accuracy_analytic") != null || kr.get("test_accuracy_empirical") != null) {
      row(
          sb,
          "kernel regression accuracy",
          "analytic " + fmt(kr.get("test_accuracy_analytic")),
          "empirical " + fmt(kr.get("test_accuracy_empirical")));
    } else {
      row(
          sb,
          "kernel regression test MSE",
          "analytic " + fmt(kr.get("test_mse_analytic")),
          "empirical " + fmt(kr.get("test_mse_empirical")));
    }
    row(
        sb,
        "train loss, step " + first.get("step") + " → " + last.get("step"),
        "linearised " + fmt(last.get("linearized_train_loss")),
        fmt(first.get("train_loss")) + " → " + fmt(last.get("train_loss")));
    row(
        sb,
        "test " + (last.get("test_accuracy") != null ? "accuracy" : "loss") + " at the end",
        "linearised "
            + fmt(
                last.get("test_accuracy") != null
                    ? last.get("linearized_test_accuracy")
                    : last.get("linearized_test_loss")),
        fmt(last.get("test_accuracy") != null ? last.get("test_accuracy") : last.get("test_loss")));
    if (Boolean.TRUE.equals(last.get("diverged"))) {
      row(
          sb,
          "training diverged at step " + last.get("step"),
          "η < 2n/λ_max converges",
          "η = " + fmt(((Map<String, Object>) report.get("training_setup")).get("learning_rate")));
    }
    row(sb, "kernel drift ‖Θ_t−Θ₀‖/‖Θ₀‖", "→ 0 as width → ∞", fmt(last.get("drift")));
    row(sb, "gap to linearised (RMS)", "→ 0 as width → ∞", fmt(last.get("linearized_gap")));
    List<Map<String, Object>> modes = (List<Map<String, Object>>) last.get("mode_decay");
    if (modes != null) {
      for (int i = 0; i < Math.min(3, modes.size()); i++) {
        Map<String, Object> m = modes.get(i);
        row(
            sb,
            "  residual along v_" + (i + 1),
            "(1−ηλ/n)^t " + fmt(m.get("predicted_gd")),
            fmt(m.get("measured")));
      }
      // The linear prediction ignores everything the network does beyond its kernel, so once a
      // mode has decayed to the level of that difference it stops following the prediction.
      sb.append("    (relative residuals; measured ones level off at the network's distance from")
          .append(" its linearisation)\n");
    }
    List<Map<String, Object>> cmp = (List<Map<String, Object>>) report.get("compare");
    if (cmp != null) {
      sb.append('\n');
      sb.append(
          String.format(
              Locale.ROOT,
              "  %-16s %12s %12s %14s %12s%n",
              "architecture",
              "condition",
              "stable step",
              "final train",
              "test acc"));
      for (Map<String, Object> r : cmp) {
        sb.append(
            String.format(
                Locale.ROOT,
                "  %-16s %12s %12s %14s %12s%n",
                r.get("name"),
                fmt(r.get("condition_number")),
                fmt(r.get("max_stable_step")),
                fmt(r.get("final_train_loss")),
                r.get("test_accuracy") == null
                    ? fmt(r.get("final_test_loss"))
                    : fmt(r.get("test_accuracy"))));
      }
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "%nreport: %s (%.1f s)%n",
            dir.resolve("report.json"),
            (Double) report.get("seconds")));
    return sb.toString();
  }

  private static void row(StringBuilder sb, String a, String b, String c) {
    sb.append(String.format(Locale.ROOT, "  %-34s %-26s %s%n", a, b, c));
  }

  static String fmt(Object o) {
    if (o == null) {
      return "n/a";
    }
    if (o instanceof Double d) {
      double a = Math.abs(d);
      return String.format(Locale.ROOT, a != 0 && (a < 1e-3 || a >= 1e6) ? "%.3e" : "%.4g", d);
    }
    return String.valueOf(o);
  }
}
