package org.ntkengine.analytic;

import org.ntkengine.NtkException;

/** Shape and value checks for input matrices, and the identity mask of two sets. */
final class Inputs {
  private Inputs() {}

  static void check(String set, double[] x, int n, int d) {
    String name = set.isEmpty() ? "the" : set;
    if (x == null) {
      throw NtkException.usage(name + " inputs are missing");
    }
    if (n < 0 || d <= 0 || (long) n * d != x.length) {
      throw NtkException.badInput(
          name
              + " inputs: expected "
              + n
              + "x"
              + d
              + " = "
              + (long) n * d
              + " values (row-major), got "
              + x.length);
    }
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < d; c++) {
        double v = x[i * d + c];
        if (!Double.isFinite(v)) {
          throw NtkException.badInput(
              name
                  + " inputs: row "
                  + i
                  + ", column "
                  + c
                  + " is "
                  + v
                  + "; inputs must be finite");
        }
      }
    }
  }

  /** Whether row i of x1 and row j of x2 hold the same bits (so +0.0 and −0.0 differ; harmless). */
  static boolean[] identical(double[] x1, int n1, double[] x2, int n2, int d, boolean symmetric) {
    boolean[] same = new boolean[n1 * n2];
    for (int i = 0; i < n1; i++) {
      for (int j = symmetric ? i : 0; j < n2; j++) {
        boolean eq = symmetric && i == j;
        if (!eq) {
          eq = true;
          for (int c = 0; c < d && eq; c++) {
            eq = Double.doubleToLongBits(x1[i * d + c]) == Double.doubleToLongBits(x2[j * d + c]);
          }
        }
        same[i * n2 + j] = eq;
        if (symmetric) {
          same[j * n2 + i] = eq;
        }
      }
    }
    return same;
  }
}
