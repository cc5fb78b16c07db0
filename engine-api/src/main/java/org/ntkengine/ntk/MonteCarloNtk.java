package org.ntkengine.ntk;

import org.ntkengine.backend.Matrix;

/**
 * The Monte Carlo mean of the empirical NTK over sampled stochastic-depth masks, with the standard
 * error of that mean, element by element. Close it to release both matrices.
 *
 * @param mean (1/s)·Σ_i Θ_{ξ_i}, n₁×n₂
 * @param standardError the sample standard deviation over the s kernels divided by √s (zero when s
 *     = 1), n₁×n₂
 * @param samples s, the number of masks
 */
public record MonteCarloNtk(Matrix mean, Matrix standardError, int samples)
    implements AutoCloseable {

  @Override
  public void close() {
    mean.close();
    standardError.close();
  }
}
