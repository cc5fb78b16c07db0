package org.ntkengine.cli;

import java.util.Arrays;
import java.util.Locale;
import org.ntkengine.NtkException;
import org.ntkengine.data.Dataset;
import org.ntkengine.model.Activation;
import org.ntkengine.model.ModelSpec;
import org.ntkengine.train.Bandwidth;
import picocli.CommandLine.Option;

/**
 * The NTK-ECRN architecture options shared by every command that builds a network ({@code kernel},
 * {@code spectrum}, {@code analyze}, {@code converge}); use it as a picocli {@code @Mixin} and call
 * {@link #spec(Dataset, int)} once the training data is loaded.
 */
public final class ModelOptions {

  @Option(
      names = "--width",
      defaultValue = "512",
      description = "Hidden width n (default: ${DEFAULT-VALUE}).")
  int width;

  @Option(
      names = "--depth",
      defaultValue = "4",
      description = "Residual blocks L (default: ${DEFAULT-VALUE}).")
  int depth;

  @Option(
      names = "--activation",
      defaultValue = "relu",
      description = "relu or erf (default: ${DEFAULT-VALUE}).")
  String activation;

  @Option(
      names = "--fourier-features",
      defaultValue = "64",
      description = "Fourier frequencies m; 0 turns them off (default: ${DEFAULT-VALUE}).")
  int fourierFeatures;

  @Option(
      names = "--fourier-sigma",
      defaultValue = "auto",
      description =
          "Standard deviation σ_f of the frequencies, or auto: σ_f = 1/(2π·median‖x − x′‖) over"
              + " the training data, so the Gaussian-limit k_γ has the median distance as its"
              + " length scale (default: ${DEFAULT-VALUE}).")
  String fourierSigma;

  @Option(
      names = "--trainable-fourier",
      description = "Train the Fourier frequencies too (they are fixed by default).")
  boolean trainableFourier;

  @Option(
      names = "--sigma-w",
      defaultValue = "1.0",
      description = "σ_w (default: ${DEFAULT-VALUE}).")
  double sigmaW;

  @Option(
      names = "--sigma-b",
      defaultValue = "0.1",
      description = "σ_b (default: ${DEFAULT-VALUE}).")
  double sigmaB;

  @Option(
      names = "--alpha",
      defaultValue = "1.0",
      description =
          "Branch scale: one value α gives α_l = α/√L; a comma list gives α_1..α_L"
              + " (default: ${DEFAULT-VALUE}).")
  String alpha;

  @Option(
      names = "--survival",
      defaultValue = "1.0",
      description =
          "Survival probabilities p_l: one value for every block, a comma list p_1..p_L, or"
              + " linear:P_L for p_l = 1 − (l/L)(1 − P_L) (default: ${DEFAULT-VALUE}).")
  String survival;

  @Option(
      names = "--outputs",
      description = "Outputs k (default: the command's choice, e.g. 1 for kernel).")
  Integer outputs;

  @Option(names = "--plain", description = "Drop the skip connections (a plain MLP).")
  boolean plain;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "Parameter seed (default: ${DEFAULT-VALUE}).")
  long seed;

  /**
   * Builds the validated architecture without data; {@code --fourier-sigma auto} is then an error
   * (use {@link #spec(Dataset, int)}).
   *
   * @param inputDim d, from the data
   * @param defaultOutputs k when {@code --outputs} is not given
   * @return the spec
   * @throws NtkException (usage) naming the bad option and its allowed range
   */
  public ModelSpec spec(int inputDim, int defaultOutputs) {
    return spec(inputDim, defaultOutputs, Double.NaN);
  }

  /**
   * Builds the validated architecture for a data set, resolving {@code --fourier-sigma auto} by the
   * median heuristic of {@link Bandwidth#medianHeuristic}.
   *
   * @param data the (training) data
   * @param defaultOutputs k when {@code --outputs} is not given
   * @return the spec
   * @throws NtkException (usage) naming the bad option and its allowed range
   */
  public ModelSpec spec(Dataset data, int defaultOutputs) {
    boolean auto = isAutoSigma() && fourierFeatures > 0;
    if (auto && data.size() < 2) {
      throw NtkException.usage(
          "--fourier-sigma auto needs at least two samples to measure distances; give a number");
    }
    double sigmaF =
        auto
            ? Bandwidth.medianHeuristic(data.inputs(), data.size(), data.inputDim()).sigma()
            : Double.NaN;
    return spec(data.inputDim(), defaultOutputs, sigmaF);
  }

  /**
   * Whether σ_f is to be chosen from the data.
   *
   * @return true for {@code --fourier-sigma auto}
   */
  public boolean isAutoSigma() {
    return fourierSigma.trim().equalsIgnoreCase("auto");
  }

  private ModelSpec spec(int inputDim, int defaultOutputs, double autoSigma) {
    double sigmaF;
    if (isAutoSigma()) {
      if (fourierFeatures > 0 && !(autoSigma > 0)) {
        throw NtkException.usage(
            "--fourier-sigma auto needs data with at least two distinct samples; give a number");
      }
      sigmaF = fourierFeatures > 0 ? autoSigma : 1.0;
    } else {
      sigmaF = numbers("--fourier-sigma", fourierSigma)[0];
    }
    ModelSpec.Builder b =
        ModelSpec.builder(inputDim)
            .fourierFeatures(fourierFeatures)
            .fourierSigma(sigmaF)
            .trainableFourier(trainableFourier)
            .width(width)
            .depth(depth)
            .activation(Activation.parse(activation))
            .outputs(outputs != null ? outputs : defaultOutputs)
            .sigmaW(sigmaW)
            .sigmaB(sigmaB)
            .residual(!plain);
    if (depth < 0) {
      throw NtkException.usage("depth L (--depth) must be 0 or more, got " + depth);
    }
    double[] a = numbers("--alpha", alpha);
    if (a.length == 1) {
      b.alpha(a[0]);
    } else {
      requireLength("--alpha", a);
      b.alphas(a);
    }
    String s = survival.trim().toLowerCase(Locale.ROOT);
    if (s.startsWith("linear:")) {
      b.linearSurvival(numbers("--survival", s.substring(7))[0]);
    } else {
      double[] p = numbers("--survival", s);
      if (p.length == 1) {
        b.survival(p[0]);
      } else {
        requireLength("--survival", p);
        b.survivals(p);
      }
    }
    return b.build();
  }

  private void requireLength(String option, double[] v) {
    if (v.length != depth) {
      throw NtkException.usage(
          option
              + " lists "
              + v.length
              + " values but --depth is "
              + depth
              + ": give one per block"
              + " or a single value");
    }
  }

  private static double[] numbers(String option, String text) {
    try {
      return Arrays.stream(text.split(","))
          .mapToDouble(t -> Double.parseDouble(t.trim()))
          .toArray();
    } catch (NumberFormatException e) {
      throw NtkException.usage(
          option + " expects a number or a comma list of numbers, got '" + text + "'");
    }
  }

  /**
   * Returns the parameter seed.
   *
   * @return {@code --seed}
   */
  public long seed() {
    return seed;
  }
}
