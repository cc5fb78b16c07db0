package org.ntkengine.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
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
 */
public final class BenchSuite {

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
    return List.of(new GramOperation());
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
    List<Row> rows = new ArrayList<>();
    for (BenchOperation op : operations) {
      for (Map<String, String> grid : expand(op.grid(quick))) {
        for (String backend : backends) {
          for (String precision : precisions) {
            Map<String, String> params = new LinkedHashMap<>(grid);
            params.put("backend", backend);
            params.put("precision", precision);
            progress.accept(
                op.name() + " " + backend + " " + precision + " " + op.sizeLabel(params));
            rows.add(runOne(op, params, quick));
          }
        }
      }
    }
    return rows;
  }

  private static Row runOne(BenchOperation op, Map<String, String> params, boolean quick)
      throws RunnerException {
    ChainedOptionsBuilder ob =
        new OptionsBuilder()
            .include("^" + op.benchmarkClass().getName().replace(".", "\\.") + "\\.")
            .verbosity(VerboseMode.SILENT)
            .shouldFailOnError(true);
    if (quick) {
      ob.warmupIterations(2)
          .warmupTime(TimeValue.milliseconds(500))
          .measurementIterations(3)
          .measurementTime(TimeValue.milliseconds(500));
    }
    for (Map.Entry<String, String> e : params.entrySet()) {
      ob.param(e.getKey(), e.getValue());
    }
    Collection<RunResult> results = new Runner(ob.build()).run();
    RunResult r = results.iterator().next();
    BenchmarkParams bp = r.getParams();
    double score = r.getPrimaryResult().getScore();
    double error = r.getPrimaryResult().getScoreError();
    double flops = op.flops(params);
    return new Row(
        op.name(),
        bp.getParam("backend"),
        bp.getParam("precision"),
        op.sizeLabel(params),
        score,
        error,
        flops * score / 1e9,
        op.relativeError(params));
  }

  private static List<Map<String, String>> expand(Map<String, List<String>> grid) {
    List<Map<String, String>> out = new ArrayList<>();
    out.add(new LinkedHashMap<>());
    for (Map.Entry<String, List<String>> e : new java.util.TreeMap<>(grid).entrySet()) {
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
}
