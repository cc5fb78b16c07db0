package org.ntkengine.analytic;

/**
 * Raw inputs as the first representation: covariance x·x′/d, so that a following {@link Dense}
 * layer (σ_w/√d)·W·x + σ_b·b has NNGP σ_w²·x·x′/d + σ_b². Zero NTK (no parameters).
 */
public final class LinearInput implements InputKernel {
  /** Creates the raw-input kernel. */
  public LinearInput() {}

  @Override
  public KernelState initial(double[] x, int n, int d) {
    Inputs.check("", x, n, d);
    return build(x, n, x, n, d, true);
  }

  @Override
  public KernelState initial(double[] x1, int n1, double[] x2, int n2, int d) {
    Inputs.check("first-set", x1, n1, d);
    Inputs.check("second-set", x2, n2, d);
    return build(x1, n1, x2, n2, d, false);
  }

  private static KernelState build(
      double[] x1, int n1, double[] x2, int n2, int d, boolean symmetric) {
    double[] k = new double[n1 * n2];
    for (int i = 0; i < n1; i++) {
      for (int j = symmetric ? i : 0; j < n2; j++) {
        double s = 0;
        for (int c = 0; c < d; c++) {
          s += x1[i * d + c] * x2[j * d + c];
        }
        k[i * n2 + j] = s / d;
        if (symmetric) {
          k[j * n2 + i] = s / d;
        }
      }
    }
    double[] v1 = norms(x1, n1, d);
    double[] v2 = symmetric ? v1 : norms(x2, n2, d);
    boolean[] same = Inputs.identical(x1, n1, x2, n2, d, symmetric);
    return new KernelState(n1, n2, symmetric, k, new double[n1 * n2], v1, v2, same);
  }

  /** Same summation order as the cross products, so identical inputs give identical bits. */
  private static double[] norms(double[] x, int n, int d) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int c = 0; c < d; c++) {
        s += x[i * d + c] * x[i * d + c];
      }
      v[i] = s / d;
    }
    return v;
  }

  @Override
  public String toString() {
    return "LinearInput[x·x′/d]";
  }
}
