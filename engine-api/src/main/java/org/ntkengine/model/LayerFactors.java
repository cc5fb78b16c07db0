package org.ntkengine.model;

import java.util.ArrayList;
import java.util.List;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Matrix;

/**
 * The per-layer factors of a network's Jacobian on a batch of inputs (rows = samples), from which
 * the empirical NTK is assembled without forming J. For a dense layer y = s·W·a, ∂f_c/∂W_ij =
 * s·δ^c_i·a_j with δ^c = ∂f_c/∂y; a bias σ_b·b contributes σ_b·δ^c. Layers that share their
 * cotangent δ (the two halves of a Fourier stem, a weight and its bias) are grouped in one {@link
 * Term}, so the kernel is Σ_terms (Σ_c Δ^cΔ^cᵀ)/k ⊙ (Σ_W s_W²·A_WA_Wᵀ + σ_b²·11ᵀ).
 *
 * <p>Holds backend matrices; close it to release them.
 */
public final class LayerFactors implements AutoCloseable {
  private final Backend backend;
  private final int samples;
  private final int outputs;
  private final List<Term> terms;
  private final List<Matrix> owned;

  LayerFactors(Backend backend, int samples, int outputs, List<Term> terms, List<Matrix> owned) {
    this.backend = backend;
    this.samples = samples;
    this.outputs = outputs;
    this.terms = List.copyOf(terms);
    this.owned = new ArrayList<>(owned);
  }

  /**
   * One weight's activations and scale.
   *
   * @param name the weight tensor's name
   * @param activations A, samples×fan_in: the layer's input for every sample
   * @param scale s, the weight's multiplier (σ_w/√fan_in, or 2πσ_f for the Fourier frequencies)
   */
  public record Factor(String name, Matrix activations, double scale) {}

  /**
   * The layers that share one cotangent.
   *
   * @param deltas Δ^c, samples×fan_out, one per output c: ∂f_c/∂y for the shared pre-activation y
   * @param factors the weights that produce y
   * @param biasName the bias tensor's name, or null when the layer has none
   * @param biasScale σ_b when there is a bias, else 0
   */
  public record Term(Matrix[] deltas, List<Factor> factors, String biasName, double biasScale) {

    /**
     * Returns fan_out, the width of the cotangent.
     *
     * @return Δ's column count
     */
    public int fanOut() {
      return deltas[0].cols();
    }
  }

  /**
   * Returns the backend holding the matrices.
   *
   * @return the backend
   */
  public Backend backend() {
    return backend;
  }

  /**
   * Returns the number of samples (rows of every factor).
   *
   * @return n
   */
  public int samples() {
    return samples;
  }

  /**
   * Returns k, the number of outputs (cotangents per term).
   *
   * @return k
   */
  public int outputs() {
    return outputs;
  }

  /**
   * Returns the terms in layout order (trainable tensors only).
   *
   * @return the terms
   */
  public List<Term> terms() {
    return terms;
  }

  @Override
  public void close() {
    for (Matrix m : owned) {
      m.close();
    }
    owned.clear();
  }
}
