package org.ntkengine.cli;

import java.util.ArrayList;
import java.util.List;
import org.ntkengine.MemoryBudget;
import org.ntkengine.analytic.ConvergenceExperiment;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.model.LayerFactors;
import org.ntkengine.model.ModelSpec;
import org.ntkengine.model.Network;
import org.ntkengine.ntk.EmpiricalNtk;

/**
 * The empirical NTK and NNGP of one sampled NTK-ECRN in evaluation mode, both from a single set of
 * Jacobian factors (one forward and one backward pass per output):
 *
 * <ul>
 *   <li>NTK: Σ_terms (1/k)Σ_c Δ^cΔ^cᵀ ⊙ (Σ_W s_W²·A_WA_Wᵀ + σ_b²·11ᵀ), the output-averaged kernel
 *       (the same sum {@link org.ntkengine.ntk.EmpiricalNtk} forms);
 *   <li>NNGP: the readout term's second factor, σ_w²⟨h_L(x), h_L(x′)⟩/n + σ_b², the covariance of f
 *       given the last hidden state with the readout weights integrated out.
 * </ul>
 */
final class EmpiricalKernels {
  private EmpiricalKernels() {}

  /**
   * Samples the network and measures it on x.
   *
   * @param backend where to compute
   * @param precision element format
   * @param spec the architecture at the wanted width
   * @param x inputs, n×d row-major
   * @param n number of inputs
   * @param seed parameter seed
   * @return the kernels and the network's Fourier frequencies B (null without Fourier features)
   */
  static ConvergenceExperiment.Measurement measure(
      Backend backend, Precision precision, ModelSpec spec, double[] x, int n, long seed) {
    // Parameters (width² per block matrix), the factors, Θ and two n×n work matrices.
    long params =
        2L * spec.depth() * spec.width() * spec.width() + 4L * spec.width() * spec.stemInputs();
    MemoryBudget.require(
        (params + 3L * n * n) * precision.bytes()
            + 2L * n * n * 8
            + EmpiricalNtk.factorBytes(spec, n, precision),
        "the empirical kernels of width " + spec.width() + " on " + n + " inputs");
    List<Matrix> owned = new ArrayList<>();
    try (Network net = Network.initialize(backend, precision, spec, seed);
        Matrix xm = Network.upload(backend, precision, x, n, spec.inputDim());
        LayerFactors f = net.factors(xm)) {
      Matrix theta = alloc(backend, n, precision, owned);
      Matrix deltas = alloc(backend, n, precision, owned);
      Matrix acts = alloc(backend, n, precision, owned);
      backend.fill(theta, 0.0);
      int k = f.outputs();
      double[] nngp = new double[n * n];
      List<LayerFactors.Term> terms = f.terms();
      for (int t = 0; t < terms.size(); t++) {
        LayerFactors.Term term = terms.get(t);
        backend.fill(deltas, 0.0);
        for (Matrix delta : term.deltas()) {
          backend.gramSymmetric(1.0 / k, delta, 1.0, deltas);
        }
        backend.fill(acts, term.biasScale() * term.biasScale());
        for (LayerFactors.Factor factor : term.factors()) {
          backend.gramSymmetric(factor.scale() * factor.scale(), factor.activations(), 1.0, acts);
        }
        backend.hadamard(1.0, deltas, acts, 1.0, theta);
        if (t == terms.size() - 1) {
          // The readout comes last in the layout: its activations are h_L.
          backend.download(acts, nngp);
        }
      }
      double[] ntk = new double[n * n];
      backend.download(theta, ntk);
      double[] b = spec.hasFourierFeatures() ? net.parameters().fourierFrequencies() : null;
      return new ConvergenceExperiment.Measurement(nngp, ntk, b);
    } finally {
      for (Matrix m : owned) {
        m.close();
      }
    }
  }

  private static Matrix alloc(Backend backend, int n, Precision precision, List<Matrix> owned) {
    Matrix m = backend.allocate(n, n, precision);
    owned.add(m);
    return m;
  }
}
