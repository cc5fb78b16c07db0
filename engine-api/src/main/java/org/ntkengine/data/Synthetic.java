package org.ntkengine.data;

import java.util.Locale;
import org.ntkengine.NtkException;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.backend.ReferenceBackend;
import org.ntkengine.model.ModelSpec;
import org.ntkengine.model.Network;
import org.ntkengine.model.SeededRandom;

/**
 * Synthetic data sets, generated from a seed (the same seed gives the same set everywhere):
 *
 * <ul>
 *   <li>{@code hf1d}: x ~ U[0, 1], y = sin 2πx + 0.5·sin(2π·5x + 0.7) + 0.35·sin(2π·13x + 1.9) +
 *       0.25·sin(2π·29x + 0.4); the high frequencies are what a plain MLP fits poorly (spectral
 *       bias) and Fourier features fix.
 *   <li>{@code hf2d}: x ~ U[0, 1]², y = Σ_j a_j·sin(2π·f_j·x + φ_j) with f = (1, 2), (6, −4), (12,
 *       9), (−17, 21), a = 1, 0.6, 0.4, 0.3 and φ = 0, 0.5, 1.3, 2.1.
 *   <li>{@code spirals}: two interleaved spirals in the plane, r = t, angle 3πt (+π for the second
 *       class) with t ~ U[0.05, 1] and N(0, 0.02²) noise; labels 0/1, one-hot targets.
 *   <li>{@code teacher}: x ~ N(0, I_8), y = f_teacher(x) for a random NTK-ECRN teacher (no Fourier
 *       features, width 64, depth 2, ReLU, one output) with parameters drawn from the seed.
 * </ul>
 */
public final class Synthetic {
  private static final double TWO_PI = 2 * Math.PI;
  private static final double[][] HF1D = {
    {1, 1, 0}, {5, 0.5, 0.7}, {13, 0.35, 1.9}, {29, 0.25, 0.4}
  };
  private static final double[][] HF2D = {
    {1, 2, 1, 0}, {6, -4, 0.6, 0.5}, {12, 9, 0.4, 1.3}, {-17, 21, 0.3, 2.1}
  };

  /** The teacher's input dimension. */
  public static final int TEACHER_INPUTS = 8;

  private Synthetic() {}

  /**
   * Generates one of the sets by name.
   *
   * @param kind hf1d, hf2d, spirals or teacher
   * @param n the number of samples, at least 1
   * @param seed the seed
   * @return the data set
   * @throws NtkException (usage) for an unknown kind or a non-positive count
   */
  public static Dataset generate(String kind, int n, long seed) {
    if (n < 1) {
      throw NtkException.usage("a synthetic set needs at least 1 sample, got " + n);
    }
    return switch (kind.toLowerCase(Locale.ROOT)) {
      case "hf1d" -> hf1d(n, seed);
      case "hf2d" -> hf2d(n, seed);
      case "spirals" -> spirals(n, seed);
      case "teacher" -> teacher(n, seed);
      default ->
          throw NtkException.usage(
              "unknown synthetic set '" + kind + "': use hf1d, hf2d, spirals or teacher");
    };
  }

  /**
   * The 1-D high-frequency regression set.
   *
   * @param n samples
   * @param seed the seed
   * @return n×1 inputs in [0, 1), n×1 targets
   */
  public static Dataset hf1d(int n, long seed) {
    SeededRandom r = SeededRandom.stream(seed, "hf1d");
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextDouble();
      y[i] = hf1dTarget(x[i]);
    }
    return Dataset.regression("synthetic:hf1d:" + n, 1, x, 1, y);
  }

  /**
   * The target function of {@code hf1d}.
   *
   * @param x the input
   * @return y(x)
   */
  public static double hf1dTarget(double x) {
    double y = 0;
    for (double[] t : HF1D) {
      y += t[1] * Math.sin(TWO_PI * t[0] * x + t[2]);
    }
    return y;
  }

  /**
   * The 2-D high-frequency regression set.
   *
   * @param n samples
   * @param seed the seed
   * @return n×2 inputs in [0, 1)², n×1 targets
   */
  public static Dataset hf2d(int n, long seed) {
    SeededRandom r = SeededRandom.stream(seed, "hf2d");
    double[] x = new double[2 * n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = r.nextDouble();
      x[2 * i + 1] = r.nextDouble();
      y[i] = hf2dTarget(x[2 * i], x[2 * i + 1]);
    }
    return Dataset.regression("synthetic:hf2d:" + n, 2, x, 1, y);
  }

  /**
   * The target function of {@code hf2d}.
   *
   * @param x1 the first coordinate
   * @param x2 the second coordinate
   * @return y(x)
   */
  public static double hf2dTarget(double x1, double x2) {
    double y = 0;
    for (double[] t : HF2D) {
      y += t[2] * Math.sin(TWO_PI * (t[0] * x1 + t[1] * x2) + t[3]);
    }
    return y;
  }

  /**
   * Two interleaved spirals, classes alternating.
   *
   * @param n samples
   * @param seed the seed
   * @return n×2 inputs, labels 0/1
   */
  public static Dataset spirals(int n, long seed) {
    SeededRandom r = SeededRandom.stream(seed, "spirals");
    double[] x = new double[2 * n];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      int c = i % 2;
      double t = 0.05 + 0.95 * r.nextDouble();
      double angle = 3 * Math.PI * t + c * Math.PI;
      x[2 * i] = t * Math.cos(angle) + 0.02 * r.nextGaussian();
      x[2 * i + 1] = t * Math.sin(angle) + 0.02 * r.nextGaussian();
      labels[i] = c;
    }
    return Dataset.classification("synthetic:spirals:" + n, 2, x, labels, 2);
  }

  /**
   * Regression on the outputs of a random teacher network.
   *
   * @param n samples
   * @param seed the seed (inputs and teacher parameters)
   * @return n×8 inputs, n×1 targets
   */
  public static Dataset teacher(int n, long seed) {
    SeededRandom r = SeededRandom.stream(seed, "teacher-inputs");
    double[] x = r.gaussians(new double[n * TEACHER_INPUTS]);
    ModelSpec spec =
        ModelSpec.builder(TEACHER_INPUTS).fourierFeatures(0).width(64).depth(2).build();
    double[] y = new double[n];
    ReferenceBackend be = new ReferenceBackend();
    try (Network net = Network.initialize(be, Precision.FP64, spec, seed ^ 0x7eac4e5L);
        Matrix mx = Network.upload(be, Precision.FP64, x, n, TEACHER_INPUTS);
        Matrix f = net.forward(mx)) {
      be.download(f, y);
    }
    return Dataset.regression("synthetic:teacher:" + n, TEACHER_INPUTS, x, 1, y);
  }
}
