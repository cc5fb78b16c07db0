package org.ntkengine.analytic;

import java.util.Arrays;

/**
 * The infinite-width kernels of one hidden representation over a pair of input sets: the NNGP
 * covariance K(x, x′), the NTK Θ(x, x′), the NNGP variances K(x, x) of each set, and which input
 * pairs are identical. Matrices are {@code rows × cols}, row-major, float64; for one set ({@link
 * #symmetric()}) rows = cols, the matrices are symmetric and the two variance vectors are the same
 * array.
 *
 * <p>The variances are what the activation kernels need (q, q′ in the arc-cosine and arcsine
 * formulas); the identity mask lets them treat identical inputs as θ = 0 exactly instead of
 * trusting a cosine computed as 1 ± a few ulp. Layers never modify a state they receive; they
 * return a new one.
 */
public final class KernelState {
  private final int rows;
  private final int cols;
  private final boolean symmetric;
  private final double[] nngp;
  private final double[] ntk;
  private final double[] rowVariances;
  private final double[] colVariances;
  private final boolean[] identical;

  /**
   * Wraps kernel arrays (not copied).
   *
   * @param rows n₁
   * @param cols n₂ (equal to n₁ when symmetric)
   * @param symmetric whether both sets are the same set
   * @param nngp K, n₁×n₂ row-major
   * @param ntk Θ, n₁×n₂ row-major
   * @param rowVariances K(x, x) for the first set, length n₁
   * @param colVariances K(x′, x′) for the second set, length n₂ (ignored when symmetric)
   * @param identical n₁×n₂: whether input i of the first set equals input j of the second
   * @throws IllegalArgumentException when a length does not match the shape
   */
  public KernelState(
      int rows,
      int cols,
      boolean symmetric,
      double[] nngp,
      double[] ntk,
      double[] rowVariances,
      double[] colVariances,
      boolean[] identical) {
    long size = (long) rows * cols;
    if (rows < 0 || cols < 0 || (symmetric && rows != cols)) {
      throw new IllegalArgumentException(
          "kernel shape " + rows + "x" + cols + (symmetric ? " is not square" : " is negative"));
    }
    check("NNGP", nngp.length, size);
    check("NTK", ntk.length, size);
    check("identity mask", identical.length, size);
    check("row variances", rowVariances.length, rows);
    double[] cv = symmetric ? rowVariances : colVariances;
    check("column variances", cv.length, cols);
    this.rows = rows;
    this.cols = cols;
    this.symmetric = symmetric;
    this.nngp = nngp;
    this.ntk = ntk;
    this.rowVariances = rowVariances;
    this.colVariances = cv;
    this.identical = identical;
  }

  private static void check(String what, int length, long expected) {
    if (length != expected) {
      throw new IllegalArgumentException(
          what + " has " + length + " entries, expected " + expected);
    }
  }

  /**
   * Returns n₁, the size of the first set.
   *
   * @return rows
   */
  public int rows() {
    return rows;
  }

  /**
   * Returns n₂, the size of the second set.
   *
   * @return columns
   */
  public int cols() {
    return cols;
  }

  /**
   * Whether this is the kernel of one set with itself (symmetric matrices).
   *
   * @return true for one set
   */
  public boolean symmetric() {
    return symmetric;
  }

  /**
   * Returns the NNGP covariance K, row-major n₁×n₂ (the live array: do not modify).
   *
   * @return K
   */
  double[] nngpArray() {
    return nngp;
  }

  /**
   * Returns the NTK Θ, row-major n₁×n₂ (the live array: do not modify).
   *
   * @return Θ
   */
  double[] ntkArray() {
    return ntk;
  }

  double[] rowVarianceArray() {
    return rowVariances;
  }

  double[] colVarianceArray() {
    return colVariances;
  }

  boolean[] identicalArray() {
    return identical;
  }

  /**
   * Returns a copy of the NNGP covariance K, row-major n₁×n₂.
   *
   * @return K
   */
  public double[] nngp() {
    return nngp.clone();
  }

  /**
   * Returns a copy of the NTK Θ, row-major n₁×n₂.
   *
   * @return Θ
   */
  public double[] ntk() {
    return ntk.clone();
  }

  /**
   * Returns a copy of the NNGP variances K(x, x) of the first set.
   *
   * @return length n₁
   */
  public double[] rowVariances() {
    return rowVariances.clone();
  }

  /**
   * Returns a copy of the NNGP variances K(x′, x′) of the second set.
   *
   * @return length n₂
   */
  public double[] colVariances() {
    return colVariances.clone();
  }

  /**
   * Whether input i of the first set is bit-for-bit the same as input j of the second.
   *
   * @param i row, 0-based
   * @param j column, 0-based
   * @return true for identical inputs
   */
  public boolean identical(int i, int j) {
    return identical[i * cols + j];
  }

  /**
   * Returns a state with the same shape and identity mask and new kernels.
   *
   * @param nngp K
   * @param ntk Θ
   * @param rowVariances first-set variances
   * @param colVariances second-set variances (ignored when symmetric)
   * @return the new state
   */
  KernelState with(double[] nngp, double[] ntk, double[] rowVariances, double[] colVariances) {
    return new KernelState(rows, cols, symmetric, nngp, ntk, rowVariances, colVariances, identical);
  }

  /**
   * Applies an entry-wise map to K and Θ, visiting only the upper triangle (and mirroring it) for
   * one set, which halves the work and keeps the result exactly symmetric.
   */
  KernelState map(EntryMap f, VarianceMap v) {
    double[] k = new double[nngp.length];
    double[] t = new double[ntk.length];
    double[] pair = new double[2];
    for (int i = 0; i < rows; i++) {
      double qi = rowVariances[i];
      for (int j = symmetric ? i : 0; j < cols; j++) {
        int ij = i * cols + j;
        f.apply(nngp[ij], ntk[ij], qi, colVariances[j], identical[ij], pair);
        k[ij] = pair[0];
        t[ij] = pair[1];
        if (symmetric) {
          k[j * cols + i] = pair[0];
          t[j * cols + i] = pair[1];
        }
      }
    }
    double[] rv = new double[rows];
    for (int i = 0; i < rows; i++) {
      rv[i] = v.apply(rowVariances[i]);
    }
    double[] cv = rv;
    if (!symmetric) {
      cv = new double[cols];
      for (int j = 0; j < cols; j++) {
        cv[j] = v.apply(colVariances[j]);
      }
    }
    return with(k, t, rv, cv);
  }

  /** The new (K, Θ) of one entry from its old values and the two NNGP variances. */
  @FunctionalInterface
  interface EntryMap {
    void apply(double k, double theta, double q1, double q2, boolean identical, double[] out);
  }

  /** The new NNGP variance from the old one. */
  @FunctionalInterface
  interface VarianceMap {
    double apply(double q);
  }

  @Override
  public String toString() {
    return "KernelState["
        + rows
        + "x"
        + cols
        + (symmetric ? ", one set" : ", two sets")
        + ", K="
        + Arrays.toString(Arrays.copyOf(nngp, Math.min(nngp.length, 4)))
        + "...]";
  }
}
