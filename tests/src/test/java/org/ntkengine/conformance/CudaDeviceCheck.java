package org.ntkengine.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.cuda.CudaBackend;
import org.ntkengine.cuda.CudaBackendProvider;
import org.ntkengine.data.Dataset;
import org.ntkengine.data.Synthetic;
import org.ntkengine.linalg.LanczosResult;
import org.ntkengine.linalg.LanczosSolver;
import org.ntkengine.linalg.SymmetricOperator;
import org.ntkengine.model.ModelSpec;
import org.ntkengine.model.Network;
import org.ntkengine.model.ParameterTensor;
import org.ntkengine.model.Parameters;
import org.ntkengine.ntk.EmpiricalNtk;

/**
 * The GPU check's figures, run by native/device-check.sh on a GPU machine: Gram assembly in FP32,
 * TF32 and FP64 against the card's measured FMA peak, the structured empirical NTK of NTK-ECRN and
 * Lanczos top-10 at 2n, each with its relative error against the FP64 result. Prints a table last.
 * Not a unit test: it times things.
 *
 * <p>Arguments: [n] [p] (default 8192 16384).
 */
public final class CudaDeviceCheck {
  private record Row(
      String work, Precision precision, double seconds, double flops, double error) {}

  private CudaDeviceCheck() {}

  /**
   * Runs the measurements and prints the table.
   *
   * @param args optional n and p
   */
  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 8192;
    int p = args.length > 1 ? Integer.parseInt(args[1]) : 16384;
    CudaBackendProvider provider = new CudaBackendProvider();
    if (!provider.availability().available()) {
      System.out.println("cuda unavailable: " + provider.availability().reason());
      System.exit(4);
    }
    for (Map.Entry<String, String> e : provider.details().entrySet()) {
      System.out.println(e.getKey() + ": " + e.getValue());
    }
    List<Row> rows = new ArrayList<>();
    double peak32;
    double peak64;
    try (CudaBackend cuda = (CudaBackend) provider.open()) {
      peak32 = cuda.measurePeakGflops(Precision.FP32);
      peak64 = cuda.measurePeakGflops(Precision.FP64);
      System.out.printf(
          Locale.ROOT, "measured FMA peak: FP32 %.0f GFLOP/s, FP64 %.0f GFLOP/s%n", peak32, peak64);
      gram(cuda, n, p, rows);
      structured(cuda, n, rows);
      lanczos(cuda, 2 * n, rows);
    }

    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "%-44s %-9s %9s %12s %8s %12s%n",
        "work",
        "precision",
        "seconds",
        "GFLOP/s",
        "of peak",
        "rel. error");
    for (Row r : rows) {
      double gflops = r.flops() / r.seconds() * 1e-9;
      double peak = r.precision() == Precision.FP64 ? peak64 : peak32;
      System.out.printf(
          Locale.ROOT,
          "%-44s %-9s %9.4f %12.0f %7.0f%% %12.3e%n",
          r.work(),
          r.precision(),
          r.seconds(),
          gflops,
          100 * gflops / peak,
          r.error());
    }
  }

  /** Θ = J·Jᵀ at n×p in each precision; flops counted as 2·n²·p (the syrk convention). */
  private static void gram(CudaBackend cuda, int n, int p, List<Row> rows) {
    double[] j = new double[n * p];
    SplittableRandom random = new SplittableRandom(20261204L);
    for (int i = 0; i < j.length; i++) {
      j[i] = 2 * random.nextDouble() - 1;
    }
    double flops = 2.0 * n * n * p;
    String work = "Gram J·Jᵀ n=" + n + " P=" + p;
    double[] reference = new double[n * n];
    double[] result = new double[n * n];
    try (Matrix j64 = cuda.allocate(n, p, Precision.FP64);
        Matrix c64 = cuda.allocate(n, n, Precision.FP64)) {
      cuda.upload(j, j64);
      double seconds = time(cuda, () -> cuda.gramSymmetric(1.0, j64, 0.0, c64));
      cuda.download(c64, reference);
      rows.add(new Row(work, Precision.FP64, seconds, flops, 0.0));
    }
    for (Precision single : new Precision[] {Precision.FP32, Precision.TF32}) {
      try (Matrix js = cuda.allocate(n, p, single);
          Matrix cs = cuda.allocate(n, n, single)) {
        cuda.upload(j, js);
        double seconds = time(cuda, () -> cuda.gramSymmetric(1.0, js, 0.0, cs));
        cuda.download(cs, result);
        rows.add(new Row(work, single, seconds, flops, relativeError(result, reference)));
      }
    }
  }

  /**
   * The structured empirical NTK of NTK-ECRN (width 512, depth 4, ReLU, Fourier features) on n
   * points of the synthetic 2-D set: forward and backward passes, factor Grams and Hadamard
   * accumulation, all on the device. Flops counted as the factor Grams, 2·n²·(fan-in + fan-out) per
   * weight matrix.
   */
  private static void structured(CudaBackend cuda, int n, List<Row> rows) {
    Dataset data = Synthetic.hf2d(n, 7);
    ModelSpec spec = ModelSpec.builder(data.inputDim()).width(512).depth(4).build();
    double flops = 0;
    for (ParameterTensor t : Parameters.layout(spec)) {
      if (t.cols() > 1) {
        flops += 2.0 * n * n * (t.rows() + t.cols());
      }
    }
    String work = "structured NTK n=" + n + " width 512 depth 4";
    double[] reference = null;
    for (Precision prec : new Precision[] {Precision.FP64, Precision.FP32}) {
      double[] result = new double[n * n];
      try (Network net = Network.initialize(cuda, prec, spec, 1);
          Matrix x = data.inputs(cuda, prec)) {
        EmpiricalNtk ntk = new EmpiricalNtk(net);
        Matrix[] out = new Matrix[1];
        double seconds =
            time(
                cuda,
                () -> {
                  if (out[0] != null) {
                    out[0].close();
                  }
                  out[0] = ntk.kernel(x);
                });
        cuda.download(out[0], result);
        out[0].close();
        rows.add(
            new Row(
                work,
                prec,
                seconds,
                flops,
                reference == null ? 0.0 : relativeError(result, reference)));
        if (reference == null) {
          reference = result;
        }
      }
    }
  }

  /**
   * Top-10 eigenvalues by Lanczos of Θ = J·Jᵀ, J n×2048 with column j scaled by exp(−j/200), at tol
   * 1e-10 (FP64) and FP32's floor; the error column is the largest relative eigenvalue error
   * against FP64.
   */
  private static void lanczos(CudaBackend cuda, int n, List<Row> rows) {
    int p = 2048;
    double[] j = new double[n * p];
    SplittableRandom random = new SplittableRandom(2024);
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < p; c++) {
        j[i * p + c] = random.nextGaussian() * Math.exp(-c / 200.0);
      }
    }
    double[] reference = null;
    for (Precision prec : new Precision[] {Precision.FP64, Precision.FP32}) {
      try (Matrix jm = cuda.allocate(n, p, prec);
          Matrix theta = cuda.allocate(n, n, prec)) {
        cuda.upload(j, jm);
        cuda.gramSymmetric(1.0, jm, 0.0, theta);
        SymmetricOperator op = SymmetricOperator.dense(cuda, theta);
        LanczosResult[] result = new LanczosResult[1];
        double seconds = time(cuda, () -> result[0] = LanczosSolver.top(op, 10, 1e-10));
        double[] values = result[0].eigenvalues();
        double error = 0;
        if (reference != null) {
          for (int i = 0; i < values.length; i++) {
            error = Math.max(error, Math.abs(values[i] - reference[i]) / reference[i]);
          }
        } else {
          reference = values;
        }
        // Flops: 2·n² per matrix-vector product.
        rows.add(
            new Row(
                "Lanczos top-10 n=" + n + " (" + result[0].matvecs() + " matvecs)",
                prec,
                seconds,
                2.0 * n * n * result[0].matvecs(),
                error));
      }
    }
  }

  /** Best of two synchronised runs, after one warm-up. */
  private static double time(CudaBackend cuda, Runnable work) {
    work.run();
    cuda.synchronize();
    double best = Double.MAX_VALUE;
    for (int rep = 0; rep < 2; rep++) {
      long start = System.nanoTime();
      work.run();
      cuda.synchronize();
      best = Math.min(best, (System.nanoTime() - start) * 1e-9);
    }
    return best;
  }

  private static double relativeError(double[] x, double[] reference) {
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < x.length; i++) {
      double d = x[i] - reference[i];
      diff += d * d;
      norm += reference[i] * reference[i];
    }
    return Math.sqrt(diff / norm);
  }
}
