package org.ntkengine.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.ntkengine.ntk.NtkMethod;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the JMH suites through the JMH runner, one configuration at a time, and returns one table
 * row per configuration: throughput, GFLOP/s and relative error against float64.
 *
 * <p>Every benchmark class has one method measuring the operation on resident operands and one
 * named {@value #WITH_TRANSFERS} that also moves the inputs and results between host and backend.
 * The second runs only on backends whose matrices live in device memory ({@link #DEVICE_BACKENDS});
 * on host backends the transfers are array copies and would only repeat the first row.
 */
public final class BenchSuite {
  /** The name of the with-transfers benchmark method in every benchmark class. */
  public static final String WITH_TRANSFERS = "withTransfers";

  /** Backends whose matrices live in device memory. */
  public static final Set<String> DEVICE_BACKENDS = Set.of("cuda");

  /** The operation name of the structured NTK. */
  public static final String STRUCTURED_NTK = "ntk-structured";

  /** The operation name of the explicit (Jacobian) NTK. */
  public static final String EXPLICIT_NTK = "ntk-explicit";

  /** Warm-up iterations of 200 ms in a quick run. */
  static final int QUICK_WARMUP_ITERATIONS = 2;

  /** Measurement iterations of 300 ms in a quick run. */
  static final int QUICK_MEASUREMENT_ITERATIONS = 2;

  /** The suffix of the size label of with-transfers rows. */
  public static final String TRANSFERS_LABEL = " +transfers";

  /**
   * One result.
   *
   * @param operation the operation name
   * @param backend the backend
   * @param precision fp32 or fp64
   * @param size the problem size label
   * @param opsPerSecond JMH's primary score, invocations per second
   * @param scoreError JMH's 99.9% confidence half-width of the score
   * @param gflops opsPerSecond times the flop count, in 1e9 per second (0 when not counted)
   * @param relativeError the accuracy against float64
   */
  public record Row(
      String operation,
      String backend,
      String precision,
      String size,
      double opsPerSecond,
      double scoreError,
      double gflops,
      double relativeError) {}

  private final List<BenchOperation> operations;

  /**
   * Creates a suite over the given operations.
   *
   * @param operations the operations
   */
  public BenchSuite(List<BenchOperation> operations) {
    this.operations = List.copyOf(operations);
  }

  /**
   * Returns every operation bench knows.
   *
   * @return the operations
   */
  public static List<BenchOperation> all() {
    return List.of(
        new GramOperation(),
        new GemmOperation(),
        new NtkOperation(NtkMethod.STRUCTURED),
        new NtkOperation(NtkMethod.EXPLICIT),
        new NtkOperatorOperation(),
        new LanczosOperation(),
        new PassOperation(false),
        new PassOperation(true));
  }

  /**
   * Runs the suite.
   *
   * @param backends the backends to measure (names)
   * @param precisions the precisions (fp32, fp64)
   * @param quick short warm-up and measurement, small grid
   * @param progress receives one line before each configuration starts
   * @return the rows, in run order
   * @throws RunnerException when JMH fails
   */
  public List<Row> run(
      List<String> backends, List<String> precisions, boolean quick, Consumer<String> progress)
      throws RunnerException {
    record Config(BenchOperation op, Map<String, String> params) {}
    List<Config> configs = new ArrayList<>();
    for (BenchOperation op : operations) {
      for (Map<String, String> grid : expand(op.grid(quick))) {
        for (String backend : backends) {
          for (String precision : precisions) {
            Map<String, String> params = new LinkedHashMap<>(grid);
            params.put("backend", backend);
            params.put("precision", precision);
            configs.add(new Config(op, params));
          }
        }
      }
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < configs.size(); i++) {
      Config c = configs.get(i);
      String backend = c.params().get("backend");
      progress.accept(
          String.format(
              Locale.ROOT,
              "[%d/%d] %s %s %s %s",
              i + 1,
              configs.size(),
              c.op().name(),
              backend,
              c.params().get("precision"),
              c.op().sizeLabel(c.params())));
      rows.add(runOne(c.op(), c.params(), quick, false));
      if (DEVICE_BACKENDS.contains(backend)) {
        rows.add(runOne(c.op(), c.params(), quick, true));
      }
    }
    return rows;
  }

  private static Row runOne(
      BenchOperation op, Map<String, String> params, boolean quick, boolean transfers)
      throws RunnerException {
    String type = "^" + op.benchmarkClass().getName().replace(".", "\\.") + "\\.";
    ChainedOptionsBuilder ob =
        new OptionsBuilder()
            .include(
                transfers ? type + WITH_TRANSFERS + "$" : type + "(?!" + WITH_TRANSFERS + "$)\\w+$")
            .verbosity(VerboseMode.SILENT)
            .shouldFailOnError(true);
    if (quick) {
      // About one second of warm-up and measurement per configuration, so that the whole quick
      // grid (about fifty configurations, each in its own JVM) stays within a few minutes on two
      // cores; the scores are indicative, and the full run keeps the classes' own settings.
      ob.warmupIterations(QUICK_WARMUP_ITERATIONS)
          .warmupTime(TimeValue.milliseconds(200))
          .measurementIterations(QUICK_MEASUREMENT_ITERATIONS)
          .measurementTime(TimeValue.milliseconds(300));
    }
    for (Map.Entry<String, String> e : params.entrySet()) {
      ob.param(e.getKey(), e.getValue());
    }
    Path report = createReport();
    try {
      // The fork's set-up writes its float64 check here, which saves repeating it in this JVM.
      ob.jvmArgsPrepend("-D" + BenchData.REPORT_PROPERTY + "=" + report);
      Collection<RunResult> results = new Runner(ob.build()).run();
      RunResult r = results.iterator().next();
      BenchmarkParams bp = r.getParams();
      double score = r.getPrimaryResult().getScore();
      double error = r.getPrimaryResult().getScoreError();
      double flops = BenchData.readReport(report, "flops").orElseGet(() -> op.flops(params));
      double relativeError =
          BenchData.readReport(report, "relativeError").orElseGet(() -> op.relativeError(params));
      return new Row(
          op.name(),
          bp.getParam("backend"),
          bp.getParam("precision"),
          op.sizeLabel(params) + (transfers ? TRANSFERS_LABEL : ""),
          score,
          error,
          flops * score / 1e9,
          relativeError);
    } finally {
      deleteQuietly(report);
    }
  }

  private static Path createReport() {
    try {
      return Files.createTempFile("ntk-bench-", ".report");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary file for the benchmark report", e);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // A leftover report in the temporary directory is harmless.
    }
  }

  /**
   * Expands a parameter grid into every combination, parameters in name order and values in the
   * order given (the last parameter varies fastest).
   *
   * @param grid each parameter with its values
   * @return the combinations
   */
  static List<Map<String, String>> expand(Map<String, List<String>> grid) {
    List<Map<String, String>> out = new ArrayList<>();
    out.add(new LinkedHashMap<>());
    for (Map.Entry<String, List<String>> e : new TreeMap<>(grid).entrySet()) {
      List<Map<String, String>> next = new ArrayList<>();
      for (Map<String, String> partial : out) {
        for (String v : e.getValue()) {
          Map<String, String> m = new LinkedHashMap<>(partial);
          m.put(e.getKey(), v);
          next.add(m);
        }
      }
      out = next;
    }
    return out;
  }

  /**
   * States how much faster the structured NTK ran than the explicit one, from rows of one run: one
   * line per backend and precision that has both, listing ops/s(structured) / ops/s(explicit) for
   * each size both were measured at.
   *
   * @param rows the rows of a run
   * @return lines such as {@code structured vs explicit NTK (simd fp32): 7.3x at width=512 n=63}
   */
  public static List<String> speedups(List<Row> rows) {
    Map<String, List<String>> byGroup = new LinkedHashMap<>();
    for (Row s : rows) {
      if (!s.operation().equals(STRUCTURED_NTK)) {
        continue;
      }
      for (Row e : rows) {
        if (e.operation().equals(EXPLICIT_NTK)
            && e.backend().equals(s.backend())
            && e.precision().equals(s.precision())
            && e.size().equals(s.size())
            && e.opsPerSecond() > 0) {
          byGroup
              .computeIfAbsent(s.backend() + " " + s.precision(), g -> new ArrayList<>())
              .add(
                  String.format(
                      Locale.ROOT, "%.1fx at %s", s.opsPerSecond() / e.opsPerSecond(), s.size()));
        }
      }
    }
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, List<String>> g : byGroup.entrySet()) {
      lines.add(
          "structured vs explicit NTK (" + g.getKey() + "): " + String.join(", ", g.getValue()));
    }
    return lines;
  }
}
