package org.ntkengine.linalg;

/**
 * What {@link LanczosSolver} found: k eigenpairs of a symmetric operator Θ with their residuals.
 *
 * @param eigenvalues the k eigenvalues, descending for the top of the spectrum and ascending for
 *     the bottom; values within rounding of zero (|λ| ≤ 16·u·√n·λ_max, u the unit roundoff of the
 *     precision) are returned as exactly 0
 * @param eigenvectors the k unit eigenvectors on the host, {@code eigenvectors[i]} of length n
 *     belonging to {@code eigenvalues[i]}; null when they were not requested
 * @param residuals ‖Θ·v_i − λ_i·v_i‖ for each pair, computed from the final vectors by one more
 *     application of Θ (not the Lanczos estimate)
 * @param lambdaMax the largest |eigenvalue| estimate the tolerance was scaled by
 * @param tolerance the relative tolerance applied: the requested one, raised to the precision's
 *     floor (see {@link LanczosSolver.Options#tol()})
 * @param iterations restart cycles run
 * @param matvecs operator applications to single vectors (a block of b vectors counts b)
 * @param converged whether every residual is at most tolerance·lambdaMax; false when the budget ran
 *     out first, in which case the values are the best estimates found
 */
public record LanczosResult(
    double[] eigenvalues,
    double[][] eigenvectors,
    double[] residuals,
    double lambdaMax,
    double tolerance,
    int iterations,
    long matvecs,
    boolean converged) {

  /**
   * Returns the number of eigenpairs.
   *
   * @return k
   */
  public int count() {
    return eigenvalues.length;
  }

  /**
   * Returns the largest residual relative to lambdaMax (0 when lambdaMax is 0).
   *
   * @return max_i residuals[i] / lambdaMax
   */
  public double maxRelativeResidual() {
    double worst = 0.0;
    for (double r : residuals) {
      worst = Math.max(worst, r);
    }
    return lambdaMax == 0.0 ? worst : worst / lambdaMax;
  }
}
