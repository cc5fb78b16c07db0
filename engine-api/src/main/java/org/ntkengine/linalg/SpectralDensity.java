package org.ntkengine.linalg;

import java.util.Arrays;
import java.util.Random;
import org.ntkengine.NtkException;
import org.ntkengine.backend.Backend;

/**
 * The spectral density of a symmetric operator estimated by stochastic Lanczos quadrature (Ubaru,
 * Chen and Saad, SIAM J. Matrix Anal. Appl. 38, 2017): for each of several Rademacher probes z, j
 * Lanczos steps from z/‖z‖ give Gauss quadrature nodes θ_i (the Ritz values) and weights τ_i (the
 * squared first components of the Ritz vectors), so that zᵀf(Θ)z/‖z‖² ≈ Σ τ_i f(θ_i). Averaged over
 * probes, the weighted nodes approximate the normalised eigenvalue distribution (1/n)·Σ δ(x − λ).
 *
 * @param nodes the quadrature nodes of every probe, concatenated
 * @param weights their weights, summing to 1 over all probes
 * @param n the operator's size: {@code n·weights} counts eigenvalues
 * @param probes how many probe vectors were used
 * @param steps the Lanczos steps per probe (capped at n)
 */
public record SpectralDensity(double[] nodes, double[] weights, int n, int probes, int steps) {

  /**
   * Estimates the density of Θ.
   *
   * @param op Θ
   * @param probes how many Rademacher probes, at least 1 (the error of a moment falls as 1/√probes)
   * @param steps Lanczos steps per probe, at least 1 (capped at n; j steps integrate polynomials of
   *     degree 2j − 1 exactly)
   * @param seed seeds the probes
   * @return the nodes and weights
   * @throws NtkException (usage) when probes or steps are below 1 or the operator is empty
   */
  public static SpectralDensity estimate(SymmetricOperator op, int probes, int steps, long seed) {
    int n = op.size();
    if (probes < 1 || steps < 1) {
      throw NtkException.usage(
          "stochastic Lanczos quadrature needs at least 1 probe and 1 step, got "
              + probes
              + " and "
              + steps);
    }
    if (n == 0) {
      throw NtkException.usage("the operator is empty: there is no spectrum to estimate");
    }
    int cap = Math.min(steps, n);
    Random random = new Random(seed);
    double[] nodes = new double[probes * cap];
    double[] weights = new double[probes * cap];
    int count = 0;
    try (KrylovBasis basis = new KrylovBasis(op, cap + 1, seed ^ 0x5DEECE66DL)) {
      Backend be = basis.backend;
      double[] z = new double[n];
      for (int probe = 0; probe < probes; probe++) {
        for (int i = 0; i < n; i++) {
          z[i] = random.nextBoolean() ? 1.0 : -1.0;
        }
        basis.setRow(0, z);
        double[] alpha = new double[cap];
        double[] beta = new double[cap];
        int j = 0;
        while (j < cap) {
          basis.applyTo(j);
          double[] c = basis.orthogonalize(basis.work(), j + 1);
          alpha[j] = c[j];
          double b = be.norm(basis.work());
          double scale = Math.max(Math.abs(alpha[j]), j > 0 ? beta[j - 1] : 0.0);
          j++;
          if (j >= cap || b <= 16 * basis.unitRoundoff() * Math.sqrt(n) * scale) {
            // An invariant subspace: the quadrature is already exact for this probe.
            break;
          }
          beta[j - 1] = b;
          basis.setRowFromWork(j, 1.0 / b);
        }
        SymmetricEigen eig =
            SymmetricEigen.tridiagonal(
                Arrays.copyOf(alpha, j), Arrays.copyOf(beta, Math.max(0, j - 1)));
        for (int i = 0; i < j; i++) {
          double y0 = eig.vector(0, i);
          nodes[count] = eig.values()[i];
          weights[count] = y0 * y0 / probes;
          count++;
        }
      }
    }
    return new SpectralDensity(
        Arrays.copyOf(nodes, count), Arrays.copyOf(weights, count), n, probes, cap);
  }

  /**
   * The expected number of eigenvalues in each of {@code bins} equal bins of [lo, hi); nodes
   * outside the range are dropped (nodes equal to hi go to the last bin).
   *
   * @param lo the lower edge
   * @param hi the upper edge, greater than lo
   * @param bins the number of bins, at least 1
   * @return counts per bin, summing to n when the range covers every node
   * @throws NtkException (usage) when the range or bin count is invalid
   */
  public double[] histogram(double lo, double hi, int bins) {
    if (!(hi > lo) || bins < 1) {
      throw NtkException.usage(
          "a histogram needs hi > lo and at least one bin, got ["
              + lo
              + ", "
              + hi
              + ") in "
              + bins);
    }
    double[] counts = new double[bins];
    double width = (hi - lo) / bins;
    for (int i = 0; i < nodes.length; i++) {
      double x = nodes[i];
      if (x < lo || x > hi) {
        continue;
      }
      int bin = Math.min(bins - 1, (int) ((x - lo) / width));
      counts[bin] += n * weights[i];
    }
    return counts;
  }

  /**
   * The density broadened by a Gaussian of width sigma, on a grid: ρ(x) = n·Σ τ_i·N(x; θ_i, σ²), in
   * eigenvalues per unit of x (it integrates to n).
   *
   * @param grid the points x
   * @param sigma the broadening, positive
   * @return ρ at each grid point
   * @throws NtkException (usage) when sigma is not positive
   */
  public double[] smoothed(double[] grid, double sigma) {
    if (!(sigma > 0.0)) {
      throw NtkException.usage("the broadening sigma must be positive, got " + sigma);
    }
    double norm = n / (sigma * Math.sqrt(2 * Math.PI));
    double[] rho = new double[grid.length];
    for (int g = 0; g < grid.length; g++) {
      double s = 0.0;
      for (int i = 0; i < nodes.length; i++) {
        double d = (grid[g] - nodes[i]) / sigma;
        s += weights[i] * Math.exp(-0.5 * d * d);
      }
      rho[g] = norm * s;
    }
    return rho;
  }
}
