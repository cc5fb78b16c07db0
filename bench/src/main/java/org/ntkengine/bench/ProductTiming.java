package org.ntkengine.bench;

import java.util.Locale;
import java.util.SplittableRandom;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Backends;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.backend.Transpose;

/**
 * Times one product on one backend and prints a JSON line, for the comparison scripts in {@code
 * bench/scripts}: {@code gemm} is C = A·B with A m×k and B k×n, {@code gram} is C = J·Jᵀ with J
 * m×k. Data are seeded uniform values in [-1, 1), distinct per operand; GFLOP/s counts 2·m·n·k (for
 * the Gram 2·m²·k, the work a general product would do).
 *
 * <p>Usage: {@code ProductTiming gemm|gram fp32|fp64 m n k repeats [backend]}.
 */
public final class ProductTiming {
  private ProductTiming() {}

  /**
   * Runs the timing.
   *
   * @param args operation, precision, m, n, k, repeats and optionally the backend (default auto)
   */
  public static void main(String[] args) {
    if (args.length < 6) {
      System.err.println("usage: ProductTiming gemm|gram fp32|fp64 m n k repeats [backend]");
      System.exit(2);
    }
    String op = args[0];
    Precision p = Precision.parse(args[1]);
    int m = Integer.parseInt(args[2]);
    int n = Integer.parseInt(args[3]);
    int k = Integer.parseInt(args[4]);
    int repeats = Integer.parseInt(args[5]);
    String name = args.length > 6 ? args[6] : Backends.AUTO;
    boolean gram = op.equals("gram");
    if (gram) {
      n = m;
    }
    try (Backend be = Backends.open(name);
        Matrix a = be.allocate(m, k, p);
        Matrix b = be.allocate(gram ? 0 : k, gram ? 0 : n, p);
        Matrix c = be.allocate(m, n, p)) {
      be.upload(random(1, (long) m * k), a);
      if (!gram) {
        be.upload(random(2, (long) k * n), b);
      }
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean)
              java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      double best = Double.POSITIVE_INFINITY;
      double bestCpu = Double.POSITIVE_INFINITY;
      for (int r = 0; r < repeats; r++) {
        long c0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        if (gram) {
          be.gramSymmetric(1.0, a, 0.0, c);
        } else {
          be.gemm(Transpose.NO, Transpose.NO, 1.0, a, b, 0.0, c);
        }
        best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        bestCpu = Math.min(bestCpu, (os.getProcessCpuTime() - c0) / 1e9);
      }
      double[] probe = new double[(int) c.size()];
      be.download(c, probe);
      double gflops = 2.0 * m * n * k / best / 1e9;
      System.out.printf(
          Locale.ROOT,
          "{\"op\":\"%s\",\"backend\":\"%s\",\"precision\":\"%s\",\"m\":%d,\"n\":%d,\"k\":%d,"
              + "\"seconds\":%.6f,\"gflops\":%.2f,\"cpu_seconds\":%.6f,\"cpu_gflops\":%.2f,"
              + "\"c00\":%s}%n",
          op,
          be.name(),
          args[1],
          m,
          n,
          k,
          best,
          gflops,
          bestCpu,
          2.0 * m * n * k / bestCpu / 1e9,
          probe.length == 0 ? "0" : Double.toString(probe[0]));
    }
  }

  private static double[] random(long seed, long count) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] v = new double[(int) count];
    for (int i = 0; i < v.length; i++) {
      v[i] = 2 * r.nextDouble() - 1;
    }
    return v;
  }
}
