package org.ntkengine.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Random;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;

/** Seeded inputs and float64 accuracy checks shared by the benchmark states. */
public final class BenchData {
  /**
   * The system property naming the file where a benchmark's set-up reports what it measured outside
   * the timed loop, for {@link BenchSuite}: the relative error of its float64 check and, where the
   * work depends on the run (Lanczos), the flop count of one invocation.
   */
  public static final String REPORT_PROPERTY = "ntk.bench.report";

  private BenchData() {}

  /**
   * Writes the set-up's check to the file named by {@value #REPORT_PROPERTY}; does nothing when the
   * property is unset (a benchmark run by JMH directly).
   *
   * @param relativeError the relative error against float64
   * @param flops the flops of one invocation, or NaN where the operation's formula applies
   */
  public static void report(double relativeError, double flops) {
    String path = System.getProperty(REPORT_PROPERTY);
    if (path == null || path.isEmpty()) {
      return;
    }
    String text = String.format(Locale.ROOT, "relativeError=%s%nflops=%s%n", relativeError, flops);
    try {
      Files.writeString(Path.of(path), text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the benchmark report " + path, e);
    }
  }

  /**
   * Reads one value from a report written by {@link #report}.
   *
   * @param file the report
   * @param key {@code relativeError} or {@code flops}
   * @return the value, empty when the file or the key is missing or the value is NaN
   */
  static OptionalDouble readReport(Path file, String key) {
    if (!Files.isRegularFile(file)) {
      return OptionalDouble.empty();
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.startsWith(key + "=")) {
          double v = Double.parseDouble(line.substring(key.length() + 1).trim());
          return Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
        }
      }
      return OptionalDouble.empty();
    } catch (IOException | NumberFormatException e) {
      return OptionalDouble.empty();
    }
  }

  /**
   * Uniform values in [-1, 1) from a seed; every operand gets its own seed.
   *
   * @param seed the seed
   * @param count how many values
   * @return the values
   */
  public static double[] uniform(long seed, int count) {
    Random r = new Random(seed);
    double[] v = new double[count];
    for (int i = 0; i < count; i++) {
      v[i] = 2 * r.nextDouble() - 1;
    }
    return v;
  }

  /**
   * Rounds values to float when the precision stores floats, so the FP64 reference sees exactly the
   * data the backend under test sees.
   *
   * @param p the precision
   * @param v the values (not modified)
   * @return the rounded copy, or {@code v} itself for FP64
   */
  public static double[] rounded(Precision p, double[] v) {
    if (!p.isSingle()) {
      return v;
    }
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) v[i];
    }
    return out;
  }

  /**
   * Allocates and fills a matrix.
   *
   * @param backend the backend
   * @param data row-major values
   * @param rows rows
   * @param cols columns
   * @param p precision
   * @return the matrix
   */
  public static Matrix upload(Backend backend, double[] data, int rows, int cols, Precision p) {
    Matrix m = backend.allocate(rows, cols, p);
    backend.upload(data, m);
    return m;
  }

  /**
   * Downloads a matrix.
   *
   * @param backend its backend
   * @param m the matrix
   * @return row-major values
   */
  public static double[] download(Backend backend, Matrix m) {
    double[] out = new double[(int) m.size()];
    backend.download(m, out);
    return out;
  }

  /**
   * Waits for a device backend to finish by reading one element back; free on host backends.
   *
   * @param backend the backend
   * @param m a matrix the measured work wrote
   * @return the element read, so the read cannot be eliminated
   */
  public static double sync(Backend backend, Matrix m) {
    if (m.size() == 0) {
      return 0;
    }
    double[] one = new double[m.cols()];
    try (Matrix row = backend.viewRows(m, 0, 1)) {
      backend.download(row, one);
    }
    return one[0];
  }

  /**
   * The relative Frobenius error ‖x − ref‖/‖ref‖ (the absolute error when ref is zero).
   *
   * @param x the result under test
   * @param ref the float64 reference
   * @return the relative error
   */
  public static double relativeError(double[] x, double[] ref) {
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < ref.length; i++) {
      double d = x[i] - ref[i];
      diff += d * d;
      norm += ref[i] * ref[i];
    }
    return norm == 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
  }
}
