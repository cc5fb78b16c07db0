package org.ntkengine.train;

/** Losses and accuracies of predictions held on the host, row-major n×k. */
public final class Metrics {
  private Metrics() {}

  /**
   * The training loss convention (1/2n)·‖F − Y‖²_F.
   *
   * @param f predictions F, n×k
   * @param y targets Y, n×k
   * @param n rows
   * @return the loss
   * @throws IllegalArgumentException when the lengths differ
   */
  public static double loss(double[] f, double[] y, int n) {
    if (f.length != y.length) {
      throw new IllegalArgumentException(
          "predictions hold " + f.length + " values but targets " + y.length);
    }
    double s = 0;
    for (int i = 0; i < f.length; i++) {
      double r = f[i] - y[i];
      s += r * r;
    }
    return n == 0 ? 0.0 : s / (2.0 * n);
  }

  /**
   * The root-mean-square difference √(mean (a − b)²) over every element.
   *
   * @param a the first array
   * @param b the second, same length
   * @return the RMS difference (0 for empty arrays)
   */
  public static double rms(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("lengths differ: " + a.length + " and " + b.length);
    }
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double r = a[i] - b[i];
      s += r * r;
    }
    return a.length == 0 ? 0.0 : Math.sqrt(s / a.length);
  }

  /**
   * The fraction of rows whose largest output (argmax over the k columns) is the label.
   *
   * @param f predictions, n×k
   * @param labels n class indices
   * @param k columns (classes)
   * @return the accuracy in [0, 1], NaN when there are no labels or no rows
   */
  public static double accuracy(double[] f, int[] labels, int k) {
    if (labels == null || labels.length == 0) {
      return Double.NaN;
    }
    if (f.length != labels.length * k) {
      throw new IllegalArgumentException(
          "predictions hold " + f.length + " values, expected " + labels.length + "x" + k);
    }
    int right = 0;
    for (int i = 0; i < labels.length; i++) {
      int best = 0;
      for (int c = 1; c < k; c++) {
        if (f[i * k + c] > f[i * k + best]) {
          best = c;
        }
      }
      right += best == labels[i] ? 1 : 0;
    }
    return (double) right / labels.length;
  }
}
