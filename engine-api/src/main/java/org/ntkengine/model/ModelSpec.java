package org.ntkengine.model;

import java.util.Arrays;
import org.ntkengine.NtkException;

/**
 * The validated, immutable description of an NTK-ECRN network (no parameters, just the
 * architecture), in NTK parameterisation: every weight entry is N(0, 1) and a dense layer computes
 * y = (σ_w/√fan_in)·W·a + σ_b·b.
 *
 * <ul>
 *   <li>Fourier features (when {@code fourierFeatures} m &gt; 0): B ∈ R^{m×d}, B_ij ~ N(0, σ_f²),
 *       γ(x) = [cos 2πBx; sin 2πBx] ∈ R^{2m}; stem h_0 = (σ_w/√m)·W_0·γ(x) + σ_b·b_0 (1/√m, not
 *       1/√(2m), so that ⟨γ(x), γ(x′)⟩/m is 1 on the diagonal). With m = 0 the stem is a dense
 *       layer on x: h_0 = (σ_w/√d)·W_0·x + σ_b·b_0.
 *   <li>Blocks l = 1..L: u_l = (σ_w/√n)·U_l·h_{l−1} + σ_b·c_l, and h_l = h_{l−1} +
 *       α_l·ξ_l·(σ_w/√n)·V_l·φ(u_l) when residual; without the skip (a plain MLP) h_l =
 *       α_l·ξ_l·(σ_w/√n)·V_l·φ(u_l). ξ_l ~ Bernoulli(p_l) while training, ξ_l = p_l at evaluation.
 *   <li>Readout: f(x) = (σ_w/√n)·W_out·h_L + σ_b·b_out ∈ R^k.
 * </ul>
 *
 * @param inputDim d, the input dimension
 * @param fourierFeatures m, the number of frequencies (0: no Fourier features)
 * @param fourierSigma σ_f, the standard deviation of B's entries
 * @param trainableFourier whether B is a trained parameter (it is fixed by default)
 * @param width n, the hidden width
 * @param depth L, the number of residual blocks (0 allowed: stem and readout only)
 * @param activation φ
 * @param outputs k, the number of outputs
 * @param sigmaW σ_w
 * @param sigmaB σ_b
 * @param alphas α_l, one per block
 * @param survival p_l ∈ (0, 1], one per block
 * @param residual whether blocks add their branch to a skip connection
 */
public record ModelSpec(
    int inputDim,
    int fourierFeatures,
    double fourierSigma,
    boolean trainableFourier,
    int width,
    int depth,
    Activation activation,
    int outputs,
    double sigmaW,
    double sigmaB,
    double[] alphas,
    double[] survival,
    boolean residual) {

  /** Validates every field; see {@link Builder} for the defaults. */
  public ModelSpec {
    positive("input dimension (--input-dim)", inputDim);
    nonNegative("Fourier features m (--fourier-features)", fourierFeatures);
    positive("width n (--width)", width);
    nonNegative("depth L (--depth)", depth);
    positive("outputs k", outputs);
    if (activation == null) {
      throw NtkException.usage("activation must be relu or erf, got null");
    }
    finiteNonNegative("Fourier sigma σ_f (--fourier-sigma)", fourierSigma);
    finiteNonNegative("sigma_w σ_w (--sigma-w)", sigmaW);
    finiteNonNegative("sigma_b σ_b (--sigma-b)", sigmaB);
    if (fourierFeatures > 0 && !(fourierSigma > 0)) {
      throw NtkException.usage(
          "Fourier sigma σ_f (--fourier-sigma) must be > 0 when Fourier features are on, got "
              + fourierSigma);
    }
    if (alphas == null || alphas.length != depth) {
      throw NtkException.usage(
          "branch scales α_l: expected "
              + depth
              + " values (one per block), got "
              + (alphas == null ? "none" : alphas.length));
    }
    if (survival == null || survival.length != depth) {
      throw NtkException.usage(
          "survival probabilities p_l: expected "
              + depth
              + " values (one per block), got "
              + (survival == null ? "none" : survival.length));
    }
    for (int l = 0; l < depth; l++) {
      finiteNonNegative("branch scale α_" + (l + 1) + " (--alpha)", alphas[l]);
      double p = survival[l];
      if (!(p > 0 && p <= 1)) {
        throw NtkException.usage(
            "survival probability p_" + (l + 1) + " (--survival) must lie in (0, 1], got " + p);
      }
    }
    alphas = alphas.clone();
    survival = survival.clone();
  }

  private static void positive(String field, int value) {
    if (value <= 0) {
      throw NtkException.usage(field + " must be at least 1, got " + value);
    }
  }

  private static void nonNegative(String field, int value) {
    if (value < 0) {
      throw NtkException.usage(field + " must be 0 or more, got " + value);
    }
  }

  private static void finiteNonNegative(String field, double value) {
    if (!Double.isFinite(value) || value < 0) {
      throw NtkException.usage(field + " must be finite and non-negative, got " + value);
    }
  }

  @Override
  public double[] alphas() {
    return alphas.clone();
  }

  @Override
  public double[] survival() {
    return survival.clone();
  }

  /**
   * Returns α_l for block l (1-based).
   *
   * @param l the block, 1..L
   * @return α_l
   */
  public double alpha(int l) {
    return alphas[l - 1];
  }

  /**
   * Returns p_l for block l (1-based).
   *
   * @param l the block, 1..L
   * @return p_l
   */
  public double survival(int l) {
    return survival[l - 1];
  }

  /**
   * Whether the input passes through Fourier features.
   *
   * @return m &gt; 0
   */
  public boolean hasFourierFeatures() {
    return fourierFeatures > 0;
  }

  /**
   * Returns the stem's input width: 2m with Fourier features, d without.
   *
   * @return the stem's fan-in dimension as stored
   */
  public int stemInputs() {
    return hasFourierFeatures() ? 2 * fourierFeatures : inputDim;
  }

  /**
   * Returns the same network with every α_l multiplied so that α_l = alpha/√L (the default
   * layer-wise scaling), for eigenvalue control.
   *
   * @param alpha the global branch scale α
   * @return the new spec
   */
  public ModelSpec withAlpha(double alpha) {
    return toBuilder().alpha(alpha).build();
  }

  /**
   * Returns a builder initialised with this spec's values.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    Builder b = new Builder(inputDim);
    b.fourierFeatures = fourierFeatures;
    b.fourierSigma = fourierSigma;
    b.trainableFourier = trainableFourier;
    b.width = width;
    b.depth = depth;
    b.activation = activation;
    b.outputs = outputs;
    b.sigmaW = sigmaW;
    b.sigmaB = sigmaB;
    b.alphas = alphas.clone();
    b.survival = survival.clone();
    b.residual = residual;
    return b;
  }

  /**
   * Starts a builder with the defaults: m = 64 Fourier features, σ_f = 1, width 512, depth 4, ReLU,
   * one output, σ_w = 1, σ_b = 0.1, α_l = 1/√L, p_l = 1, residual.
   *
   * @param inputDim d
   * @return the builder
   */
  public static Builder builder(int inputDim) {
    return new Builder(inputDim);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelSpec s
        && inputDim == s.inputDim
        && fourierFeatures == s.fourierFeatures
        && Double.compare(fourierSigma, s.fourierSigma) == 0
        && trainableFourier == s.trainableFourier
        && width == s.width
        && depth == s.depth
        && activation == s.activation
        && outputs == s.outputs
        && Double.compare(sigmaW, s.sigmaW) == 0
        && Double.compare(sigmaB, s.sigmaB) == 0
        && Arrays.equals(alphas, s.alphas)
        && Arrays.equals(survival, s.survival)
        && residual == s.residual;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(alphas) * 31 + Arrays.hashCode(survival) + width * 17 + depth;
  }

  @Override
  public String toString() {
    return "ModelSpec[d="
        + inputDim
        + ", m="
        + fourierFeatures
        + ", sigma_f="
        + fourierSigma
        + (trainableFourier ? " (trained)" : "")
        + ", n="
        + width
        + ", L="
        + depth
        + ", "
        + activation
        + ", k="
        + outputs
        + ", sigma_w="
        + sigmaW
        + ", sigma_b="
        + sigmaB
        + ", alpha="
        + Arrays.toString(alphas)
        + ", p="
        + Arrays.toString(survival)
        + (residual ? ", residual" : ", plain")
        + "]";
  }

  /** Builds a {@link ModelSpec}; unset fields keep the documented defaults. */
  public static final class Builder {
    private final int inputDim;
    private int fourierFeatures = 64;
    private double fourierSigma = 1.0;
    private boolean trainableFourier;
    private int width = 512;
    private int depth = 4;
    private Activation activation = Activation.RELU;
    private int outputs = 1;
    private double sigmaW = 1.0;
    private double sigmaB = 0.1;
    private double[] alphas;
    private double[] survival;
    private boolean residual = true;

    private Builder(int inputDim) {
      this.inputDim = inputDim;
    }

    /**
     * Sets m, the number of Fourier frequencies; 0 turns Fourier features off.
     *
     * @param m frequencies
     * @return this builder
     */
    public Builder fourierFeatures(int m) {
      this.fourierFeatures = m;
      return this;
    }

    /**
     * Sets σ_f, the standard deviation of the frequency matrix B.
     *
     * @param sigma σ_f &gt; 0
     * @return this builder
     */
    public Builder fourierSigma(double sigma) {
      this.fourierSigma = sigma;
      return this;
    }

    /**
     * Makes B a trained parameter instead of a fixed one.
     *
     * @param trainable true to train B
     * @return this builder
     */
    public Builder trainableFourier(boolean trainable) {
      this.trainableFourier = trainable;
      return this;
    }

    /**
     * Sets n, the hidden width.
     *
     * @param n width
     * @return this builder
     */
    public Builder width(int n) {
      this.width = n;
      return this;
    }

    /**
     * Sets L, the number of residual blocks; resets α_l and p_l to their defaults unless they are
     * set again afterwards.
     *
     * @param l depth
     * @return this builder
     */
    public Builder depth(int l) {
      this.depth = l;
      this.alphas = null;
      this.survival = null;
      return this;
    }

    /**
     * Sets φ.
     *
     * @param a the activation
     * @return this builder
     */
    public Builder activation(Activation a) {
      this.activation = a;
      return this;
    }

    /**
     * Sets k, the number of outputs.
     *
     * @param k outputs
     * @return this builder
     */
    public Builder outputs(int k) {
      this.outputs = k;
      return this;
    }

    /**
     * Sets σ_w.
     *
     * @param s σ_w
     * @return this builder
     */
    public Builder sigmaW(double s) {
      this.sigmaW = s;
      return this;
    }

    /**
     * Sets σ_b.
     *
     * @param s σ_b
     * @return this builder
     */
    public Builder sigmaB(double s) {
      this.sigmaB = s;
      return this;
    }

    /**
     * Sets every branch scale from the global α: α_l = α/√L.
     *
     * @param alpha α
     * @return this builder
     */
    public Builder alpha(double alpha) {
      double[] a = new double[depth];
      Arrays.fill(a, depth == 0 ? alpha : alpha / Math.sqrt(depth));
      this.alphas = a;
      return this;
    }

    /**
     * Sets one branch scale per block.
     *
     * @param a α_1..α_L
     * @return this builder
     */
    public Builder alphas(double... a) {
      this.alphas = a.clone();
      return this;
    }

    /**
     * Sets the same survival probability for every block.
     *
     * @param p p ∈ (0, 1]
     * @return this builder
     */
    public Builder survival(double p) {
      double[] s = new double[depth];
      Arrays.fill(s, p);
      this.survival = s;
      return this;
    }

    /**
     * Sets the linear decay p_l = 1 − (l/L)(1 − p_L).
     *
     * @param last p_L ∈ (0, 1]
     * @return this builder
     */
    public Builder linearSurvival(double last) {
      double[] s = new double[depth];
      for (int l = 1; l <= depth; l++) {
        s[l - 1] = 1 - (double) l / depth * (1 - last);
      }
      this.survival = s;
      return this;
    }

    /**
     * Sets one survival probability per block.
     *
     * @param p p_1..p_L
     * @return this builder
     */
    public Builder survivals(double... p) {
      this.survival = p.clone();
      return this;
    }

    /**
     * Chooses between residual blocks (the default) and a plain MLP without skip connections.
     *
     * @param r true for residual
     * @return this builder
     */
    public Builder residual(boolean r) {
      this.residual = r;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the spec
     * @throws NtkException (usage) naming the first bad field and its allowed range
     */
    public ModelSpec build() {
      if (depth < 0) {
        throw NtkException.usage("depth L (--depth) must be 0 or more, got " + depth);
      }
      double[] a = alphas;
      if (a == null) {
        a = new double[depth];
        Arrays.fill(a, 1.0 / Math.sqrt(Math.max(depth, 1)));
      }
      double[] p = survival;
      if (p == null) {
        p = new double[depth];
        Arrays.fill(p, 1.0);
      }
      return new ModelSpec(
          inputDim,
          fourierFeatures,
          fourierSigma,
          trainableFourier,
          width,
          depth,
          activation,
          outputs,
          sigmaW,
          sigmaB,
          a,
          p,
          residual);
    }
  }
}
