package org.ntkengine.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.ntkengine.NtkException;
import org.ntkengine.backend.Availability;
import org.ntkengine.backend.BackendProvider;
import org.ntkengine.backend.Backends;
import org.ntkengine.backend.Precision;
import org.ntkengine.bench.BenchOperation;
import org.ntkengine.bench.BenchSuite;
import org.openjdk.jmh.runner.RunnerException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ntk bench}: the JMH suites on the available backends, as one table. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Run the JMH suites and print throughput (GFLOP/s) and relative error against float64.",
      "Absolute figures vary between runs and machines; compare rows from one run."
    })
final class BenchCommand implements Callable<Integer> {

  @Option(names = "--quick", description = "Small sizes, short iterations (a few minutes).")
  boolean quick;

  @Option(
      names = "--op",
      paramLabel = "NAME",
      description = {
        "Only this operation (repeatable): gram, gemm, ntk-structured, ntk-explicit,",
        "ntk-matvec, lanczos, forward, backward."
      })
  List<String> ops;

  @Option(
      names = "--backend",
      paramLabel = "NAME",
      description = "Only this backend (repeatable; default: every available one).")
  List<String> backends;

  @Option(
      names = "--precision",
      paramLabel = "P",
      description = "Only this precision (repeatable; default fp32 and fp64).")
  List<String> precisions;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the rows as JSON.")
  Path json;

  @Override
  public Integer call() throws RunnerException {
    List<BenchOperation> chosen = new ArrayList<>();
    for (BenchOperation op : BenchSuite.all()) {
      if (ops == null || ops.contains(op.name())) {
        chosen.add(op);
      }
    }
    if (chosen.isEmpty()) {
      throw NtkException.usage(
          "unknown --op "
              + ops
              + ": use one of "
              + BenchSuite.all().stream().map(BenchOperation::name).toList());
    }
    List<String> names = new ArrayList<>();
    for (BackendProvider p : Backends.providers()) {
      Availability a = p.availability();
      if (backends == null ? a.available() : backends.contains(p.name())) {
        if (!a.available()) {
          throw NtkException.resources("backend " + p.name() + " is not available: " + a.reason());
        }
        names.add(p.name());
      }
    }
    if (backends != null && names.size() != backends.size()) {
      throw NtkException.usage(
          "unknown backend in " + backends + ": see `ntk backends` for the names");
    }
    List<String> precs = new ArrayList<>();
    for (String p : precisions == null ? List.of("fp32", "fp64") : precisions) {
      precs.add(Precision.parse(p).name().toLowerCase(Locale.ROOT));
    }

    List<BenchSuite.Row> rows = runQuietly(new BenchSuite(chosen), names, precs);

    System.out.printf(
        "%-14s %-10s %-9s %-34s %12s %10s %11s%n",
        "operation", "backend", "precision", "size", "ops/s", "GFLOP/s", "rel.error");
    List<Map<String, Object>> out = new ArrayList<>();
    for (BenchSuite.Row r : rows) {
      System.out.printf(
          Locale.ROOT,
          "%-14s %-10s %-9s %-34s %12.3f %10.2f %11.2e%n",
          r.operation(),
          r.backend(),
          r.precision(),
          r.size(),
          r.opsPerSecond(),
          r.gflops(),
          r.relativeError());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("operation", r.operation());
      m.put("backend", r.backend());
      m.put("precision", r.precision());
      m.put("size", r.size());
      m.put("ops_per_second", r.opsPerSecond());
      m.put("ops_per_second_error", r.scoreError());
      m.put("gflops", r.gflops());
      m.put("relative_error", r.relativeError());
      out.add(m);
    }
    List<String> speedups = BenchSuite.speedups(rows);
    for (String line : speedups) {
      System.out.println(line);
    }
    Json.write(json, Map.of("quick", quick, "rows", out, "speedups", speedups));
    return 0;
  }

  /**
   * Runs the suite with the engine's INFO lines off (every configuration opens its backend again,
   * and the table names it) and without the incubator-module warning that each forked JVM prints at
   * start-up; everything else the forks print passes through.
   */
  private List<BenchSuite.Row> runQuietly(BenchSuite suite, List<String> names, List<String> precs)
      throws RunnerException {
    Logger engine = Logger.getLogger("org.ntkengine");
    Level oldLevel = engine.getLevel();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    PrintStream out = NoiseFilter.wrap(oldOut);
    PrintStream err = NoiseFilter.wrap(oldErr);
    engine.setLevel(Level.WARNING);
    System.setOut(out);
    System.setErr(err);
    try {
      return suite.run(names, precs, quick, line -> System.err.println("bench: " + line));
    } catch (RunnerException e) {
      if (String.valueOf(e.getMessage()).contains("JMH lock")) {
        // Two benchmark runs at once would distort each other's figures; JMH refuses the second.
        throw NtkException.resources(
            "another benchmark run holds JMH's lock (/tmp/jmh.lock): wait for it to finish, or"
                + " run alongside it with NTK_JAVA_OPTS=-Djmh.ignoreLock=true (both runs' figures"
                + " then suffer)");
      }
      throw e;
    } finally {
      out.close();
      err.close();
      System.setOut(oldOut);
      System.setErr(oldErr);
      engine.setLevel(oldLevel);
    }
  }
}
