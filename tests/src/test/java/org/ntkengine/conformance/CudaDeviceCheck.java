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

/**
 * The GPU check's figures, run by native/device-check.sh on a GPU machine: Gram assembly in FP32,
 * TF32 and FP64 against the card's measured FMA peak, and the structured NTK assembly, each with
 * its relative Frobenius error against the FP64 result. Prints a table last. Not a unit test: it
 * times things.
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
    }

    System.out.println();
    System.out.println("Lanczos top-10 at n = 16384: not run, this build has no Lanczos solver");
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
   * Structured NTK assembly Θ = Σ_l s²·(Δ_lΔ_lᵀ) ⊙ (A_lA_lᵀ) over 4 layers of width 512 with
   * synthetic factors: the model's forward and backward passes are not in this build, so this
   * measures the assembly kernels alone.
   */
  private static void structured(CudaBackend cuda, int n, List<Row> rows) {
    int layers = 4;
    int width = 512;
    double[][] factors = new double[2 * layers][n * width];
    SplittableRandom random = new SplittableRandom(42);
    for (double[] f : factors) {
      for (int i = 0; i < f.length; i++) {
        f[i] = 2 * random.nextDouble() - 1;
      }
    }
    double flops = layers * 2 * 2.0 * n * n * width + layers * 3.0 * n * n / 2;
    String work = "structured NTK assembly n=" + n + " (synthetic)";
    double[] reference = null;
    for (Precision prec : new Precision[] {Precision.FP64, Precision.FP32}) {
      Matrix[] m = new Matrix[factors.length];
      try (Matrix gd = cuda.allocate(n, n, prec);
          Matrix ga = cuda.allocate(n, n, prec);
          Matrix theta = cuda.allocate(n, n, prec)) {
        for (int i = 0; i < factors.length; i++) {
          m[i] = cuda.allocate(n, width, prec);
          cuda.upload(factors[i], m[i]);
        }
        double seconds =
            time(
                cuda,
                () -> {
                  for (int l = 0; l < layers; l++) {
                    cuda.gramSymmetric(1.0, m[2 * l], 0.0, gd);
                    cuda.gramSymmetric(1.0, m[2 * l + 1], 0.0, ga);
                    cuda.structuredAccumulate(1.0 / width, gd, ga, l == 0 ? 0.0 : 1.0, theta);
                  }
                  cuda.mirrorLower(theta);
                });
        double[] result = new double[n * n];
        cuda.download(theta, result);
        if (reference == null) {
          reference = result;
          rows.add(new Row(work, prec, seconds, flops, 0.0));
        } else {
          rows.add(new Row(work, prec, seconds, flops, relativeError(result, reference)));
        }
      } finally {
        for (Matrix x : m) {
          if (x != null) {
            x.close();
          }
        }
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
