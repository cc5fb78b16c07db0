package org.ntkengine.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.backend.ReferenceBackend;
import org.ntkengine.model.ModelSpec;
import org.ntkengine.model.Network;
import org.ntkengine.model.ParameterTensor;
import org.ntkengine.model.Parameters;
import org.ntkengine.ntk.EmpiricalNtk;

/**
 * The network and inputs the model benchmarks share, and the flop counts of the model's passes and
 * of the NTK methods.
 *
 * <p>The architecture is NTK-ECRN with d = {@value #INPUT_DIM} inputs, m = {@value
 * #FOURIER_FEATURES} Fourier frequencies (σ_f = 1), depth L = {@value #DEPTH}, ReLU and one output;
 * only the width varies. Parameters and inputs are seeded and, in FP32, rounded to float before
 * both the backend under test and the float64 reference see them, so the measured error is the
 * arithmetic's alone.
 *
 * <p>Flop counts cover the matrix products (2·m·n·k for a general product, n·(n+1)·p for a
 * symmetric Gram A·Aᵀ, which computes each pair once) and the Hadamard products and accumulations
 * (one flop per element each). The element-wise maps (cos, sin, φ, φ′) and copies are not counted:
 * they are O(b·n) against the products' O(b·n²).
 */
public final class BenchModels {
  /** d, the input dimension. */
  public static final int INPUT_DIM = 8;

  /** m, the Fourier frequencies. */
  public static final int FOURIER_FEATURES = 64;

  /** L, the residual blocks. */
  public static final int DEPTH = 2;

  private static final long PARAMETER_SEED = 7;
  private static final long INPUT_SEED = 21;
  private static final long TARGET_SEED = 22;

  private BenchModels() {}

  /**
   * The benchmark architecture at a given width.
   *
   * @param width the hidden width n
   * @return the spec
   */
  public static ModelSpec spec(int width) {
    return ModelSpec.builder(INPUT_DIM)
        .fourierFeatures(FOURIER_FEATURES)
        .fourierSigma(1.0)
        .width(width)
        .depth(DEPTH)
        .outputs(1)
        .build();
  }

  /**
   * Seeded parameters, rounded to float in FP32.
   *
   * @param spec the architecture
   * @param precision the precision the backend under test uses
   * @return the parameters
   */
  public static Parameters parameters(ModelSpec spec, Precision precision) {
    Parameters p = Parameters.initialize(spec, PARAMETER_SEED);
    Map<String, double[]> v = new LinkedHashMap<>();
    for (ParameterTensor t : Parameters.layout(spec)) {
      v.put(t.name(), BenchData.rounded(precision, p.get(t.name())));
    }
    return Parameters.of(spec, v);
  }

  /**
   * Seeded inputs in [0, 1)^d (the Fourier features' natural domain), rounded to float in FP32.
   *
   * @param samples rows
   * @param precision the precision the backend under test uses
   * @return samples·d values, row-major
   */
  public static double[] inputs(int samples, Precision precision) {
    double[] x = BenchData.uniform(INPUT_SEED, samples * INPUT_DIM);
    for (int i = 0; i < x.length; i++) {
      x[i] = 0.5 * (x[i] + 1);
    }
    return BenchData.rounded(precision, x);
  }

  /**
   * Seeded regression targets in [-1, 1), rounded to float in FP32.
   *
   * @param samples rows
   * @param precision the precision the backend under test uses
   * @return samples values (one output)
   */
  public static double[] targets(int samples, Precision precision) {
    return BenchData.rounded(precision, BenchData.uniform(TARGET_SEED, samples));
  }

  /**
   * The float64 structured NTK Θ(X, X) on the reference backend: the oracle for both NTK methods
   * and for the matrix-free operator.
   *
   * @param spec the architecture
   * @param parameters the parameters the backend under test uses
   * @param x the inputs, samples×d row-major
   * @param samples rows of X
   * @return Θ, samples×samples row-major
   */
  public static double[] referenceKernel(
      ModelSpec spec, Parameters parameters, double[] x, int samples) {
    try (ReferenceBackend ref = new ReferenceBackend();
        Network net = new Network(ref, Precision.FP64, parameters);
        Matrix mx = BenchData.upload(ref, x, samples, spec.inputDim(), Precision.FP64);
        Matrix theta = new EmpiricalNtk(net).kernel(mx)) {
      return BenchData.download(ref, theta);
    }
  }

  /**
   * Uploads the benchmark network to a backend.
   *
   * @param backend the backend
   * @param precision the element format
   * @param width the hidden width
   * @return the network; the caller closes it
   */
  public static Network network(Backend backend, Precision precision, int width) {
    ModelSpec spec = spec(width);
    return new Network(backend, precision, parameters(spec, precision));
  }

  // ---- flop counts

  /**
   * Flops of one forward pass f(X) on b samples: the Fourier projection 2·b·d·m, the stem 2·b·2m·n
   * (plus its bias b·n), per block 2·(2·b·n²) for U and V (plus the bias b·n), the readout 2·b·n·k
   * (plus b·k).
   *
   * @param spec the architecture
   * @param b samples
   * @return flops
   */
  public static double forwardFlops(ModelSpec spec, int b) {
    double n = spec.width();
    double k = spec.outputs();
    double f = 0;
    if (spec.hasFourierFeatures()) {
      double m = spec.fourierFeatures();
      f += 2.0 * b * spec.inputDim() * m + 2.0 * b * 2 * m * n;
    } else {
      f += 2.0 * b * spec.inputDim() * n;
    }
    f += (double) b * n;
    f += spec.depth() * (2 * 2.0 * b * n * n + b * n);
    f += 2.0 * b * n * k + b * k;
    return f;
  }

  /**
   * Flops of one backward pass from a cotangent of f (fixed Fourier features): the readout's δh =
   * 2·b·k·n, per block the branch scale b·n, δu = 2·b·n², φ′ ⊙ δu b·n and δh_{l−1} = 2·b·n².
   *
   * @param spec the architecture
   * @param b samples
   * @return flops
   */
  public static double backwardFlops(ModelSpec spec, int b) {
    double n = spec.width();
    return 2.0 * b * spec.outputs() * n + spec.depth() * (2 * 2.0 * b * n * n + 2.0 * b * n);
  }

  /**
   * Flops of {@link Network#lossGradient}: the forward pass, the residual, its norm and scaling
   * (5·b·k), the backward pass and every weight gradient Δᵀ·A (2·b·fan_out·fan_in) and bias column
   * sum (b·fan_out).
   *
   * @param spec the architecture
   * @param b samples
   * @return flops
   */
  public static double lossGradientFlops(ModelSpec spec, int b) {
    double grads = 0;
    for (Layer l : layers(spec)) {
      grads += 2.0 * b * l.fanOut() * l.fanIn() + (l.bias() ? (double) b * l.fanOut() : 0);
    }
    return forwardFlops(spec, b) + 5.0 * b * spec.outputs() + backwardFlops(spec, b) + grads;
  }

  /**
   * Flops of the Jacobian factors of n samples: one forward pass and one backward pass per output.
   *
   * @param spec the architecture
   * @param n samples
   * @return flops
   */
  public static double factorFlops(ModelSpec spec, int n) {
    return forwardFlops(spec, n) + spec.outputs() * backwardFlops(spec, n);
  }

  /**
   * Flops of the structured Θ(X, X) in one tile: the factors, then per dense layer a symmetric Gram
   * of each activation factor (n·(n+1)·fan_in) and of each output's cotangent (n·(n+1)·fan_out) and
   * the Hadamard accumulation (2·n²).
   *
   * @param spec the architecture
   * @param n samples
   * @return flops
   */
  public static double structuredFlops(ModelSpec spec, int n) {
    double nn = (double) n * (n + 1);
    double grams = 0;
    for (Layer l : layers(spec)) {
      grams += nn * l.fanIn() + spec.outputs() * nn * l.fanOut() + 2.0 * n * n;
    }
    // The stem's cos and sin factors are one layer of fan-in 2m above but two Grams in the code,
    // which adds up to the same count.
    return factorFlops(spec, n) + grams;
  }

  /**
   * Flops of the explicit Θ(X, X) with the whole sample set in one row tile: the factors, the
   * Jacobian built on the host for both sides of each product (2 flops per weight entry s·δ·a, 1
   * per bias entry, n rows, twice), the general Gram J·Jᵀ over every trainable parameter (2·n²·P,
   * per output) and the accumulation into Θ (2·n² per parameter chunk, not counted: the chunk count
   * depends on the memory budget).
   *
   * @param spec the architecture
   * @param n samples
   * @return flops
   */
  public static double explicitFlops(ModelSpec spec, int n) {
    double jacobian = 0;
    double p = 0;
    for (Layer l : layers(spec)) {
      double w = (double) l.fanOut() * l.fanIn();
      double b = l.bias() ? l.fanOut() : 0;
      jacobian += 2 * (2 * w + b) * n;
      p += w + b;
    }
    return factorFlops(spec, n) + spec.outputs() * (jacobian + 2.0 * n * n * p);
  }

  /**
   * Flops of one application of the matrix-free Θ to a block of v vectors, as {@code MatrixFreeNtk}
   * does it: per bias and output 4·v·n·fan_out (VΔ, then ·Δᵀ); per activation factor and vector the
   * outer product v·1ᵀ (2·n·fan_in) and ⊙A (n·fan_in), then per output Δᵀ·(diag(v)A) and A·Mᵀ
   * (2·n·fan_in·fan_out each), ⊙Δ (n·fan_out) and the row sum (2·n·fan_out). The factors themselves
   * are built once, outside the measured product.
   *
   * @param spec the architecture
   * @param n samples (the operator's size)
   * @param v vectors in the block
   * @return flops
   */
  public static double operatorFlops(ModelSpec spec, int n, int v) {
    double k = spec.outputs();
    double f = 0;
    for (Layer l : layers(spec)) {
      double fi = l.fanIn();
      double fo = l.fanOut();
      if (l.bias()) {
        f += k * 4.0 * v * n * fo;
      }
      // The fan-in terms are linear in fan_in, so the stem's cos and sin factors sum to one of
      // fan-in 2m; only ⊙Δ and the row sum repeat per factor.
      f += v * (3.0 * n * fi + k * (4.0 * n * fi * fo + 3.0 * n * fo * l.factors()));
    }
    return f;
  }

  /**
   * A dense layer as the NTK sees it: its activation factors' total fan-in, its fan-out, how many
   * activation factors it has and whether it has a bias.
   */
  record Layer(int fanIn, int fanOut, int factors, boolean bias) {}

  /** The trainable dense layers of a spec, stem first (fixed Fourier features). */
  static List<Layer> layers(ModelSpec spec) {
    List<Layer> out = new ArrayList<>();
    int n = spec.width();
    if (spec.hasFourierFeatures()) {
      if (spec.trainableFourier()) {
        throw new IllegalArgumentException("the flop counts assume fixed Fourier features");
      }
      out.add(new Layer(2 * spec.fourierFeatures(), n, 2, true));
    } else {
      out.add(new Layer(spec.inputDim(), n, 1, true));
    }
    for (int l = 1; l <= spec.depth(); l++) {
      out.add(new Layer(n, n, 1, true));
      out.add(new Layer(n, n, 1, false));
    }
    out.add(new Layer(n, spec.outputs(), 1, true));
    return out;
  }
}
