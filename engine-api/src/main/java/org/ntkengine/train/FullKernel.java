package org.ntkengine.train;

import org.ntkengine.MemoryBudget;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.model.LayerFactors;
import org.ntkengine.model.Network;

/**
 * The full empirical NTK over samples and outputs, Θ_{(i,c),(j,e)} = ∂f_c(x_i)/∂θ · ∂f_e(x_j)/∂θ,
 * an nk×nk matrix: what gradient descent on k outputs actually multiplies the residual by.
 * Assembled from one set of Jacobian factors: per term, the stacked cotangents [Δ¹; …; Δᵏ] give
 * every block Δ^cΔ^eᵀ in one Gram product, and the activations' Gram Σ_W s_W²A_WA_Wᵀ + σ_b² is
 * shared by all blocks. Meant for small sample sets (the stability check): memory O((nk)²).
 */
public final class FullKernel {
  private FullKernel() {}

  /**
   * Computes the full kernel in evaluation mode.
   *
   * @param network the network
   * @param x inputs, n×d on the network's backend
   * @return Θ, (nk)×(nk) row-major on the host, row and column index i·k + c (the layout of f)
   * @throws org.ntkengine.NtkException (resources) when it does not fit in memory
   */
  public static double[] compute(Network network, Matrix x) {
    Backend be = network.backend();
    Precision p = network.precision();
    int n = x.rows();
    int k = network.spec().outputs();
    int nk = n * k;
    MemoryBudget.require(
        (long) nk * nk * (8 + p.bytes()) + (long) n * n * 16,
        "the full per-output NTK of " + n + " samples and " + k + " outputs");
    double[] full = new double[nk * nk];
    double[] dd = new double[nk * nk];
    double[] g = new double[n * n];
    try (LayerFactors f = network.factors(x);
        Matrix gram = be.allocate(n, n, p);
        Matrix deltaGram = be.allocate(nk, nk, p)) {
      for (LayerFactors.Term term : f.terms()) {
        be.fill(gram, term.biasName() == null ? 0.0 : term.biasScale() * term.biasScale());
        for (LayerFactors.Factor fac : term.factors()) {
          be.gramSymmetric(fac.scale() * fac.scale(), fac.activations(), 1.0, gram);
        }
        try (Matrix stacked = be.allocate(nk, term.fanOut(), p)) {
          for (int c = 0; c < k; c++) {
            be.copy(term.deltas()[c], be.viewRows(stacked, c * n, n));
          }
          be.gramSymmetric(1.0, stacked, 0.0, deltaGram);
        }
        be.download(gram, g);
        be.download(deltaGram, dd);
        for (int c = 0; c < k; c++) {
          for (int e = 0; e < k; e++) {
            for (int i = 0; i < n; i++) {
              int src = (c * n + i) * nk + e * n;
              int dst = (i * k + c) * nk + e;
              for (int j = 0; j < n; j++) {
                full[dst + j * k] += dd[src + j] * g[i * n + j];
              }
            }
          }
        }
      }
    }
    return full;
  }
}
