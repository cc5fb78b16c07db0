package org.ntkengine.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ntkengine.MemoryBudget;
import org.ntkengine.NtkException;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Backends;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.io.Npy;
import org.ntkengine.io.NpyArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ntk gram}: C = A·Aᵀ or A·Bᵀ of .npy matrices on a chosen backend, timed. */
@Command(
    name = "gram",
    mixinStandardHelpOptions = true,
    description = "Gram matrix C = A·Aᵀ (symmetric) or A·Bᵀ of .npy matrices, rows = samples.")
final class GramCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "A.npy", description = "Left operand, rows×p.")
  Path a;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "B.npy",
      description = "Right operand, cols×p (default: A, symmetric).")
  Path b;

  @Option(names = "--backend", defaultValue = "auto", description = "Backend name or auto.")
  String backend;

  @Option(names = "--precision", defaultValue = "fp32", description = "fp32, fp64 or tf32.")
  String precision;

  @Option(names = "--out", paramLabel = "C.npy", description = "Write C as .npy.")
  Path out;

  @Option(
      names = "--repeat",
      defaultValue = "1",
      description = "Run the product N times and report the best (the JIT warms up first).")
  int repeat;

  @Option(names = "--json", paramLabel = "FILE", description = "Write the timing report as JSON.")
  Path json;

  @Override
  public Integer call() {
    if (repeat < 1) {
      throw NtkException.usage("--repeat must be at least 1, got " + repeat);
    }
    Precision prec = Precision.parse(precision);
    NpyArray left = Npy.read(a).requireFiniteMatrix(a.toString());
    NpyArray right = b == null ? left : Npy.read(b).requireFiniteMatrix(b.toString());
    if (left.cols() != right.cols()) {
      throw NtkException.badInput(
          "A "
              + a
              + " has "
              + left.cols()
              + " columns but B "
              + b
              + " has "
              + right.cols()
              + ": A·Bᵀ needs equal column counts (rows are samples)");
    }
    int rows = left.rows();
    int cols = right.rows();
    int inner = left.cols();
    MemoryBudget.require(
        (long) (rows + cols) * inner * prec.bytes() + (long) rows * cols * (prec.bytes() + 8),
        "the Gram product " + rows + "x" + cols + " over " + inner + " columns");

    try (Backend be = Backends.open(backend, prec)) {
      double best = Double.POSITIVE_INFINITY;
      double[] result = new double[rows * cols];
      try (Matrix ma = be.allocate(rows, inner, prec);
          Matrix mb = b == null ? null : be.allocate(cols, inner, prec);
          Matrix mc = be.allocate(rows, cols, prec)) {
        be.upload(left.data(), ma);
        if (mb != null) {
          be.upload(right.data(), mb);
        }
        for (int r = 0; r < repeat; r++) {
          long t0 = System.nanoTime();
          if (mb == null) {
            be.gramSymmetric(1.0, ma, 0.0, mc);
          } else {
            be.gram(1.0, ma, mb, 0.0, mc);
          }
          // Reading one element forces device backends to finish before the clock stops.
          be.download(be.viewRows(mc, 0, Math.min(1, rows)), new double[Math.min(1, rows) * cols]);
          best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        be.download(mc, result);
      }
      double gflops = 2.0 * rows * cols * inner / best / 1e9;
      if (out != null) {
        Npy.write(out, result, rows, cols, prec.isSingle());
      }
      System.out.printf(
          "gram %dx%d over %d on %s %s: best of %d %.6f s, %.2f GFLOP/s%s%n",
          rows,
          cols,
          inner,
          be.name(),
          prec.name().toLowerCase(java.util.Locale.ROOT),
          repeat,
          best,
          gflops,
          out == null ? "" : " -> " + out);
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("backend", be.name());
      report.put("precision", prec.name().toLowerCase(java.util.Locale.ROOT));
      report.put("rows", rows);
      report.put("cols", cols);
      report.put("inner", inner);
      report.put("seconds", best);
      report.put("gflops", gflops);
      report.put("repeats", repeat);
      Json.write(json, report);
    }
    return 0;
  }
}
