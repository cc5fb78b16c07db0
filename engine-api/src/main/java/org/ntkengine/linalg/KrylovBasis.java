package org.ntkengine.linalg;

import java.util.Arrays;
import java.util.Random;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.backend.Transpose;

/**
 * An orthonormal Krylov basis held in the operator's backend: the rows of a capacity×n matrix, a
 * work vector for products with Θ, and the host-side bookkeeping the Krylov methods share.
 * Orthogonalisation is classical Gram–Schmidt done twice ("CGS2"), each pass two matrix products,
 * which keeps the basis orthonormal to working precision (Giraud, Langou, Rozložník, 2005).
 */
final class KrylovBasis implements AutoCloseable {
  final SymmetricOperator op;
  final Backend backend;
  final int n;
  final Precision precision;
  final int capacity;
  private final Matrix basis;
  private final Matrix work;
  private final Matrix coefficients;
  private final double[] hostCoefficients;
  private final Random random;
  private long matvecs;

  KrylovBasis(SymmetricOperator op, int capacity, long seed) {
    this.op = op;
    this.backend = op.backend();
    this.n = op.size();
    this.precision = op.precision();
    this.capacity = capacity;
    this.random = new Random(seed);
    Matrix q = null;
    Matrix w = null;
    try {
      q = backend.allocate(capacity, n, precision);
      w = backend.allocate(1, n, precision);
      this.coefficients = backend.allocate(capacity, 1, precision);
    } catch (RuntimeException e) {
      if (q != null) {
        q.close();
      }
      if (w != null) {
        w.close();
      }
      throw e;
    }
    this.basis = q;
    this.work = w;
    this.hostCoefficients = new double[capacity];
  }

  /** The unit roundoff of the precision the vectors are stored in. */
  static double unitRoundoff(Precision p) {
    return p.isSingle() ? 0x1p-24 : 0x1p-53;
  }

  double unitRoundoff() {
    return unitRoundoff(precision);
  }

  long matvecs() {
    return matvecs;
  }

  Matrix row(int i) {
    return backend.viewRows(basis, i, 1);
  }

  Matrix rows(int first, int count) {
    return backend.viewRows(basis, first, count);
  }

  Matrix work() {
    return work;
  }

  /** work = q_i·Θ; returns ‖work‖. */
  double applyTo(int i) {
    op.apply(row(i), work);
    matvecs++;
    return backend.norm(work);
  }

  /** Counts operator applications made outside {@link #applyTo}. */
  void countMatvecs(long count) {
    matvecs += count;
  }

  /**
   * Removes from v (1×n) its components along rows [0, count), twice, and returns the summed
   * coefficients ⟨q_i, v⟩ of both passes (length ≥ count; only the first count are meaningful).
   */
  double[] orthogonalize(Matrix v, int count) {
    Arrays.fill(hostCoefficients, 0.0);
    if (count == 0) {
      return hostCoefficients.clone();
    }
    Matrix q = rows(0, count);
    Matrix c = backend.viewRows(coefficients, 0, count);
    double[] pass = new double[count];
    for (int round = 0; round < 2; round++) {
      backend.gemm(Transpose.NO, Transpose.YES, 1.0, q, v, 0.0, c);
      backend.gemm(Transpose.YES, Transpose.NO, -1.0, c, q, 1.0, v);
      backend.download(c, pass);
      for (int i = 0; i < count; i++) {
        hostCoefficients[i] += pass[i];
      }
    }
    return hostCoefficients.clone();
  }

  /** Row i = scale·work. */
  void setRowFromWork(int i, double scale) {
    backend.axpby(scale, work, 0.0, row(i));
  }

  /**
   * Sets row i to a unit vector orthogonal to rows [0, i), drawn from the seeded stream; returns
   * false when none exists (i == n) or rounding left nothing after orthogonalisation.
   */
  boolean setRandomRow(int i) {
    if (i >= n) {
      return false;
    }
    double[] g = new double[n];
    for (int attempt = 0; attempt < 4; attempt++) {
      for (int j = 0; j < n; j++) {
        g[j] = random.nextGaussian();
      }
      Matrix r = row(i);
      backend.upload(g, r);
      double before = backend.norm(r);
      orthogonalize(r, i);
      double after = backend.norm(r);
      // A fresh direction must keep a fair share of its norm; if the basis nearly spans R^n the
      // remainder is rounding noise and a new draw is tried.
      if (after > Math.sqrt(unitRoundoff()) * before && after > 0.0) {
        backend.axpby(1.0 / after, r, 0.0, r);
        return true;
      }
    }
    return false;
  }

  /**
   * Sets row i to the normalised component of a host vector orthogonal to rows [0, i); returns
   * false when that component vanishes (the vector lies in their span).
   */
  boolean setRow(int i, double[] host) {
    Matrix r = row(i);
    backend.upload(host, r);
    double before = backend.norm(r);
    orthogonalize(r, i);
    double after = backend.norm(r);
    if (!(after > 4 * unitRoundoff() * before)) {
      return false;
    }
    backend.axpby(1.0 / after, r, 0.0, r);
    return true;
  }

  /**
   * out = Y·Q[0, count) for a host matrix Y (rows×count, row-major): combinations of basis rows.
   */
  void combine(double[] y, int rows, int count, Matrix out) {
    try (Matrix ym = backend.allocate(rows, count, precision)) {
      backend.upload(y, ym);
      backend.gemm(Transpose.NO, Transpose.NO, 1.0, ym, rows(0, count), 0.0, out);
    }
  }

  /** Copies the first count rows of m into rows [0, count) of the basis. */
  void setRows(Matrix m, int count) {
    backend.copy(backend.viewRows(m, 0, count), rows(0, count));
  }

  /** Copies row src over row dst. */
  void copyRow(int src, int dst) {
    if (src != dst) {
      backend.copy(row(src), row(dst));
    }
  }

  @Override
  public void close() {
    basis.close();
    work.close();
    coefficients.close();
  }
}
