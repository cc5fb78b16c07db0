package org.ntkengine.analytic;

import java.util.Arrays;
import org.ntkengine.NtkException;

/**
 * Fourier features γ(x) = [cos 2πBx; sin 2πBx] ∈ R^{2m} as the first representation, with
 * covariance k_γ(x, x′) = ⟨γ(x), γ(x′)⟩/m = m⁻¹·Σ_j cos(2π b_j·(x − x′)), so k_γ(x, x) = 1 (the
 * stem's 1/√m normalisation in {@link org.ntkengine.model.ModelSpec}). Two forms:
 *
 * <ul>
 *   <li>{@link #exact}: for a given sampled frequency matrix B (m×d), the kernel the finite-m
 *       network actually has; what the empirical NTK converges to as the width grows with B held.
 *   <li>{@link #gaussianLimit}: the m → ∞ limit over B_ij ~ N(0, σ_f²), k_γ = exp(−2π²σ_f²‖x −
 *       x′‖²) (Tancik et al., NeurIPS 2020), with no sampling noise.
 * </ul>
 *
 * B is fixed (not trained), so the NTK of this stage is zero. Identical inputs get exactly 1.
 */
public final class FourierFeatures implements InputKernel {
  private final double[] frequencies;
  private final int m;
  private final int d;
  private final double sigma;

  private FourierFeatures(double[] frequencies, int m, int d, double sigma) {
    this.frequencies = frequencies;
    this.m = m;
    this.d = d;
    this.sigma = sigma;
  }

  /**
   * The kernel of a sampled frequency matrix.
   *
   * @param b B, m×d row-major (b_j is row j); copied
   * @param m number of frequencies, at least 1
   * @param d input dimension, at least 1
   * @return the input kernel
   * @throws NtkException (usage) when b is not m×d or holds a non-finite value
   */
  public static FourierFeatures exact(double[] b, int m, int d) {
    if (b == null || m < 1 || d < 1 || (long) m * d != b.length) {
      throw NtkException.usage(
          "Fourier frequencies B: expected an m×d = "
              + m
              + "x"
              + d
              + " row-major matrix, got "
              + (b == null ? "none" : b.length + " values"));
    }
    for (int i = 0; i < b.length; i++) {
      if (!Double.isFinite(b[i])) {
        throw NtkException.usage(
            "Fourier frequencies B: entry (" + i / d + ", " + i % d + ") is " + b[i]);
      }
    }
    return new FourierFeatures(b.clone(), m, d, Double.NaN);
  }

  /**
   * The m → ∞ limit exp(−2π²σ_f²‖x − x′‖²).
   *
   * @param sigmaF σ_f &gt; 0, the standard deviation of B's entries
   * @return the input kernel
   * @throws NtkException (usage) when σ_f is not finite and positive
   */
  public static FourierFeatures gaussianLimit(double sigmaF) {
    if (!(sigmaF > 0) || !Double.isFinite(sigmaF)) {
      throw NtkException.usage("Fourier sigma σ_f must be finite and > 0, got " + sigmaF);
    }
    return new FourierFeatures(null, 0, 0, sigmaF);
  }

  /**
   * Whether this is the Gaussian limit rather than a sampled B.
   *
   * @return true for the limit
   */
  public boolean isGaussianLimit() {
    return frequencies == null;
  }

  @Override
  public KernelState initial(double[] x, int n, int dim) {
    checkDim(dim);
    Inputs.check("", x, n, dim);
    return build(x, n, x, n, dim, true);
  }

  @Override
  public KernelState initial(double[] x1, int n1, double[] x2, int n2, int dim) {
    checkDim(dim);
    Inputs.check("first-set", x1, n1, dim);
    Inputs.check("second-set", x2, n2, dim);
    return build(x1, n1, x2, n2, dim, false);
  }

  private void checkDim(int dim) {
    if (frequencies != null && dim != d) {
      throw NtkException.badInput(
          "inputs have " + dim + " columns but the Fourier frequencies B are " + m + "x" + d);
    }
  }

  private KernelState build(double[] x1, int n1, double[] x2, int n2, int dim, boolean symmetric) {
    boolean[] same = Inputs.identical(x1, n1, x2, n2, dim, symmetric);
    double[] k =
        frequencies == null
            ? gaussian(x1, n1, x2, n2, dim, symmetric)
            : sampled(x1, n1, x2, n2, symmetric);
    // cos² + sin² rounds to 1 ± ulp; the exact value is 1, and every diagonal entry then sits
    // exactly on the θ = 0 boundary the activation kernels handle.
    for (int ij = 0; ij < same.length; ij++) {
      if (same[ij]) {
        k[ij] = 1.0;
      }
    }
    double[] v1 = new double[n1];
    Arrays.fill(v1, 1.0);
    double[] v2 = v1;
    if (!symmetric) {
      v2 = new double[n2];
      Arrays.fill(v2, 1.0);
    }
    return new KernelState(n1, n2, symmetric, k, new double[n1 * n2], v1, v2, same);
  }

  private double[] sampled(double[] x1, int n1, double[] x2, int n2, boolean symmetric) {
    // ⟨γ, γ′⟩ through the features: O((n₁+n₂)·m·d + n₁n₂·m) instead of n₁n₂·m·d for the
    // cos(2π b·(x − x′)) form.
    double[] c1 = new double[n1 * m];
    double[] s1 = new double[n1 * m];
    features(x1, n1, c1, s1);
    double[] c2 = c1;
    double[] s2 = s1;
    if (!symmetric) {
      c2 = new double[n2 * m];
      s2 = new double[n2 * m];
      features(x2, n2, c2, s2);
    }
    double[] k = new double[n1 * n2];
    for (int i = 0; i < n1; i++) {
      for (int j = symmetric ? i : 0; j < n2; j++) {
        double acc = 0;
        for (int f = 0; f < m; f++) {
          acc += c1[i * m + f] * c2[j * m + f] + s1[i * m + f] * s2[j * m + f];
        }
        k[i * n2 + j] = acc / m;
        if (symmetric) {
          k[j * n2 + i] = acc / m;
        }
      }
    }
    return k;
  }

  private void features(double[] x, int n, double[] cos, double[] sin) {
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < m; f++) {
        double dot = 0;
        for (int c = 0; c < d; c++) {
          dot += frequencies[f * d + c] * x[i * d + c];
        }
        double angle = 2 * Math.PI * dot;
        cos[i * m + f] = Math.cos(angle);
        sin[i * m + f] = Math.sin(angle);
      }
    }
  }

  private double[] gaussian(double[] x1, int n1, double[] x2, int n2, int dim, boolean symmetric) {
    double scale = 2 * Math.PI * Math.PI * sigma * sigma;
    double[] k = new double[n1 * n2];
    for (int i = 0; i < n1; i++) {
      for (int j = symmetric ? i : 0; j < n2; j++) {
        // The difference itself, not ‖x‖² + ‖x′‖² − 2x·x′, which cancels for close inputs.
        double s = 0;
        for (int c = 0; c < dim; c++) {
          double diff = x1[i * dim + c] - x2[j * dim + c];
          s += diff * diff;
        }
        double v = Math.exp(-scale * s);
        k[i * n2 + j] = v;
        if (symmetric) {
          k[j * n2 + i] = v;
        }
      }
    }
    return k;
  }

  @Override
  public String toString() {
    return frequencies == null
        ? "FourierFeatures[Gaussian limit, sigma_f=" + sigma + "]"
        : "FourierFeatures[exact B, m=" + m + ", d=" + d + "]";
  }
}
