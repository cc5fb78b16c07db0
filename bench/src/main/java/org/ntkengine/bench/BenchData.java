package org.ntkengine.bench;

import java.util.Random;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;

/** Seeded inputs and float64 accuracy checks shared by the benchmark states. */
public final class BenchData {
  private BenchData() {}

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
