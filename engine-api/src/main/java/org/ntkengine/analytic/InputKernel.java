package org.ntkengine.analytic;

/**
 * The first stage of an infinite-width network: turns raw inputs into the covariance of the
 * representation the first dense layer reads (x·x′/d for raw inputs, ⟨γ(x), γ(x′)⟩/m for Fourier
 * features). Its NTK is zero because it has no trained parameters.
 */
public interface InputKernel {
  /**
   * Computes the input covariance of one set with itself.
   *
   * @param x inputs, n×d row-major
   * @param n number of inputs
   * @param d input dimension
   * @return the symmetric state
   * @throws org.ntkengine.NtkException (bad input) for a shape mismatch or a non-finite value
   */
  KernelState initial(double[] x, int n, int d);

  /**
   * Computes the input covariance between two sets.
   *
   * @param x1 first set, n₁×d row-major
   * @param n1 its size
   * @param x2 second set, n₂×d row-major
   * @param n2 its size
   * @param d input dimension
   * @return the n₁×n₂ state
   * @throws org.ntkengine.NtkException (bad input) for a shape mismatch or a non-finite value
   */
  KernelState initial(double[] x1, int n1, double[] x2, int n2, int d);
}
