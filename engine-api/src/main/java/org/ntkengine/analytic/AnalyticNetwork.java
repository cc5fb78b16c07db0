package org.ntkengine.analytic;

import java.util.ArrayList;
import java.util.List;
import org.ntkengine.NtkException;
import org.ntkengine.model.Activation;
import org.ntkengine.model.ModelSpec;

/**
 * An infinite-width network: an {@link InputKernel} followed by {@link KernelLayer}s, the last of
 * which is the readout. Computes the NNGP and NTK of the output in closed form, float64, for one
 * set or two.
 *
 * <p>{@link #forSpec} builds NTK-ECRN from a {@link ModelSpec}: input kernel → stem Dense(σ_w, σ_b)
 * → L blocks → readout Dense(σ_w, σ_b), so the readout gives NNGP σ_w²K_L + σ_b² and NTK σ_w²(K_L +
 * Θ_L) + σ_b². Residual blocks are {@link ResidualBlock#ecrn}. Without the skip (residual = false)
 * block l is Dense(σ_w, σ_b) → φ → Dense(σ_w, 0) → Scale(α_l·p_l), which gives
 *
 * <pre>
 *   S_l = σ_w²K_{l−1} + σ_b²,   Θ^u_l = S_l + σ_w²Θ_{l−1}          (u_l = U_l h_{l−1} + c_l)
 *   K_l = α_l²p_l²σ_w²·F(S_l)
 *   Θ_l = α_l²p_l²σ_w²·[F(S_l) + Ḟ(S_l)·Θ^u_l]                      (V_l, then U_l, c_l, earlier)
 * </pre>
 *
 * (the branch output layer V_l has no bias, so no σ_b² is added after it), and the stem is the same
 * as with the skip: K_0 = Θ_0 = σ_w²k_in + σ_b², with k_in = k_γ (Fourier features, B fixed so no
 * NTK of its own) or x·x′/d.
 */
public final class AnalyticNetwork {
  private final InputKernel input;
  private final Serial body;

  /**
   * Composes a network.
   *
   * @param input the input kernel
   * @param layers the layers after it, the readout last
   */
  public AnalyticNetwork(InputKernel input, List<KernelLayer> layers) {
    this.input = input;
    this.body = new Serial(layers);
  }

  /**
   * NTK-ECRN (or the plain MLP when the spec is not residual) on the given input kernel.
   *
   * @param spec the architecture; its width is irrelevant here
   * @param input the input kernel (Fourier features or {@link LinearInput})
   * @return the network
   * @throws NtkException (usage) when the spec trains its Fourier features, whose NTK term this
   *     kernel does not include
   */
  public static AnalyticNetwork forSpec(ModelSpec spec, InputKernel input) {
    if (spec.hasFourierFeatures() && spec.trainableFourier()) {
      throw NtkException.usage(
          "the analytic kernel assumes fixed Fourier features; drop --train-fourier (the trained"
              + " B adds a term that does not vanish with the width)");
    }
    double w = spec.sigmaW();
    double b = spec.sigmaB();
    List<KernelLayer> layers = new ArrayList<>();
    layers.add(new Dense(w, b));
    for (int l = 1; l <= spec.depth(); l++) {
      KernelLayer phi = activation(spec.activation());
      if (spec.residual()) {
        layers.add(ResidualBlock.ecrn(w, b, phi, spec.alpha(l), spec.survival(l)));
      } else {
        layers.add(
            Serial.of(
                new Dense(w, b),
                phi,
                new Dense(w, 0),
                new Scale(spec.alpha(l) * spec.survival(l))));
      }
    }
    layers.add(new Dense(w, b));
    return new AnalyticNetwork(input, layers);
  }

  /**
   * NTK-ECRN with the Fourier features of a sampled B (or raw inputs when the spec has none).
   *
   * @param spec the architecture
   * @param fourierFrequencies B, m×d row-major; ignored (may be null) when the spec has no Fourier
   *     features
   * @return the network
   * @throws NtkException (usage) when B is missing or not m×d
   */
  public static AnalyticNetwork forSpec(ModelSpec spec, double[] fourierFrequencies) {
    InputKernel in =
        spec.hasFourierFeatures()
            ? FourierFeatures.exact(fourierFrequencies, spec.fourierFeatures(), spec.inputDim())
            : new LinearInput();
    return forSpec(spec, in);
  }

  /**
   * NTK-ECRN with the m → ∞ Gaussian limit of its Fourier features (σ_f from the spec), or raw
   * inputs when the spec has none.
   *
   * @param spec the architecture
   * @return the network
   */
  public static AnalyticNetwork gaussianLimit(ModelSpec spec) {
    InputKernel in =
        spec.hasFourierFeatures()
            ? FourierFeatures.gaussianLimit(spec.fourierSigma())
            : new LinearInput();
    return forSpec(spec, in);
  }

  /**
   * The kernel layer of an activation.
   *
   * @param activation φ
   * @return its arc-cosine ({@link Relu}) or arcsine ({@link Erf}) layer
   */
  public static KernelLayer activation(Activation activation) {
    return switch (activation) {
      case RELU -> new Relu();
      case ERF -> new Erf();
    };
  }

  /**
   * Returns the input kernel.
   *
   * @return the first stage
   */
  public InputKernel input() {
    return input;
  }

  /**
   * NNGP and NTK of one set with itself (symmetric).
   *
   * @param x inputs, n×d row-major
   * @param n number of inputs
   * @param d input dimension
   * @return the n×n kernels
   * @throws NtkException (bad input) for a shape mismatch or a non-finite input
   */
  public AnalyticKernel kernel(double[] x, int n, int d) {
    return apply(input.initial(x, n, d));
  }

  /**
   * NNGP and NTK between two sets.
   *
   * @param x1 first set, n₁×d row-major
   * @param n1 its size
   * @param x2 second set, n₂×d row-major
   * @param n2 its size
   * @param d input dimension
   * @return the n₁×n₂ kernels
   * @throws NtkException (bad input) for a shape mismatch or a non-finite input
   */
  public AnalyticKernel kernel(double[] x1, int n1, double[] x2, int n2, int d) {
    return apply(input.initial(x1, n1, x2, n2, d));
  }

  /**
   * Runs the layers on a precomputed input state (to reuse it across networks that share the input
   * kernel, as eigenvalue control does).
   *
   * @param initial the input kernel's state
   * @return the output kernels
   */
  public AnalyticKernel apply(KernelState initial) {
    KernelState out = body.apply(initial);
    return new AnalyticKernel(out.rows(), out.cols(), out.nngpArray(), out.ntkArray());
  }

  @Override
  public String toString() {
    return "AnalyticNetwork[" + input + " -> " + body.layers() + "]";
  }
}
