package org.ntkengine.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
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
import org.ntkengine.io.NpyArray;
import org.ntkengine.linalg.LanczosResult;
import org.ntkengine.linalg.LanczosSolver;
import org.ntkengine.linalg.LanczosSolver.Options;
import org.ntkengine.linalg.LanczosSolver.Which;
import org.ntkengine.linalg.SymmetricOperator;
import org.ntkengine.model.Network;
import org.ntkengine.ntk.EmpiricalNtk;
import org.ntkengine.ntk.MatrixFreeNtk;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ntk spectrum}: extreme eigenvalues of a kernel matrix by Lanczos, timed. */
@Command(
    name = "spectrum",
    mixinStandardHelpOptions = true,
    description =
        "Top and bottom eigenvalues of a symmetric PSD kernel by thick-restart Lanczos, with"
            + " residuals ‖Θv − λv‖ and the count of operator applications.")
final class SpectrumCommand implements Callable<Integer> {

  @Option(
      names = "--kernel",
      paramLabel = "K.npy",
      description = "A square symmetric kernel matrix (.npy, float32 or float64).")
  Path kernel;

  @Mixin DataOptions data;

  @Mixin ModelOptions model;

  @Option(
      names = "--matrix-free",
      description = "With --data: apply Θ·v from the per-weight factors, never storing Θ.")
  boolean matrixFree;

  @Spec CommandSpec commandSpec;

  @Option(names = "--top", paramLabel = "k", description = "Largest k eigenvalues (default 10).")
  Integer top;

  @Option(names = "--bottom", paramLabel = "k", description = "Smallest k eigenvalues.")
  Integer bottom;

  @Option(
      names = "--tol",
      defaultValue = "1e-10",
      description = "Stop when every ‖Θv − λv‖ ≤ tol·λ_max (FP32 raises it to its floor).")
  double tol;

  @Option(names = "--backend", defaultValue = "auto", description = "Backend name or auto.")
  String backend;

  @Option(names = "--precision", defaultValue = "fp64", description = "fp32 or fp64.")
  String precision;

  @Option(
      names = "--repeat",
      defaultValue = "1",
      description = "Solve N times and report the best time (the JIT warms up first).")
  int repeat;

  @Option(
      names = "--basis",
      defaultValue = "0",
      description = "Krylov basis size (0: max(3k, k + 32)).")
  int basis;

  @Option(
      names = "--no-verify",
      description = "Skip the cycle that looks for further copies of repeated eigenvalues.")
  boolean noVerify;

  @Option(
      names = "--start-seed",
      defaultValue = "1",
      description = "Seed of the Lanczos start vector.")
  long seed;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description =
          "Write {eigenvalues, residuals, matvecs, iterations, converged, seconds} as JSON"
              + " (seconds: the best solve, file reading excluded).")
  Path json;

  @Override
  public Integer call() {
    boolean fromData = kernel == null;
    if (!fromData && commandSpec.commandLine().getParseResult().hasMatchedOption("--data")) {
      throw NtkException.usage("give either --kernel K.npy or --data SPEC, not both");
    }
    if (!fromData && matrixFree) {
      throw NtkException.usage("--matrix-free needs --data (a stored --kernel is already dense)");
    }
    if (repeat < 1) {
      throw NtkException.usage("--repeat must be at least 1, got " + repeat);
    }
    if (top == null && bottom == null) {
      top = 10;
    }
    Precision prec = Precision.parse(precision);
    if (prec != Precision.FP32 && prec != Precision.FP64) {
      throw NtkException.usage("--precision must be fp32 or fp64 for spectra, got " + precision);
    }
    double[] values = null;
    Dataset dataset = null;
    int n;
    if (fromData) {
      if (data.hasSecond()) {
        throw NtkException.usage("--data2 has no meaning for a spectrum; drop it");
      }
      dataset = data.load();
      n = dataset.size();
    } else {
      NpyArray k = Npy.read(kernel).requireFiniteMatrix(kernel.toString());
      n = k.rows();
      if (k.cols() != n) {
        throw NtkException.badInput(
            kernel
                + " is "
                + n
                + "x"
                + k.cols()
                + ": a kernel matrix must be square (n×n, one row and column per sample)");
      }
      checkSymmetric(k.data(), n);
      values = k.data();
    }
    if (n == 0) {
      throw NtkException.badInput("the kernel is empty (0 samples): a spectrum needs n ≥ 1");
    }
    for (Integer count : new Integer[] {top, bottom}) {
      if (count != null && (count < 1 || count > n)) {
        throw NtkException.usage(
            "asked for "
                + count
                + " eigenvalues of a "
                + n
                + "x"
                + n
                + " kernel: choose k between 1 and "
                + n);
      }
    }
    if (!matrixFree) {
      MemoryBudget.require(
          (long) n * n * prec.bytes() + 64L * n * prec.bytes(), "the " + n + "x" + n + " kernel");
    }

    Options options =
        Options.defaults().withTol(tol).withBasisSize(basis).withSeed(seed).withVerify(!noVerify);
    LanczosSolver solver = new LanczosSolver(options);
    Map<String, Object> report = new LinkedHashMap<>();
    try (Backend be = Backends.open(backend, prec)) {
      try (Network net =
              fromData ? Network.initialize(be, prec, model.spec(dataset, 1), model.seed()) : null;
          Matrix x = fromData ? dataset.inputs(be, prec) : null;
          MatrixFreeNtk free = matrixFree ? new EmpiricalNtk(net).operator(x) : null;
          Matrix theta = matrixFree ? null : kernelMatrix(be, prec, n, values, net, x)) {
        SymmetricOperator op = matrixFree ? free : SymmetricOperator.dense(be, theta);
        report.put(
            "source",
            fromData
                ? (matrixFree ? "matrix-free NTK of " : "NTK of ") + data.data
                : kernel.toString());
        report.put("backend", be.name());
        report.put("precision", prec.name().toLowerCase(Locale.ROOT));
        report.put("n", n);
        report.put("repeats", repeat);
        if (top != null) {
          Map<String, Object> r = run(solver, op, top, Which.LARGEST, be.name(), prec);
          report.putAll(r);
        }
        if (bottom != null) {
          Map<String, Object> r = run(solver, op, bottom, Which.SMALLEST, be.name(), prec);
          if (top == null) {
            report.putAll(r);
          } else {
            report.put("bottom", r);
          }
        }
      }
    }
    Json.write(json, report);
    return 0;
  }

  /** Θ on the backend: uploaded from the file, or the empirical NTK of the data set. */
  private static Matrix kernelMatrix(
      Backend be, Precision prec, int n, double[] values, Network net, Matrix x) {
    if (net != null) {
      return new EmpiricalNtk(net).kernel(x);
    }
    Matrix theta = be.allocate(n, n, prec);
    be.upload(values, theta);
    return theta;
  }

  private Map<String, Object> run(
      LanczosSolver solver,
      SymmetricOperator op,
      int count,
      Which which,
      String backendName,
      Precision prec) {
    LanczosResult result = null;
    double best = Double.POSITIVE_INFINITY;
    for (int r = 0; r < repeat; r++) {
      long t0 = System.nanoTime();
      result = solver.solve(op, count, which);
      best = Math.min(best, (System.nanoTime() - t0) / 1e9);
    }
    String side = which == Which.LARGEST ? "top" : "bottom";
    System.out.printf(
        "%s %d of %dx%d on %s %s: %s in %d restarts, %d matvecs, best of %d %.6f s"
            + " (tol %.1e·λmax)%n",
        side,
        count,
        op.size(),
        op.size(),
        backendName,
        prec.name().toLowerCase(Locale.ROOT),
        result.converged() ? "converged" : "NOT converged (budget spent)",
        result.iterations(),
        result.matvecs(),
        repeat,
        best,
        result.tolerance());
    System.out.printf("%4s  %-24s  %s%n", "i", "eigenvalue", "residual");
    for (int i = 0; i < result.count(); i++) {
      System.out.printf(
          Locale.ROOT,
          "%4d  %-24.17g  %.3e%n",
          i + 1,
          result.eigenvalues()[i],
          result.residuals()[i]);
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("which", side);
    r.put("eigenvalues", result.eigenvalues());
    r.put("residuals", result.residuals());
    r.put("matvecs", result.matvecs());
    r.put("iterations", result.iterations());
    r.put("converged", result.converged());
    r.put("seconds", best);
    r.put("tolerance", result.tolerance());
    r.put("lambda_max", result.lambdaMax());
    return r;
  }

  // Lanczos assumes Θ = Θᵀ; a kernel that is not symmetric is a corrupt or wrong file.
  private void checkSymmetric(double[] a, int n) {
    double scale = 0.0;
    for (double x : a) {
      scale = Math.max(scale, Math.abs(x));
    }
    double allowed = 1e-5 * scale;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        double d = Math.abs(a[i * n + j] - a[j * n + i]);
        if (d > allowed) {
          throw NtkException.badInput(
              kernel
                  + " is not symmetric: K["
                  + i
                  + ", "
                  + j
                  + "] = "
                  + a[i * n + j]
                  + " but K["
                  + j
                  + ", "
                  + i
                  + "] = "
                  + a[j * n + i]
                  + "; a kernel matrix must equal its transpose (symmetrise it as (K + Kᵀ)/2)");
        }
      }
    }
  }
}
